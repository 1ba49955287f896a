//! Run-time values: a tensor is a concrete shape and a row-major vector of one dtype. Kept plain
//! (owned vectors, no strides, no sharing) so that each op's implementation reads as the
//! definition of what it computes.

use std::fmt;

use tf_ir::DType;

/// The elements of a tensor in row-major order, each in its own dtype.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    F32(Vec<f32>),
    F64(Vec<f64>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    Bool(Vec<bool>),
}

/// A tensor: `data` holds exactly `shape.iter().product()` elements (the constructors check it;
/// the interpreter checks it again for every tensor it is given).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Data,
}

/// One element of any dtype, held exactly (an `f32` widens to `f64` without rounding). It is the
/// pivot of every conversion: [`Elem::from_scalar`] defines what `Cast` does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Float(f64),
    Int(i64),
    Bool(bool),
}

/// Runs `$body` with `$v` bound to the typed vector inside a `&Data`, whatever its dtype; the
/// body is usually a call of a generic function, instantiated once per dtype.
macro_rules! dispatch {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            $crate::value::Data::F32($v) => $body,
            $crate::value::Data::F64($v) => $body,
            $crate::value::Data::I32($v) => $body,
            $crate::value::Data::I64($v) => $body,
            $crate::value::Data::Bool($v) => $body,
        }
    };
}

/// Like `dispatch!` for two tensors that must have the same dtype; `$other` when they do not.
macro_rules! dispatch2 {
    ($a:expr, $b:expr, ($x:ident, $y:ident) => $body:expr, _ => $other:expr) => {
        match ($a, $b) {
            ($crate::value::Data::F32($x), $crate::value::Data::F32($y)) => $body,
            ($crate::value::Data::F64($x), $crate::value::Data::F64($y)) => $body,
            ($crate::value::Data::I32($x), $crate::value::Data::I32($y)) => $body,
            ($crate::value::Data::I64($x), $crate::value::Data::I64($y)) => $body,
            ($crate::value::Data::Bool($x), $crate::value::Data::Bool($y)) => $body,
            _ => $other,
        }
    };
}

pub(crate) use {dispatch, dispatch2};

/// An element type: one of the five dtypes, with its conversions.
pub trait Elem: Copy + PartialOrd + fmt::Debug + 'static {
    const DTYPE: DType;
    fn slice(data: &Data) -> Option<&[Self]>;
    fn wrap(v: Vec<Self>) -> Data;
    fn to_scalar(self) -> Scalar;
    /// The conversion `Cast` performs: float → int truncates toward zero and saturates (NaN
    /// gives 0); int → float rounds to nearest; i64 → i32 keeps the low 32 bits; bool → number
    /// gives 0 or 1; number → bool is `x != 0` (so NaN gives `true`).
    fn from_scalar(s: Scalar) -> Self;
    fn is_nan(self) -> bool {
        false
    }
}

macro_rules! float_elem {
    ($t:ty, $variant:ident) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$variant;
            fn slice(data: &Data) -> Option<&[Self]> {
                match data {
                    Data::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn wrap(v: Vec<Self>) -> Data {
                Data::$variant(v)
            }
            fn to_scalar(self) -> Scalar {
                Scalar::Float(self.into())
            }
            fn from_scalar(s: Scalar) -> Self {
                match s {
                    Scalar::Float(x) => x as $t,
                    Scalar::Int(i) => i as $t,
                    Scalar::Bool(b) => u8::from(b).into(),
                }
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
    };
}

macro_rules! int_elem {
    ($t:ty, $variant:ident) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$variant;
            fn slice(data: &Data) -> Option<&[Self]> {
                match data {
                    Data::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn wrap(v: Vec<Self>) -> Data {
                Data::$variant(v)
            }
            fn to_scalar(self) -> Scalar {
                Scalar::Int(self.into())
            }
            fn from_scalar(s: Scalar) -> Self {
                // `as` is exactly the documented conversion: truncating, saturating, NaN → 0.
                match s {
                    Scalar::Float(x) => x as $t,
                    Scalar::Int(i) => i as $t,
                    Scalar::Bool(b) => u8::from(b).into(),
                }
            }
        }
    };
}

float_elem!(f32, F32);
float_elem!(f64, F64);
int_elem!(i32, I32);
int_elem!(i64, I64);

impl Elem for bool {
    const DTYPE: DType = DType::Bool;
    fn slice(data: &Data) -> Option<&[Self]> {
        match data {
            Data::Bool(v) => Some(v),
            _ => None,
        }
    }
    fn wrap(v: Vec<Self>) -> Data {
        Data::Bool(v)
    }
    fn to_scalar(self) -> Scalar {
        Scalar::Bool(self)
    }
    fn from_scalar(s: Scalar) -> Self {
        match s {
            Scalar::Float(x) => x != 0.0,
            Scalar::Int(i) => i != 0,
            Scalar::Bool(b) => b,
        }
    }
}

/// The number of elements of a shape, or `None` when it overflows `usize` (a shape with a zero
/// has none, however large its other dimensions).
pub fn numel(shape: &[usize]) -> Option<usize> {
    if shape.contains(&0) {
        return Some(0);
    }
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))
}

