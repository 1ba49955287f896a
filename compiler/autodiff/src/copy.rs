//! Copying primal code into the function being built. Derivative functions start with a copy of
//! the primal (reverse mode also re-runs loop bodies and branches inside the reversed code), so
//! every value and every size in a type is translated through a [`Scope`].

use std::collections::HashMap;

use tf_ir::*;

/// The translation of primal values into the function being built, for one region and the
/// regions around it. Values of a region are only used inside it, so a nested scope is a clone
/// that is dropped when the region is done.
#[derive(Clone, Default)]
pub struct Scope {
    pub map: HashMap<ValueId, ValueId>,
    /// For each loop of the primal whose forward copy saved its carried values per iteration
    /// (see `reverse_flow.rs`), the stacks holding them.
    pub saves: HashMap<OpId, Vec<ValueId>>,
}

impl Scope {
    /// The copy of a primal value. The primal verified, so every use follows its copy.
    pub fn get(&self, v: ValueId) -> ValueId {
        *self.map.get(&v).unwrap_or_else(|| panic!("%{} used before it was copied", v.index()))
    }

    pub fn get_all(&self, vs: &[ValueId]) -> Vec<ValueId> {
        vs.iter().map(|v| self.get(*v)).collect()
    }

    /// A primal type with its sizes translated.
    pub fn ty(&self, t: &Type) -> Type {
        let subst = |s: ValueId| self.map.get(&s).map(|v| Size::symbol(*v));
        Type::new(t.dtype, t.shape.iter().map(|d| d.substitute(&subst)).collect())
    }

    /// The translated type of a primal value.
    pub fn ty_of(&self, src: &Function, v: ValueId) -> Type {
        self.ty(src.ty(v))
    }
}

/// Copies the parameters of `src`'s body as parameters of `b`'s body; types may mention any
/// parameter, so they are translated once all are known.
pub fn copy_params(src: &Function, b: &mut FunctionBuilder, scope: &mut Scope) -> Vec<ValueId> {
    let body = b.body();
    let mut params = Vec::new();
    for &p in src.params() {
        let v = b.param(body, src.ty(p).clone(), src.value(p).name.as_deref());
        scope.map.insert(p, v);
        params.push(v);
    }
    for (&p, &v) in src.params().iter().zip(&params) {
        b.set_type(v, scope.ty_of(src, p));
    }
    params
}

/// Copies one op (with its regions) to the end of `region`. When `recompute` is set, the copy
/// re-runs code that has already run once, and `print` ops are left out so output is not
/// repeated.
pub fn copy_op(
    src: &Function,
    id: OpId,
    b: &mut FunctionBuilder,
    region: RegionId,
    scope: &mut Scope,
    recompute: bool,
) {
    let op = src.op(id);
    if recompute && matches!(op.kind, OpKind::Print(_)) {
        return;
    }
    let regions: Vec<RegionId> = op.regions.iter().map(|&r| copy_region(src, r, b, scope, recompute)).collect();
    let operands = scope.get_all(&op.operands);
    let types = op.results.iter().map(|&r| scope.ty_of(src, r)).collect();
    b.span = op.span;
    let results = b.op_typed(region, op.kind.clone(), operands, types, regions);
    map_results(src, &op.results, &results, b, scope);
}

/// Records that the primal `old` values are now `new`, carrying their names over.
pub fn map_results(src: &Function, old: &[ValueId], new: &[ValueId], b: &mut FunctionBuilder, scope: &mut Scope) {
    for (&o, &n) in old.iter().zip(new) {
        if let Some(name) = &src.value(o).name {
            b.name_value(n, name);
        }
        scope.map.insert(o, n);
    }
}

/// A new region holding a copy of `r` (parameters, ops, yields), not yet attached to an op.
pub fn copy_region(src: &Function, r: RegionId, b: &mut FunctionBuilder, outer: &Scope, recompute: bool) -> RegionId {
    let mut scope = outer.clone();
    let new = b.new_region();
    copy_region_params(src, r, b, new, &mut scope);
    for &op in &src.region(r).ops {
        copy_op(src, op, b, new, &mut scope, recompute);
    }
    let yields = scope.get_all(&src.region(r).yields);
    b.set_yields(new, yields);
    new
}

/// Gives `new` a parameter for each of `r`'s.
pub fn copy_region_params(src: &Function, r: RegionId, b: &mut FunctionBuilder, new: RegionId, scope: &mut Scope) {
    for &p in &src.region(r).params {
        let v = b.param(new, scope.ty_of(src, p), src.value(p).name.as_deref());
        scope.map.insert(p, v);
    }
}
