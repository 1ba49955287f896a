//! The scalar arithmetic of every dtype (`Arith`), shared by all kernels, and the elementwise
//! ops built on it: `Const`, `Unary`, `Binary`, `Compare`, `Select`, `Cast`.
//!
//! Each dtype computes in its own arithmetic: f32 in f32, so results match compiled f32 code;
//! integers wrap on overflow (two's complement, like LLVM's `add`/`mul` without flags); bool is
//! the semiring (or, and). Integer division and remainder truncate toward zero, like Rust and C.

use tf_ir::{BinaryOp, CmpOp, DType, Literal, ReduceOp, UnaryOp};

use crate::error::{RunError, RunErrorKind};
use crate::value::{dispatch, dispatch2, Data, Elem, Scalar, Tensor};

/// Why a scalar operation has no result.
pub(super) enum Undefined {
    DivisionByZero,
    /// The op does not apply to the dtype (the verifier rules these out for elementwise ops).
    NotForDtype,
}

pub(super) trait Arith: Elem {
    fn zero() -> Self;
    /// Addition as sums compute it (matmul, convolution, scatter_add, sum).
    fn add(self, other: Self) -> Self;
    fn mul(self, other: Self) -> Self;
    fn unary(op: UnaryOp, x: Self) -> Option<Self>;
    fn binary(op: BinaryOp, a: Self, b: Self) -> Result<Self, Undefined>;
    /// The starting value of a reduction (so reducing an empty axis gives it).
    fn identity(op: ReduceOp) -> Option<Self>;
}

/// NaN-propagating maximum (like NumPy's `maximum`): a NaN operand is the result.
fn nan_max<T: Elem>(a: T, b: T) -> T {
    if a.is_nan() || (!b.is_nan() && a >= b) {
        a
    } else {
        b
    }
}

fn nan_min<T: Elem>(a: T, b: T) -> T {
    if a.is_nan() || (!b.is_nan() && a <= b) {
        a
    } else {
        b
    }
}

macro_rules! float_arith {
    ($t:ty) => {
        impl Arith for $t {
            fn zero() -> Self {
                0.0
            }
            fn add(self, other: Self) -> Self {
                self + other
            }
            fn mul(self, other: Self) -> Self {
                self * other
            }
            fn unary(op: UnaryOp, x: Self) -> Option<Self> {
                Some(match op {
                    UnaryOp::Neg => -x,
                    UnaryOp::Not => return None,
                    UnaryOp::Abs => x.abs(),
                    // Zero (of either sign) and NaN are their own sign.
                    UnaryOp::Sign if x > 0.0 => 1.0,
                    UnaryOp::Sign if x < 0.0 => -1.0,
                    UnaryOp::Sign => x,
                    UnaryOp::Exp => x.exp(),
                    UnaryOp::Log => x.ln(),
                    UnaryOp::Log1p => x.ln_1p(),
                    UnaryOp::Expm1 => x.exp_m1(),
                    UnaryOp::Sqrt => x.sqrt(),
                    UnaryOp::Rsqrt => 1.0 / x.sqrt(),
                    UnaryOp::Tanh => x.tanh(),
                    // The two forms never overflow: exp is only taken of a non-positive number.
                    UnaryOp::Sigmoid if x >= 0.0 => 1.0 / (1.0 + (-x).exp()),
                    UnaryOp::Sigmoid => x.exp() / (1.0 + x.exp()),
                    UnaryOp::Sin => x.sin(),
                    UnaryOp::Cos => x.cos(),
                    // No libm erf in std: computed in f64, then rounded (correct to the last bit
                    // of an f32 almost always).
                    UnaryOp::Erf => tf_ir::math::erf(x.into()) as $t,
                    UnaryOp::Floor => x.floor(),
                    UnaryOp::Ceil => x.ceil(),
                    // Halves go to the even neighbour, as in NumPy and PyTorch.
                    UnaryOp::Round => x.round_ties_even(),
                })
            }
            fn binary(op: BinaryOp, a: Self, b: Self) -> Result<Self, Undefined> {
                Ok(match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    // C's fmod: the result has the sign of `a`, like the integer remainder.
                    BinaryOp::Rem => a % b,
                    BinaryOp::Pow => a.powf(b),
                    BinaryOp::Max => nan_max(a, b),
                    BinaryOp::Min => nan_min(a, b),
                    BinaryOp::And | BinaryOp::Or => return Err(Undefined::NotForDtype),
                })
            }
            fn identity(op: ReduceOp) -> Option<Self> {
                Some(match op {
                    ReduceOp::Sum => 0.0,
                    ReduceOp::Prod => 1.0,
                    ReduceOp::Max => <$t>::NEG_INFINITY,
                    ReduceOp::Min => <$t>::INFINITY,
                    ReduceOp::All | ReduceOp::Any => return None,
                })
            }
        }
    };
}

