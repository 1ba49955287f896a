//! Who owns each tensor buffer, and when it is freed. Computed once per function, before any
//! code is emitted (a side table keyed by ids, like the verifier's).
//!
//! Every tensor (rank ≥ 1) made by an op is a fresh buffer owned by the op's region; so are the
//! carried parameters of a `For` body and a `While` body (the loop hands each iteration its
//! buffers). Function parameters and a `While` condition's parameters are borrowed. An owned
//! buffer is freed right after the last op of its region that uses it (directly or inside a
//! nested region), or, when the region yields it, handed over: the first yield of an owned value
//! transfers it; any other yield (a borrowed value, a value from an enclosing region, a second
//! yield of the same value) is copied. Owned values yielded but not transferred (stacked loop
//! outputs) are freed after the yields. A loop's initial carried value and a reshape's operand
//! are moved instead of copied when that op is their last use.

use std::collections::HashSet;

use tf_ir::{Function, Op, OpId, OpKind, RegionId, ValueDef, ValueId};

#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// By op index: owned buffers to free after the op.
    pub free_after: Vec<Vec<ValueId>>,
    /// By region index: owned parameters no op uses, freed on entry.
    pub free_at_start: Vec<Vec<ValueId>>,
    /// By region index: owned buffers yielded without transfer, freed after the yields.
    pub free_at_end: Vec<Vec<ValueId>>,
    /// By region index, per yield: whether the buffer is handed over (else copied).
    pub transfer: Vec<Vec<bool>>,
    /// `(op, operand index)` pairs whose buffer the op takes over.
    pub moved: HashSet<(OpId, usize)>,
}

fn is_tensor(f: &Function, v: ValueId) -> bool {
    !f.ty(v).is_scalar()
}

/// Every value an op reads: its operands and whatever its regions use, at any depth.
fn uses(f: &Function, op: &Op, out: &mut Vec<ValueId>) {
    out.extend(&op.operands);
    nested_uses(f, op, out);
}

fn nested_uses(f: &Function, op: &Op, out: &mut Vec<ValueId>) {
    for &r in &op.regions {
        let region = f.region(r);
        for &o in &region.ops {
            uses(f, f.op(o), out);
        }
        out.extend(&region.yields);
    }
}

/// The parameters a region owns (see the module docs).
fn owned_params(f: &Function, r: RegionId) -> Vec<ValueId> {
    let region = f.region(r);
    let Some(parent) = region.parent else { return Vec::new() };
    let op = f.op(parent);
    let params: &[ValueId] = match op.kind {
        OpKind::For { .. } => region.params.get(1..).unwrap_or(&[]),
        OpKind::While if op.regions.get(1) == Some(&r) => &region.params,
        _ => &[],
    };
    params.iter().copied().filter(|&v| is_tensor(f, v)).collect()
}

pub(crate) fn plan(f: &Function) -> Plan {
    let mut p = Plan {
        free_after: vec![Vec::new(); f.ops.len()],
        free_at_start: vec![Vec::new(); f.regions.len()],
        free_at_end: vec![Vec::new(); f.regions.len()],
        transfer: vec![Vec::new(); f.regions.len()],
        moved: HashSet::new(),
    };
    for (ri, region) in f.regions.iter().enumerate() {
        let r = RegionId::new(ri);
        let params = owned_params(f, r);
        let mut owned: Vec<ValueId> = params.clone();
        for &o in &region.ops {
            owned.extend(f.op(o).results.iter().copied().filter(|&v| is_tensor(f, v)));
        }
        let owned_set: HashSet<ValueId> = owned.iter().copied().collect();
        // The last op (by position) using each value.
        let mut last_use: Vec<Option<usize>> = vec![None; f.values.len()];
        for (k, &o) in region.ops.iter().enumerate() {
            let mut u = Vec::new();
            uses(f, f.op(o), &mut u);
            for v in u {
                last_use[v.index()] = Some(k);
            }
        }
        let mut transferred = HashSet::new();
        p.transfer[ri] = region.yields.iter().map(|&y| owned_set.contains(&y) && transferred.insert(y)).collect();
        let yielded: HashSet<ValueId> = region.yields.iter().copied().collect();
        for &v in &owned {
            if transferred.contains(&v) {
                continue;
            }
            if yielded.contains(&v) {
                p.free_at_end[ri].push(v);
                continue;
            }
            match last_use[v.index()] {
                Some(k) => {
                    let o = region.ops[k];
                    match movable(f, o, v) {
                        Some(i) => {
                            p.moved.insert((o, i));
                        }
                        None => p.free_after[o.index()].push(v),
                    }
                }
                None => match f.value(v).def {
                    ValueDef::Result { op, .. } => p.free_after[op.index()].push(v),
                    ValueDef::Param { .. } => p.free_at_start[ri].push(v),
                },
            }
        }
    }
    p
}

/// Operand index through which op `o` (the last use of `v`) can take `v`'s buffer over: a
/// loop's initial carried value, used once and not inside the loop (else an iteration could
/// free it while the body still reads it), or a reshape's operand.
fn movable(f: &Function, o: OpId, v: ValueId) -> Option<usize> {
    let op = f.op(o);
    let first_carried = match op.kind {
        OpKind::For { .. } => 1,
        OpKind::While => 0,
        OpKind::Reshape if !f.ty(op.results[0]).is_scalar() => return (op.operands[0] == v).then_some(0),
        _ => return None,
    };
    if op.operands.iter().filter(|&&x| x == v).count() != 1 {
        return None;
    }
    let mut inner = Vec::new();
    nested_uses(f, op, &mut inner);
    if inner.contains(&v) {
        return None;
    }
    op.operands.iter().position(|&x| x == v).filter(|&i| i >= first_carried)
}
