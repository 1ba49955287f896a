//! Integer polynomials over symbols: the symbolic sizes of the checker (dimension symbols) and
//! of the IR (size values). Users write linear arithmetic (`T - 1`, `2 * H`); products appear
//! when element counts are compared.

use std::collections::BTreeMap;
use std::fmt::Write;

/// A product of symbols, kept sorted; the empty monomial is the constant term.
type Monomial<S> = Vec<S>;

/// `sum(coefficient * monomial)`, with no zero coefficients stored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Poly<S: Ord> {
    terms: BTreeMap<Monomial<S>, i64>,
}

impl<S: Ord> Default for Poly<S> {
    fn default() -> Self {
        Poly { terms: BTreeMap::new() }
    }
}

impl<S: Copy + Ord> Poly<S> {
    pub fn constant(value: i64) -> Self {
        let mut terms = BTreeMap::new();
        if value != 0 {
            terms.insert(Vec::new(), value);
        }
        Self { terms }
    }

    pub fn symbol(sym: S) -> Self {
        let mut terms = BTreeMap::new();
        terms.insert(vec![sym], 1);
        Self { terms }
    }

    pub fn as_constant(&self) -> Option<i64> {
        match self.terms.len() {
            0 => Some(0),
            1 => self.terms.get(&Vec::new()).copied(),
            _ => None,
        }
    }

    /// The symbol, when the dimension is exactly one symbol.
    pub fn as_symbol(&self) -> Option<S> {
        match self.terms.iter().next() {
            Some((m, 1)) if self.terms.len() == 1 && m.len() == 1 => Some(m[0]),
            _ => None,
        }
    }

    /// The terms: each product of symbols with its coefficient (the constant term has none).
    pub fn terms(&self) -> impl Iterator<Item = (&[S], i64)> + '_ {
        self.terms.iter().map(|(m, c)| (m.as_slice(), *c))
    }

    /// Evaluates with a value for every symbol.
    pub fn eval(&self, value: &dyn Fn(S) -> Option<i64>) -> Option<i64> {
        let mut total = 0i64;
        for (m, c) in &self.terms {
            let mut term = *c;
            for s in m {
                term = term.checked_mul(value(*s)?)?;
            }
            total = total.checked_add(term)?;
        }
        Some(total)
    }

    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn constant_term(&self) -> i64 {
        self.terms.get(&Vec::new()).copied().unwrap_or(0)
    }

    /// The symbols mentioned (a symbol in several terms is listed once per term).
    pub fn symbols(&self) -> impl Iterator<Item = S> + '_ {
        self.terms.keys().flatten().copied()
    }

    pub fn add(&self, other: &Self) -> Self {
        let mut terms = self.terms.clone();
        for (m, c) in &other.terms {
            let entry = terms.entry(m.clone()).or_insert(0);
            *entry = entry.saturating_add(*c);
            if *entry == 0 {
                terms.remove(m);
            }
        }
        Self { terms }
    }

    pub fn neg(&self) -> Self {
        Self { terms: self.terms.iter().map(|(m, c)| (m.clone(), c.saturating_neg())).collect() }
    }

    pub fn sub(&self, other: &Self) -> Self {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Self) -> Self {
        let mut out = Self::default();
        for (ma, ca) in &self.terms {
            for (mb, cb) in &other.terms {
                let mut m = ma.clone();
                m.extend(mb);
                m.sort();
                let mut term = Self::default();
                term.terms.insert(m, ca.saturating_mul(*cb));
                out = out.add(&term);
            }
        }
        out
    }

    /// Replaces symbols by dimensions (`subst` returns `None` to keep a symbol).
    pub fn substitute(&self, subst: &dyn Fn(S) -> Option<Self>) -> Self {
        let mut out = Self::default();
        for (m, c) in &self.terms {
            let mut term = Self::constant(*c);
            for s in m {
                term = term.mul(&subst(*s).unwrap_or_else(|| Self::symbol(*s)));
            }
            out = out.add(&term);
        }
        out
    }

    /// When `self` is `c * s + rest` with `s` appearing only linearly, returns `(c, rest)`.
    pub fn linear_in(&self, s: S) -> Option<(i64, Self)> {
        let mut coeff = 0;
        let mut rest = Self::default();
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
    pub fn div_exact(&self, k: i64) -> Option<Self> {
        if k == 0 || self.terms.values().any(|c| c % k != 0) {
            return None;
        }
        Some(Self { terms: self.terms.iter().map(|(m, c)| (m.clone(), c / k)).collect() })
    }

    /// Renders with symbol names, highest-degree terms first: `2*H + 1`, `T - 1`, `B*3136`.
    pub fn display(&self, name: &dyn Fn(S) -> String) -> String {
        if self.terms.is_empty() {
            return "0".into();
        }
        let mut terms: Vec<(&Monomial<S>, &i64)> = self.terms.iter().collect();
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

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    struct S(u32);

    fn n(s: S) -> String {
        ["B", "T", "H"][s.0 as usize].to_string()
    }

    #[test]
    fn linear_arithmetic_normalises() {
        let t = Poly::symbol(S(1));
        let d = t.add(&Poly::constant(1)).sub(&Poly::constant(2));
        assert_eq!(d.display(&n), "T - 1");
        assert_eq!(Poly::constant(2).mul(&Poly::symbol(S(2))).display(&n), "2*H");
        assert!(t.sub(&t).is_zero());
        assert_eq!(t.add(&t), Poly::constant(2).mul(&t));
    }

    #[test]
    fn products_compare_as_polynomials() {
        let b = Poly::symbol(S(0));
        let lhs = b.mul(&Poly::constant(7)).mul(&Poly::constant(7)).mul(&Poly::constant(64));
        let rhs = b.mul(&Poly::constant(3136));
        assert_eq!(lhs, rhs);
        assert_eq!(lhs.display(&n), "3136*B");
    }

    #[test]
    fn solving_linear_terms() {
        let t = S(1);
        let d = Poly::symbol(t).mul(&Poly::constant(2)).add(&Poly::constant(4));
        let (c, rest) = d.linear_in(t).unwrap();
        assert_eq!((c, rest.as_constant()), (2, Some(4)));
        assert!(Poly::symbol(t).mul(&Poly::symbol(t)).linear_in(t).is_none());
        assert_eq!(d.div_exact(2).unwrap().display(&n), "T + 2");
        assert!(d.div_exact(3).is_none());
    }

    #[test]
    fn substitution() {
        let d = Poly::symbol(S(0)).mul(&Poly::symbol(S(1))).sub(&Poly::constant(1));
        let r = d.substitute(&|s| (s == S(0)).then(|| Poly::constant(3)));
        assert_eq!(r.display(&n), "3*T - 1");
    }
}
