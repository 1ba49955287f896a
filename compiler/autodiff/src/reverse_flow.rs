//! Reverse mode through control flow and calls.
//!
//! **Loops (`for`).** Saving strategy: the forward copy of an active loop also stacks, as extra
//! per-iteration outputs (`For { stacked }`), the carried values each iteration starts with.
//! Memory: O(trip count × size of the carried values); nothing inside the body is kept. The
//! reverse is a `for` of the same (run-time) count whose iteration `j` handles primal
//! iteration `i = count-1-j`: it reads the saved carried values at `i` (`Index` on axis 0),
//! re-runs the body forwards from them, then runs the body's reverse. It carries the adjoints
//! of the carried values and accumulators for the adjoints of the outer values the body uses
//! (weights, inputs). A loop nested `d` deep therefore re-runs its body `d` extra times.
//!
//! **Branches (`if`).** The condition value is the record of the branch taken: the reverse is
//! an `if` on the same condition whose branches re-run their primal branch and reverse it,
//! yielding the adjoints of the outer values the branches use.
//!
//! **Calls.** The callee is differentiated (once per request) with respect to its active
//! arguments and the reverse calls `<callee>_vjp`, which recomputes the callee's forward pass.
//!
//! **While loops** are not reversed (no trip count to replay); forward mode handles them.

use tf_ir::*;

use crate::activity::free_values;
use crate::copy::{copy_region, map_results, Scope};
use crate::emit::{count_size, Emitter};
use crate::reverse::{Adjoints, Rev};
use crate::AdError;