/// Row-major strides: how far apart consecutive indices of each axis are. They saturate rather
/// than overflow: only an empty tensor (a zero among huge dimensions) can reach that, and no
/// position of an empty tensor is ever computed.
pub(crate) fn strides(shape: &[usize]) -> Vec<usize> {
    let mut out = vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        out[i] = out[i + 1].saturating_mul(shape[i + 1]);
    }
    out
}

impl Data {
    pub fn dtype(&self) -> DType {
        dispatch!(self, v => elem_dtype(v))
    }

    pub fn len(&self) -> usize {
        dispatch!(self, v => v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// No elements, of the given dtype.
    pub fn empty(dtype: DType) -> Data {
        match dtype {
            DType::F32 => Data::F32(Vec::new()),
            DType::F64 => Data::F64(Vec::new()),
            DType::I32 => Data::I32(Vec::new()),
            DType::I64 => Data::I64(Vec::new()),
            DType::Bool => Data::Bool(Vec::new()),
        }
    }

    /// The elements at `positions`, in that order; `None` when a position is out of range.
    pub fn take(&self, positions: &[usize]) -> Option<Data> {
        fn go<T: Elem>(v: &[T], positions: &[usize]) -> Option<Data> {
            positions.iter().map(|&p| v.get(p).copied()).collect::<Option<Vec<T>>>().map(T::wrap)
        }
        dispatch!(self, v => go(v, positions))
    }

    /// Appends `other`'s elements; `false` (and nothing appended) when the dtypes differ.
    pub fn extend(&mut self, other: &Data) -> bool {
        match (self, other) {
            (Data::F32(a), Data::F32(b)) => a.extend_from_slice(b),
            (Data::F64(a), Data::F64(b)) => a.extend_from_slice(b),
            (Data::I32(a), Data::I32(b)) => a.extend_from_slice(b),
            (Data::I64(a), Data::I64(b)) => a.extend_from_slice(b),
            (Data::Bool(a), Data::Bool(b)) => a.extend_from_slice(b),
            _ => return false,
        }
        true
    }

    /// Every element converted to `f64` (bools as 0 and 1), for comparisons and printing.
    pub fn to_f64_vec(&self) -> Vec<f64> {
        fn go<T: Elem>(v: &[T]) -> Vec<f64> {
            v.iter().map(|&x| f64::from_scalar(x.to_scalar())).collect()
        }
        dispatch!(self, v => go(v))
    }

    /// Element `i` as a [`Scalar`].
    pub fn get(&self, i: usize) -> Option<Scalar> {
        dispatch!(self, v => v.get(i).map(|x| x.to_scalar()))
    }
}

fn elem_dtype<T: Elem>(_: &[T]) -> DType {
    T::DTYPE
}

impl Tensor {
    /// A tensor, when `data` has as many elements as `shape` says.
    pub fn new(shape: Vec<usize>, data: Data) -> Result<Tensor, String> {
        match numel(&shape) {
            Some(n) if n == data.len() => Ok(Tensor { shape, data }),
            _ => Err(format!("shape {shape:?} does not hold {} elements", data.len())),
        }
    }

    /// A tensor of the vector's dtype, when the vector has as many elements as `shape` says.
    pub fn from_vec<T: Elem>(shape: Vec<usize>, data: Vec<T>) -> Result<Tensor, String> {
        Tensor::new(shape, T::wrap(data))
    }

    /// A rank-0 tensor.
    pub fn scalar<T: Elem>(x: T) -> Tensor {
        Tensor { shape: Vec::new(), data: T::wrap(vec![x]) }
    }

    /// Zeros (`false` for bool) of a shape, when its element count fits in memory's addressing.
    pub fn zeros(dtype: DType, shape: Vec<usize>) -> Result<Tensor, String> {
        let n = numel(&shape).ok_or_else(|| format!("shape {shape:?} is too large"))?;
        let data = match dtype {
            DType::F32 => Data::F32(vec![0.0; n]),
            DType::F64 => Data::F64(vec![0.0; n]),
            DType::I32 => Data::I32(vec![0; n]),
            DType::I64 => Data::I64(vec![0; n]),
            DType::Bool => Data::Bool(vec![false; n]),
        };
        Ok(Tensor { shape, data })
    }

    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// Whether `data` holds exactly the number of elements `shape` says.
    pub fn is_consistent(&self) -> bool {
        numel(&self.shape) == Some(self.data.len())
    }

    /// The elements, when they have dtype `T`.
    pub fn as_slice<T: Elem>(&self) -> Option<&[T]> {
        T::slice(&self.data)
    }

    pub fn to_f64_vec(&self) -> Vec<f64> {
        self.data.to_f64_vec()
    }

    /// The element of a rank-0 tensor.
    pub fn scalar_value(&self) -> Option<Scalar> {
        if self.shape.is_empty() {
            self.data.get(0)
        } else {
            None
        }
    }

    /// The value of an `i64` scalar (a size, an index, a seed).
    pub fn as_i64(&self) -> Option<i64> {
        match (self.shape.is_empty(), &self.data) {
            (true, Data::I64(v)) => v.first().copied(),
            _ => None,
        }
    }

    /// The value of a `bool` scalar (a condition).
    pub fn as_bool(&self) -> Option<bool> {
        match (self.shape.is_empty(), &self.data) {
            (true, Data::Bool(v)) => v.first().copied(),
            _ => None,
        }
    }
}

impl fmt::Display for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::host::format_numpy(self))
    }
}

