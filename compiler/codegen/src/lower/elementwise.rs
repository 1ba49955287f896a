//! `Const`, `Unary`, `Binary`, `Compare`, `Select`, `Cast`: one scalar computation applied to
//! registers (rank 0) or in a flat loop over every element (operands have the result's shape),
//! which LLVM vectorises where the arithmetic allows.

use inkwell::values::{BasicValueEnum, PointerValue};
use tf_ir::{BinaryOp, CmpOp, DType, Literal, Op, UnaryOp};

use super::{FnGen, Val, R};

/// A literal converted to a dtype exactly as `tf_interp`'s `Cast` converts it.
enum Folded {
    Float(f64),
    Int(i64),
    Bool(bool),
}

fn fold(lit: Literal, to: DType) -> Folded {
    match (lit, to) {
        (Literal::Float(x), DType::F32) => Folded::Float(f64::from(x as f32)),
        (Literal::Float(x), DType::F64) => Folded::Float(x),
        (Literal::Float(x), DType::I32) => Folded::Int(i64::from(x as i32)),
        (Literal::Float(x), DType::I64) => Folded::Int(x as i64),
        (Literal::Float(x), DType::Bool) => Folded::Bool(x != 0.0),
        (Literal::Int(i), DType::F32) => Folded::Float(f64::from(i as f32)),
        (Literal::Int(i), DType::F64) => Folded::Float(i as f64),
        (Literal::Int(i), DType::I32) => Folded::Int(i64::from(i as i32)),
        (Literal::Int(i), DType::I64) => Folded::Int(i),
        (Literal::Int(i), DType::Bool) => Folded::Bool(i != 0),
        (Literal::Bool(b), DType::Bool) => Folded::Bool(b),
        (Literal::Bool(b), d) if d.is_float() => Folded::Float(f64::from(u8::from(b))),
        (Literal::Bool(b), _) => Folded::Int(i64::from(b)),
    }
}

/// Elements per chunk below which a loop stays on one thread: a pool round trip costs about
/// 10 µs (runtime/README.md), the time of ~30k vectorised additions or ~2k libm calls.
const CHEAP_CHUNK: u64 = 1 << 15;
const EXPENSIVE_CHUNK: u64 = 1 << 11;

/// How an elementwise loop may run: on threads in chunks (sized by the work per element), or
/// only inline when an element can fail (integer division: the failure path returns a status).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cost {
    Cheap,
    Expensive,
    MayFail,
}

impl<'ctx> FnGen<'_, 'ctx> {
    pub(crate) fn const_value(&self, lit: Literal, d: DType) -> BasicValueEnum<'ctx> {
        let ty = self.reg_ty(d);
        match fold(lit, d) {
            Folded::Float(x) => ty.into_float_type().const_float(x).into(),
            Folded::Int(i) => ty.into_int_type().const_int(i as u64, true).into(),
            Folded::Bool(b) => self.cx.bool_type().const_int(u64::from(b), false).into(),
        }
    }

    pub(super) fn constant(&mut self, lit: Literal, op: &Op) -> R<Val<'ctx>> {
        Ok(Val::Scalar(self.const_value(lit, self.f.ty(op.results[0]).dtype)))
    }

    /// `out[i] = f(operands[0][i], ...)`, or `f` of the registers when the result is rank 0.
    /// `cost` says how the loop may be split across threads (see [`Cost`]).
    fn map(
        &mut self,
        op: &Op,
        cost: Cost,
        f: &mut dyn FnMut(&mut Self, &[BasicValueEnum<'ctx>]) -> R<BasicValueEnum<'ctx>>,
    ) -> R<Val<'ctx>> {
        let out_ty = self.f.ty(op.results[0]).clone();
        if out_ty.is_scalar() {
            let args = op.operands.iter().map(|&v| self.scalar(v)).collect::<R<Vec<_>>>()?;
            return Ok(Val::Scalar(f(self, &args)?));
        }
        let inputs: Vec<(DType, _)> =
            op.operands.iter().map(|&v| Ok((self.f.ty(v).dtype, self.tensor(v)?))).collect::<R<_>>()?;
        let out = self.alloc(&out_ty)?;
        let n = self.numel(&out_ty)?;
        let d = out_ty.dtype;
        let mut element = |g: &mut Self, ins: &[(DType, PointerValue<'ctx>)], out, i| -> R<()> {
            let args = ins.iter().map(|&(d, p)| g.load(d, p, i)).collect::<R<Vec<_>>>()?;
            let r = f(g, &args)?;
            g.store(d, out, i, r)
        };
        let min_chunk = match cost {
            Cost::MayFail => None,
            Cost::Cheap => Some(CHEAP_CHUNK),
            Cost::Expensive => Some(EXPENSIVE_CHUNK),
        };
        match min_chunk {
            None => self.for_range(n, &mut |g, i| element(g, &inputs, out, i))?,
            Some(min_chunk) => {
                let mut captures: Vec<PointerValue> = inputs.iter().map(|&(_, p)| p).collect();
                captures.push(out);
                let dtypes: Vec<DType> = inputs.iter().map(|&(d, _)| d).collect();
                self.parallel_or_inline(n, min_chunk, &captures, &mut |g, ptrs, lo, hi| {
                    let ins: Vec<(DType, PointerValue)> = dtypes.iter().copied().zip(ptrs.iter().copied()).collect();
                    let out = ptrs[ptrs.len() - 1];
                    g.for_between(lo, hi, &mut |g, i| element(g, &ins, out, i))
                })?;
            }
        }
        Ok(Val::Tensor(out))
    }

    pub(super) fn unary_op(&mut self, u: UnaryOp, op: &Op) -> R<Val<'ctx>> {
        let d = self.f.ty(op.operands[0]).dtype;
        use UnaryOp::*;
        let cost = match u {
            Exp | Log | Log1p | Expm1 | Tanh | Sigmoid | Sin | Cos | Erf => Cost::Expensive,
            _ => Cost::Cheap,
        };
        self.map(op, cost, &mut |g, a| g.unary_scalar(u, d, a[0]))
    }

    pub(super) fn binary_op(&mut self, bop: BinaryOp, op: &Op) -> R<Val<'ctx>> {
        let d = self.f.ty(op.operands[0]).dtype;
        let cost = match bop {
            BinaryOp::Div | BinaryOp::Rem | BinaryOp::Pow if d.is_int() => Cost::MayFail,
            BinaryOp::Pow => Cost::Expensive,
            _ => Cost::Cheap,
        };
        self.map(op, cost, &mut |g, a| g.binary_scalar(bop, d, a[0], a[1]))
    }

    pub(super) fn compare_op(&mut self, c: CmpOp, op: &Op) -> R<Val<'ctx>> {
        let d = self.f.ty(op.operands[0]).dtype;
        self.map(op, Cost::Cheap, &mut |g, a| Ok(g.compare_scalar(c, d, a[0], a[1])?.into()))
    }

    pub(super) fn select_op(&mut self, op: &Op) -> R<Val<'ctx>> {
        self.map(op, Cost::Cheap, &mut |g, a| Ok(g.b.build_select(a[0].into_int_value(), a[1], a[2], "")?))
    }

    pub(super) fn cast_op(&mut self, op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).dtype, self.f.ty(op.results[0]).dtype);
        self.map(op, Cost::Cheap, &mut |g, a| g.cast_scalar(from, to, a[0]))
    }
}
