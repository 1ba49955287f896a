//! Lowering one function: its size and tensor parameters, its body, and the state shared by
//! the expression and statement lowering (`FnLowerer`).

use tf_base::{Diagnostic, Span};
use tf_check::checker::FnId;
use tf_check::dim::Dim;
use tf_check::typed::ExprKey;
use tf_check::types::Type as CheckType;
use tf_ir::{BinaryOp, DType, FuncId, FunctionBuilder, Literal, OpKind, RegionId, Size, Type, ValueId};
use tf_syntax::ast::{Expr, StmtKind};

use crate::env::{Bound, Env};
use crate::types::{flatten, FlattenError};
use crate::Lowerer;

/// A source function at one instantiation: the length of each of its `..` packs, and the value
/// of each size parameter that is a constant at the call (monomorphised where known; `None`
/// stays a size parameter, so one function serves every run-time size).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnKey {
    pub func: FnId,
    pub packs: Vec<usize>,
    pub consts: Vec<Option<i64>>,
}

/// `Err(())`: lowering this function stopped; the diagnostic is already recorded.
pub type Res<T> = Result<T, ()>;

pub struct FnLowerer<'l, 'c, 'a> {
    pub l: &'l mut Lowerer<'c, 'a>,
    pub b: FunctionBuilder,
    pub env: Env,
    pub region: RegionId,
    /// The IR function being built (derivative calls are patched in it later).
    pub caller: FuncId,
}

impl<'c, 'a> Lowerer<'c, 'a> {
    pub fn lower_function(&mut self, key: &FnKey, id: FuncId) {
        let info = self.cx.func(key.func);
        let name = self.module.functions[id.index()].name.clone();
        let mut b = FunctionBuilder::new(name);
        b.span = Some(info.decl.name.span);
        let body = b.body();
        let mut f = FnLowerer { l: self, b, env: Env::new(), region: body, caller: id };
        if f.setup(key).is_ok() {
            if let Ok(values) = f.body(key.func) {
                f.b.set_yields(body, values);
            }
        }
        let mut func = f.b.finish();
        func.span = Some(info.decl.name.span);
        self.module.functions[id.index()] = func;
        // A hand-written derivative rule is lowered at the same instantiation, for autodiff.
        if let Some(rule) = info.custom_vjp {
            let rid = self.request(FnKey { func: rule, packs: key.packs.clone(), consts: key.consts.clone() });
            self.rules.insert(id, rid);
        }
    }
}

