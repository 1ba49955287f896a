//! IR → LLVM IR. Each IR function becomes one LLVM function with the calling convention of the
//! crate docs; its body is emitted op by op, each op a loop nest over its result (or a call of
//! the runtime), regions as basic blocks. Values of rank 0 live in registers; tensors are
//! buffers from the runtime's allocator whose shapes follow from the size values in scope, and
//! whose lifetimes `plan` decides.
//!
//! One file per op family: `elementwise`/`scalar` (arithmetic), `layout` (moving elements),
//! `reduce` (reductions and matmul), `control` (calls and regions), `effects` (checks, print,
//! random numbers, sizes); `util` holds the loops, allocation and failure paths they share, and
//! `parallel` outlines large loops into chunks for the runtime's thread pool.

mod control;
mod effects;
mod elementwise;
mod layout;
mod parallel;
mod plan;
mod reduce;
mod scalar;
mod util;

use std::collections::HashMap;

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::AddressSpace;
use tf_base::Span;
use tf_ir::{FuncId, Function, OpId, OpKind, RegionId, ValueId};

use crate::error::CodegenError;
use crate::sites::{Reason, SiteInfo, NO_SITE};

pub(crate) type R<T> = Result<T, CodegenError>;

/// What a value is during code generation: a register (rank 0) or a tensor's buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Val<'ctx> {
    Scalar(BasicValueEnum<'ctx>),
    Tensor(PointerValue<'ctx>),
}

/// A lowered module and what the host needs to run it.
pub(crate) struct Lowered<'ctx> {
    pub module: Module<'ctx>,
    pub sites: Vec<SiteInfo>,
    /// The LLVM name of each IR function, by `FuncId`.
    pub names: Vec<String>,
}

/// The LLVM symbol of IR function `index` (names need not be unique in the IR).
pub(crate) fn symbol(index: usize, f: &Function) -> String {
    format!("tf.{index}.{}", f.name)
}

/// Ops without a lowering yet: refused up front, so no module is half compiled.
fn unsupported(module: &tf_ir::Module) -> Option<CodegenError> {
    for f in &module.functions {
        for op in &f.ops {
            let name = match op.kind {
                OpKind::Conv2d { .. } => "conv2d",
                OpKind::Pool2d { .. } => "pool2d",
                OpKind::Load(_) => "load",
                _ => continue,
            };
            return Some(CodegenError::Unsupported { op: name.into(), span: op.span });
        }
    }
    None
}

pub(crate) fn lower_module<'ctx>(cx: &'ctx Context, ir: &tf_ir::Module, cpu: &str, features: &str) -> R<Lowered<'ctx>> {
    if let Err(errors) = tf_ir::verify::verify_module(ir) {
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        return Err(CodegenError::Invalid(all.join("; ")));
    }
    if let Some(e) = unsupported(ir) {
        return Err(e);
    }
    let module = cx.create_module("tensorforge");
    let builder = cx.create_builder();
    let ptr = cx.ptr_type(AddressSpace::default());
    let fn_type = cx.i32_type().fn_type(&[ptr.into(), ptr.into(), cx.i64_type().into()], false);
    let names: Vec<String> = ir.functions.iter().enumerate().map(|(i, f)| symbol(i, f)).collect();
    let funcs: Vec<FunctionValue> = names
        .iter()
        .map(|name| {
            let fv = module.add_function(name, fn_type, Some(Linkage::External));
            fv.add_attribute(AttributeLoc::Function, cx.create_string_attribute("target-cpu", cpu));
            fv.add_attribute(AttributeLoc::Function, cx.create_string_attribute("target-features", features));
            fv.add_attribute(
                AttributeLoc::Function,
                cx.create_enum_attribute(Attribute::get_named_enum_kind_id("nounwind"), 0),
            );
            fv
        })
        .collect();
    let mut sites = Vec::new();
    for (i, f) in ir.functions.iter().enumerate() {
        FnGen::new(cx, &module, &builder, f, funcs[i], &funcs, &mut sites).lower()?;
    }
    Ok(Lowered { module, sites, names })
}