macro_rules! int_arith {
    ($t:ty) => {
        impl Arith for $t {
            fn zero() -> Self {
                0
            }
            fn add(self, other: Self) -> Self {
                self.wrapping_add(other)
            }
            fn mul(self, other: Self) -> Self {
                self.wrapping_mul(other)
            }
            fn unary(op: UnaryOp, x: Self) -> Option<Self> {
                match op {
                    UnaryOp::Neg => Some(x.wrapping_neg()),
                    UnaryOp::Abs => Some(x.wrapping_abs()),
                    UnaryOp::Sign => Some(x.signum()),
                    _ => None,
                }
            }
            fn binary(op: BinaryOp, a: Self, b: Self) -> Result<Self, Undefined> {
                Ok(match op {
                    BinaryOp::Add => a.wrapping_add(b),
                    BinaryOp::Sub => a.wrapping_sub(b),
                    BinaryOp::Mul => a.wrapping_mul(b),
                    BinaryOp::Div | BinaryOp::Rem if b == 0 => return Err(Undefined::DivisionByZero),
                    // Wrapping only matters for MIN / -1 (MIN, and remainder 0).
                    BinaryOp::Div => a.wrapping_div(b),
                    BinaryOp::Rem => a.wrapping_rem(b),
                    BinaryOp::Pow => {
                        // A negative power is the truncation of the real result: 0 unless
                        // |a| is 1, and a division by zero when a is 0.
                        if b < 0 {
                            return match a {
                                0 => Err(Undefined::DivisionByZero),
                                1 => Ok(1),
                                -1 => Ok(if b % 2 == 0 { 1 } else { -1 }),
                                _ => Ok(0),
                            };
                        }
                        let (mut base, mut exp, mut acc): ($t, $t, $t) = (a, b, 1);
                        while exp > 0 {
                            if exp & 1 == 1 {
                                acc = acc.wrapping_mul(base);
                            }
                            base = base.wrapping_mul(base);
                            exp >>= 1;
                        }
                        acc
                    }
                    BinaryOp::Max => a.max(b),
                    BinaryOp::Min => a.min(b),
                    BinaryOp::And | BinaryOp::Or => return Err(Undefined::NotForDtype),
                })
            }
            fn identity(op: ReduceOp) -> Option<Self> {
                Some(match op {
                    ReduceOp::Sum => 0,
                    ReduceOp::Prod => 1,
                    ReduceOp::Max => <$t>::MIN,
                    ReduceOp::Min => <$t>::MAX,
                    ReduceOp::All | ReduceOp::Any => return None,
                })
            }
        }
    };
}

float_arith!(f32);
float_arith!(f64);
int_arith!(i32);
int_arith!(i64);

/// Bool is ordered `false < true`, so max is `or` and min is `and`.
impl Arith for bool {
    fn zero() -> Self {
        false
    }
    fn add(self, other: Self) -> Self {
        self || other
    }
    fn mul(self, other: Self) -> Self {
        self && other
    }
    fn unary(op: UnaryOp, x: Self) -> Option<Self> {
        (op == UnaryOp::Not).then_some(!x)
    }
    fn binary(op: BinaryOp, a: Self, b: Self) -> Result<Self, Undefined> {
        match op {
            BinaryOp::And | BinaryOp::Min => Ok(a && b),
            BinaryOp::Or | BinaryOp::Max => Ok(a || b),
            _ => Err(Undefined::NotForDtype),
        }
    }
    fn identity(op: ReduceOp) -> Option<Self> {
        match op {
            ReduceOp::All | ReduceOp::Min => Some(true),
            ReduceOp::Any | ReduceOp::Max => Some(false),
            ReduceOp::Sum | ReduceOp::Prod => None,
        }
    }
}

/// The run-time error for a scalar op without a result.
pub(super) fn undefined(what: impl std::fmt::Debug, dtype: DType, why: Undefined) -> RunError {
    match why {
        Undefined::DivisionByZero => RunError::of(RunErrorKind::DivisionByZero, "integer division by zero"),
        Undefined::NotForDtype => RunError::internal(format!("{what:?} is not defined on {}", dtype.name())),
    }
}

