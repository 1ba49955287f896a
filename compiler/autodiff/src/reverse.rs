//! The reverse-mode driver. The derivative function first copies the primal (loops also save
//! their carried values per iteration), then walks the primal's ops backwards: each op with an
//! adjoint on a result asks the rule table for its operands' adjoint contributions, which are
//! summed into `x_adj` values. Loops, branches and calls are reversed in `reverse_flow.rs`.

use std::collections::HashMap;

use tf_ir::*;

use crate::activity::Activity;
use crate::copy::{copy_op, copy_params, Scope};
use crate::emit::Emitter;
use crate::rules::{rule, Contribution, Prim, Rule};
use crate::{add_function, check_wrt, unique_name, AdError, Session};

/// What the results' adjoints start from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// One cotangent parameter per result (`vjp`).
    Cotangents,
    /// The constant 1 for the single scalar result (`grad`).
    One,
}

/// The adjoints known so far in one region: primal value → its accumulated adjoint.
#[derive(Default)]
pub struct Adjoints {
    pub map: HashMap<ValueId, ValueId>,
}

impl Adjoints {
    pub fn get(&self, v: ValueId) -> Option<ValueId> {
        self.map.get(&v).copied()
    }
}

/// One derivative function being built.
pub struct Rev<'a> {
    pub module: &'a mut Module,
    pub session: &'a mut Session,
    /// The primal.
    pub src: Function,
    pub act: Activity,
    pub b: FunctionBuilder,
}

pub fn build(
    module: &mut Module,
    session: &mut Session,
    func: FuncId,
    wrt: &[usize],
    seed: Seed,
) -> Result<FuncId, AdError> {
    let src = module.func(func).clone();
    check_wrt(&src, wrt)?;
    session.enter(module, func)?;
    let built = build_function(module, session, src, wrt, seed);
    session.leave();
    built
}

fn build_function(
    module: &mut Module,
    session: &mut Session,
    src: Function,
    wrt: &[usize],
    seed: Seed,
) -> Result<FuncId, AdError> {
    let suffix = if seed == Seed::One { "grad" } else { "vjp" };
    let mut b = FunctionBuilder::new(unique_name(module, &format!("{}_{suffix}", src.name)));
    b.func.span = src.span;
    let mut scope = Scope::default();
    copy_params(&src, &mut b, &mut scope);
    let body = b.body();
    let results = src.region(src.body).yields.clone();
    let mut cotangents = Vec::new();
    if seed == Seed::Cotangents {
        for (k, &r) in results.iter().enumerate() {
            check_result_sizes(&src, k, r)?;
            let name = src.value(r).name.as_ref().map(|n| format!("{n}_adj"));
            cotangents.push(b.param(body, scope.ty_of(&src, r), name.as_deref()));
        }
    }
    let seeds: Vec<ValueId> = wrt.iter().map(|&i| src.params()[i]).collect();
    let act = Activity::analyse(&src, &seeds);
    let mut rev = Rev { module, session, src, act, b };

    // A callee's VJP re-runs a call that already ran in the caller's forward pass: no prints.
    let recompute = rev.session.in_callee();
    rev.forward(rev.src.body, body, &mut scope, recompute);
    let mut adj = Adjoints::default();
    for (k, &r) in results.iter().enumerate() {
        if rev.act.is_active(r) {
            let dtype = rev.src.ty(r).dtype;
            let ct = match seed {
                Seed::Cotangents => cotangents[k],
                Seed::One => Emitter::new(&mut rev.b, body).scalar(1.0, dtype),
            };
            rev.accumulate(&mut adj, body, r, ct)?;
        }
    }
    rev.reverse(rev.src.body, body, &scope, &mut adj)?;

    let mut yields = scope.get_all(&results);
    for &p in &seeds {
        let a = match adj.get(p) {
            Some(a) => a,
            None => Emitter::new(&mut rev.b, body).zeros(&scope.ty_of(&rev.src, p)),
        };
        yields.push(a);
    }
    rev.b.set_yields(body, yields);
    Ok(add_function(rev.module, rev.b.finish()))
}

/// A cotangent parameter has the result's type, so that type may only use parameter sizes.
fn check_result_sizes(src: &Function, k: usize, r: ValueId) -> Result<(), AdError> {
    let inner =
        src.ty(r).shape.iter().flat_map(|d| d.symbols().collect::<Vec<_>>()).find(|s| !src.params().contains(s));
    match inner {
        None => Ok(()),
        Some(s) => Err(AdError::Unsupported {
            op: format!("result {k} of `{}`", src.name),
            reason: format!(
                "its type uses size %{}, computed inside the function, so no cotangent can be passed",
                s.index()
            ),
        }),
    }
}

