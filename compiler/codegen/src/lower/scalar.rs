//! Scalar arithmetic on register values, with the interpreter's semantics: floats in their own
//! precision (NaN-propagating max/min, C's fmod, libm for transcendentals), integers wrapping
//! with truncating division (a run-time error on a zero divisor, `MIN / -1` wraps), bools as
//! `i1`. Conversions follow `tf_interp::Elem::from_scalar`: float → int truncates and
//! saturates (NaN → 0), int → float rounds to nearest, number → bool is `x != 0`.

use inkwell::intrinsics::Intrinsic;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};
use tf_ir::{BinaryOp, CmpOp, DType, UnaryOp};

use super::{FnGen, R};
use crate::decls::LIBM;
use crate::error::CodegenError;
use crate::sites::Reason;

impl<'ctx> FnGen<'_, 'ctx> {
    /// The type of a value in a register (`i1` for bool).
    pub(crate) fn reg_ty(&self, d: DType) -> BasicTypeEnum<'ctx> {
        match d {
            DType::Bool => self.cx.bool_type().into(),
            _ => self.mem_ty(d),
        }
    }

    pub(crate) fn intrinsic(
        &mut self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> R<BasicValueEnum<'ctx>> {
        let f = Intrinsic::find(name)
            .and_then(|i| i.get_declaration(self.m, types))
            .ok_or_else(|| CodegenError::Llvm(format!("no intrinsic {name}")))?;
        self.b
            .build_call(f, args, "")?
            .try_as_basic_value()
            .basic()
            .ok_or_else(|| CodegenError::Llvm(format!("{name} returns nothing")))
    }

    /// Calls the libm function for `op` (see `decls::LIBM`) in the precision of `d`.
    fn libm(&mut self, op: &str, d: DType, args: &[FloatValue<'ctx>]) -> R<FloatValue<'ctx>> {
        let &(_, f64_name, f32_name) =
            LIBM.iter().find(|(o, _, _)| *o == op).ok_or_else(|| CodegenError::Llvm(format!("no libm {op}")))?;
        let name = if d == DType::F64 { f64_name } else { f32_name };
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|&a| a.into()).collect();
        let r = self.call(name, &args)?.ok_or_else(|| CodegenError::Llvm(format!("{name} returns nothing")))?;
        Ok(r.into_float_value())
    }

    fn fconst(&self, d: DType, x: f64) -> FloatValue<'ctx> {
        self.reg_ty(d).into_float_type().const_float(x)
    }

    pub(crate) fn unary_scalar(&mut self, op: UnaryOp, d: DType, x: BasicValueEnum<'ctx>) -> R<BasicValueEnum<'ctx>> {
        let b = self.b;
        if d == DType::Bool {
            return match op {
                UnaryOp::Not => Ok(b.build_not(x.into_int_value(), "")?.into()),
                _ => Err(CodegenError::Invalid(format!("{op:?} of bool"))),
            };
        }
        if d.is_int() {
            let x = x.into_int_value();
            let zero = x.get_type().const_zero();
            let neg = b.build_int_sub(zero, x, "")?;
            let negative = b.build_int_compare(IntPredicate::SLT, x, zero, "")?;
            return Ok(match op {
                UnaryOp::Neg => neg.into(),
                UnaryOp::Abs => b.build_select(negative, neg, x, "")?,
                UnaryOp::Sign => {
                    let positive = b.build_int_compare(IntPredicate::SGT, x, zero, "")?;
                    let pos = b.build_int_z_extend(positive, x.get_type(), "")?;
                    let minus = x.get_type().const_all_ones();
                    b.build_select(negative, minus, pos, "")?
                }
                _ => return Err(CodegenError::Invalid(format!("{op:?} of {}", d.name()))),
            });
        }
        let ty = self.reg_ty(d);
        let xf = x.into_float_value();
        let one = self.fconst(d, 1.0);
        let intr = |g: &mut Self, name: &str| g.intrinsic(name, &[ty], &[xf.into()]);
        Ok(match op {
            UnaryOp::Neg => b.build_float_neg(xf, "")?.into(),
            UnaryOp::Not => return Err(CodegenError::Invalid("not of a float".into())),
            UnaryOp::Abs => intr(self, "llvm.fabs")?,
            UnaryOp::Sign => {
                // Zero (of either sign) and NaN are their own sign.
                let zero = self.fconst(d, 0.0);
                let gt = b.build_float_compare(FloatPredicate::OGT, xf, zero, "")?;
                let lt = b.build_float_compare(FloatPredicate::OLT, xf, zero, "")?;
                let inner = b.build_select(lt, self.fconst(d, -1.0), xf, "")?;
                b.build_select(gt, one.into(), inner, "")?
            }
            UnaryOp::Exp => self.libm("exp", d, &[xf])?.into(),
            UnaryOp::Log => self.libm("log", d, &[xf])?.into(),
            UnaryOp::Log1p => self.libm("log1p", d, &[xf])?.into(),
            UnaryOp::Expm1 => self.libm("expm1", d, &[xf])?.into(),
            UnaryOp::Tanh => self.libm("tanh", d, &[xf])?.into(),
            UnaryOp::Sin => self.libm("sin", d, &[xf])?.into(),
            UnaryOp::Cos => self.libm("cos", d, &[xf])?.into(),
            UnaryOp::Sqrt => intr(self, "llvm.sqrt")?,
            UnaryOp::Rsqrt => {
                let s = intr(self, "llvm.sqrt")?.into_float_value();
                b.build_float_div(one, s, "")?.into()
            }
            UnaryOp::Sigmoid => {
                // 1 / (1 + exp(-x)) for x >= 0, exp(x) / (1 + exp(x)) otherwise (and for NaN):
                // exp is only taken of a non-positive number where the result is used.
                let minus = b.build_float_neg(xf, "")?;
                let e_neg = self.libm("exp", d, &[minus])?;
                let e_pos = self.libm("exp", d, &[xf])?;
                let b = self.b;
                let pos = b.build_float_div(one, b.build_float_add(one, e_neg, "")?, "")?;
                let negv = b.build_float_div(e_pos, b.build_float_add(one, e_pos, "")?, "")?;
                let ge = b.build_float_compare(FloatPredicate::OGE, xf, self.fconst(d, 0.0), "")?;
                b.build_select(ge, pos, negv, "")?
            }
            UnaryOp::Erf => {
                // Computed in f64 and rounded, as the interpreter does.
                let wide = if d == DType::F64 { xf } else { b.build_float_ext(xf, self.cx.f64_type(), "")? };
                let r = self.call("tfcg_erf", &[wide.into()])?.ok_or_else(|| CodegenError::Llvm("erf".into()))?;
                let r = r.into_float_value();
                if d == DType::F64 {
                    r.into()
                } else {
                    self.b.build_float_trunc(r, self.cx.f32_type(), "")?.into()
                }
            }
            UnaryOp::Floor => intr(self, "llvm.floor")?,
            UnaryOp::Ceil => intr(self, "llvm.ceil")?,
            // Halves go to the even neighbour.
            UnaryOp::Round => intr(self, "llvm.roundeven")?,
        })
    }

    /// `max`/`min` that return a NaN operand (the first if both are): NumPy's `maximum`.
    pub(crate) fn nan_extreme(
        &mut self,
        max: bool,
        a: FloatValue<'ctx>,
        b_: FloatValue<'ctx>,
    ) -> R<BasicValueEnum<'ctx>> {
        let b = self.b;
        let a_nan = b.build_float_compare(FloatPredicate::UNO, a, a, "")?;
        let b_ok = b.build_float_compare(FloatPredicate::ORD, b_, b_, "")?;
        let pred = if max { FloatPredicate::OGE } else { FloatPredicate::OLE };
        let better = b.build_float_compare(pred, a, b_, "")?;
        let keep_a = b.build_or(a_nan, b.build_and(b_ok, better, "")?, "")?;
        Ok(b.build_select(keep_a, a, b_, "")?)
    }

    pub(crate) fn binary_scalar(
        &mut self,
        op: BinaryOp,
        d: DType,
        x: BasicValueEnum<'ctx>,
        y: BasicValueEnum<'ctx>,
    ) -> R<BasicValueEnum<'ctx>> {
        let b = self.b;
        if d == DType::Bool {
            let (p, q) = (x.into_int_value(), y.into_int_value());
            return Ok(match op {
                BinaryOp::And | BinaryOp::Min => b.build_and(p, q, "")?.into(),
                BinaryOp::Or | BinaryOp::Max => b.build_or(p, q, "")?.into(),
                _ => return Err(CodegenError::Invalid(format!("{op:?} of bool"))),
            });
        }
        if d.is_int() {
            return self.int_binary(op, d, x.into_int_value(), y.into_int_value());
        }
        let (p, q) = (x.into_float_value(), y.into_float_value());
        Ok(match op {
            BinaryOp::Add => b.build_float_add(p, q, "")?.into(),
            BinaryOp::Sub => b.build_float_sub(p, q, "")?.into(),
            BinaryOp::Mul => b.build_float_mul(p, q, "")?.into(),
            BinaryOp::Div => b.build_float_div(p, q, "")?.into(),
            // LLVM's frem is C's fmod, the interpreter's `%`.
            BinaryOp::Rem => b.build_float_rem(p, q, "")?.into(),
            BinaryOp::Pow => self.libm("pow", d, &[p, q])?.into(),
            BinaryOp::Max => self.nan_extreme(true, p, q)?,
            BinaryOp::Min => self.nan_extreme(false, p, q)?,
            BinaryOp::And | BinaryOp::Or => return Err(CodegenError::Invalid(format!("{op:?} of a float"))),
        })
    }

    fn int_binary(&mut self, op: BinaryOp, d: DType, p: IntValue<'ctx>, q: IntValue<'ctx>) -> R<BasicValueEnum<'ctx>> {
        let b = self.b;
        let t = p.get_type();
        let zero = t.const_zero();
        Ok(match op {
            BinaryOp::Add => b.build_int_add(p, q, "")?.into(),
            BinaryOp::Sub => b.build_int_sub(p, q, "")?.into(),
            BinaryOp::Mul => b.build_int_mul(p, q, "")?.into(),
            BinaryOp::Div | BinaryOp::Rem => {
                let by_zero = b.build_int_compare(IntPredicate::EQ, q, zero, "")?;
                self.fail_if(by_zero, Reason::DivisionByZero, &[])?;
                let b = self.b;
                // `MIN / -1` overflows (and traps on x86): divide by 1 instead and fix up, as
                // Rust's wrapping_div / wrapping_rem do.
                let minus_one = b.build_int_compare(IntPredicate::EQ, q, t.const_all_ones(), "")?;
                let safe = b.build_select(minus_one, t.const_int(1, false), q, "")?.into_int_value();
                if op == BinaryOp::Div {
                    let quotient = b.build_int_signed_div(p, safe, "")?;
                    let negated = b.build_int_sub(zero, p, "")?;
                    b.build_select(minus_one, negated, quotient, "")?
                } else {
                    let rem = b.build_int_signed_rem(p, safe, "")?;
                    b.build_select(minus_one, zero, rem, "")?
                }
            }
            BinaryOp::Pow => {
                // A negative power of zero divides by zero; the helper does the rest.
                let a_zero = b.build_int_compare(IntPredicate::EQ, p, zero, "")?;
                let neg_exp = b.build_int_compare(IntPredicate::SLT, q, zero, "")?;
                let bad = b.build_and(a_zero, neg_exp, "")?;
                self.fail_if(bad, Reason::DivisionByZero, &[])?;
                let name = if d == DType::I64 { "tfcg_ipow_i64" } else { "tfcg_ipow_i32" };
                self.call(name, &[p.into(), q.into()])?.ok_or_else(|| CodegenError::Llvm("ipow".into()))?
            }
            BinaryOp::Max => self.intrinsic("llvm.smax", &[t.into()], &[p.into(), q.into()])?,
            BinaryOp::Min => self.intrinsic("llvm.smin", &[t.into()], &[p.into(), q.into()])?,
            BinaryOp::And | BinaryOp::Or => return Err(CodegenError::Invalid(format!("{op:?} of an integer"))),
        })
    }

    /// IEEE comparisons for floats (NaN compares false except with `!=`); bools as `false < true`.
    pub(crate) fn compare_scalar(
        &mut self,
        op: CmpOp,
        d: DType,
        x: BasicValueEnum<'ctx>,
        y: BasicValueEnum<'ctx>,
    ) -> R<IntValue<'ctx>> {
        let b = self.b;
        if d.is_float() {
            let pred = match op {
                CmpOp::Eq => FloatPredicate::OEQ,
                CmpOp::Ne => FloatPredicate::UNE,
                CmpOp::Lt => FloatPredicate::OLT,
                CmpOp::Le => FloatPredicate::OLE,
                CmpOp::Gt => FloatPredicate::OGT,
                CmpOp::Ge => FloatPredicate::OGE,
            };
            return Ok(b.build_float_compare(pred, x.into_float_value(), y.into_float_value(), "")?);
        }
        let signed = d != DType::Bool;
        let pred = match (op, signed) {
            (CmpOp::Eq, _) => IntPredicate::EQ,
            (CmpOp::Ne, _) => IntPredicate::NE,
            (CmpOp::Lt, true) => IntPredicate::SLT,
            (CmpOp::Le, true) => IntPredicate::SLE,
            (CmpOp::Gt, true) => IntPredicate::SGT,
            (CmpOp::Ge, true) => IntPredicate::SGE,
            (CmpOp::Lt, false) => IntPredicate::ULT,
            (CmpOp::Le, false) => IntPredicate::ULE,
            (CmpOp::Gt, false) => IntPredicate::UGT,
            (CmpOp::Ge, false) => IntPredicate::UGE,
        };
        Ok(b.build_int_compare(pred, x.into_int_value(), y.into_int_value(), "")?)
    }

    pub(crate) fn cast_scalar(&mut self, from: DType, to: DType, x: BasicValueEnum<'ctx>) -> R<BasicValueEnum<'ctx>> {
        if from == to {
            return Ok(x);
        }
        let b = self.b;
        let ty = self.reg_ty(to);
        Ok(match (from, to) {
            (_, DType::Bool) if from.is_float() => {
                let zero = self.fconst(from, 0.0);
                b.build_float_compare(FloatPredicate::UNE, x.into_float_value(), zero, "")?.into()
            }
            (_, DType::Bool) => {
                let x = x.into_int_value();
                b.build_int_compare(IntPredicate::NE, x, x.get_type().const_zero(), "")?.into()
            }
            (DType::Bool, _) if to.is_float() => {
                b.build_unsigned_int_to_float(x.into_int_value(), ty.into_float_type(), "")?.into()
            }
            (DType::Bool, _) => b.build_int_z_extend(x.into_int_value(), ty.into_int_type(), "")?.into(),
            (DType::F32, DType::F64) => b.build_float_ext(x.into_float_value(), self.cx.f64_type(), "")?.into(),
            (DType::F64, DType::F32) => b.build_float_trunc(x.into_float_value(), self.cx.f32_type(), "")?.into(),
            (_, _) if from.is_float() => self.intrinsic("llvm.fptosi.sat", &[ty, self.reg_ty(from)], &[x.into()])?,
            (_, _) if to.is_float() => {
                b.build_signed_int_to_float(x.into_int_value(), ty.into_float_type(), "")?.into()
            }
            (DType::I64, DType::I32) => b.build_int_truncate(x.into_int_value(), self.cx.i32_type(), "")?.into(),
            (DType::I32, DType::I64) => b.build_int_s_extend(x.into_int_value(), self.cx.i64_type(), "")?.into(),
            _ => return Err(CodegenError::Invalid(format!("cast from {} to {}", from.name(), to.name()))),
        })
    }
}