pub(super) fn constant(lit: Literal, dtype: DType) -> Tensor {
    let natural = match lit {
        Literal::Float(x) => Tensor::scalar(x),
        Literal::Int(i) => Tensor::scalar(i),
        Literal::Bool(b) => Tensor::scalar(b),
    };
    cast(&natural, dtype)
}

pub(super) fn unary(op: UnaryOp, x: &Tensor) -> Result<Tensor, RunError> {
    fn go<T: Arith>(op: UnaryOp, v: &[T]) -> Result<Data, RunError> {
        let out: Option<Vec<T>> = v.iter().map(|&x| T::unary(op, x)).collect();
        out.map(T::wrap).ok_or_else(|| undefined(op, T::DTYPE, Undefined::NotForDtype))
    }
    Ok(Tensor { shape: x.shape.clone(), data: dispatch!(&x.data, v => go(op, v))? })
}

pub(super) fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Result<Tensor, RunError> {
    fn go<T: Arith>(op: BinaryOp, x: &[T], y: &[T]) -> Result<Data, RunError> {
        let out: Result<Vec<T>, Undefined> = x.iter().zip(y).map(|(&p, &q)| T::binary(op, p, q)).collect();
        out.map(T::wrap).map_err(|why| undefined(op, T::DTYPE, why))
    }
    same_shape(a, b)?;
    let data = dispatch2!(&a.data, &b.data, (x, y) => go(op, x, y), _ => Err(dtype_mismatch(a, b)))?;
    Ok(Tensor { shape: a.shape.clone(), data })
}

/// IEEE comparisons for floats (anything compared with NaN is false, except `!=`).
pub(super) fn compare(op: CmpOp, a: &Tensor, b: &Tensor) -> Result<Tensor, RunError> {
    fn go<T: Elem>(op: CmpOp, x: &[T], y: &[T]) -> Data {
        let test = |p: T, q: T| match op {
            CmpOp::Eq => p == q,
            CmpOp::Ne => p != q,
            CmpOp::Lt => p < q,
            CmpOp::Le => p <= q,
            CmpOp::Gt => p > q,
            CmpOp::Ge => p >= q,
        };
        Data::Bool(x.iter().zip(y).map(|(&p, &q)| test(p, q)).collect())
    }
    same_shape(a, b)?;
    let data = dispatch2!(&a.data, &b.data, (x, y) => go(op, x, y), _ => return Err(dtype_mismatch(a, b)));
    Ok(Tensor { shape: a.shape.clone(), data })
}

pub(super) fn select(cond: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor, RunError> {
    fn go<T: Elem>(c: &[bool], x: &[T], y: &[T]) -> Data {
        T::wrap(c.iter().zip(x.iter().zip(y)).map(|(&c, (&p, &q))| if c { p } else { q }).collect())
    }
    same_shape(a, b)?;
    same_shape(cond, a)?;
    let Data::Bool(c) = &cond.data else { return Err(RunError::internal("select needs a bool condition")) };
    let data = dispatch2!(&a.data, &b.data, (x, y) => go(c, x, y), _ => return Err(dtype_mismatch(a, b)));
    Ok(Tensor { shape: a.shape.clone(), data })
}

/// Converts every element to `to` ([`Elem::from_scalar`] says how).
pub(super) fn cast(x: &Tensor, to: DType) -> Tensor {
    fn convert<S: Elem, D: Elem>(v: &[S]) -> Data {
        D::wrap(v.iter().map(|&s| D::from_scalar(s.to_scalar())).collect())
    }
    fn go<S: Elem>(v: &[S], to: DType) -> Data {
        match to {
            DType::F32 => convert::<S, f32>(v),
            DType::F64 => convert::<S, f64>(v),
            DType::I32 => convert::<S, i32>(v),
            DType::I64 => convert::<S, i64>(v),
            DType::Bool => convert::<S, bool>(v),
        }
    }
    Tensor { shape: x.shape.clone(), data: dispatch!(&x.data, v => go(v, to)) }
}

/// A scalar converted to any element type, with `Cast`'s rules.
pub(super) fn from_int<T: Elem>(i: i64) -> T {
    T::from_scalar(Scalar::Int(i))
}

pub(super) fn same_shape(a: &Tensor, b: &Tensor) -> Result<(), RunError> {
    if a.shape == b.shape && a.numel() == b.numel() {
        Ok(())
    } else {
        Err(RunError::internal(format!("operand shapes differ: {:?} and {:?}", a.shape, b.shape)))
    }
}

pub(super) fn dtype_mismatch(a: &Tensor, b: &Tensor) -> RunError {
    RunError::internal(format!("operand dtypes differ: {} and {}", a.dtype().name(), b.dtype().name()))
}