/// The state of lowering one function.
pub(crate) struct FnGen<'a, 'ctx> {
    pub cx: &'ctx Context,
    pub m: &'a Module<'ctx>,
    pub b: &'a Builder<'ctx>,
    pub f: &'a Function,
    pub fv: FunctionValue<'ctx>,
    funcs: &'a [FunctionValue<'ctx>],
    sites: &'a mut Vec<SiteInfo>,
    plan: plan::Plan,
    vals: Vec<Option<Val<'ctx>>>,
    /// The entry block holds only allocas (so they are static and promotable) and a branch.
    entry: BasicBlock<'ctx>,
    allocas: Builder<'ctx>,
    depth: Option<IntValue<'ctx>>,
    /// A per-function array for passing dimensions to helpers.
    scratch: Option<PointerValue<'ctx>>,
    /// By op index: the op's span, or its nearest enclosing op's.
    spans: Vec<Option<Span>>,
    op_sites: HashMap<OpId, u32>,
    /// The ops being lowered, innermost last (nested regions push theirs).
    stack: Vec<OpId>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    #[allow(clippy::too_many_arguments)] // the module-level context, passed once
    fn new(
        cx: &'ctx Context,
        m: &'a Module<'ctx>,
        b: &'a Builder<'ctx>,
        f: &'a Function,
        fv: FunctionValue<'ctx>,
        funcs: &'a [FunctionValue<'ctx>],
        sites: &'a mut Vec<SiteInfo>,
    ) -> Self {
        let entry = cx.append_basic_block(fv, "entry");
        let allocas = cx.create_builder();
        allocas.position_at_end(entry);
        let mut spans = vec![None; f.ops.len()];
        // Regions are created before the ops that own them, but an op's span must be known
        // before its regions' ops: walk from the body down.
        fn walk(f: &Function, r: RegionId, outer: Option<Span>, spans: &mut Vec<Option<Span>>) {
            for &o in &f.region(r).ops {
                let op = f.op(o);
                let s = op.span.or(outer);
                spans[o.index()] = s;
                for &inner in &op.regions {
                    walk(f, inner, s, spans);
                }
            }
        }
        walk(f, f.body, None, &mut spans);
        FnGen {
            cx,
            m,
            b,
            f,
            fv,
            funcs,
            sites,
            plan: plan::plan(f),
            vals: vec![None; f.values.len()],
            entry,
            allocas,
            depth: None,
            scratch: None,
            spans,
            op_sites: HashMap::new(),
            stack: Vec::new(),
        }
    }

    fn lower(mut self) -> R<()> {
        let start = self.cx.append_basic_block(self.fv, "start");
        self.b.position_at_end(start);
        let param = |i: u32| self.fv.get_nth_param(i).ok_or_else(|| CodegenError::Llvm("missing parameter".into()));
        let (args, results, depth) =
            (param(0)?.into_pointer_value(), param(1)?.into_pointer_value(), param(2)?.into_int_value());
        self.depth = Some(depth);
        let too_deep = self.b.build_int_compare(
            inkwell::IntPredicate::SGT,
            depth,
            self.i64c(crate::MAX_CALL_DEPTH as i64),
            "too_deep",
        )?;
        self.fail_if(too_deep, Reason::RecursionLimit, &[])?;
        let params = self.f.params().to_vec();
        for (k, &p) in params.iter().enumerate() {
            let v = self.read_slot(args, k, p)?;
            self.vals[p.index()] = Some(v);
        }
        let body = self.f.body;
        let ys = self.region(body)?;
        let yields = self.f.region(body).yields.clone();
        let mut dim_slot = ys.len();
        for (k, (&y, v)) in yields.iter().zip(ys).enumerate() {
            self.write_slot(results, k, y, v)?;
            let ty = self.f.ty(y).clone();
            for d in self.dims(&ty)? {
                let slot = self.slot(results, dim_slot)?;
                self.b.build_store(slot, d)?;
                dim_slot += 1;
            }
        }
        self.b.build_return(Some(&self.cx.i32_type().const_zero()))?;
        self.allocas.position_at_end(self.entry);
        self.allocas.build_unconditional_branch(start)?;
        Ok(())
    }

    /// Emits a region's ops (its parameters already bound) and returns what it yields, each
    /// yielded buffer now owned by the receiver (transferred or copied, see `plan`).
    pub(crate) fn region(&mut self, r: RegionId) -> R<Vec<Val<'ctx>>> {
        for v in self.plan.free_at_start[r.index()].clone() {
            self.free(v)?;
        }
        let region = self.f.region(r);
        for &o in &region.ops {
            self.op(o)?;
        }
        let mut out = Vec::new();
        for (j, &y) in region.yields.iter().enumerate() {
            let v = match self.val(y)? {
                Val::Tensor(p) if !self.plan.transfer[r.index()][j] => {
                    let ty = self.f.ty(y).clone();
                    Val::Tensor(self.copy(&ty, p)?)
                }
                v => v,
            };
            out.push(v);
        }
        for v in self.plan.free_at_end[r.index()].clone() {
            self.free(v)?;
        }
        Ok(out)
    }

    fn op(&mut self, id: OpId) -> R<()> {
        self.stack.push(id);
        let op = self.f.op(id);
        let results = match &op.kind {
            OpKind::Const(lit) => vec![self.constant(*lit, op)?],
            OpKind::Unary(u) => vec![self.unary_op(*u, op)?],
            OpKind::Binary(bop) => vec![self.binary_op(*bop, op)?],
            OpKind::Compare(c) => vec![self.compare_op(*c, op)?],
            OpKind::Select => vec![self.select_op(op)?],
            OpKind::Cast => vec![self.cast_op(op)?],
            OpKind::Broadcast => vec![self.broadcast(op)?],
            OpKind::Reshape => vec![self.reshape(id, op)?],
            OpKind::Transpose { perm } => vec![self.transpose(perm, op)?],
            OpKind::Slice { axis, step } => vec![self.slice(*axis, *step, op)?],
            OpKind::Index { axis } => vec![self.index(*axis, op)?],
            OpKind::Gather { axis } => vec![self.gather(*axis, op)?],
            OpKind::ScatterAdd { axis } => vec![self.scatter_add(*axis, op)?],
            OpKind::Concat { axis } => vec![self.concat(*axis, op)?],
            OpKind::Iota { axis } => vec![self.iota(*axis, op)?],
            OpKind::Reduce { op: rop, axes, .. } => vec![self.reduce(*rop, axes, op)?],
            OpKind::ArgReduce { op: aop, axis, .. } => vec![self.arg_reduce(*aop, *axis, op)?],
            OpKind::MatMul => vec![self.matmul(op)?],
            OpKind::SizeOf { axis } => vec![self.size_of(*axis, op)?],
            OpKind::CheckEq | OpKind::CheckIndex | OpKind::CheckSlice => self.check(&op.kind, op)?,
            OpKind::Print(pieces) => self.print(pieces, op)?,
            OpKind::Random(dist) => vec![self.random(*dist, op)?],
            OpKind::Call(g) => self.call_op(*g, op)?,
            OpKind::For { stacked } => self.for_op(id, *stacked, op)?,
            OpKind::While => self.while_op(id, op)?,
            OpKind::If => self.if_op(op)?,
            OpKind::Conv2d { .. } | OpKind::Pool2d { .. } | OpKind::Load(_) => {
                return Err(CodegenError::Unsupported { op: format!("{:?}", op.kind), span: op.span })
            }
        };
        if results.len() != op.results.len() {
            return Err(CodegenError::Invalid(format!("{:?} lowered to {} results", op.kind, results.len())));
        }
        for (&v, r) in op.results.iter().zip(results) {
            self.vals[v.index()] = Some(r);
        }
        for v in self.plan.free_after[id.index()].clone() {
            self.free(v)?;
        }
        self.stack.pop();
        Ok(())
    }

    pub(crate) fn val(&self, v: ValueId) -> R<Val<'ctx>> {
        self.vals
            .get(v.index())
            .copied()
            .flatten()
            .ok_or_else(|| CodegenError::Invalid(format!("%{} is used before it is defined", v.index())))
    }

    pub(crate) fn bind(&mut self, v: ValueId, val: Val<'ctx>) {
        self.vals[v.index()] = Some(val);
    }

    /// The site id of the op being lowered (registered on first use), or `NO_SITE`.
    pub(crate) fn site(&mut self) -> u32 {
        let Some(&op) = self.stack.last() else { return NO_SITE };
        if let Some(&s) = self.op_sites.get(&op) {
            return s;
        }
        let s = match self.spans[op.index()] {
            Some(span) => {
                self.sites.push(SiteInfo { span, function: self.f.name.clone() });
                (self.sites.len() - 1) as u32
            }
            None => NO_SITE,
        };
        self.op_sites.insert(op, s);
        s
    }

    pub(crate) fn callee(&self, g: FuncId) -> R<FunctionValue<'ctx>> {
        self.funcs.get(g.index()).copied().ok_or_else(|| CodegenError::Invalid("call of a missing function".into()))
    }

    pub(crate) fn depth(&self) -> R<IntValue<'ctx>> {
        self.depth.ok_or_else(|| CodegenError::Llvm("depth used before the entry block".into()))
    }

    pub(crate) fn is_moved(&self, op: OpId, operand: usize) -> bool {
        self.plan.moved.contains(&(op, operand))
    }
}