impl Rev<'_> {
    /// Copies the ops of primal region `from` to the end of `to`. Active loops also stack the
    /// carried values each iteration starts with (for their reverse); `recompute` leaves out
    /// prints (the code already ran once).
    pub fn forward(&mut self, from: RegionId, to: RegionId, scope: &mut Scope, recompute: bool) {
        for id in self.src.region(from).ops.clone() {
            let op = self.src.op(id);
            if matches!(op.kind, OpKind::For { .. }) && op.results.iter().any(|r| self.act.is_active(*r)) {
                self.forward_for(id, to, scope, recompute);
            } else {
                copy_op(&self.src, id, &mut self.b, to, scope, recompute);
            }
        }
    }

    /// Walks the ops of primal region `from` backwards, emitting adjoint code at the end of
    /// `to`. `adj` holds the adjoints of `from`'s yields on entry, and on exit also those of
    /// its parameters and of the outer values it uses.
    pub fn reverse(&mut self, from: RegionId, to: RegionId, scope: &Scope, adj: &mut Adjoints) -> Result<(), AdError> {
        for id in self.src.region(from).ops.clone().into_iter().rev() {
            let op = self.src.op(id).clone();
            let result_adj: Vec<Option<ValueId>> = op.results.iter().map(|r| adj.get(*r)).collect();
            if result_adj.iter().all(Option::is_none) {
                continue;
            }
            let need: Vec<bool> = op.operands.iter().map(|v| self.act.is_active(*v)).collect();
            self.b.span = op.span;
            match rule(&op.kind) {
                Rule::Zero => {}
                Rule::Diff { vjp, .. } => {
                    if !need.contains(&true) {
                        continue;
                    }
                    let operands = scope.get_all(&op.operands);
                    let results = scope.get_all(&op.results);
                    let prim = Prim { kind: &op.kind, operands: &operands, results: &results };
                    let contributions = vjp(&mut Emitter::new(&mut self.b, to), &prim, &result_adj, &need)?;
                    for (k, c) in contributions.into_iter().enumerate() {
                        if let (Some(c), true) = (c, need[k]) {
                            self.contribute(adj, to, op.operands[k], operands[k], c)?;
                        }
                    }
                }
                Rule::Driver => match op.kind {
                    OpKind::For { .. } => self.reverse_for(id, to, scope, adj, &result_adj)?,
                    OpKind::If => self.reverse_if(id, to, scope, adj, &result_adj)?,
                    OpKind::Call(_) => self.reverse_call(id, to, scope, adj, &result_adj)?,
                    _ => {
                        return Err(AdError::Unsupported {
                            op: "while".into(),
                            reason: "reverse mode needs the trip count to replay the loop; use a `for`".into(),
                        })
                    }
                },
                Rule::Unsupported(reason) if need.contains(&true) => {
                    return Err(AdError::Unsupported { op: format!("{:?}", op.kind), reason: reason.into() })
                }
                Rule::Unsupported(_) => {}
            }
        }
        Ok(())
    }

    /// Adds a rule's contribution to `adj[primal]` (whose copy is `copy`); a scatter goes
    /// straight into the adjoint accumulated so far.
    fn contribute(
        &mut self,
        adj: &mut Adjoints,
        region: RegionId,
        primal: ValueId,
        copy: ValueId,
        c: Contribution,
    ) -> Result<(), AdError> {
        let value = match c {
            Contribution::Dense(v) => v,
            Contribution::Scatter { axis, indices, updates } => {
                let mut e = Emitter::new(&mut self.b, region);
                let target = match adj.map.remove(&primal) {
                    Some(previous) => previous,
                    None => e.zeros(&e.ty(copy)),
                };
                e.op1(OpKind::ScatterAdd { axis }, vec![target, indices, updates])?
            }
        };
        self.accumulate(adj, region, primal, value)
    }

    /// `adj[primal] += contribution`, emitted in `region`; the sum is named `<primal>_adj`.
    pub fn accumulate(
        &mut self,
        adj: &mut Adjoints,
        region: RegionId,
        primal: ValueId,
        contribution: ValueId,
    ) -> Result<(), AdError> {
        let mut e = Emitter::new(&mut self.b, region);
        let total = match adj.get(primal) {
            Some(previous) => e.add(previous, contribution)?,
            None => contribution,
        };
        e.name_after(total, self.src.value(primal).name.as_deref(), "adj");
        adj.map.insert(primal, total);
        Ok(())
    }
}
