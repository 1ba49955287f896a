//! The forward-mode driver: copies the primal op by op and, after each op with a tangent on an
//! operand, asks the rule table for its results' tangents (`x_tan`). Control flow carries
//! tangents beside the primal values: loops (`for` and `while`) get extra carried values and
//! stacked outputs, branches extra results, calls go to `<callee>_jvp`. Nothing is saved or
//! recomputed, so forward mode also handles `while`.

use std::collections::HashMap;

use tf_ir::*;

use crate::activity::Activity;
use crate::copy::{copy_op, copy_params, copy_region_params, map_results, Scope};
use crate::emit::Emitter;
use crate::rules::{rule, Prim, Rule};
use crate::{add_function, check_wrt, unique_name, AdError, Session};

/// Tangents known so far: primal value → its tangent in the function being built.
type Tangents = HashMap<ValueId, ValueId>;

struct Fwd<'a> {
    module: &'a mut Module,
    session: &'a mut Session,
    src: Function,
    act: Activity,
    b: FunctionBuilder,
}

pub fn build(module: &mut Module, session: &mut Session, func: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
    let src = module.func(func).clone();
    check_wrt(&src, wrt)?;
    session.enter(module, func)?;
    let built = build_function(module, session, src, wrt);
    session.leave();
    built
}

fn build_function(module: &mut Module, session: &mut Session, src: Function, wrt: &[usize]) -> Result<FuncId, AdError> {
    let mut b = FunctionBuilder::new(unique_name(module, &format!("{}_jvp", src.name)));
    b.func.span = src.span;
    let mut scope = Scope::default();
    copy_params(&src, &mut b, &mut scope);
    let body = b.body();
    let mut tan = Tangents::new();
    for &i in wrt {
        let p = src.params()[i];
        let name = src.value(p).name.as_ref().map(|n| format!("{n}_tan"));
        tan.insert(p, b.param(body, scope.ty_of(&src, p), name.as_deref()));
    }
    let seeds: Vec<ValueId> = wrt.iter().map(|&i| src.params()[i]).collect();
    let act = Activity::analyse(&src, &seeds);
    let mut fwd = Fwd { module, session, src, act, b };
    fwd.region(fwd.src.body, body, &mut scope, &mut tan)?;
    let results = fwd.src.region(fwd.src.body).yields.clone();
    let mut yields = scope.get_all(&results);
    let tangents = fwd.tangents_or_zeros(body, &results, &scope, &tan);
    yields.extend(tangents);
    fwd.b.set_yields(body, yields);
    Ok(add_function(fwd.module, fwd.b.finish()))
}

