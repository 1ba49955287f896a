//! Lowering `value_and_grad(f)(args)` and `grad(f)(args)`: a call of `f`'s derivative function,
//! which autodiff generates from `f`'s IR once every function is lowered. The gradient of a
//! model argument is the flattened model, so it has the model's type.

use tf_check::checker::FnId;
use tf_check::typed::CallInfo;
use tf_check::types::Type as CheckType;
use tf_ir::{OpId, OpKind, Type, ValueId};
use tf_syntax::ast::{Arg, Expr, ExprKind, UnOp};

use crate::func::{FnKey, FnLowerer, Res};
use crate::types::{dtype, width};
use crate::{Mode, PendingGrad};

impl FnLowerer<'_, '_, '_> {
    pub fn call_grad(&mut self, e: &Expr, callee: &Expr, args: &[Arg], info: &CallInfo) -> Res<Vec<ValueId>> {
        let ExprKind::Call { callee: inner, args: inner_args } = &callee.kind else {
            return self.fail(crate::unsupported(e.span, "calling a function-valued expression"));
        };
        let which = match &inner.kind {
            ExprKind::Name(n) if matches!(n.name.as_str(), "grad" | "value_and_grad" | "vjp" | "jvp") => n.name.clone(),
            _ => return self.fail(crate::unsupported(e.span, "calling a function-valued expression")),
        };
        let Some(f_arg) = inner_args.iter().find(|a| a.name.is_none()) else {
            return self.internal(e.span, "`grad` without a function");
        };
        let CheckType::Fn(sig) = self.type_of(&f_arg.value) else {
            return self.internal(e.span, "`grad` of a non-function");
        };
        let Some(f) = sig.origin.map(FnId) else {
            return self.fail(crate::unsupported(e.span, "differentiating a computed function"));
        };
        let wrt_arg = inner_args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "wrt"))
            .or_else(|| inner_args.iter().filter(|a| a.name.is_none()).nth(1));
        let k = match wrt_arg.map(|a| &a.value.kind) {
            None => 0usize,
            Some(ExprKind::Int(k)) => *k as usize,
            Some(ExprKind::Unary { op: UnOp::Neg, .. }) | Some(_) => {
                return self.fail(crate::unsupported(e.span, "a `wrt` that is not a non-negative literal"))
            }
        };
        let (mut operands, packs, consts, sizes) = self.call_operands(e, callee, args, info, f)?;
        let cx = self.l.cx;
        let finfo = cx.func(f);
        // IR parameters of source parameter k: after the sizes and the flattened earlier ones.
        let self_width = match (finfo.has_self, finfo.owner) {
            (true, Some(o)) => cx.decl(o).fields.iter().map(|fl| width(cx, &fl.ty)).sum(),
            _ => 0,
        };
        let before: usize = finfo.sig.params[..k].iter().map(|p| width(cx, &p.ty)).sum();
        let start = sizes + self_width + before;
        let wrt: Vec<usize> = (start..start + width(cx, &finfo.sig.params[k].ty)).collect();
        // vjp's cotangent and jvp's tangent follow the function's own arguments.
        if matches!(which.as_str(), "vjp" | "jvp") {
            let n = finfo.sig.params.len();
            match info.slots.get(n).copied().flatten() {
                Some(tf_check::calls::Source::Arg(i)) => operands.extend(self.expr(&args[i].value)?),
                _ => return self.internal(e.span, "a derivative call without its tangent"),
            }
        }
        // Results: `grad` gets the value too (and drops it); the others are the expression's type.
        let mut results = Vec::new();
        if which == "grad" {
            match &sig.ret {
                CheckType::Tensor(t) => results.push(Type::scalar(dtype(t.dtype).unwrap_or(tf_ir::DType::F32))),
                _ => return self.internal(e.span, "`grad` of a function without a scalar result"),
            }
        }
        results.extend(self.flat(&self.type_of(e), e.span)?);
        let mode = match which.as_str() {
            "vjp" => Mode::Vjp,
            "jvp" => Mode::Jvp,
            _ => Mode::Grad,
        };
        let id = self.l.request(FnKey { func: f, packs, consts });
        self.b.span = Some(e.span);
        let op = OpId::new(self.b.func.ops.len());
        let out = self.b.op_typed(self.region, OpKind::Call(id), operands, results, vec![]);
        let caller = self.caller;
        self.l.grads.push(PendingGrad { mode, caller, op, func: id, wrt, span: e.span });
        Ok(if which == "grad" { out[1..].to_vec() } else { out })
    }
}
