//! The verifier: checks every invariant of the IR (values defined before use, region
//! arities, result types, sizes that refer to visible `i64` scalars). Passes run it after every
//! step in debug builds; back ends may assume what it checks.

use std::collections::HashSet;

use crate::infer::{infer_results, show};
use crate::ir::*;

/// One broken invariant, located at an op when there is one.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyError {
    pub function: String,
    pub op: Option<OpId>,
    pub message: String,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.op {
            Some(op) => write!(f, "in `{}`, op {}: {}", self.function, op.index(), self.message),
            None => write!(f, "in `{}`: {}", self.function, self.message),
        }
    }
}

pub fn verify_module(m: &Module) -> Result<(), Vec<VerifyError>> {
    let mut errors = Vec::new();
    for f in &m.functions {
        verify_function(f, m, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub fn verify_function(f: &Function, m: &Module, errors: &mut Vec<VerifyError>) {
    let mut v = Verifier { f, m, errors, visible: HashSet::new() };
    let params: Vec<ValueId> = f.params().to_vec();
    v.visible.extend(params.iter().copied());
    for p in &params {
        v.check_sizes(*p, None);
    }
    v.region(f.body);
}

struct Verifier<'a> {
    f: &'a Function,
    m: &'a Module,
    errors: &'a mut Vec<VerifyError>,
    visible: HashSet<ValueId>,
}

impl Verifier<'_> {
    fn fail(&mut self, op: Option<OpId>, message: impl Into<String>) {
        self.errors.push(VerifyError { function: self.f.name.clone(), op, message: message.into() });
    }

    fn exists(&self, v: ValueId) -> bool {
        v.index() < self.f.values.len()
    }

    /// Sizes in a value's type must be visible `i64` scalars.
    fn check_sizes(&mut self, v: ValueId, op: Option<OpId>) {
        if !self.exists(v) {
            return;
        }
        let syms: Vec<ValueId> = self.f.ty(v).shape.iter().flat_map(|d| d.symbols().collect::<Vec<_>>()).collect();
        for s in syms {
            if !self.exists(s) || !self.visible.contains(&s) {
                self.fail(
                    op,
                    format!("the type of %{} uses size %{} that is not defined before it", v.index(), s.index()),
                );
            } else if *self.f.ty(s) != Type::scalar(DType::I64) {
                self.fail(op, format!("size %{} is not an i64 scalar", s.index()));
            }
        }
    }

    fn region(&mut self, r: RegionId) {
        let saved = self.visible.clone();
        let region = self.f.region(r).clone();
        self.visible.extend(region.params.iter().copied());
        for &op in &region.ops {
            self.op(op);
        }
        for y in &region.yields {
            if !self.visible.contains(y) {
                self.fail(None, format!("region {} yields %{} which is not defined in it", r.index(), y.index()));
            }
        }
        self.visible = saved;
    }

    fn op(&mut self, id: OpId) {
        let op = self.f.op(id).clone();
        for v in &op.operands {
            if !self.exists(*v) || !self.visible.contains(v) {
                self.fail(Some(id), format!("operand %{} is not defined before its use", v.index()));
                return;
            }
        }
        for r in &op.regions {
            if self.f.region(*r).parent != Some(id) {
                self.fail(Some(id), format!("region {} does not name this op as its parent", r.index()));
            }
            self.region(*r);
        }
        match infer_results(self.f, &op.kind, &op.operands) {
            Ok(types) => {
                let actual: Vec<Type> = op.results.iter().map(|v| self.f.ty(*v).clone()).collect();
                if actual != types {
                    let want: Vec<String> = types.iter().map(show).collect();
                    let got: Vec<String> = actual.iter().map(show).collect();
                    self.fail(Some(id), format!("results should be {want:?}, are {got:?}"));
                }
            }
            Err(e) if !e.is_empty() => self.fail(Some(id), e),
            Err(_) => self.explicit(id, &op),
        }
        self.visible.extend(op.results.iter().copied());
        for r in &op.results {
            self.check_sizes(*r, Some(id));
        }
    }

    /// Invariants of ops whose result types are chosen by whoever built them.
    fn explicit(&mut self, id: OpId, op: &Op) {
        let ty = |v: &ValueId| self.f.ty(*v).clone();
        let operands: Vec<Type> = op.operands.iter().map(ty).collect();
        let results: Vec<Type> = op.results.iter().map(ty).collect();
        let problem: Option<String> = match &op.kind {
            OpKind::Const(_) => (!operands.is_empty() || results.len() != 1 || !results[0].is_scalar())
                .then(|| "const has no operands and one scalar result".into()),
            OpKind::Cast => (operands.len() != 1 || results.len() != 1 || operands[0].shape != results[0].shape)
                .then(|| "cast keeps the shape".into()),
            OpKind::Broadcast => broadcast_problem(&operands, &results),
            OpKind::Reshape => {
                let count = |t: &Type| t.shape.iter().fold(Size::constant(1), |acc, d| acc.mul(d));
                (operands.len() != 1
                    || results.len() != 1
                    || operands[0].dtype != results[0].dtype
                    || count(&operands[0]) != count(&results[0]))
                .then(|| "reshape keeps the dtype and the element count".into())
            }
            OpKind::Slice { axis, step } => {
                let ok = operands.len() == 2
                    && results.len() == 1
                    && *step > 0
                    && operands[1] == Type::scalar(DType::I64)
                    && operands[0].rank() == results[0].rank()
                    && *axis < operands[0].rank()
                    && (0..operands[0].rank()).all(|i| i == *axis || operands[0].shape[i] == results[0].shape[i]);
                (!ok).then(|| "slice takes x and an i64 start, and keeps every other dimension".into())
            }
            OpKind::Iota { axis } => (results.len() != 1 || !results[0].dtype.is_int() || *axis >= results[0].rank())
                .then(|| "iota has one integer result with the axis".into()),
            OpKind::Random(_) => (operands.len() != 3
                || operands[0] != Type::scalar(DType::I64)
                || results.len() != 1
                || !results[0].dtype.is_float())
            .then(|| "random takes a seed and two parameters, and has a float result".into()),
            OpKind::Conv2d { .. } | OpKind::Pool2d { .. } => {
                let n = if matches!(op.kind, OpKind::Conv2d { .. }) { 2 } else { 1 };
                (operands.len() != n || operands.iter().chain(&results).any(|t| t.rank() != 4))
                    .then(|| "convolution and pooling work on 4-dimensional tensors".into())
            }
            OpKind::Load(_) => (results.is_empty() || results[1..].iter().any(|t| *t != Type::scalar(DType::I64)))
                .then(|| "load has a tensor result followed by i64 sizes".into()),
            OpKind::Call(callee) => self.call_problem(*callee, &op.operands, &results),
            OpKind::For { stacked } => self.for_problem(op, *stacked),
            OpKind::While => self.while_problem(op),
            OpKind::If => self.if_problem(op),
            other => Some(format!("{other:?} has no typing rule")),
        };
        if let Some(p) = problem {
            self.fail(Some(id), p);
        }
    }

    fn region_types(&self, r: RegionId) -> (Vec<Type>, Vec<Type>) {
        let region = self.f.region(r);
        let ty = |v: &ValueId| self.f.ty(*v).clone();
        (region.params.iter().map(ty).collect(), region.yields.iter().map(ty).collect())
    }

    fn for_problem(&self, op: &Op, stacked: usize) -> Option<String> {
        let [body] = op.regions[..] else { return Some("for has one region".into()) };
        let ty = |v: &ValueId| self.f.ty(*v).clone();
        let operands: Vec<Type> = op.operands.iter().map(ty).collect();
        if operands.first() != Some(&Type::scalar(DType::I64)) {
            return Some("the trip count of for is an i64 scalar".into());
        }
        let carried = &operands[1..];
        let (params, yields) = self.region_types(body);
        if params.first() != Some(&Type::scalar(DType::I64)) || params[1..] != *carried {
            return Some("the for body takes the counter and the carried values".into());
        }
        if yields.len() != carried.len() + stacked || yields[..carried.len()] != *carried {
            return Some("the for body yields the carried values, then the stacked ones".into());
        }
        let results: Vec<Type> = op.results.iter().map(ty).collect();
        let count = op.operands[0];
        let count_size = match self.f.value(count).def {
            _ if self.constant_of(count).is_some() => Size::constant(self.constant_of(count).unwrap_or(0)),
            _ => Size::symbol(count),
        };
        let mut want: Vec<Type> = carried.to_vec();
        for y in &yields[carried.len()..] {
            let mut shape = vec![count_size.clone()];
            shape.extend(y.shape.iter().cloned());
            want.push(Type::new(y.dtype, shape));
        }
        (results != want)
            .then(|| "for results are the carried values, then each stacked output with a leading count axis".into())
    }

    fn constant_of(&self, v: ValueId) -> Option<i64> {
        match self.f.value(v).def {
            ValueDef::Result { op, .. } => match self.f.op(op).kind {
                OpKind::Const(Literal::Int(c)) => Some(c),
                _ => None,
            },
            ValueDef::Param { .. } => None,
        }
    }

    /// The polynomial an `i64` value computes when it is size arithmetic (constants, `+`, `-`,
    /// `*` of sizes); otherwise the value itself as a symbol.
    fn as_size(&self, v: ValueId, depth: usize) -> Size {
        if let ValueDef::Result { op, .. } = self.f.value(v).def {
            let op = self.f.op(op);
            match (&op.kind, &op.operands[..]) {
                (OpKind::Const(Literal::Int(c)), _) => return Size::constant(*c),
                (OpKind::Binary(b), [x, y]) if depth < 64 && *self.f.ty(v) == Type::scalar(DType::I64) => {
                    let (x, y) = (self.as_size(*x, depth + 1), self.as_size(*y, depth + 1));
                    match b {
                        BinaryOp::Add => return x.add(&y),
                        BinaryOp::Sub => return x.sub(&y),
                        BinaryOp::Mul => return x.mul(&y),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Size::symbol(v)
    }

    fn while_problem(&self, op: &Op) -> Option<String> {
        let [cond, body] = op.regions[..] else { return Some("while has a condition and a body region".into()) };
        let carried: Vec<Type> = op.operands.iter().map(|v| self.f.ty(*v).clone()).collect();
        let results: Vec<Type> = op.results.iter().map(|v| self.f.ty(*v).clone()).collect();
        let (cp, cy) = self.region_types(cond);
        let (bp, by) = self.region_types(body);
        let ok =
            cp == carried && cy == [Type::scalar(DType::Bool)] && bp == carried && by == carried && results == carried;
        (!ok).then(|| "while carries the same types through its condition, body and results".into())
    }

    fn if_problem(&self, op: &Op) -> Option<String> {
        let [then, els] = op.regions[..] else { return Some("if has two regions".into()) };
        let results: Vec<Type> = op.results.iter().map(|v| self.f.ty(*v).clone()).collect();
        let cond_ok = op.operands.len() == 1 && *self.f.ty(op.operands[0]) == Type::scalar(DType::Bool);
        let (tp, ty) = self.region_types(then);
        let (ep, ey) = self.region_types(els);
        let ok = cond_ok && tp.is_empty() && ep.is_empty() && ty == results && ey == results;
        (!ok).then(|| "if takes a bool scalar and both branches yield the result types".into())
    }

    /// A call's operands and results must match the callee once its size parameters are replaced
    /// by the caller's arguments.
    fn call_problem(&self, callee: FuncId, args: &[ValueId], results: &[Type]) -> Option<String> {
        let Some(g) = self.m.functions.get(callee.index()) else { return Some("call of a missing function".into()) };
        let params = g.params();
        if params.len() != args.len() {
            return Some(format!("`{}` takes {} arguments, {} given", g.name, params.len(), args.len()));
        }
        // A size argument computed from sizes (`2 * %n`, a constant) stands for that polynomial.
        let map = |s: ValueId| params.iter().position(|p| *p == s).map(|i| self.as_size(args[i], 0));
        let subst = |t: &Type| Type::new(t.dtype, t.shape.iter().map(|d| d.substitute(&map)).collect());
        // The caller's own types are compared in the same normal form (a size value computed as
        // `%a - %b` is that polynomial on both sides).
        let caller = |t: &Type| {
            let norm = |s: ValueId| Some(self.as_size(s, 0));
            Type::new(t.dtype, t.shape.iter().map(|d| d.substitute(&norm)).collect())
        };
        for (p, a) in params.iter().zip(args) {
            if subst(g.ty(*p)) != caller(self.f.ty(*a)) {
                return Some(format!(
                    "argument %{} is {}, `{}` wants {}",
                    a.index(),
                    show(self.f.ty(*a)),
                    g.name,
                    show(&subst(g.ty(*p)))
                ));
            }
        }
        let want: Vec<Type> = g.result_types().iter().map(subst).collect();
        let have: Vec<Type> = results.iter().map(caller).collect();
        (want != have).then(|| format!("`{}` returns other types", g.name))
    }
}

fn broadcast_problem(operands: &[Type], results: &[Type]) -> Option<String> {
    let ([from], [to]) = (operands, results) else { return Some("broadcast has one operand and one result".into()) };
    if from.dtype != to.dtype || from.rank() > to.rank() {
        return Some(format!("cannot broadcast {} to {}", show(from), show(to)));
    }
    let offset = to.rank() - from.rank();
    let one = Size::constant(1);
    let ok = from.shape.iter().enumerate().all(|(i, d)| *d == one || *d == to.shape[i + offset]);
    (!ok).then(|| format!("cannot broadcast {} to {}", show(from), show(to)))
}