impl Fwd<'_> {
    fn region(&mut self, from: RegionId, to: RegionId, scope: &mut Scope, tan: &mut Tangents) -> Result<(), AdError> {
        for id in self.src.region(from).ops.clone() {
            let op = self.src.op(id).clone();
            let any_active = op.results.iter().any(|r| self.act.is_active(*r));
            self.b.span = op.span;
            match (&op.kind, rule(&op.kind)) {
                (OpKind::For { .. }, _) if any_active => self.for_loop(id, to, scope, tan)?,
                (OpKind::While, _) if any_active => self.while_loop(id, to, scope, tan)?,
                (OpKind::If, _) if any_active => self.branch(id, to, scope, tan)?,
                (OpKind::Call(_), _) if any_active => self.call(id, to, scope, tan)?,
                (_, Rule::Diff { jvp, .. }) => {
                    copy_op(&self.src, id, &mut self.b, to, scope, false);
                    let tangents: Vec<Option<ValueId>> = op.operands.iter().map(|v| tan.get(v).copied()).collect();
                    if tangents.iter().all(Option::is_none) {
                        continue;
                    }
                    let operands = scope.get_all(&op.operands);
                    let results = scope.get_all(&op.results);
                    let prim = Prim { kind: &op.kind, operands: &operands, results: &results };
                    let out = jvp(&mut Emitter::new(&mut self.b, to), &prim, &tangents)?;
                    for (&r, t) in op.results.iter().zip(out) {
                        self.record(tan, r, t);
                    }
                }
                (_, Rule::Unsupported(reason)) if op.operands.iter().any(|v| tan.contains_key(v)) => {
                    return Err(AdError::Unsupported { op: format!("{:?}", op.kind), reason: reason.into() });
                }
                _ => copy_op(&self.src, id, &mut self.b, to, scope, false),
            }
        }
        Ok(())
    }

    /// Records the tangent of a float primal value, named `<primal>_tan`.
    fn record(&mut self, tan: &mut Tangents, primal: ValueId, tangent: Option<ValueId>) {
        let Some(t) = tangent else { return };
        if !self.src.ty(primal).dtype.is_float() {
            return;
        }
        if let Some(name) = &self.src.value(primal).name {
            if self.b.func.value(t).name.is_none() {
                self.b.name_value(t, &format!("{name}_tan"));
            }
        }
        tan.insert(primal, t);
    }

    /// The tangents of `values`, zeros where there is none.
    fn tangents_or_zeros(
        &mut self,
        region: RegionId,
        values: &[ValueId],
        scope: &Scope,
        tan: &Tangents,
    ) -> Vec<ValueId> {
        let mut e = Emitter::new(&mut self.b, region);
        values.iter().map(|v| tan.get(v).copied().unwrap_or_else(|| e.zeros(&scope.ty_of(&self.src, *v)))).collect()
    }

    /// A `for` whose carried values and stacked outputs are followed by their tangents.
    fn for_loop(&mut self, id: OpId, to: RegionId, scope: &mut Scope, tan: &mut Tangents) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let OpKind::For { stacked } = op.kind else { unreachable!("for_loop of {:?}", op.kind) };
        let primal_body = self.src.region(op.regions[0]).clone();
        let k = op.operands.len() - 1;
        // Carried value q is active when its body parameter is; stacked output l when its yield is.
        let ac: Vec<usize> = (0..k).filter(|&q| self.act.is_active(primal_body.params[1 + q])).collect();
        let asl: Vec<usize> = (0..stacked).filter(|&l| self.act.is_active(primal_body.yields[k + l])).collect();
        let pick = |vs: &[ValueId], idx: &[usize]| idx.iter().map(|&q| vs[q]).collect::<Vec<_>>();

        let mut operands = scope.get_all(&op.operands);
        operands.extend(self.tangents_or_zeros(to, &pick(&op.operands[1..], &ac), scope, tan));
        let body = self.b.new_region();
        let mut inner = scope.clone();
        let mut inner_tan = tan.clone();
        copy_region_params(&self.src, op.regions[0], &mut self.b, body, &mut inner);
        self.tangent_params(body, &pick(&primal_body.params[1..], &ac), &inner, &mut inner_tan);
        self.region(op.regions[0], body, &mut inner, &mut inner_tan)?;
        let (carried_yields, stacked_yields) = primal_body.yields.split_at(k);
        let mut yields = inner.get_all(carried_yields);
        yields.extend(self.tangents_or_zeros(body, &pick(carried_yields, &ac), &inner, &inner_tan));
        yields.extend(inner.get_all(stacked_yields));
        yields.extend(self.tangents_or_zeros(body, &pick(stacked_yields, &asl), &inner, &inner_tan));
        self.b.set_yields(body, yields);

        let (carried_results, stacked_results) = op.results.split_at(k);
        let ty = |vs: Vec<ValueId>| vs.iter().map(|r| scope.ty_of(&self.src, *r)).collect::<Vec<_>>();
        let mut types = ty(carried_results.to_vec());
        types.extend(ty(pick(carried_results, &ac)));
        types.extend(ty(stacked_results.to_vec()));
        types.extend(ty(pick(stacked_results, &asl)));
        let kind = OpKind::For { stacked: stacked + asl.len() };
        let results = self.b.op_typed(to, kind, operands, types, vec![body]);

        let (new_carried, rest) = results.split_at(k);
        let (carried_tan, rest) = rest.split_at(ac.len());
        let (new_stacked, stacked_tan) = rest.split_at(stacked);
        map_results(&self.src, carried_results, new_carried, &mut self.b, scope);
        map_results(&self.src, stacked_results, new_stacked, &mut self.b, scope);
        for (&r, &t) in pick(carried_results, &ac).iter().zip(carried_tan) {
            self.record(tan, r, Some(t));
        }
        for (&r, &t) in pick(stacked_results, &asl).iter().zip(stacked_tan) {
            self.record(tan, r, Some(t));
        }
        Ok(())
    }

    /// One tangent parameter of `region` per value in `primal`.
    fn tangent_params(&mut self, region: RegionId, primal: &[ValueId], scope: &Scope, tan: &mut Tangents) {
        for &p in primal {
            let name = self.src.value(p).name.as_ref().map(|n| format!("{n}_tan"));
            let t = self.b.param(region, scope.ty_of(&self.src, p), name.as_deref());
            tan.insert(p, t);
        }
    }

    /// A `while` carrying tangents beside its values; the condition ignores them.
    fn while_loop(&mut self, id: OpId, to: RegionId, scope: &mut Scope, tan: &mut Tangents) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let (cond, body) = (op.regions[0], op.regions[1]);
        let carried = self.src.region(body).params.clone();
        let active: Vec<usize> = (0..carried.len()).filter(|&q| self.act.is_active(carried[q])).collect();
        let pick = |vs: &[ValueId]| active.iter().map(|&q| vs[q]).collect::<Vec<_>>();

        let mut operands = scope.get_all(&op.operands);
        operands.extend(self.tangents_or_zeros(to, &pick(&op.operands), scope, tan));
        let mut regions = Vec::new();
        for (r, differentiate) in [(cond, false), (body, true)] {
            let new = self.b.new_region();
            let mut inner = scope.clone();
            let mut inner_tan = tan.clone();
            copy_region_params(&self.src, r, &mut self.b, new, &mut inner);
            self.tangent_params(new, &pick(&self.src.region(r).params), &inner, &mut inner_tan);
            let primal_yields = self.src.region(r).yields.clone();
            let yields = if differentiate {
                self.region(r, new, &mut inner, &mut inner_tan)?;
                let mut y = inner.get_all(&primal_yields);
                y.extend(self.tangents_or_zeros(new, &pick(&primal_yields), &inner, &inner_tan));
                y
            } else {
                for &o in &self.src.region(r).ops.clone() {
                    copy_op(&self.src, o, &mut self.b, new, &mut inner, false);
                }
                inner.get_all(&primal_yields)
            };
            self.b.set_yields(new, yields);
            regions.push(new);
        }
        let mut types: Vec<Type> = op.results.iter().map(|r| scope.ty_of(&self.src, *r)).collect();
        types.extend(pick(&op.results).iter().map(|r| scope.ty_of(&self.src, *r)));
        let results = self.b.op_typed(to, OpKind::While, operands, types, regions);
        map_results(&self.src, &op.results, &results[..op.results.len()], &mut self.b, scope);
        for (&r, &t) in pick(&op.results).iter().zip(&results[op.results.len()..]) {
            self.record(tan, r, Some(t));
        }
        Ok(())
    }

    /// An `if` whose branches also yield the tangents of the active results.
    fn branch(&mut self, id: OpId, to: RegionId, scope: &mut Scope, tan: &mut Tangents) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let active: Vec<usize> = (0..op.results.len()).filter(|&q| self.act.is_active(op.results[q])).collect();
        let mut regions = Vec::new();
        for &r in &op.regions {
            let new = self.b.new_region();
            let mut inner = scope.clone();
            let mut inner_tan = tan.clone();
            self.region(r, new, &mut inner, &mut inner_tan)?;
            let primal_yields = self.src.region(r).yields.clone();
            let mut yields = inner.get_all(&primal_yields);
            let wanted: Vec<ValueId> = active.iter().map(|&q| primal_yields[q]).collect();
            yields.extend(self.tangents_or_zeros(new, &wanted, &inner, &inner_tan));
            self.b.set_yields(new, yields);
            regions.push(new);
        }
        let mut types: Vec<Type> = op.results.iter().map(|r| scope.ty_of(&self.src, *r)).collect();
        types.extend(active.iter().map(|&q| types[q].clone()).collect::<Vec<_>>());
        let results = self.b.op_typed(to, OpKind::If, scope.get_all(&op.operands), types, regions);
        map_results(&self.src, &op.results, &results[..op.results.len()], &mut self.b, scope);
        for (n, &q) in active.iter().enumerate() {
            self.record(tan, op.results[q], Some(results[op.results.len() + n]));
        }
        Ok(())
    }

    /// A call of `<callee>_jvp` with the tangents of the active arguments.
    fn call(&mut self, id: OpId, to: RegionId, scope: &mut Scope, tan: &mut Tangents) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let OpKind::Call(callee) = op.kind else { unreachable!("call of {:?}", op.kind) };
        let wrt: Vec<usize> = (0..op.operands.len()).filter(|&p| self.act.is_active(op.operands[p])).collect();
        let derivative = self.session.callee_jvp(self.module, callee, &wrt)?;
        let mut args = scope.get_all(&op.operands);
        let active_args: Vec<ValueId> = wrt.iter().map(|&p| op.operands[p]).collect();
        args.extend(self.tangents_or_zeros(to, &active_args, scope, tan));
        let primal_types: Vec<Type> = op.results.iter().map(|r| scope.ty_of(&self.src, *r)).collect();
        let types = primal_types.iter().chain(&primal_types).cloned().collect();
        let results = self.b.op_typed(to, OpKind::Call(derivative), args, types, Vec::new());
        let n = op.results.len();
        map_results(&self.src, &op.results, &results[..n], &mut self.b, scope);
        for (q, &r) in op.results.iter().enumerate() {
            if self.act.is_active(r) {
                self.record(tan, r, Some(results[n + q]));
            }
        }
        Ok(())
    }
}