impl FnLowerer<'_, '_, '_> {
    pub fn fail<T>(&mut self, d: Diagnostic) -> Res<T> {
        self.l.diagnostics.push(d);
        Err(())
    }

    pub fn internal<T>(&mut self, span: Span, what: impl Into<String>) -> Res<T> {
        let what = what.into();
        self.fail(crate::unsupported(span, format!("internal lowering problem ({what}); this")))
    }

    /// Size parameters (the owner model's generics, then the function's, packs expanded), then
    /// the flattened `self` and parameters.
    fn setup(&mut self, key: &FnKey) -> Res<()> {
        let cx = self.l.cx;
        let info = cx.func(key.func);
        let body = self.region;
        let mut position = 0;
        let mut size_param = |f: &mut Self, name: &str| {
            let known = key.consts.get(position).copied().flatten();
            position += 1;
            match known {
                Some(c) => {
                    let v = f.konst(Literal::Int(c), DType::I64);
                    f.env.const_values.insert(v, c);
                    v
                }
                None => f.b.param(body, Type::scalar(DType::I64), Some(name)),
            }
        };
        if let Some(owner) = info.owner {
            for &g in &cx.decl(owner).generics {
                let v = size_param(self, &cx.symbols.name(g));
                self.env.sizes.insert(g, v);
            }
        }
        let mut pack_index = 0;
        for &g in &info.sig.generics {
            let sym = cx.symbols.info(g);
            if sym.is_pack {
                let n = key.packs.get(pack_index).copied().unwrap_or(0);
                pack_index += 1;
                let vs = (0..n).map(|i| size_param(self, &format!("{}{i}", sym.name))).collect();
                self.env.packs.insert(g, vs);
            } else {
                let v = size_param(self, &sym.name);
                self.env.sizes.insert(g, v);
            }
        }
        self.env.dim_names = info.dim_scope.clone();
        if info.has_self {
            if let Some(owner) = info.owner {
                let dims: Vec<Dim> = cx.decl(owner).generics.iter().map(|s| Dim::symbol(*s)).collect();
                let vs = self.params_of(&CheckType::Model(owner, dims), "self", info.decl.name.span)?;
                self.env.bind("self", Bound::Values(vs));
            }
        }
        // A derivative rule's parameters are all written without types (they are the function's).
        let is_rule = info.derivative_of.is_some();
        let names: Vec<&str> =
            info.decl.params.iter().filter(|p| p.ty.is_some() || is_rule).map(|p| p.name.name.as_str()).collect();
        for (p, name) in info.sig.params.iter().zip(names) {
            let vs = self.params_of(&p.ty, name, info.decl.name.span)?;
            self.env.bind(name, Bound::Values(vs));
        }
        Ok(())
    }

    fn params_of(&mut self, t: &CheckType, name: &str, span: Span) -> Res<Vec<ValueId>> {
        let types = self.flat(t, span)?;
        let body = self.region;
        let single = types.len() == 1;
        Ok(types
            .into_iter()
            .enumerate()
            .map(|(i, ty)| {
                let n = if single { name.to_string() } else { format!("{name}.{i}") };
                self.b.param(body, ty, Some(&n))
            })
            .collect())
    }

    /// Flattened IR types of a checker type in this function.
    pub fn flat(&mut self, t: &CheckType, span: Span) -> Res<Vec<Type>> {
        match flatten(self.l.cx, t, &self.env) {
            Ok(ts) => Ok(ts),
            Err(FlattenError::Unknown(s)) => {
                let name = self.l.cx.symbols.name(s);
                self.internal(span, format!("the size `{name}` has no value here"))
            }
            Err(FlattenError::NotTensors(what)) => {
                self.fail(crate::unsupported(span, format!("a value of type {what}")))
            }
        }
    }

    /// The checker's type of an expression.
    pub fn type_of(&self, e: &Expr) -> CheckType {
        let key: ExprKey = (e.span.file, e.id);
        self.l.cx.typed.types.get(&key).cloned().unwrap_or(CheckType::Error)
    }

    /// The type of an expression used as a value, including a model field called as a model
    /// (`self.l1(x)`: the checker records the call, not the field access).
    pub fn value_type(&self, e: &Expr) -> CheckType {
        match (self.type_of(e), &e.kind) {
            (CheckType::Error, tf_syntax::ast::ExprKind::Field { expr, name }) => match self.value_type(expr) {
                CheckType::Model(id, dims) | CheckType::Struct(id, dims) => {
                    let cx = self.l.cx;
                    let k = cx.decl(id).fields.iter().position(|f| f.name == name.name);
                    k.map_or(CheckType::Error, |k| crate::types::field_types(cx, id, &dims).swap_remove(k))
                }
                _ => CheckType::Error,
            },
            (t, _) => t,
        }
    }

    fn body(&mut self, func: FnId) -> Res<Vec<ValueId>> {
        let info = self.l.cx.func(func);
        let decl = info.decl;
        let ret = info.sig.ret.clone();
        let stmts = &decl.body.stmts;
        let (init, last) = match stmts.split_last() {
            Some((last, init)) => (init, Some(last)),
            None => (&stmts[..], None),
        };
        for s in init {
            self.stmt(s)?;
        }
        let value = match last.map(|s| &s.kind) {
            Some(StmtKind::Expr(e)) | Some(StmtKind::Return(Some(e))) => self.expr(e)?,
            Some(_) => {
                self.stmt(last.expect("matched Some"))?;
                Vec::new()
            }
            None => Vec::new(),
        };
        let want = self.flat(&ret, decl.name.span)?;
        if want.len() != value.len() {
            return self.internal(decl.name.span, "the body's value does not match the return type");
        }
        let mut out = Vec::new();
        for (v, t) in value.into_iter().zip(want) {
            out.push(self.coerce(v, &t)?);
        }
        Ok(out)
    }

    /// Converts a value to a type of the same rank or broadcastable to it: a cast when the
    /// element types differ (literal-typed values), a broadcast when the shapes do.
    pub fn coerce(&mut self, v: ValueId, want: &Type) -> Res<ValueId> {
        let have = self.b.func.ty(v).clone();
        let mut v = v;
        if have.dtype != want.dtype {
            v = self.op_typed(OpKind::Cast, vec![v], Type::new(want.dtype, have.shape.clone()));
        }
        if have.shape != want.shape {
            v = self.op_typed(OpKind::Broadcast, vec![v], want.clone());
        }
        Ok(v)
    }

    pub fn op_typed(&mut self, kind: OpKind, operands: Vec<ValueId>, ty: Type) -> ValueId {
        self.b.op_typed(self.region, kind, operands, vec![ty], vec![])[0]
    }

    pub fn op(&mut self, kind: OpKind, operands: Vec<ValueId>, span: Span) -> Res<ValueId> {
        match self.b.op1(self.region, kind, operands) {
            Ok(v) => Ok(v),
            Err(e) => self.internal(span, e),
        }
    }

    pub fn konst(&mut self, lit: Literal, dtype: DType) -> ValueId {
        self.b.constant(self.region, lit, dtype)
    }

    pub fn size_value(&mut self, s: &Size) -> ValueId {
        let v = self.b.size_value(self.region, s);
        if let Some(c) = s.as_constant() {
            // Types built from this value use the constant, like the callee specialised to it.
            self.env.const_values.insert(v, c);
        }
        v
    }

    /// `a op b` on `i64` scalars.
    pub fn int_op(&mut self, op: BinaryOp, a: ValueId, b: ValueId) -> ValueId {
        self.op_typed(OpKind::Binary(op), vec![a, b], Type::scalar(DType::I64))
    }

    /// A value as an `i64` scalar (indices and bounds may be `i32`).
    pub fn as_i64(&mut self, v: ValueId) -> ValueId {
        if self.b.func.ty(v).dtype == DType::I64 {
            v
        } else {
            self.op_typed(OpKind::Cast, vec![v], Type::scalar(DType::I64))
        }
    }
}
