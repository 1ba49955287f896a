//! The IR's text form (`tfc build --emit ir`): every value with its dtype and symbolic shape,
//! `%7: f32[%n.2, 128] = matmul %3, %5`, regions indented under their op.

use std::fmt::Write;

use crate::ir::*;

pub fn print_module(m: &Module) -> String {
    let mut out = String::new();
    for (i, f) in m.functions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&print_function(f, m));
    }
    out
}

pub fn print_function(f: &Function, m: &Module) -> String {
    let p = Printer { f, m };
    let mut out = String::new();
    let params: Vec<String> = f.params().iter().map(|v| p.typed(*v)).collect();
    let results: Vec<String> = f.result_types().iter().map(|t| p.ty(t)).collect();
    let _ = writeln!(out, "fn {}({}) -> ({}) {{", f.name, params.join(", "), results.join(", "));
    p.region_body(f.body, 1, &mut out);
    out.push_str("}\n");
    out
}

struct Printer<'a> {
    f: &'a Function,
    m: &'a Module,
}

impl Printer<'_> {
    fn name(&self, v: ValueId) -> String {
        match &self.f.value(v).name {
            Some(n) => format!("%{n}.{}", v.index()),
            None => format!("%{}", v.index()),
        }
    }

    fn size(&self, s: &Size) -> String {
        s.display(&|v| self.name(v))
    }

    fn ty(&self, t: &Type) -> String {
        if t.is_scalar() {
            return t.dtype.name().to_string();
        }
        let dims: Vec<String> = t.shape.iter().map(|d| self.size(d)).collect();
        format!("{}[{}]", t.dtype.name(), dims.join(", "))
    }

    fn typed(&self, v: ValueId) -> String {
        format!("{}: {}", self.name(v), self.ty(self.f.ty(v)))
    }

    fn list(&self, vs: &[ValueId]) -> String {
        vs.iter().map(|v| self.name(*v)).collect::<Vec<_>>().join(", ")
    }

    fn region_body(&self, r: RegionId, depth: usize, out: &mut String) {
        let indent = "    ".repeat(depth);
        for &op in &self.f.region(r).ops {
            self.op(op, depth, out);
        }
        let _ = writeln!(out, "{indent}yield {}", self.list(&self.f.region(r).yields));
    }

    fn op(&self, id: OpId, depth: usize, out: &mut String) {
        let indent = "    ".repeat(depth);
        let op = self.f.op(id);
        let results: Vec<String> = op.results.iter().map(|v| self.typed(*v)).collect();
        let lhs = if results.is_empty() { String::new() } else { format!("{} = ", results.join(", ")) };
        let operands = self.list(&op.operands);
        let sep = if operands.is_empty() { "" } else { " " };
        let _ = write!(out, "{indent}{lhs}{}{sep}{operands}", self.mnemonic(&op.kind));
        if op.regions.is_empty() {
            out.push('\n');
            return;
        }
        out.push_str(" {\n");
        for (i, &r) in op.regions.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out, "{indent}}} {{");
            }
            let params: Vec<String> = self.f.region(r).params.iter().map(|v| self.typed(*v)).collect();
            if !params.is_empty() {
                let _ = writeln!(out, "{indent}^({}):", params.join(", "));
            }
            self.region_body(r, depth + 1, out);
        }
        let _ = writeln!(out, "{indent}}}");
    }

    fn mnemonic(&self, kind: &OpKind) -> String {
        let lower = |s: String| s.to_lowercase();
        match kind {
            OpKind::Const(Literal::Float(x)) => format!("const {x:?}"),
            OpKind::Const(Literal::Int(x)) => format!("const {x}"),
            OpKind::Const(Literal::Bool(x)) => format!("const {x}"),
            OpKind::Unary(u) => lower(format!("{u:?}")),
            OpKind::Binary(b) => lower(format!("{b:?}")),
            OpKind::Compare(c) => format!("cmp.{}", lower(format!("{c:?}"))),
            OpKind::Select => "select".into(),
            OpKind::Cast => "cast".into(),
            OpKind::Broadcast => "broadcast".into(),
            OpKind::Reduce { op, axes, keepdims } => {
                format!("reduce.{}{axes:?}{}", lower(format!("{op:?}")), if *keepdims { " keepdims" } else { "" })
            }
            OpKind::ArgReduce { op, axis, keepdims } => {
                format!("{}[{axis}]{}", lower(format!("{op:?}")), if *keepdims { " keepdims" } else { "" })
            }
            OpKind::MatMul => "matmul".into(),
            OpKind::Reshape => "reshape".into(),
            OpKind::Transpose { perm } => format!("transpose{perm:?}"),
            OpKind::Slice { axis, step } => format!("slice[axis {axis}, step {step}]"),
            OpKind::Index { axis } => format!("index[axis {axis}]"),
            OpKind::Gather { axis } => format!("gather[axis {axis}]"),
            OpKind::ScatterAdd { axis } => format!("scatter_add[axis {axis}]"),
            OpKind::Concat { axis } => format!("concat[axis {axis}]"),
            OpKind::Iota { axis } => format!("iota[axis {axis}]"),
            OpKind::Random(d) => format!("random.{}", lower(format!("{d:?}"))),
            OpKind::Conv2d { stride, padding } => format!("conv2d[stride {stride}, padding {padding}]"),
            OpKind::Pool2d { kind, size, stride } => {
                format!("pool2d.{}[size {size}, stride {stride}]", lower(format!("{kind:?}")))
            }
            OpKind::SizeOf { axis } => format!("size_of[axis {axis}]"),
            OpKind::Load(src) => format!("load {src:?}"),
            OpKind::CheckEq => "check_eq".into(),
            OpKind::CheckIndex => "check_index".into(),
            OpKind::CheckSlice => "check_slice".into(),
            OpKind::Print(pieces) => {
                let text: String = pieces
                    .iter()
                    .map(|p| match p {
                        PrintPiece::Text(t) => t.replace('{', "{{").replace('}', "}}"),
                        PrintPiece::Value(i) => format!("{{{i}}}"),
                    })
                    .collect();
                format!("print {text:?}")
            }
            OpKind::Call(f) => format!("call @{}", self.m.functions.get(f.index()).map_or("?", |f| f.name.as_str())),
            OpKind::For { stacked } => format!("for stacked={stacked}"),
            OpKind::While => "while".into(),
            OpKind::If => "if".into(),
        }
    }
}