impl Rev<'_> {
    /// Copies an active `for`, also stacking the carried values each iteration starts with.
    pub fn forward_for(&mut self, id: OpId, to: RegionId, scope: &mut Scope, recompute: bool) {
        let op = self.src.op(id).clone();
        let OpKind::For { stacked } = op.kind else { unreachable!("forward_for of {:?}", op.kind) };
        let carried = op.operands.len() - 1;
        let body = copy_region(&self.src, op.regions[0], &mut self.b, scope, recompute);
        let params = self.b.func.region(body).params[1..].to_vec();
        let mut yields = self.b.func.region(body).yields.clone();
        yields.extend(&params);
        self.b.set_yields(body, yields);
        let count = scope.get(op.operands[0]);
        let count_size = count_size(&self.b.func, count);
        let mut types: Vec<Type> = op.results.iter().map(|r| scope.ty_of(&self.src, *r)).collect();
        for p in &params {
            let t = self.b.func.ty(*p).clone();
            types.push(Type::new(t.dtype, std::iter::once(count_size.clone()).chain(t.shape).collect()));
        }
        self.b.span = op.span;
        let kind = OpKind::For { stacked: stacked + carried };
        let results = self.b.op_typed(to, kind, scope.get_all(&op.operands), types, vec![body]);
        let (primal, saved) = results.split_at(op.results.len());
        map_results(&self.src, &op.results, primal, &mut self.b, scope);
        for (&s, &p) in saved.iter().zip(&params) {
            if let Some(name) = self.b.func.value(p).name.clone() {
                self.b.name_value(s, &format!("{name}_saved"));
            }
        }
        scope.saves.insert(id, saved.to_vec());
    }

    pub fn reverse_for(
        &mut self,
        id: OpId,
        to: RegionId,
        scope: &Scope,
        adj: &mut Adjoints,
        result_adj: &[Option<ValueId>],
    ) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let body = op.regions[0];
        let primal_body = self.src.region(body).clone();
        let k = op.operands.len() - 1;
        let carried = &primal_body.params[1..];
        let active: Vec<usize> = (0..k).filter(|&q| self.act.is_active(carried[q])).collect();
        let free: Vec<ValueId> = free_values(&self.src, body).into_iter().filter(|v| self.act.is_active(*v)).collect();
        if active.is_empty() && free.is_empty() {
            return Ok(());
        }
        let saved = scope.saves.get(&id).cloned().ok_or_else(|| AdError::Internal("loop without saves".into()))?;
        let count = scope.get(op.operands[0]);

        // Carried: the adjoints of the active carried values, then one accumulator per free value.
        let mut init = vec![count];
        let mut types = Vec::new();
        let mut e = Emitter::new(&mut self.b, to);
        for &q in &active {
            let ty = scope.ty_of(&self.src, carried[q]);
            init.push(result_adj[q].unwrap_or_else(|| e.zeros(&ty)));
            types.push(ty);
        }
        for &v in &free {
            let ty = scope.ty_of(&self.src, v);
            init.push(e.zeros(&ty));
            types.push(ty);
        }

        let rb = self.b.new_region();
        let j = self.b.param(rb, Type::scalar(DType::I64), Some("j"));
        let primals = active.iter().map(|&q| carried[q]).chain(free.iter().copied());
        let params: Vec<ValueId> = primals
            .zip(&types)
            .map(|(p, t)| {
                let name = self.src.value(p).name.as_ref().map(|n| format!("{n}_adj"));
                self.b.param(rb, t.clone(), name.as_deref())
            })
            .collect();
        let (carried_adj, accumulators) = params.split_at(active.len());
        let mut inner = scope.clone();
        let mut e = Emitter::new(&mut self.b, rb);
        let one = e.scalar(1.0, DType::I64);
        let last = e.sub(count, one)?;
        let i = e.sub(last, j)?;
        inner.map.insert(primal_body.params[0], i);
        for (q, &s) in saved.iter().enumerate() {
            let value = e.op1(OpKind::Index { axis: 0 }, vec![s, i])?;
            inner.map.insert(carried[q], value);
        }
        self.forward(body, rb, &mut inner, true);

        // The outer values' adjoints accumulate onto the loop's accumulators directly.
        let mut local = Adjoints::default();
        for (&v, &acc) in free.iter().zip(accumulators) {
            local.map.insert(v, acc);
        }
        for (n, &q) in active.iter().enumerate() {
            self.accumulate(&mut local, rb, primal_body.yields[q], carried_adj[n])?;
        }
        for (l, a) in result_adj[k..].iter().enumerate() {
            if let Some(a) = a {
                let slab = Emitter::new(&mut self.b, rb).op1(OpKind::Index { axis: 0 }, vec![*a, i])?;
                self.accumulate(&mut local, rb, primal_body.yields[k + l], slab)?;
            }
        }
        self.reverse(body, rb, &inner, &mut local)?;

        let mut yields = Vec::new();
        let mut e = Emitter::new(&mut self.b, rb);
        for (n, &q) in active.iter().enumerate() {
            yields.push(local.get(carried[q]).unwrap_or_else(|| e.zeros(&types[n])));
        }
        for &v in &free {
            yields.push(local.get(v).ok_or_else(|| AdError::Internal("lost an accumulator".into()))?);
        }
        self.b.set_yields(rb, yields);
        self.b.span = op.span;
        let results = self.b.op_typed(to, OpKind::For { stacked: 0 }, init, types, vec![rb]);

        for (n, &q) in active.iter().enumerate() {
            if self.act.is_active(op.operands[1 + q]) {
                self.accumulate(adj, to, op.operands[1 + q], results[n])?;
            }
        }
        for (t, &v) in free.iter().enumerate() {
            self.accumulate(adj, to, v, results[active.len() + t])?;
        }
        Ok(())
    }

    pub fn reverse_if(
        &mut self,
        id: OpId,
        to: RegionId,
        scope: &Scope,
        adj: &mut Adjoints,
        result_adj: &[Option<ValueId>],
    ) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let mut free: Vec<ValueId> = Vec::new();
        for &r in &op.regions {
            for v in free_values(&self.src, r) {
                if self.act.is_active(v) && !free.contains(&v) {
                    free.push(v);
                }
            }
        }
        if free.is_empty() {
            return Ok(());
        }
        let types: Vec<Type> = free.iter().map(|v| scope.ty_of(&self.src, *v)).collect();
        let mut branches = Vec::new();
        for &r in &op.regions {
            let branch = self.b.new_region();
            let mut inner = scope.clone();
            self.forward(r, branch, &mut inner, true);
            let mut local = Adjoints::default();
            let primal_yields = self.src.region(r).yields.clone();
            for (q, a) in result_adj.iter().enumerate() {
                if let Some(a) = a {
                    self.accumulate(&mut local, branch, primal_yields[q], *a)?;
                }
            }
            self.reverse(r, branch, &inner, &mut local)?;
            let mut e = Emitter::new(&mut self.b, branch);
            let yields = free.iter().zip(&types).map(|(v, ty)| local.get(*v).unwrap_or_else(|| e.zeros(ty))).collect();
            self.b.set_yields(branch, yields);
            branches.push(branch);
        }
        self.b.span = op.span;
        let results = self.b.op_typed(to, OpKind::If, vec![scope.get(op.operands[0])], types, branches);
        for (&v, &a) in free.iter().zip(&results) {
            self.accumulate(adj, to, v, a)?;
        }
        Ok(())
    }

    pub fn reverse_call(
        &mut self,
        id: OpId,
        to: RegionId,
        scope: &Scope,
        adj: &mut Adjoints,
        result_adj: &[Option<ValueId>],
    ) -> Result<(), AdError> {
        let op = self.src.op(id).clone();
        let OpKind::Call(callee) = op.kind else { unreachable!("reverse_call of {:?}", op.kind) };
        let wrt: Vec<usize> = (0..op.operands.len()).filter(|&p| self.act.is_active(op.operands[p])).collect();
        if wrt.is_empty() {
            return Ok(());
        }
        let derivative = self.session.callee_vjp(self.module, callee, &wrt)?;
        let mut args = scope.get_all(&op.operands);
        let mut types: Vec<Type> = op.results.iter().map(|r| scope.ty_of(&self.src, *r)).collect();
        let mut e = Emitter::new(&mut self.b, to);
        for (a, ty) in result_adj.iter().zip(&types) {
            args.push(a.unwrap_or_else(|| e.zeros(ty)));
        }
        types.extend(wrt.iter().map(|&p| scope.ty_of(&self.src, op.operands[p])));
        self.b.span = op.span;
        let results = self.b.op_typed(to, OpKind::Call(derivative), args, types, Vec::new());
        for (n, &p) in wrt.iter().enumerate() {
            self.accumulate(adj, to, op.operands[p], results[op.results.len() + n])?;
        }
        Ok(())
    }
}
