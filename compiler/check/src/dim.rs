//! Symbolic dimensions: integer polynomials over dimension symbols. Users write linear
//! arithmetic (`T - 1`, `2 * H`); products appear internally when element counts are compared.

use std::collections::BTreeMap;
use std::fmt::Write;

/// A dimension symbol; what it stands for lives in the checker's symbol table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymId(pub u32);

/// A product of symbols, kept sorted; the empty monomial is the constant term.
type Monomial = Vec<SymId>;

/// `sum(coefficient * monomial)`, with no zero coefficients stored.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Dim {
    terms: BTreeMap<Monomial, i64>,
}

impl Dim {
    pub fn constant(value: i64) -> Dim {
        let mut terms = BTreeMap::new();
        if value != 0 {
            terms.insert(Vec::new(), value);
        }
        Dim { terms }
    }

    pub fn symbol(sym: SymId) -> Dim {
        let mut terms = BTreeMap::new();
        terms.insert(vec![sym], 1);
        Dim { terms }
    }

    pub fn as_constant(&self) -> Option<i64> {
        match self.terms.len() {
            0 => Some(0),
            1 => self.terms.get(&Vec::new()).copied(),
            _ => None,
        }
    }

    /// The symbol, when the dimension is exactly one symbol.
    pub fn as_symbol(&self) -> Option<SymId> {
        match self.terms.iter().next() {
            Some((m, 1)) if self.terms.len() == 1 && m.len() == 1 => Some(m[0]),
            _ => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn constant_term(&self) -> i64 {
        self.terms.get(&Vec::new()).copied().unwrap_or(0)
    }

    /// The symbols mentioned (a symbol in several terms is listed once per term).
    pub fn symbols(&self) -> impl Iterator<Item = SymId> + '_ {
        self.terms.keys().flatten().copied()
    }

    pub fn add(&self, other: &Dim) -> Dim {
        let mut terms = self.terms.clone();
        for (m, c) in &other.terms {
            let entry = terms.entry(m.clone()).or_insert(0);
            *entry = entry.saturating_add(*c);
            if *entry == 0 {
                terms.remove(m);
            }
        }
        Dim { terms }
    }

    pub fn neg(&self) -> Dim {
        Dim { terms: self.terms.iter().map(|(m, c)| (m.clone(), c.saturating_neg())).collect() }
    }

    pub fn sub(&self, other: &Dim) -> Dim {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Dim) -> Dim {
        let mut out = Dim::default();
        for (ma, ca) in &self.terms {
            for (mb, cb) in &other.terms {
                let mut m = ma.clone();
                m.extend(mb);
                m.sort();
                let mut term = Dim::default();
                term.terms.insert(m, ca.saturating_mul(*cb));
                out = out.add(&term);
            }
        }
        out
    }

    /// Replaces symbols by dimensions (`subst` returns `None` to keep a symbol).
    pub fn substitute(&self, subst: &dyn Fn(SymId) -> Option<Dim>) -> Dim {
        let mut out = Dim::default();
        for (m, c) in &self.terms {
            let mut term = Dim::constant(*c);
            for s in m {
                term = term.mul(&subst(*s).unwrap_or_else(|| Dim::symbol(*s)));
            }
            out = out.add(&term);
        }
        out
    }

    /// When `self` is `c * s + rest` with `s` appearing only linearly, returns `(c, rest)`.
    pub fn linear_in(&self, s: SymId) -> Option<(i64, Dim)> {
        let mut coeff = 0;
        let mut rest = Dim::default();
        for (m, c) in &self.terms {
            match m.iter().filter(|&&x| x == s).count() {
                0 => {
                    rest.terms.insert(m.clone(), *c);
                }
                1 if m.len() == 1 => coeff = *c,
                _ => return None,
            }
        }
        (coeff != 0).then_some((coeff, rest))
    }

    /// Exact division by a constant, when every coefficient is divisible.
    pub fn div_exact(&self, k: i64) -> Option<Dim> {
        if k == 0 || self.terms.values().any(|c| c % k != 0) {
            return None;
        }
        Some(Dim { terms: self.terms.iter().map(|(m, c)| (m.clone(), c / k)).collect() })
    }

    /// Renders with symbol names, highest-degree terms first: `2*H + 1`, `T - 1`, `B*3136`.
    pub fn display(&self, name: &dyn Fn(SymId) -> String) -> String {
        if self.terms.is_empty() {
            return "0".into();
        }
        let mut terms: Vec<(&Monomial, &i64)> = self.terms.iter().collect();
        terms.sort_by(|a, b| {
            b.0.len().cmp(&a.0.len()).then_with(|| (*a.1 < 0).cmp(&(*b.1 < 0))).then_with(|| a.0.cmp(b.0))
        });
        let mut out = String::new();
        for (i, (m, &c)) in terms.iter().enumerate() {
            let (sign, mag) = if c < 0 { ("-", c.unsigned_abs()) } else { ("+", c as u64) };
            if i == 0 {
                if sign == "-" {
                    out.push('-');
                }
            } else {
                let _ = write!(out, " {sign} ");
            }
            let names: Vec<String> = m.iter().map(|s| name(*s)).collect();
            match (names.is_empty(), mag) {
                (true, _) => {
                    let _ = write!(out, "{mag}");
                }
                (false, 1) => out.push_str(&names.join("*")),
                (false, _) => {
                    let _ = write!(out, "{mag}*{}", names.join("*"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: SymId) -> String {
        ["B", "T", "H"][s.0 as usize].to_string()
    }

    #[test]
    fn linear_arithmetic_normalises() {
        let t = Dim::symbol(SymId(1));
        let d = t.add(&Dim::constant(1)).sub(&Dim::constant(2));
        assert_eq!(d.display(&n), "T - 1");
        assert_eq!(Dim::constant(2).mul(&Dim::symbol(SymId(2))).display(&n), "2*H");
        assert!(t.sub(&t).is_zero());
        assert_eq!(t.add(&t), Dim::constant(2).mul(&t));
    }

    #[test]
    fn products_compare_as_polynomials() {
        let b = Dim::symbol(SymId(0));
        let lhs = b.mul(&Dim::constant(7)).mul(&Dim::constant(7)).mul(&Dim::constant(64));
        let rhs = b.mul(&Dim::constant(3136));
        assert_eq!(lhs, rhs);
        assert_eq!(lhs.display(&n), "3136*B");
    }

    #[test]
    fn solving_linear_terms() {
        let t = SymId(1);
        let d = Dim::symbol(t).mul(&Dim::constant(2)).add(&Dim::constant(4));
        let (c, rest) = d.linear_in(t).unwrap();
        assert_eq!((c, rest.as_constant()), (2, Some(4)));
        assert!(Dim::symbol(t).mul(&Dim::symbol(t)).linear_in(t).is_none());
        assert_eq!(d.div_exact(2).unwrap().display(&n), "T + 2");
        assert!(d.div_exact(3).is_none());
    }

    #[test]
    fn substitution() {
        let d = Dim::symbol(SymId(0)).mul(&Dim::symbol(SymId(1))).sub(&Dim::constant(1));
        let r = d.substitute(&|s| (s == SymId(0)).then(|| Dim::constant(3)));
        assert_eq!(r.display(&n), "3*T - 1");
    }
}
