//! Activity analysis: which values of the primal depend differentiably on the parameters being
//! differentiated. Only active values get adjoints or tangents, so inactive code (integer
//! index arithmetic, data that is not a `wrt` parameter) is copied but never differentiated,
//! and loops carry adjoints only for active values. Also: the free values of a region (used in
//! it, defined outside), which become the extra accumulators of a reversed loop.

use std::collections::HashSet;

use tf_ir::*;

use crate::rules::{rule, Rule};

pub struct Activity {
    active: Vec<bool>,
}

impl Activity {
    /// Values depending on `seeds` through ops with a derivative. Only float values are active.
    pub fn analyse(f: &Function, seeds: &[ValueId]) -> Activity {
        let mut a = Activity { active: vec![false; f.values.len()] };
        for &s in seeds {
            a.mark(f, s);
        }
        a.region(f, f.body);
        a
    }

    pub fn is_active(&self, v: ValueId) -> bool {
        self.active[v.index()]
    }

    /// Marks `v`; whether it changed.
    fn mark(&mut self, f: &Function, v: ValueId) -> bool {
        if self.active[v.index()] || !f.ty(v).dtype.is_float() {
            return false;
        }
        self.active[v.index()] = true;
        true
    }

    fn region(&mut self, f: &Function, r: RegionId) {
        for &op in &f.region(r).ops {
            self.op(f, op);
        }
    }

    fn op(&mut self, f: &Function, id: OpId) {
        let op = f.op(id);
        let any_operand = op.operands.iter().any(|v| self.is_active(*v));
        match (&op.kind, rule(&op.kind)) {
            (OpKind::For { .. }, _) => {
                let body = f.region(op.regions[0]);
                let carried = op.operands.len() - 1;
                self.fixpoint(f, op.regions[0], &op.operands[1..], &body.params[1..], carried);
                // Final carried values follow the carried parameters; stacked ones their yields.
                for (k, &r) in op.results.iter().enumerate() {
                    let source = if k < carried { body.params[1 + k] } else { body.yields[k] };
                    if self.is_active(source) {
                        self.mark(f, r);
                    }
                }
            }
            (OpKind::While, _) => {
                let body = f.region(op.regions[1]);
                let n = op.operands.len();
                self.fixpoint(f, op.regions[1], &op.operands, &body.params, n);
                // The condition region has its own parameters, carrying the same values.
                for (k, &p) in f.region(op.regions[0]).params.iter().enumerate() {
                    if self.is_active(body.params[k]) {
                        self.mark(f, p);
                    }
                }
                self.region(f, op.regions[0]);
                for (k, &r) in op.results.iter().enumerate() {
                    if self.is_active(body.params[k]) {
                        self.mark(f, r);
                    }
                }
            }
            (OpKind::If, _) => {
                for &r in &op.regions {
                    self.region(f, r);
                }
                for (k, &res) in op.results.iter().enumerate() {
                    if op.regions.iter().any(|&r| self.is_active(f.region(r).yields[k])) {
                        self.mark(f, res);
                    }
                }
            }
            (_, Rule::Zero) => {}
            _ if any_operand => {
                for &r in &op.results {
                    self.mark(f, r);
                }
            }
            _ => {}
        }
    }

    /// Loop-carried activity: a carried parameter is active when its initial value is, or when
    /// the body makes the value it yields for the next iteration active (from a free value).
    fn fixpoint(&mut self, f: &Function, body: RegionId, init: &[ValueId], params: &[ValueId], carried: usize) {
        for (k, &v) in init.iter().enumerate() {
            if self.is_active(v) {
                self.mark(f, params[k]);
            }
        }
        loop {
            self.region(f, body);
            let yields = &f.region(body).yields;
            let mut changed = false;
            for k in 0..carried {
                if self.is_active(yields[k]) {
                    changed |= self.mark(f, params[k]);
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// Values a region (with its nested regions) uses but does not define, in order of first use.
pub fn free_values(f: &Function, r: RegionId) -> Vec<ValueId> {
    let mut defined = HashSet::new();
    let mut out = Vec::new();
    collect(f, r, &mut defined, &mut out);
    let mut seen = HashSet::new();
    out.retain(|v| !defined.contains(v) && seen.insert(*v));
    out
}

fn collect(f: &Function, r: RegionId, defined: &mut HashSet<ValueId>, used: &mut Vec<ValueId>) {
    let region = f.region(r);
    defined.extend(region.params.iter().copied());
    for &id in &region.ops {
        let op = f.op(id);
        used.extend(op.operands.iter().copied());
        defined.extend(op.results.iter().copied());
        for &nested in &op.regions {
            collect(f, nested, defined, used);
        }
    }
    used.extend(region.yields.iter().copied());
}
