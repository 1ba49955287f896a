//! Operators: arithmetic and comparisons with NumPy broadcasting, boolean logic, `@`, and
//! structural arithmetic on models and structs.

use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{BinOp, Expr};

use crate::body::FnChecker;
use crate::dim::Dim;
use crate::types::{DType, Shape, ShapeItem, TensorType, Type};
use crate::unify::DimCmp;

impl FnChecker<'_, '_> {
    pub fn binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr, span: Span) -> Type {
        let a = self.expr(lhs, None);
        self.binary_types(op, &a, lhs.span, rhs, span)
    }

    /// Types `a op rhs` where the left operand's type is already known.
    pub fn binary_types(&mut self, op: BinOp, a: &Type, a_span: Span, rhs: &Expr, span: Span) -> Type {
        let b = self.expr(rhs, None);
        let b_span = rhs.span;
        match (a, &b) {
            (Type::Error, _) | (_, Type::Error) => Type::Error,
            (Type::Tensor(x), Type::Tensor(y)) => {
                let (x, y) = (x.clone(), y.clone());
                self.tensor_binary(op, &x, a_span, &y, b_span, span)
            }
            (Type::Model(..) | Type::Struct(..), _) | (_, Type::Model(..) | Type::Struct(..)) => {
                self.structural(op, a, a_span, &b, b_span, span)
            }
            _ => self.bad_operands(op, a, a_span, &b, b_span),
        }
    }

    fn bad_operands(&mut self, op: BinOp, a: &Type, a_span: Span, b: &Type, b_span: Span) -> Type {
        let (x, y) = (self.show(a), self.show(b));
        self.error(
            Diagnostic::error(
                Code::InvalidOperand,
                a_span,
                format!("`{}` cannot be applied to {x} and {y}", op.symbol()),
            )
            .with_label(format!("this is {x}"))
            .with_secondary(b_span, format!("this is {y}")),
        );
        Type::Error
    }

    fn tensor_binary(
        &mut self,
        op: BinOp,
        x: &TensorType,
        a_span: Span,
        y: &TensorType,
        b_span: Span,
        span: Span,
    ) -> Type {
        let (a, b) = (Type::Tensor(x.clone()), Type::Tensor(y.clone()));
        let dtype = match op {
            BinOp::And | BinOp::Or => {
                if x.dtype != DType::Bool || y.dtype != DType::Bool {
                    return self.bad_operands(op, &a, a_span, &b, b_span);
                }
                DType::Bool
            }
            _ => {
                let Some(d) = DType::join(x.dtype, y.dtype) else {
                    if !x.dtype.is_numeric() || !y.dtype.is_numeric() {
                        return self.bad_operands(op, &a, a_span, &b, b_span);
                    }
                    let (sa, sb) = (self.show(&a), self.show(&b));
                    self.error(
                        Diagnostic::error(
                            Code::DtypeMismatch,
                            a_span,
                            format!(
                                "`{}` of mismatched element types {} and {}",
                                op.symbol(),
                                x.dtype.name(),
                                y.dtype.name()
                            ),
                        )
                        .with_label(format!("this is {sa}"))
                        .with_secondary(b_span, format!("this is {sb}"))
                        .with_help(format!("convert one side explicitly, e.g. `{}(...)`", x.dtype.defaulted().name())),
                    );
                    return Type::Error;
                };
                let numeric_needed = !matches!(op, BinOp::Eq | BinOp::Ne);
                if numeric_needed && !d.is_numeric() {
                    return self.bad_operands(op, &a, a_span, &b, b_span);
                }
                d
            }
        };
        if op == BinOp::MatMul {
            return self.matmul(x, a_span, y, b_span, dtype);
        }
        let shape = match self.broadcast(&x.shape, &y.shape, span) {
            Ok(s) => s,
            Err((i, dx, dy)) => {
                let (sa, sb) = (self.show(&a), self.show(&b));
                let (ex, ey) = (self.show_dim(&dx), self.show_dim(&dy));
                self.error(
                    Diagnostic::error(
                        Code::BroadcastMismatch,
                        a_span,
                        format!("shapes {} and {} cannot be broadcast together", shape_of(&sa), shape_of(&sb)),
                    )
                    .with_label(format!("this is {sa}"))
                    .with_secondary(b_span, format!("this is {sb}"))
                    .with_note(format!(
                        "dimension {ex} and {ey} ({} from the end) must be equal, or one of them 1",
                        ordinal(i + 1)
                    )),
                );
                return Type::Error;
            }
        };
        let result = if op.is_comparison() { DType::Bool } else { dtype };
        Type::tensor(result, shape)
    }

    /// NumPy broadcasting; on failure, the position from the end and the two dimensions.
    pub fn broadcast(&mut self, a: &Shape, b: &Shape, span: Span) -> Result<Shape, (usize, Dim, Dim)> {
        let (a, b) = (self.subst.shape(a), self.subst.shape(b));
        let (mut ia, mut ib) = (a.0.len(), b.0.len());
        let mut out: Vec<ShapeItem> = Vec::new();
        let mut pos = 0;
        while ia > 0 && ib > 0 {
            match (&a.0[ia - 1], &b.0[ib - 1]) {
                (ShapeItem::Dim(x), ShapeItem::Dim(y)) => {
                    let one = Dim::constant(1);
                    let d = if *x == one {
                        y.clone()
                    } else if *y == one {
                        x.clone()
                    } else {
                        match self.dims_cmp(x, y, span) {
                            DimCmp::Equal | DimCmp::AtRuntime => x.clone(),
                            DimCmp::Unequal => return Err((pos, x.clone(), y.clone())),
                        }
                    };
                    out.push(ShapeItem::Dim(d));
                    ia -= 1;
                    ib -= 1;
                    pos += 1;
                }
                (ShapeItem::Pack(p), ShapeItem::Pack(q)) if p == q && ia == ib && a.0[..ia] == b.0[..ib] => {
                    out.extend(a.0[..ia].iter().rev().cloned());
                    ia = 0;
                    ib = 0;
                }
                (ShapeItem::Pack(_), _) | (_, ShapeItem::Pack(_)) => {
                    // A pack against something else: only equal remainders are known to broadcast.
                    if a.0[..ia] == b.0[..ib] {
                        out.extend(a.0[..ia].iter().rev().cloned());
                        ia = 0;
                        ib = 0;
                    } else {
                        return Err((pos, item_dim(&a.0[ia - 1]), item_dim(&b.0[ib - 1])));
                    }
                }
            }
        }
        out.extend(a.0[..ia].iter().rev().cloned());
        out.extend(b.0[..ib].iter().rev().cloned());
        out.reverse();
        Ok(Shape(out))
    }

    pub fn matmul(&mut self, x: &TensorType, a_span: Span, y: &TensorType, b_span: Span, dtype: DType) -> Type {
        let (sa, sb) = (self.subst.shape(&x.shape), self.subst.shape(&y.shape));
        let (ta, tb) = (Type::tensor(x.dtype, sa.clone()), Type::tensor(y.dtype, sb.clone()));
        if sa.is_scalar() || sb.is_scalar() {
            let (na, nb) = (self.show(&ta), self.show(&tb));
            self.error(
                Diagnostic::error(Code::InvalidRank, a_span, "`@` needs at least one dimension on each side")
                    .with_label(format!("this is {na}"))
                    .with_secondary(b_span, format!("this is {nb}"))
                    .with_help("multiply by a scalar with `*`"),
            );
            return Type::Error;
        }
        let a_vec = sa.0.len() == 1;
        let b_vec = sb.0.len() == 1;
        let k_a = sa.0.last().cloned();
        let k_b = if b_vec { sb.0.last().cloned() } else { sb.0.get(sb.0.len() - 2).cloned() };
        let (Some(ShapeItem::Dim(ka)), Some(ShapeItem::Dim(kb))) = (k_a, k_b) else {
            self.error(
                Diagnostic::error(Code::InvalidRank, a_span, "`@` of shapes whose trailing dimensions are unknown")
                    .with_label("rank unknown here"),
            );
            return Type::Error;
        };
        if self.dims_cmp(&ka, &kb, a_span.to(b_span)) == DimCmp::Unequal {
            let (na, nb) = (self.show(&ta), self.show(&tb));
            let (da, db) = (self.show_dim(&ka), self.show_dim(&kb));
            self.error(
                Diagnostic::error(Code::MatmulMismatch, a_span, "matrix product of mismatched inner dimensions")
                    .with_label(na)
                    .with_secondary(b_span, nb)
                    .with_note(format!("the inner dimensions {da} and {db} must be equal")),
            );
            return Type::Error;
        }
        let batch_a = Shape(if a_vec { vec![] } else { sa.0[..sa.0.len() - 2].to_vec() });
        let batch_b = Shape(if b_vec { vec![] } else { sb.0[..sb.0.len() - 2].to_vec() });
        let mut out = match self.broadcast(&batch_a, &batch_b, a_span.to(b_span)) {
            Ok(s) => s.0,
            Err((_, dx, dy)) => {
                let (na, nb) = (self.show(&ta), self.show(&tb));
                self.error(
                    Diagnostic::error(
                        Code::BroadcastMismatch,
                        a_span,
                        "batch dimensions of `@` cannot be broadcast together",
                    )
                    .with_label(na)
                    .with_secondary(b_span, nb)
                    .with_note(format!(
                        "batch dimensions {} and {} differ",
                        self.show_dim(&dx),
                        self.show_dim(&dy)
                    )),
                );
                return Type::Error;
            }
        };
        if !a_vec {
            out.push(sa.0[sa.0.len() - 2].clone());
        }
        if !b_vec {
            out.push(sb.0[sb.0.len() - 1].clone());
        }
        Type::tensor(dtype, Shape(out))
    }

    /// `model ± model`, `scalar * model`, `model / scalar`: applied to every parameter.
    fn structural(&mut self, op: BinOp, a: &Type, a_span: Span, b: &Type, b_span: Span, span: Span) -> Type {
        let arith = matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Pow);
        let is_scalar = |t: &Type| matches!(t, Type::Tensor(tt) if tt.shape.is_scalar() && tt.dtype.is_numeric());
        if !arith {
            return self.bad_operands(op, a, a_span, b, b_span);
        }
        match (a, b) {
            (Type::Model(..) | Type::Struct(..), Type::Model(..) | Type::Struct(..)) => {
                if self.unify(a, b, span).is_err() {
                    return self.bad_operands(op, a, a_span, b, b_span);
                }
                a.clone()
            }
            (m @ (Type::Model(..) | Type::Struct(..)), s) | (s, m @ (Type::Model(..) | Type::Struct(..)))
                if is_scalar(s) =>
            {
                m.clone()
            }
            _ => self.bad_operands(op, a, a_span, b, b_span),
        }
    }
}

fn item_dim(i: &ShapeItem) -> Dim {
    match i {
        ShapeItem::Dim(d) => d.clone(),
        ShapeItem::Pack(_) => Dim::constant(0),
    }
}

/// `f32[B, 3]` → `[B, 3]`; scalars → `[]`.
fn shape_of(shown: &str) -> String {
    shown.find('[').map_or("[]".to_string(), |i| shown[i..].to_string())
}

pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
