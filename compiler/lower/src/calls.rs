//! Lowering calls: functions and methods become `Call` ops on per-instantiation IR functions
//! (sizes passed first), `Model.init` runs each parameter's initialiser with its own seed,
//! struct construction and casts are plain values; primitives are in `builtins.rs`.

use tf_base::Span;
use tf_check::calls::Source;
use tf_check::checker::FnId;
use tf_check::dim::Dim;
use tf_check::typed::{CallInfo, Callee};
use tf_check::types::{DeclId, ShapeItem, Type as CheckType};
use tf_ir::{BinaryOp, DType, DataSource, Literal, OpKind, Type, ValueId};
use tf_syntax::ast::{Arg, Expr, ExprKind, StrPart};

use crate::env::Bound;
use crate::func::{FnKey, FnLowerer, Res};
use crate::types::{dtype, field_types, size};

impl FnLowerer<'_, '_, '_> {
    pub fn call(&mut self, e: &Expr, callee: &Expr, args: &[Arg]) -> Res<Vec<ValueId>> {
        let Some(info) = self.l.cx.typed.calls.get(&(e.span.file, e.id)).cloned() else {
            return self.internal(e.span, "a call the checker did not resolve");
        };
        // `zeros[3]()`: the generic arguments are in the checker's record; look through them.
        let callee = match &callee.kind {
            ExprKind::Index { expr, .. } if !matches!(self.type_of(callee), CheckType::Model(..)) => expr,
            _ => callee,
        };
        match info.callee.clone() {
            Callee::Fn(f) => self.call_fn(e, callee, args, &info, FnId(f)),
            Callee::Builtin(b) => self.builtin(e, callee, args, &info, b),
            Callee::ModelInit(id) => {
                let CheckType::Model(_, dims) = self.type_of(e) else {
                    return self.internal(e.span, "init of a non-model");
                };
                let seed = match info.slots.first().copied().flatten() {
                    Some(Source::Arg(i)) => {
                        let v = self.tensor(&args[i].value)?;
                        self.as_i64(v)
                    }
                    _ => self.konst(Literal::Int(0), DType::I64),
                };
                self.init_model(id, &dims, seed, e.span)
            }
            Callee::Struct(_) => {
                let want = self.flat(&self.type_of(e), e.span)?;
                let mut vs = Vec::new();
                for slot in &info.slots {
                    if let Some(Source::Arg(i)) = slot {
                        vs.extend(self.expr(&args[*i].value)?);
                    }
                }
                vs.into_iter().zip(want).map(|(v, t)| self.coerce(v, &t)).collect()
            }
            Callee::Cast(d) => {
                let x = self.arg(&info, args, callee, 0)?;
                let Some(d) = dtype(d) else { return self.internal(e.span, "cast to an unknown type") };
                let shape = self.b.func.ty(x).shape.clone();
                Ok(vec![self.op_typed(OpKind::Cast, vec![x], Type::new(d, shape))])
            }
            Callee::Value => self.call_grad(e, callee, args, &info),
        }
    }

    /// The tensor filling parameter `k` of a call (receiver or argument).
    pub fn arg(&mut self, info: &CallInfo, args: &[Arg], callee: &Expr, k: usize) -> Res<ValueId> {
        match info.slots.get(k).copied().flatten() {
            Some(Source::Arg(i)) => self.tensor(&args[i].value),
            Some(Source::Receiver) => match &callee.kind {
                ExprKind::Field { expr, .. } => self.tensor(expr),
                _ => self.internal(callee.span, "a receiver without a field access"),
            },
            None => self.internal(callee.span, "a missing argument"),
        }
    }

    fn call_fn(&mut self, e: &Expr, callee: &Expr, args: &[Arg], info: &CallInfo, f: FnId) -> Res<Vec<ValueId>> {
        let (operands, packs, consts, _) = self.call_operands(e, callee, args, info, f)?;
        let results = self.flat(&self.type_of(e), e.span)?;
        let id = self.l.request(FnKey { func: f, packs, consts });
        self.b.span = Some(e.span);
        Ok(self.b.op_typed(self.region, OpKind::Call(id), operands, results, vec![]))
    }

    /// The operands of a call of `f` (sizes, then the flattened `self` and arguments), the
    /// lengths of its packs, its constant sizes, and the number of size operands.
    pub fn call_operands(
        &mut self,
        e: &Expr,
        callee: &Expr,
        args: &[Arg],
        info: &CallInfo,
        f: FnId,
    ) -> Res<CallOperands> {
        let cx = self.l.cx;
        let finfo = cx.func(f);
        let mut operands = Vec::new();
        // `self`: the receiver of `m.method(...)`, or the model itself for `m(x)`.
        let self_expr = match (&callee.kind, finfo.owner) {
            (ExprKind::Field { expr, name }, Some(owner)) if cx.decl(owner).methods.contains_key(&name.name) => {
                Some(&**expr)
            }
            (_, Some(_)) => Some(callee),
            (_, None) => None,
        };
        let mut self_values = Vec::new();
        if let Some(se) = self_expr {
            let CheckType::Model(_, dims) = self.value_type(se) else {
                return self.internal(e.span, "a method without a model");
            };
            for d in &dims {
                let s = self.size_of(d, e.span)?;
                operands.push(s);
            }
            if finfo.has_self {
                self_values = self.expr(se)?;
            }
        }
        let mut packs = Vec::new();
        for (sym, items) in &info.generics {
            if cx.symbols.info(*sym).is_pack {
                packs.push(items.len());
            }
            for item in items {
                match item {
                    ShapeItem::Dim(d) => {
                        let s = self.size_of(d, e.span)?;
                        operands.push(s);
                    }
                    ShapeItem::Pack(p) => {
                        let vs = self.env.packs.get(p).cloned().unwrap_or_default();
                        operands.extend(vs);
                    }
                }
            }
        }
        // Constant sizes are baked into the callee; the others are passed.
        let consts: Vec<Option<i64>> = operands.iter().map(|v| self.constant_value(*v)).collect();
        operands.retain(|v| self.constant_value(*v).is_none());
        let sizes = operands.len();
        operands.extend(self_values);
        let params: Vec<_> = finfo.decl.params.iter().filter(|p| p.ty.is_some()).collect();
        for (k, p) in finfo.sig.params.iter().enumerate() {
            let vs = match info.slots.get(k).copied().flatten() {
                Some(Source::Arg(i)) => self.expr(&args[i].value)?,
                Some(Source::Receiver) => match &callee.kind {
                    ExprKind::Field { expr, .. } => self.expr(expr)?,
                    _ => return self.internal(e.span, "a receiver without a field access"),
                },
                None => match params.get(k).and_then(|p| p.default.as_ref()) {
                    Some(d) => self.expr(d)?,
                    None => return self.internal(e.span, "a missing argument"),
                },
            };
            let dtypes = dtypes_of(cx, &p.ty);
            for (v, d) in vs.into_iter().zip(dtypes) {
                let v = match d {
                    Some(d) if self.b.func.ty(v).dtype != d => {
                        let shape = self.b.func.ty(v).shape.clone();
                        self.op_typed(OpKind::Cast, vec![v], Type::new(d, shape))
                    }
                    _ => v,
                };
                operands.push(v);
            }
        }
        Ok((operands, packs, consts, sizes))
    }

    /// The integer a value holds when it is a constant of this function.
    pub fn constant_value(&self, v: ValueId) -> Option<i64> {
        match self.b.func.value(v).def {
            tf_ir::ValueDef::Result { op, .. } => match self.b.func.op(op).kind {
                OpKind::Const(Literal::Int(c)) if *self.b.func.ty(v) == Type::scalar(DType::I64) => Some(c),
                _ => None,
            },
            tf_ir::ValueDef::Param { .. } => None,
        }
    }

    /// A checker dimension as a size value here.
    pub fn size_of(&mut self, d: &Dim, span: Span) -> Res<ValueId> {
        match size(d, &self.env) {
            Ok(s) => Ok(self.size_value(&s)),
            Err(sym) => {
                let name = self.l.cx.symbols.name(sym);
                self.internal(span, format!("the size `{name}` has no value here"))
            }
        }
    }

    /// A model's parameters, each from its initialiser with its own seed (`seed * 31 + k + 1`
    /// for the k-th field, recursively through sub-models).
    pub fn init_model(&mut self, id: DeclId, dims: &[Dim], seed: ValueId, span: Span) -> Res<Vec<ValueId>> {
        let cx = self.l.cx;
        let decl = cx.decl(id);
        let types = field_types(cx, id, dims);
        let mut generic_sizes = Vec::new();
        for (g, d) in decl.generics.iter().zip(dims) {
            generic_sizes.push((*g, self.size_of(d, span)?));
        }
        let mut out = Vec::new();
        for (k, (field, ty)) in decl.fields.iter().zip(&types).enumerate() {
            let c31 = self.konst(Literal::Int(31), DType::I64);
            let ck = self.konst(Literal::Int(k as i64 + 1), DType::I64);
            let scaled = self.int_op(BinaryOp::Mul, seed, c31);
            let field_seed = self.int_op(BinaryOp::Add, scaled, ck);
            match (field.init, ty) {
                (Some(init), _) => {
                    let saved = self.env.clone();
                    self.env.push();
                    for (g, v) in &generic_sizes {
                        self.env.sizes.insert(*g, *v);
                    }
                    self.env.bind("seed", Bound::Values(vec![field_seed]));
                    let vs = self.expr(init);
                    self.env = saved;
                    let want = self.flat(ty, field.span)?;
                    for (v, t) in vs?.into_iter().zip(want) {
                        out.push(self.coerce(v, &t)?);
                    }
                }
                (None, CheckType::Model(sub, sub_dims)) => {
                    out.extend(self.init_model(*sub, sub_dims, field_seed, span)?)
                }
                (None, _) => {
                    for t in self.flat(ty, field.span)? {
                        let zero = self.konst(Literal::Float(0.0), t.dtype);
                        out.push(self.coerce(zero, &t)?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// `load_npz(p)`, `data["x"]`, `load_npy(p)`, ...: an archive binding, or a `Load` op with
    /// the declared type (its runtime sizes become size values).
    pub fn data_source(&mut self, value: &Expr) -> Res<Option<Bound>> {
        let ExprKind::Call { callee, args } = &value.kind else {
            return self.archive_entry(value);
        };
        let ExprKind::Name(name) = &callee.kind else { return Ok(None) };
        let path = match args.first().map(|a| &a.value.kind) {
            Some(ExprKind::Str(parts)) => text_of(parts),
            _ => None,
        };
        let builtin = tf_check::builtins::lookup(&name.name).is_some() && self.env.get(&name.name).is_none();
        if !builtin {
            return Ok(None);
        }
        let source = match (name.name.as_str(), path) {
            ("load_npz", Some(p)) => return Ok(Some(Bound::Archive { path: p, npz: true })),
            ("load_safetensors", Some(p)) => return Ok(Some(Bound::Archive { path: p, npz: false })),
            ("load_npy", Some(p)) => DataSource::Npy { path: p },
            ("load_idx", Some(p)) => DataSource::Idx { path: p },
            ("load_csv", Some(p)) => DataSource::Csv { path: p, header: true },
            ("load_npz" | "load_safetensors" | "load_npy" | "load_idx" | "load_csv", None) => {
                return self.fail(crate::unsupported(value.span, "a data path that is not a string literal"))
            }
            _ => return Ok(None),
        };
        self.load(source, value).map(Some)
    }

    fn archive_entry(&mut self, value: &Expr) -> Res<Option<Bound>> {
        let ExprKind::Index { expr, indices } = &value.kind else { return Ok(None) };
        let ExprKind::Name(n) = &expr.kind else { return Ok(None) };
        let Some(Bound::Archive { path, npz }) = self.env.get(&n.name).cloned() else { return Ok(None) };
        let key = match indices.first() {
            Some(tf_syntax::ast::IndexArg::Expr(Expr { kind: ExprKind::Str(parts), .. })) => text_of(parts),
            _ => None,
        };
        let Some(key) = key else {
            return self.fail(crate::unsupported(value.span, "an archive key that is not a string literal"));
        };
        let source = if npz { DataSource::Npz { path, key } } else { DataSource::Safetensors { path, key } };
        self.load(source, value).map(Some)
    }

    /// A `Load` op typed by the declaration recorded for `value`.
    fn load(&mut self, source: DataSource, value: &Expr) -> Res<Bound> {
        let CheckType::Tensor(declared) = self.type_of(value) else {
            return self.internal(value.span, "data without a declared tensor type");
        };
        let Some(d) = dtype(declared.dtype) else {
            return self.internal(value.span, "data of an unknown element type");
        };
        let mut result_types = vec![Type::scalar(d)];
        let mut new_syms = Vec::new();
        for item in &declared.shape.0 {
            let ShapeItem::Dim(dim) = item else { return self.internal(value.span, "data with a pack in its type") };
            // One size result per dimension that is not a constant (the IR's contract); only
            // a size not known yet takes its value from it, the others are checked against it.
            if dim.as_constant().is_none() {
                result_types.push(Type::scalar(DType::I64));
                match (size(dim, &self.env).is_ok(), dim.as_symbol()) {
                    (true, _) => new_syms.push(None),
                    (false, Some(s)) => new_syms.push(Some(s)),
                    (false, None) => {
                        return self.fail(crate::unsupported(
                            value.span,
                            "a new size defined by arithmetic in a data declaration",
                        ))
                    }
                }
            }
        }
        // Sizes come out of the op itself; give the tensor its type once they exist.
        self.b.span = Some(value.span);
        let results = self.b.op_typed(self.region, OpKind::Load(source), vec![], result_types, vec![]);
        for (s, v) in new_syms.iter().zip(&results[1..]) {
            let Some(s) = s else { continue };
            self.env.sizes.insert(*s, *v);
            let name = self.l.cx.symbols.name(*s);
            self.b.name_value(*v, &name);
            self.env.dim_names.entry(name).or_insert(*s);
        }
        let shape = match crate::types::shape(&declared.shape, &self.env) {
            Ok(s) => s,
            Err(_) => return self.internal(value.span, "data sizes"),
        };
        self.b.set_type(results[0], Type::new(d, shape));
        Ok(Bound::Values(vec![results[0]]))
    }
}

/// Operands, pack lengths, constant sizes and the number of size operands of a call.
pub type CallOperands = (Vec<ValueId>, Vec<usize>, Vec<Option<i64>>, usize);

/// The flattened element types of a (possibly generic) checker type.
fn dtypes_of(cx: &tf_check::checker::Checker<'_>, t: &CheckType) -> Vec<Option<DType>> {
    match t {
        CheckType::Tensor(tt) => vec![dtype(tt.dtype)],
        CheckType::Tuple(ts) => ts.iter().flat_map(|t| dtypes_of(cx, t)).collect(),
        CheckType::Model(id, dims) | CheckType::Struct(id, dims) => {
            field_types(cx, *id, dims).iter().flat_map(|t| dtypes_of(cx, t)).collect()
        }
        _ => Vec::new(),
    }
}

/// The text of a string literal without interpolation.
pub fn text_of(parts: &[StrPart]) -> Option<String> {
    match parts {
        [StrPart::Text(t)] => Some(t.clone()),
        _ => None,
    }
}
