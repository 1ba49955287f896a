//! The dimension symbol table and the per-function substitution that solves symbols.

use std::collections::HashMap;

use tf_base::Span;

use crate::dim::{Dim, SymId};
use crate::types::{Shape, ShapeItem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymKind {
    /// A generic parameter of a declaration; rigid while its body is checked.
    Generic,
    /// Known only when the program runs (from data, or a value used as a size).
    Runtime,
    /// An unknown introduced at a call, solved by unification.
    Flex,
}

#[derive(Clone, Debug)]
pub struct SymInfo {
    pub name: String,
    pub kind: SymKind,
    pub is_pack: bool,
    /// Where the symbol was introduced, when it has a place.
    pub span: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Symbols {
    infos: Vec<SymInfo>,
    /// Interned results of non-linear size arithmetic (`(H - 3) / 2 + 1`), so that the same
    /// expression gives the same symbol.
    opaque: HashMap<String, SymId>,
}

impl Symbols {
    pub fn fresh(&mut self, name: impl Into<String>, kind: SymKind, is_pack: bool, span: Option<Span>) -> SymId {
        self.infos.push(SymInfo { name: name.into(), kind, is_pack, span });
        SymId(self.infos.len() as u32 - 1)
    }

    pub fn info(&self, s: SymId) -> &SymInfo {
        &self.infos[s.0 as usize]
    }

    pub fn name(&self, s: SymId) -> String {
        self.info(s).name.clone()
    }

    pub fn kind(&self, s: SymId) -> SymKind {
        self.info(s).kind
    }

    /// The runtime symbol standing for `text` (an expression that is not linear).
    pub fn opaque(&mut self, text: String) -> SymId {
        if let Some(&s) = self.opaque.get(&text) {
            return s;
        }
        let s = self.fresh(text.clone(), SymKind::Runtime, false, None);
        self.opaque.insert(text, s);
        s
    }
}

/// What is known about flexible and runtime symbols inside one function body.
#[derive(Debug, Default, Clone)]
pub struct Subst {
    dims: HashMap<SymId, Dim>,
    packs: HashMap<SymId, Vec<ShapeItem>>,
    /// Where a flexible symbol got its value, for "conflicting values" messages.
    pub bound_at: HashMap<SymId, Span>,
}

impl Subst {
    pub fn bind_dim(&mut self, s: SymId, d: Dim, at: Option<Span>) {
        self.dims.insert(s, d);
        if let Some(span) = at {
            self.bound_at.insert(s, span);
        }
    }

    pub fn bind_pack(&mut self, s: SymId, items: Vec<ShapeItem>) {
        self.packs.insert(s, items);
    }

    pub fn is_bound(&self, s: SymId) -> bool {
        self.dims.contains_key(&s) || self.packs.contains_key(&s)
    }

    pub fn dim(&self, d: &Dim) -> Dim {
        if self.dims.is_empty() || !d.symbols().any(|s| self.dims.contains_key(&s)) {
            return d.clone();
        }
        let mut cur = d.clone();
        // Bindings never refer back to themselves, but bound the walk anyway.
        for _ in 0..32 {
            if !cur.symbols().any(|s| self.dims.contains_key(&s)) {
                break;
            }
            cur = cur.substitute(&|s| self.dims.get(&s).cloned());
        }
        cur
    }

    pub fn shape(&self, shape: &Shape) -> Shape {
        let mut out = Vec::new();
        self.push_items(&shape.0, &mut out, 0);
        Shape(out)
    }

    /// Expands bound packs but leaves dimensions as written (unification wants to see which
    /// call-site unknown a dimension was, to report conflicts).
    pub fn expand_packs(&self, shape: &Shape) -> Shape {
        let mut out = Vec::new();
        self.push_items_raw(&shape.0, &mut out, 0);
        Shape(out)
    }

    fn push_items_raw(&self, items: &[ShapeItem], out: &mut Vec<ShapeItem>, depth: usize) {
        for item in items {
            match item {
                ShapeItem::Pack(p) if depth < 32 && self.packs.contains_key(p) => {
                    self.push_items_raw(&self.packs[p], out, depth + 1)
                }
                other => out.push(other.clone()),
            }
        }
    }

    fn push_items(&self, items: &[ShapeItem], out: &mut Vec<ShapeItem>, depth: usize) {
        for item in items {
            match item {
                ShapeItem::Dim(d) => out.push(ShapeItem::Dim(self.dim(d))),
                ShapeItem::Pack(p) => match self.packs.get(p) {
                    Some(bound) if depth < 32 => self.push_items(bound, out, depth + 1),
                    _ => out.push(item.clone()),
                },
            }
        }
    }
}
