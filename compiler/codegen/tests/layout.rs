//! `Broadcast`, `Reshape`, `Transpose`, `Slice`, `Index`, `Gather`, `ScatterAdd`, `Concat`,
//! `Iota` against the interpreter, with runtime sizes (including 0 and 1) and every dtype where
//! the element width matters; out-of-range indices and slices fail at the op's span.

mod common;
use common::*;
use tf_codegen::JitErrorKind;
use tf_interp::Tensor;
use tf_ir::*;

const DTYPES: [DType; 5] = [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool];

fn c(n: i64) -> Size {
    Size::constant(n)
}

#[test]
fn broadcasts() {
    for dtype in DTYPES {
        // A scalar, a row, a column and a middle axis, to [2, N, 3]-like shapes.
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let s = b.param(r, Type::scalar(dtype), None);
            let row = b.param(r, Type::new(dtype, vec![c(3)]), None);
            let col = b.param(r, Type::new(dtype, vec![n.clone(), c(1)]), None);
            let mid = b.param(r, Type::new(dtype, vec![c(1), n.clone(), c(1)]), None);
            let to = |shape: Vec<Size>| vec![Type::new(dtype, shape)];
            let ops = [
                (s, to(vec![n.clone(), c(3)])),
                (row, to(vec![c(2), n.clone(), c(3)])),
                (col, to(vec![n.clone(), c(4)])),
                (col, to(vec![c(2), n.clone(), c(1)])),
                (mid, to(vec![c(2), n.clone(), c(3)])),
                (s, to(vec![])),
            ];
            ops.into_iter().map(|(v, t)| b.op_typed(r, OpKind::Broadcast, vec![v], t, vec![])[0]).collect()
        });
        let cases: Vec<Vec<Tensor>> = [0usize, 1, 5, 17]
            .iter()
            .map(|&n| {
                vec![
                    scalar_i64(n as i64),
                    Tensor { shape: vec![], data: random(dtype, &[1], 1, 5.0).data },
                    random(dtype, &[3], 2, 5.0),
                    random(dtype, &[n, 1], 3, 5.0),
                    random(dtype, &[1, n, 1], 4, 5.0),
                ]
            })
            .collect();
        identical_all(&m, &cases);
    }
}

#[test]
fn reshapes_move_or_copy() {
    for dtype in [DType::F32, DType::I64, DType::Bool] {
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let x = b.param(r, Type::new(dtype, vec![n.clone(), c(6)]), None);
            let one = b.param(r, Type::new(dtype, vec![c(1), c(1)]), None);
            // Of a parameter (copied), of a temporary that dies (moved), of one used later.
            let flat = b.op_typed(r, OpKind::Reshape, vec![x], vec![Type::new(dtype, vec![n.mul(&c(6))])], vec![])[0];
            let t = b.op1(r, OpKind::Transpose { perm: vec![1, 0] }, vec![x]).unwrap();
            let moved =
                b.op_typed(r, OpKind::Reshape, vec![t], vec![Type::new(dtype, vec![c(3), c(2), n.clone()])], vec![])[0];
            let t2 = b.op1(r, OpKind::Transpose { perm: vec![1, 0] }, vec![x]).unwrap();
            let kept = b.op_typed(r, OpKind::Reshape, vec![t2], vec![Type::new(dtype, vec![n.mul(&c(6))])], vec![])[0];
            let s = b.op_typed(r, OpKind::Reshape, vec![one], vec![Type::scalar(dtype)], vec![])[0];
            let back = b.op_typed(r, OpKind::Reshape, vec![s], vec![Type::new(dtype, vec![c(1)])], vec![])[0];
            vec![flat, moved, kept, t2, s, back]
        });
        let cases: Vec<Vec<Tensor>> = [0usize, 1, 4]
            .iter()
            .map(|&n| vec![scalar_i64(n as i64), random(dtype, &[n, 6], 1, 9.0), random(dtype, &[1, 1], 2, 9.0)])
            .collect();
        identical_all(&m, &cases);
    }
}

#[test]
fn transposes() {
    for dtype in [DType::F32, DType::F64, DType::Bool] {
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let x = b.param(r, Type::new(dtype, vec![c(2), n.clone(), c(3)]), None);
            [vec![0, 1, 2], vec![2, 1, 0], vec![1, 0, 2], vec![1, 2, 0], vec![2, 0, 1]]
                .into_iter()
                .map(|perm| b.op1(r, OpKind::Transpose { perm }, vec![x]).unwrap())
                .collect()
        });
        let cases: Vec<Vec<Tensor>> =
            [0usize, 1, 5].iter().map(|&n| vec![scalar_i64(n as i64), random(dtype, &[2, n, 3], 7, 9.0)]).collect();
        identical_all(&m, &cases);
    }
}

