//! `Reduce`, `ArgReduce` and `MatMul` against the interpreter. Reductions fold in the
//! interpreter's order, so they agree bit for bit (floats included); float matmul goes through
//! the runtime's GEMM and is compared within tolerances.

mod common;
use common::*;
use tf_codegen::JitErrorKind;
use tf_interp::Tensor;
use tf_ir::*;

fn c(n: i64) -> Size {
    Size::constant(n)
}

/// Every subset of the axes of a rank-3 tensor.
fn axis_sets() -> Vec<Vec<usize>> {
    (0..8u32).map(|mask| (0..3).filter(|a| mask & (1 << a) != 0).collect()).collect()
}

fn reducer(dtype: DType, ops: &[ReduceOp], keepdims: bool) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(dtype, vec![c(3), n, c(5)]), None);
        let s = b.param(r, Type::scalar(dtype), None);
        let mut ys = Vec::new();
        for &op in ops {
            for axes in axis_sets() {
                ys.push(b.op1(r, OpKind::Reduce { op, axes, keepdims }, vec![x]).unwrap());
            }
            ys.push(b.op1(r, OpKind::Reduce { op, axes: vec![], keepdims }, vec![s]).unwrap());
        }
        ys
    })
}

#[test]
fn reductions_over_every_axis_set() {
    let numeric = [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max, ReduceOp::Min];
    for (dtype, ops, scale) in [
        (DType::F32, &numeric[..], 2.0),
        (DType::F64, &numeric[..], 2.0),
        (DType::I32, &numeric[..], 1e6),
        (DType::I64, &numeric[..], 1e12),
        (DType::Bool, &[ReduceOp::All, ReduceOp::Any][..], 1.0),
    ] {
        // keepdims only changes the result type: tried on one dtype, to keep compile time down.
        for keepdims in [false, dtype == DType::F32] {
            let cases: Vec<Vec<Tensor>> = [0usize, 1, 4]
                .iter()
                .map(|&n| {
                    let mut x = random(dtype, &[3, n, 5], n as u64, scale);
                    // NaNs propagate through max and min (the first one wins).
                    if let tf_interp::Data::F32(v) = &mut x.data {
                        v.iter_mut().step_by(7).for_each(|e| *e = f32::NAN);
                    }
                    if let tf_interp::Data::F64(v) = &mut x.data {
                        v.iter_mut().skip(3).step_by(11).for_each(|e| *e = -0.0);
                    }
                    vec![scalar_i64(n as i64), x, Tensor { shape: vec![], data: random(dtype, &[1], 9, scale).data }]
                })
                .collect();
            identical_all(&reducer(dtype, ops, keepdims), &cases);
        }
    }
}

#[test]
fn arg_reductions() {
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
        for keepdims in [false, true] {
            let m = func(|b, r| {
                let (_, n) = size_param(b, r, "N");
                let x = b.param(r, Type::new(dtype, vec![c(3), n.clone(), c(4)]), None);
                let v = b.param(r, Type::new(dtype, vec![n]), None);
                let mut ys = Vec::new();
                for op in [ArgReduceOp::ArgMax, ArgReduceOp::ArgMin] {
                    for axis in 0..3 {
                        ys.push(b.op1(r, OpKind::ArgReduce { op, axis, keepdims }, vec![x]).unwrap());
                    }
                    ys.push(b.op1(r, OpKind::ArgReduce { op, axis: 0, keepdims }, vec![v]).unwrap());
                }
                ys
            });
            let cases: Vec<Vec<Tensor>> = [1usize, 6]
                .iter()
                .map(|&n| {
                    // Few distinct values, so ties (the first wins) are common; some NaNs.
                    let mut x = random(dtype, &[3, n, 4], 3, 2.0);
                    if let tf_interp::Data::F32(e) = &mut x.data {
                        e.iter_mut().for_each(|e| *e = (*e * 2.0).round());
                        e.iter_mut().step_by(5).for_each(|e| *e = f32::NAN);
                    }
                    vec![scalar_i64(n as i64), x, random(dtype, &[n], 4, 2.0)]
                })
                .collect();
            identical_all(&m, &cases);
        }
    }
}

#[test]
fn arg_reduction_of_an_empty_axis_fails() {
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(DType::F32, vec![c(2), n]), None);
        vec![b.op1(r, OpKind::ArgReduce { op: ArgReduceOp::ArgMin, axis: 1, keepdims: false }, vec![x]).unwrap()]
    });
    let (_, got) = both_fail(&m, &[scalar_i64(0), random(DType::F32, &[2, 0], 1, 1.0)]);
    assert_eq!(got.kind, JitErrorKind::IndexOutOfRange);
}

/// `f(M, K, N, a: [B..., M, K], b: [B..., K, N])` yielding `a @ b`.
fn matmuls(dtype: DType, batch: &[i64]) -> Module {
    func(|b, r| {
        let (_, m) = size_param(b, r, "M");
        let (_, k) = size_param(b, r, "K");
        let (_, n) = size_param(b, r, "N");
        let lead: Vec<Size> = batch.iter().map(|&d| c(d)).collect();
        let shape = |x: &Size, y: &Size| {
            let mut s = lead.clone();
            s.extend([x.clone(), y.clone()]);
            Type::new(dtype, s)
        };
        let x = b.param(r, shape(&m, &k), None);
        let y = b.param(r, shape(&k, &n), None);
        vec![b.op1(r, OpKind::MatMul, vec![x, y]).unwrap()]
    })
}

#[test]
fn matmuls_of_every_dtype() {
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
        for batch in [&[][..], &[2][..], &[2, 3][..]] {
            let m = matmuls(dtype, batch);
            let b: Vec<usize> = batch.iter().map(|&d| d as usize).collect();
            let shape = |x: usize, y: usize| {
                let mut s = b.clone();
                s.extend([x, y]);
                s
            };
            let cases: Vec<Vec<Tensor>> = [(1usize, 1usize, 1usize), (3, 0, 2), (0, 4, 5), (7, 9, 33), (17, 31, 8)]
                .iter()
                .map(|&(mm, k, n)| {
                    vec![
                        scalar_i64(mm as i64),
                        scalar_i64(k as i64),
                        scalar_i64(n as i64),
                        random(dtype, &shape(mm, k), 1, 3.0),
                        random(dtype, &shape(k, n), 2, 3.0),
                    ]
                })
                .collect();
            if dtype.is_float() {
                agree_all(&m, &cases);
            } else {
                identical_all(&m, &cases);
            }
        }
    }
}

#[test]
fn a_large_matmul_agrees() {
    let m = matmuls(DType::F32, &[]);
    let args = vec![
        scalar_i64(64),
        scalar_i64(200),
        scalar_i64(96),
        random(DType::F32, &[64, 200], 5, 1.0),
        random(DType::F32, &[200, 96], 6, 1.0),
    ];
    let want = interp(&m, &args).unwrap();
    let got = jit(&m, &args).unwrap();
    // Sums of 200 products of numbers below 1 in magnitude: an absolute tolerance.
    tf_interp::check_close(&got[0], &want[0], 1e-5, 1e-4).unwrap();
}
