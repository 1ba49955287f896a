//! `Const`, `Unary`, `Binary`, `Compare`, `Select`, `Cast` against the interpreter: every op of
//! every dtype, on lengths around the vector widths (a runtime size parameter, so one compiled
//! module serves them all), on scalars, and on special values (NaN, infinities, signed zeros,
//! halves, extreme integers). Transcendentals call the same libm as the interpreter, so float
//! results are compared bit for bit.

mod common;
use common::*;
use tf_codegen::JitErrorKind;
use tf_interp::Tensor;
use tf_ir::*;

const FLOAT_SPECIALS: &[f64] =
    &[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, -0.5, 1e30, -1e-30, 3.0, -7.25];
const INT_SPECIALS: &[f64] = &[0.0, -1.0, 1.0, 2147483647.0, -2147483648.0, 5.0, -5.0, 3.0];

const UNARY_FLOAT: &[UnaryOp] = &[
    UnaryOp::Neg,
    UnaryOp::Abs,
    UnaryOp::Sign,
    UnaryOp::Exp,
    UnaryOp::Log,
    UnaryOp::Log1p,
    UnaryOp::Expm1,
    UnaryOp::Sqrt,
    UnaryOp::Rsqrt,
    UnaryOp::Tanh,
    UnaryOp::Sigmoid,
    UnaryOp::Sin,
    UnaryOp::Cos,
    UnaryOp::Erf,
    UnaryOp::Floor,
    UnaryOp::Ceil,
    UnaryOp::Round,
];

/// `f(N, x: d[N], ...)` yielding `ops(x, ...)`, one result per op.
fn vector_fn(dtype: DType, arity: usize, ops: &[OpKind]) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(dtype, vec![n]);
        let xs: Vec<ValueId> = (0..arity).map(|_| b.param(r, t.clone(), None)).collect();
        ops.iter().map(|k| b.op1(r, k.clone(), xs.clone()).unwrap()).collect()
    })
}

/// The same ops on rank-0 operands.
fn scalar_fn(dtype: DType, arity: usize, ops: &[OpKind]) -> Module {
    func(|b, r| {
        let xs: Vec<ValueId> = (0..arity).map(|_| b.param(r, Type::scalar(dtype), None)).collect();
        ops.iter().map(|k| b.op1(r, k.clone(), xs.clone()).unwrap()).collect()
    })
}

fn cases(dtype: DType, arity: usize, specials: &[f64], scale: f64) -> Vec<Vec<Tensor>> {
    LENGTHS
        .iter()
        .map(|&n| {
            let mut args = vec![scalar_i64(n as i64)];
            for k in 0..arity {
                // Rotate the specials so that each pair of them meets in some position.
                let rotated: Vec<f64> = specials.iter().cycle().skip(k * 3).take(specials.len()).copied().collect();
                args.push(with_specials(dtype, n, &rotated, n as u64 * 10 + k as u64, scale));
            }
            args
        })
        .collect()
}

/// Each element of `cases`' rank-1 arguments, one at a time, as scalars.
fn scalar_cases(dtype: DType, arity: usize, specials: &[f64], scale: f64) -> Vec<Vec<Tensor>> {
    let vectors = cases(dtype, arity, specials, scale).pop().unwrap();
    (0..20)
        .map(|i| {
            vectors[1..]
                .iter()
                .map(|v| {
                    let one = tf_interp::Tensor { shape: vec![1], data: v.data.clone() };
                    let data = match &one.data {
                        tf_interp::Data::F32(x) => tf_interp::Data::F32(vec![x[i]]),
                        tf_interp::Data::F64(x) => tf_interp::Data::F64(vec![x[i]]),
                        tf_interp::Data::I32(x) => tf_interp::Data::I32(vec![x[i]]),
                        tf_interp::Data::I64(x) => tf_interp::Data::I64(vec![x[i]]),
                        tf_interp::Data::Bool(x) => tf_interp::Data::Bool(vec![x[i]]),
                    };
                    Tensor { shape: vec![], data }
                })
                .collect()
        })
        .collect()
}

#[test]
fn unary_floats_bit_for_bit() {
    let ops: Vec<OpKind> = UNARY_FLOAT.iter().map(|&u| OpKind::Unary(u)).collect();
    for dtype in [DType::F32, DType::F64] {
        identical_all(&vector_fn(dtype, 1, &ops), &cases(dtype, 1, FLOAT_SPECIALS, 4.0));
        identical_all(&scalar_fn(dtype, 1, &ops), &scalar_cases(dtype, 1, FLOAT_SPECIALS, 4.0));
    }
}