/// `f(N, x: [N, 6], start)` yielding slices of `len` with `step` along both axes.
fn slicer(dtype: DType, len0: i64, step0: i64, len1: i64, step1: i64) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(dtype, vec![n.clone(), c(6)]), None);
        let start = b.param(r, Type::scalar(DType::I64), None);
        let a = b.op_typed(
            r,
            OpKind::Slice { axis: 0, step: step0 },
            vec![x, start],
            vec![Type::new(dtype, vec![c(len0), c(6)])],
            vec![],
        )[0];
        let bb = b.op_typed(
            r,
            OpKind::Slice { axis: 1, step: step1 },
            vec![x, start],
            vec![Type::new(dtype, vec![n, c(len1)])],
            vec![],
        )[0];
        vec![a, bb]
    })
}

#[test]
fn slices() {
    for dtype in [DType::F32, DType::I32, DType::Bool] {
        for (len0, step0, len1, step1) in [(2, 1, 3, 1), (2, 3, 2, 2), (0, 5, 0, 1), (1, 9, 1, 4)] {
            let m = slicer(dtype, len0, step0, len1, step1);
            let cases: Vec<Vec<Tensor>> = [(7usize, 0i64), (7, 1), (9, 2)]
                .iter()
                .map(|&(n, start)| vec![scalar_i64(n as i64), random(dtype, &[n, 6], 3, 9.0), scalar_i64(start)])
                .collect();
            identical_all(&m, &cases);
        }
    }
}

#[test]
fn slices_out_of_range_fail_at_the_op() {
    for (n, start) in [(3usize, 2i64), (7, -1), (7, 6)] {
        let m = slicer(DType::F32, 2, 3, 1, 1);
        let (_, got) = both_fail(&m, &[scalar_i64(n as i64), random(DType::F32, &[n, 6], 3, 9.0), scalar_i64(start)]);
        assert_eq!(got.kind, JitErrorKind::IndexOutOfRange);
    }
}

fn indexer(dtype: DType) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(dtype, vec![n.clone(), c(3), c(2)]), None);
        let v = b.param(r, Type::new(dtype, vec![n]), None);
        let i = b.param(r, Type::scalar(DType::I64), None);
        let j = b.param(r, Type::scalar(DType::I64), None);
        vec![
            b.op1(r, OpKind::Index { axis: 0 }, vec![x, i]).unwrap(),
            b.op1(r, OpKind::Index { axis: 1 }, vec![x, j]).unwrap(),
            b.op1(r, OpKind::Index { axis: 2 }, vec![x, j]).unwrap(),
            b.op1(r, OpKind::Index { axis: 0 }, vec![v, i]).unwrap(),
        ]
    })
}

#[test]
fn indexing() {
    for dtype in DTYPES {
        let cases: Vec<Vec<Tensor>> = [(1usize, 0i64, 0i64), (5, 4, 1), (5, 2, 0)]
            .iter()
            .map(|&(n, i, j)| {
                vec![
                    scalar_i64(n as i64),
                    random(dtype, &[n, 3, 2], 1, 9.0),
                    random(dtype, &[n], 2, 9.0),
                    scalar_i64(i),
                    scalar_i64(j),
                ]
            })
            .collect();
        identical_all(&indexer(dtype), &cases);
    }
    for (n, i, j) in [(5usize, 5i64, 0i64), (5, -1, 0), (5, 0, 2), (0, 0, 0)] {
        let args = [
            scalar_i64(n as i64),
            random(DType::F32, &[n, 3, 2], 1, 9.0),
            random(DType::F32, &[n], 2, 9.0),
            scalar_i64(i),
            scalar_i64(j),
        ];
        let (_, got) = both_fail(&indexer(DType::F32), &args);
        assert_eq!(got.kind, JitErrorKind::IndexOutOfRange);
        assert_eq!(got.span, Some(SPAN));
    }
}

fn gatherer(dtype: DType, idx: DType) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let (_, k) = size_param(b, r, "K");
        let x = b.param(r, Type::new(dtype, vec![n.clone(), c(3)]), None);
        let v = b.param(r, Type::new(dtype, vec![n.clone()]), None);
        let ids = b.param(r, Type::new(idx, vec![k.clone(), c(2)]), None);
        let one = b.param(r, Type::scalar(idx), None);
        let small = b.param(r, Type::new(idx, vec![k]), None);
        vec![
            b.op1(r, OpKind::Gather { axis: 0 }, vec![x, ids]).unwrap(),
            b.op1(r, OpKind::Gather { axis: 1 }, vec![x, one]).unwrap(),
            b.op1(r, OpKind::Gather { axis: 0 }, vec![v, one]).unwrap(),
            b.op1(r, OpKind::Gather { axis: 0 }, vec![v, small]).unwrap(),
        ]
    })
}

fn index_tensor(dtype: DType, shape: &[usize], bound: usize, seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let v: Vec<i64> = noise(n, seed).iter().map(|x| ((x + 1.0) / 2.0 * bound as f64) as i64).collect();
    match dtype {
        DType::I32 => Tensor::from_vec(shape.to_vec(), v.iter().map(|&i| i as i32).collect()).unwrap(),
        _ => Tensor::from_vec(shape.to_vec(), v).unwrap(),
    }
}