/// Whether two tensors have the same dtype and shape and every pair of elements satisfies
/// `|a - b| <= atol + rtol * |b|` (NumPy's rule, so `b` is the reference). NaNs match NaNs and
/// an infinity matches only the same infinity, so that an oracle comparison passes exactly when
/// both sides computed the same thing.
pub fn allclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64) -> bool {
    check_close(a, b, rtol, atol).is_ok()
}

/// [`allclose`], saying what differs (the first mismatching element) when it fails.
pub fn check_close(a: &Tensor, b: &Tensor, rtol: f64, atol: f64) -> Result<(), String> {
    if a.dtype() != b.dtype() || a.shape != b.shape {
        return Err(format!(
            "{}{:?} and {}{:?} differ in dtype or shape",
            a.dtype().name(),
            a.shape,
            b.dtype().name(),
            b.shape
        ));
    }
    let (xs, ys) = (a.to_f64_vec(), b.to_f64_vec());
    for (i, (&x, &y)) in xs.iter().zip(&ys).enumerate() {
        let close = if x.is_nan() || y.is_nan() {
            x.is_nan() && y.is_nan()
        } else if x.is_infinite() || y.is_infinite() {
            x == y
        } else {
            (x - y).abs() <= atol + rtol * y.abs()
        };
        if !close {
            return Err(format!("element {i} (flat): {x} vs {y}"));
        }
    }
    Ok(())
}