#[test]
fn unary_integers_and_bools() {
    let ops: Vec<OpKind> = [UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sign].iter().map(|&u| OpKind::Unary(u)).collect();
    for dtype in [DType::I32, DType::I64] {
        identical_all(&vector_fn(dtype, 1, &ops), &cases(dtype, 1, INT_SPECIALS, 100.0));
        identical_all(&scalar_fn(dtype, 1, &ops), &scalar_cases(dtype, 1, INT_SPECIALS, 100.0));
    }
    let not = [OpKind::Unary(UnaryOp::Not)];
    identical_all(&vector_fn(DType::Bool, 1, &not), &cases(DType::Bool, 1, &[], 1.0));
    identical_all(&scalar_fn(DType::Bool, 1, &not), &scalar_cases(DType::Bool, 1, &[], 1.0));
}

#[test]
fn binary_floats_bit_for_bit() {
    use BinaryOp::*;
    let ops: Vec<OpKind> = [Add, Sub, Mul, Div, Rem, Pow, Max, Min].iter().map(|&o| OpKind::Binary(o)).collect();
    for dtype in [DType::F32, DType::F64] {
        identical_all(&vector_fn(dtype, 2, &ops), &cases(dtype, 2, FLOAT_SPECIALS, 3.0));
        identical_all(&scalar_fn(dtype, 2, &ops), &scalar_cases(dtype, 2, FLOAT_SPECIALS, 3.0));
    }
}

#[test]
fn binary_integers_wrap_and_truncate() {
    use BinaryOp::*;
    let ops: Vec<OpKind> = [Add, Sub, Mul, Max, Min].iter().map(|&o| OpKind::Binary(o)).collect();
    // Division needs divisors without zeros: the second operand's zeros become 7.
    let nonzero = |mut args: Vec<Tensor>| {
        if let tf_interp::Data::I32(v) = &mut args[2].data {
            v.iter_mut().filter(|x| **x == 0).for_each(|x| *x = 7);
        }
        if let tf_interp::Data::I64(v) = &mut args[2].data {
            v.iter_mut().filter(|x| **x == 0).for_each(|x| *x = 7);
        }
        args
    };
    let div: Vec<OpKind> = [Div, Rem].iter().map(|&o| OpKind::Binary(o)).collect();
    for dtype in [DType::I32, DType::I64] {
        identical_all(&vector_fn(dtype, 2, &ops), &cases(dtype, 2, INT_SPECIALS, 1000.0));
        let div_cases: Vec<_> = cases(dtype, 2, INT_SPECIALS, 1000.0).into_iter().map(nonzero).collect();
        identical_all(&vector_fn(dtype, 2, &div), &div_cases);
        identical_all(&scalar_fn(dtype, 2, &ops), &scalar_cases(dtype, 2, INT_SPECIALS, 1000.0));
    }
    // MIN / -1 wraps to MIN with remainder 0.
    for dtype in [DType::I32, DType::I64] {
        let min = if dtype == DType::I32 { i32::MIN as f64 } else { i64::MIN as f64 };
        let args = vec![
            scalar_i64(3),
            with_specials(dtype, 3, &[min, min, 7.0], 0, 1.0),
            with_specials(dtype, 3, &[-1.0, 1.0, -2.0], 0, 1.0),
        ];
        identical_all(&vector_fn(dtype, 2, &div), &[args]);
    }
}

#[test]
fn integer_powers() {
    let pow = [OpKind::Binary(BinaryOp::Pow)];
    for dtype in [DType::I32, DType::I64] {
        let bases = with_specials(dtype, 12, &[2.0, -3.0, 1.0, -1.0, -1.0, 5.0, 7.0, 2.0, 0.0, 3.0, -2.0, 1.0], 0, 1.0);
        let exps =
            with_specials(dtype, 12, &[10.0, 3.0, -4.0, -3.0, -4.0, -2.0, 0.0, 62.0, 3.0, 40.0, 63.0, 1.0], 0, 1.0);
        identical_all(&vector_fn(dtype, 2, &pow), &[vec![scalar_i64(12), bases, exps]]);
    }
}

#[test]
fn logical_ops() {
    let ops: Vec<OpKind> = [BinaryOp::And, BinaryOp::Or].iter().map(|&o| OpKind::Binary(o)).collect();
    identical_all(&vector_fn(DType::Bool, 2, &ops), &cases(DType::Bool, 2, &[], 1.0));
    identical_all(&scalar_fn(DType::Bool, 2, &ops), &scalar_cases(DType::Bool, 2, &[], 1.0));
}

#[test]
fn comparisons_of_every_dtype() {
    use CmpOp::*;
    let ops: Vec<OpKind> = [Eq, Ne, Lt, Le, Gt, Ge].iter().map(|&c| OpKind::Compare(c)).collect();
    for (dtype, specials, scale) in [
        (DType::F32, FLOAT_SPECIALS, 2.0),
        (DType::F64, FLOAT_SPECIALS, 2.0),
        (DType::I32, INT_SPECIALS, 3.0),
        (DType::I64, INT_SPECIALS, 3.0),
        (DType::Bool, &[][..], 1.0),
    ] {
        identical_all(&vector_fn(dtype, 2, &ops), &cases(dtype, 2, specials, scale));
        identical_all(&scalar_fn(dtype, 2, &ops), &scalar_cases(dtype, 2, specials, scale));
    }
}