#[test]
fn gathers() {
    for dtype in [DType::F32, DType::I64, DType::Bool] {
        for idx in [DType::I32, DType::I64] {
            let cases: Vec<Vec<Tensor>> = [(1usize, 0usize), (6, 4), (6, 0), (3, 9)]
                .iter()
                .map(|&(n, k)| {
                    let one = index_tensor(idx, &[1], 3.min(n), 8);
                    vec![
                        scalar_i64(n as i64),
                        scalar_i64(k as i64),
                        random(dtype, &[n, 3], 1, 9.0),
                        random(dtype, &[n], 2, 9.0),
                        index_tensor(idx, &[k, 2], n, 3),
                        Tensor { shape: vec![], data: one.data },
                        index_tensor(idx, &[k], n, 4),
                    ]
                })
                .collect();
            identical_all(&gatherer(dtype, idx), &cases);
        }
    }
    // An index out of range fails even when no element would be read with it.
    let mut bad = index_tensor(DType::I64, &[2, 2], 3, 3);
    if let tf_interp::Data::I64(v) = &mut bad.data {
        v[3] = 3;
    }
    let args = [
        scalar_i64(3),
        scalar_i64(2),
        random(DType::F32, &[3, 3], 1, 9.0),
        random(DType::F32, &[3], 2, 9.0),
        bad,
        Tensor::scalar(0i64),
        index_tensor(DType::I64, &[2], 3, 4),
    ];
    let (_, got) = both_fail(&gatherer(DType::F32, DType::I64), &args);
    assert_eq!(got.kind, JitErrorKind::IndexOutOfRange);
}

#[test]
fn scatter_adds_accumulate_in_order() {
    for dtype in [DType::F32, DType::F64, DType::I32, DType::Bool] {
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let (_, k) = size_param(b, r, "K");
            let t = b.param(r, Type::new(dtype, vec![n.clone(), c(3)]), None);
            let ids = b.param(r, Type::new(DType::I64, vec![k.clone()]), None);
            let rows = b.param(r, Type::new(dtype, vec![k.clone(), c(3)]), None);
            let cols = b.param(r, Type::new(dtype, vec![n.clone(), k]), None);
            let v = b.param(r, Type::new(dtype, vec![n]), None);
            let i = b.param(r, Type::scalar(DType::I64), None);
            let s = b.param(r, Type::scalar(dtype), None);
            vec![
                b.op1(r, OpKind::ScatterAdd { axis: 0 }, vec![t, ids, rows]).unwrap(),
                b.op1(r, OpKind::ScatterAdd { axis: 1 }, vec![t, ids, cols]).unwrap(),
                b.op1(r, OpKind::ScatterAdd { axis: 0 }, vec![v, i, s]).unwrap(),
            ]
        });
        let cases: Vec<Vec<Tensor>> = [(3usize, 7usize), (1, 0), (3, 2)]
            .iter()
            .map(|&(n, k)| {
                vec![
                    scalar_i64(n as i64),
                    scalar_i64(k as i64),
                    random(dtype, &[n, 3], 1, 9.0),
                    index_tensor(DType::I64, &[k], n.min(3), 2),
                    random(dtype, &[k, 3], 3, 9.0),
                    random(dtype, &[n, k], 4, 9.0),
                    random(dtype, &[n], 5, 9.0),
                    scalar_i64(0),
                    Tensor { shape: vec![], data: random(dtype, &[1], 6, 9.0).data },
                ]
            })
            .collect();
        identical_all(&m, &cases);
    }
}

#[test]
fn concats() {
    for dtype in [DType::F32, DType::I64, DType::Bool] {
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let x = b.param(r, Type::new(dtype, vec![n.clone(), c(3)]), None);
            let y = b.param(r, Type::new(dtype, vec![c(2), c(3)]), None);
            let z = b.param(r, Type::new(dtype, vec![n.clone(), c(1)]), None);
            vec![
                b.op1(r, OpKind::Concat { axis: 0 }, vec![x, y, x]).unwrap(),
                b.op1(r, OpKind::Concat { axis: 1 }, vec![x, z, x]).unwrap(),
                b.op1(r, OpKind::Concat { axis: 0 }, vec![y]).unwrap(),
            ]
        });
        let cases: Vec<Vec<Tensor>> = [0usize, 1, 4]
            .iter()
            .map(|&n| {
                vec![
                    scalar_i64(n as i64),
                    random(dtype, &[n, 3], 1, 9.0),
                    random(dtype, &[2, 3], 2, 9.0),
                    random(dtype, &[n, 1], 3, 9.0),
                ]
            })
            .collect();
        identical_all(&m, &cases);
    }
}

#[test]
fn iotas() {
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let mut ys = Vec::new();
        for d in [DType::I32, DType::I64] {
            for axis in 0..3 {
                let t = Type::new(d, vec![c(2), n.clone(), c(3)]);
                ys.push(b.op_typed(r, OpKind::Iota { axis }, vec![], vec![t], vec![])[0]);
            }
        }
        ys
    });
    identical_all(&m, &[vec![scalar_i64(0)], vec![scalar_i64(1)], vec![scalar_i64(5)]]);
}
