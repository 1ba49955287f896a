//! What names and dimension symbols stand for while one function is lowered.

use std::collections::HashMap;

use tf_check::dim::SymId;
use tf_ir::ValueId;

/// What a source binding is in the IR.
#[derive(Clone, Debug)]
pub enum Bound {
    /// A tensor, tuple, model or struct: its flattened tensors.
    Values(Vec<ValueId>),
    /// An opened archive (`load_npz`): read lazily when an entry is bound with a type.
    Archive { path: String, npz: bool },
}

/// Scopes of bindings plus the size values of dimension symbols.
#[derive(Clone, Debug, Default)]
pub struct Env {
    scopes: Vec<HashMap<String, Bound>>,
    /// Size value of each dimension symbol known in this function.
    pub sizes: HashMap<SymId, ValueId>,
    /// The size values a `..` pack stands for in this instantiation.
    pub packs: HashMap<SymId, Vec<ValueId>>,
    /// Dimension names usable as values (generics and names introduced by annotations).
    pub dim_names: HashMap<String, SymId>,
    /// Size values known to be constants (sizes this instantiation was specialised to): types
    /// use the constant, not the value.
    pub const_values: HashMap<ValueId, i64>,
}

impl Env {
    pub fn new() -> Env {
        Env { scopes: vec![HashMap::new()], ..Env::default() }
    }

    pub fn push(&mut self) {
        self.scopes.push(HashMap::new());
    }

    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    pub fn bind(&mut self, name: &str, b: Bound) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), b);
        }
    }

    pub fn get(&self, name: &str) -> Option<&Bound> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// Rebinds an existing variable in the scope that defines it (assignment to a `var`).
    pub fn assign(&mut self, name: &str, b: Bound) -> bool {
        for s in self.scopes.iter_mut().rev() {
            if let Some(slot) = s.get_mut(name) {
                *slot = b;
                return true;
            }
        }
        false
    }
}