#[test]
fn select_of_every_dtype() {
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
        let m = func(|b, r| {
            let (_, n) = size_param(b, r, "N");
            let c = b.param(r, Type::new(DType::Bool, vec![n.clone()]), None);
            let x = b.param(r, Type::new(dtype, vec![n.clone()]), None);
            let y = b.param(r, Type::new(dtype, vec![n]), None);
            vec![b.op1(r, OpKind::Select, vec![c, x, y]).unwrap()]
        });
        let all: Vec<Vec<Tensor>> = LENGTHS
            .iter()
            .map(|&n| {
                vec![
                    scalar_i64(n as i64),
                    random(DType::Bool, &[n], 5, 1.0),
                    random(dtype, &[n], 6, 10.0),
                    random(dtype, &[n], 7, 10.0),
                ]
            })
            .collect();
        identical_all(&m, &all);
    }
}

#[test]
fn casts_between_every_pair_of_dtypes() {
    let dtypes = [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool];
    let specials: &[f64] = &[
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.5,
        -1.7,
        2.9,
        3e9,
        -3e9,
        1e20,
        -1e20,
        16777217.0,
        9007199254740993.0,
        1.0,
        0.0,
    ];
    for from in dtypes {
        for to in dtypes {
            let m = func(|b, r| {
                let (_, n) = size_param(b, r, "N");
                let x = b.param(r, Type::new(from, vec![n.clone()]), None);
                let s = b.param(r, Type::scalar(from), None);
                let v = b.op_typed(r, OpKind::Cast, vec![x], vec![Type::new(to, vec![n])], vec![])[0];
                let w = b.op_typed(r, OpKind::Cast, vec![s], vec![Type::scalar(to)], vec![])[0];
                vec![v, w]
            });
            let all: Vec<Vec<Tensor>> = LENGTHS
                .iter()
                .map(|&n| {
                    let x = with_specials(from, n, specials, n as u64, 1e4);
                    let s = with_specials(from, 1, &specials[n % specials.len()..], 0, 1.0);
                    let s = Tensor { shape: vec![], data: s.data };
                    vec![scalar_i64(n as i64), x, s]
                })
                .collect();
            identical_all(&m, &all);
        }
    }
}

#[test]
fn constants_convert_like_casts() {
    let lits = [
        Literal::Float(2.7),
        Literal::Float(-2.7),
        Literal::Float(f64::NAN),
        Literal::Float(1e300),
        Literal::Float(0.1),
        Literal::Int(-3),
        Literal::Int(i64::MAX),
        Literal::Int(0),
        Literal::Bool(true),
        Literal::Bool(false),
    ];
    let m = func(|b, r| {
        let mut ys = Vec::new();
        for lit in lits {
            for d in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
                ys.push(b.constant(r, lit, d));
            }
        }
        ys
    });
    identical_all(&m, &[vec![]]);
}

#[test]
fn integer_division_by_zero_fails_at_the_op() {
    for op in [BinaryOp::Div, BinaryOp::Rem, BinaryOp::Pow] {
        for dtype in [DType::I32, DType::I64] {
            let m = vector_fn(dtype, 2, &[OpKind::Binary(op)]);
            let x = with_specials(dtype, 9, &[4.0, 0.0, 3.0, 0.0], 0, 1.0);
            let y = with_specials(dtype, 9, &[2.0, -1.0, 1.0, -1.0, 0.0, 1.0, 1.0, 1.0, 1.0], 0, 1.0);
            let (_, got) = both_fail(&m, &[scalar_i64(9), x, y]);
            assert_eq!(got.kind, JitErrorKind::DivisionByZero);
            assert_eq!(got.span, Some(SPAN));
        }
    }
}

#[test]
fn large_loops_run_on_the_pool_and_agree() {
    use BinaryOp::*;
    let ops = [OpKind::Binary(Add), OpKind::Binary(Pow), OpKind::Unary(UnaryOp::Exp), OpKind::Compare(CmpOp::Lt)];
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(DType::F32, vec![n]);
        let x = b.param(r, t.clone(), None);
        let y = b.param(r, t, None);
        ops.iter()
            .map(|k| {
                let args = if matches!(k, OpKind::Unary(_)) { vec![x] } else { vec![x, y] };
                b.op1(r, k.clone(), args).unwrap()
            })
            .collect()
    });
    assert!(tf_codegen::emit_llvm_ir(&m).unwrap().contains("@tf_rt_parallel_for"));
    let cases: Vec<Vec<Tensor>> = [5_000usize, 70_001, 300_000]
        .iter()
        .map(|&n| vec![scalar_i64(n as i64), random(DType::F32, &[n], 1, 3.0), random(DType::F32, &[n], 2, 3.0)])
        .collect();
    identical_all(&m, &cases);
}
