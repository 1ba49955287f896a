//! Symbolic dimensions of the checker: integer polynomials over dimension symbols.

pub use tf_base::poly::Poly;

/// A dimension symbol; what it stands for lives in the checker's symbol table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymId(pub u32);

/// A dimension: literal, symbolic, or arithmetic on symbols.
pub type Dim = Poly<SymId>;
