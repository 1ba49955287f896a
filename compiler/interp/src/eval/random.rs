//! `Random`: element `i` (row-major) is a pure function of `(seed, i)` from `tf_ir::rng`,
//! computed in f64 and rounded once to the result's dtype, so every back end can match it.

use tf_ir::{rng, DType, Distribution};

use crate::error::RunError;
use crate::value::{Data, Scalar, Tensor};

/// `normal(seed, i) * std + mean`, or `low + unit(seed, i) * (high - low)`. Each parameter is
/// a scalar or a tensor of the result's shape (then element `i` uses its element `i`), of any
/// numeric dtype (read exactly as f64).
pub(super) fn random(
    dist: Distribution,
    seed: i64,
    p: &Tensor,
    q: &Tensor,
    dtype: DType,
    shape: Vec<usize>,
) -> Result<Tensor, RunError> {
    let n = crate::value::numel(&shape).ok_or_else(|| RunError::internal("shape overflow"))?;
    let param = |t: &Tensor| -> Result<Vec<f64>, RunError> {
        let fits = t.is_consistent() && (t.shape.is_empty() || t.shape == shape);
        if !fits {
            return Err(RunError::internal(format!("a random parameter of shape {:?} for {shape:?}", t.shape)));
        }
        Ok(t.to_f64_vec())
    };
    let (p, q) = (param(p)?, param(q)?);
    // A scalar parameter serves every element.
    let at = |v: &[f64], i: usize| if v.len() == 1 { v[0] } else { v[i] };
    let values = (0..n).map(|i| {
        let (a, b) = (at(&p, i), at(&q, i));
        match dist {
            Distribution::Normal => rng::normal(seed, i as u64) * b + a,
            Distribution::Uniform => a + rng::unit(seed, i as u64) * (b - a),
        }
    });
    let data = match dtype {
        DType::F64 => Data::F64(values.collect()),
        DType::F32 => Data::F32(values.map(|x| crate::value::Elem::from_scalar(Scalar::Float(x))).collect()),
        _ => return Err(RunError::internal("random has a float result")),
    };
    Tensor::new(shape, data).map_err(RunError::internal)
}
