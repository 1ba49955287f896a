//! Running a function: the environment of values, regions, calls and structured control flow.
//! Every other op is a pure function of its operands, evaluated in `kernels` and the op-family
//! modules beside it.
//!
//! The interpreter trusts nothing it can cheaply check: every value an op produces must have
//! the concrete shape and dtype its IR type gives once its sizes are evaluated (a mismatch is an
//! `Internal` error, a bug in the module's producer or here); kernels check their operands'
//! shapes before indexing (and use checked reads where indices come from data); sizes are
//! checked for overflow and against [`MAX_ELEMENTS`]. So no verified module panics on any input.

mod elementwise;
mod kernels;
mod layout;
mod random;
mod reduce;
mod window;

use tf_base::Span;
use tf_ir::verify::verify_module;
use tf_ir::{FuncId, Function, Module, Op, OpKind, PrintPiece, RegionId, Size, Type, ValueId};

use crate::error::{RunError, RunErrorKind};
use crate::host::Host;
use crate::value::{numel, Data, Tensor};

/// Calls may nest this deep (the entry function counts as one); one more is a `RecursionLimit`.
pub const MAX_CALL_DEPTH: usize = 1000;

/// No tensor may have more elements: beyond it the interpreter reports `SizeLimit` rather than
/// attempting an allocation that would abort the process.
pub const MAX_ELEMENTS: usize = 1 << 32;

/// The interpreter recurses on the Rust stack (a call or a nested region is a few Rust frames,
/// several KB per level in debug builds), so it runs on a thread of its own with room for
/// [`MAX_CALL_DEPTH`] nested calls inside deeply nested loops. Untouched stack costs nothing.
const STACK_BYTES: usize = 256 << 20;

/// Runs `func` of `module` on `args` (size arguments first, as the function's parameters are)
/// and returns its results. The module must pass `verify_module`; debug builds check it.
///
/// Evaluation happens on a scoped thread with a large stack (hence `Host: Send`). Should the
/// interpreter itself panic (a bug), the panic is reported as an `Internal` error.
pub fn run(module: &Module, func: FuncId, args: Vec<Tensor>, host: &mut dyn Host) -> Result<Vec<Tensor>, RunError> {
    if cfg!(debug_assertions) {
        if let Err(errors) = verify_module(module) {
            let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            return Err(RunError::internal(format!("the module does not verify: {}", all.join("; "))));
        }
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("tf-interp".into()).stack_size(STACK_BYTES).spawn_scoped(
            scope,
            move || {
                let mut interp = Interp { module, host, depth: 0 };
                interp.call(func, args, None, RunErrorKind::InvalidArgument)
            },
        );
        let worker = worker.map_err(|e| RunError::internal(format!("cannot start the interpreter's thread: {e}")))?;
        worker.join().unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(RunError::internal(format!("the interpreter panicked: {what}")))
        })
    })
}

struct Interp<'m, 'h> {
    module: &'m Module,
    host: &'h mut dyn Host,
    /// Active calls.
    depth: usize,
}

/// The values of one activation of a function, indexed by `ValueId`. A loop body's values are
/// overwritten on each iteration; SSA dominance (checked by the verifier) means no op ever reads
/// a value left over from an earlier iteration or branch.
struct Frame<'m> {
    func: &'m Function,
    values: Vec<Option<Tensor>>,
}

impl<'m> Frame<'m> {
    fn new(func: &'m Function) -> Frame<'m> {
        Frame { func, values: vec![None; func.values.len()] }
    }

    fn get(&self, v: ValueId) -> Result<&Tensor, RunError> {
        self.values
            .get(v.index())
            .and_then(Option::as_ref)
            .ok_or_else(|| RunError::internal(format!("{} is used before it has a value", self.name(v))))
    }

    /// The value of an `i64` scalar operand (a size, an index, a trip count).
    fn get_i64(&self, v: ValueId) -> Result<i64, RunError> {
        self.get(v)?.as_i64().ok_or_else(|| RunError::internal(format!("{} is not an i64 scalar", self.name(v))))
    }

    fn name(&self, v: ValueId) -> String {
        match self.func.values.get(v.index()).and_then(|d| d.name.as_deref()) {
            Some(n) => format!("%{n}.{}", v.index()),
            None => format!("%{}", v.index()),
        }
    }

    /// A dimension's concrete value: its polynomial evaluated with the size values bound so far.
    fn eval_size(&self, d: &Size) -> Result<usize, RunError> {
        for s in d.symbols() {
            self.get_i64(s)?;
        }
        let shown = || d.display(&|v| self.name(v));
        let value = d
            .eval(&|s| self.get(s).ok().and_then(Tensor::as_i64))
            .ok_or_else(|| RunError::of(RunErrorKind::SizeLimit, format!("dimension {} overflows i64", shown())))?;
        usize::try_from(value).map_err(|_| {
            RunError::of(RunErrorKind::DimensionMismatch, format!("dimension {} is negative: {value}", shown()))
        })
    }

    /// The concrete shape of a type, checked against [`MAX_ELEMENTS`].
    fn shape_of(&self, ty: &Type) -> Result<Vec<usize>, RunError> {
        let shape = ty.shape.iter().map(|d| self.eval_size(d)).collect::<Result<Vec<_>, _>>()?;
        check_size(&shape)?;
        Ok(shape)
    }

    /// Gives `values` their tensors, then checks each against its type; a mismatch is an error
    /// of `kind` (the types of all the values are evaluated only after all are bound, because
    /// the results of a `Load` give the sizes its tensor's type refers to).
    fn bind(&mut self, values: &[ValueId], tensors: Vec<Tensor>, kind: RunErrorKind) -> Result<(), RunError> {
        if values.len() != tensors.len() {
            return Err(RunError::of(kind, format!("expected {} values, got {}", values.len(), tensors.len())));
        }
        for (v, t) in values.iter().zip(tensors) {
            let slot = self
                .values
                .get_mut(v.index())
                .ok_or_else(|| RunError::internal(format!("%{} is not a value of the function", v.index())))?;
            *slot = Some(t);
        }
        for &v in values {
            let ty = &self.func.value(v).ty;
            let want = self.shape_of(ty)?;
            let t = self.get(v)?;
            if t.dtype() != ty.dtype || t.shape != want || !t.is_consistent() {
                return Err(RunError::of(
                    kind,
                    format!(
                        "{} should be {}{:?}, is {}{:?} with {} elements",
                        self.name(v),
                        ty.dtype.name(),
                        want,
                        t.dtype().name(),
                        t.shape,
                        t.numel()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Rejects shapes with more than [`MAX_ELEMENTS`] elements.
fn check_size(shape: &[usize]) -> Result<(), RunError> {
    match numel(shape) {
        Some(n) if n <= MAX_ELEMENTS => Ok(()),
        _ => Err(RunError::of(
            RunErrorKind::SizeLimit,
            format!("a tensor of shape {shape:?} has more than {MAX_ELEMENTS} elements"),
        )),
    }
}

impl Interp<'_, '_> {
    /// Calls function `g`; a mismatch between `args` and its parameters is an error of `kind`.
    fn call(
        &mut self,
        g: FuncId,
        args: Vec<Tensor>,
        span: Option<Span>,
        kind: RunErrorKind,
    ) -> Result<Vec<Tensor>, RunError> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(RunError::new(
                RunErrorKind::RecursionLimit,
                span,
                format!("more than {MAX_CALL_DEPTH} nested calls"),
            ));
        }
        let func = self
            .module
            .functions
            .get(g.index())
            .ok_or_else(|| RunError::new(RunErrorKind::Internal, span, "call of a missing function"))?;
        let mut frame = Frame::new(func);
        frame.bind(func.params(), args, kind).map_err(|e| {
            RunError::new(e.kind, span.or(func.span), format!("calling `{}`: {}", func.name, e.message))
        })?;
        self.depth += 1;
        let results = self.region(&mut frame, func.body);
        self.depth -= 1;
        results
    }

    /// Runs a region's ops (its parameters already bound) and returns what it yields.
    fn region(&mut self, frame: &mut Frame<'_>, r: RegionId) -> Result<Vec<Tensor>, RunError> {
        let func = frame.func;
        let region = func.regions.get(r.index()).ok_or_else(|| RunError::internal("missing region"))?;
        for &id in &region.ops {
            let op = func.ops.get(id.index()).ok_or_else(|| RunError::internal("missing op"))?;
            self.op(frame, op).map_err(|e| e.at(op.span))?;
        }
        region.yields.iter().map(|&v| frame.get(v).cloned()).collect()
    }

    fn op(&mut self, frame: &mut Frame<'_>, op: &Op) -> Result<(), RunError> {
        let (results, kind) = match &op.kind {
            OpKind::Call(g) => {
                let args = operands(frame, op)?;
                (self.call(*g, args, op.span, RunErrorKind::Internal)?, RunErrorKind::Internal)
            }
            OpKind::For { stacked } => (self.for_loop(frame, op, *stacked)?, RunErrorKind::Internal),
            OpKind::While => (self.while_loop(frame, op)?, RunErrorKind::Internal),
            OpKind::If => (self.if_op(frame, op)?, RunErrorKind::Internal),
            OpKind::Print(pieces) => (self.print(frame, op, pieces)?, RunErrorKind::Internal),
            // A file that disagrees with the declared type is the data's fault, not a bug.
            OpKind::Load(source) => (self.load(frame, op, source)?, RunErrorKind::DataLoad),
            _ => (kernels::eval(frame, op)?, RunErrorKind::Internal),
        };
        frame.bind(&op.results, results, kind)
    }

    /// `For`: see `OpKind::For`. A negative trip count is an error, since the count is the
    /// length of the stacked outputs.
    fn for_loop(&mut self, frame: &mut Frame<'_>, op: &Op, stacked: usize) -> Result<Vec<Tensor>, RunError> {
        let [body] = op.regions[..] else { return Err(RunError::internal("for has one region")) };
        let (&count, init) = op.operands.split_first().ok_or_else(|| RunError::internal("for has no count"))?;
        let count = frame.get_i64(count)?;
        if count < 0 {
            return Err(RunError::of(RunErrorKind::DimensionMismatch, format!("negative trip count {count}")));
        }
        let mut carried = operands_of(frame, init)?;
        let n = carried.len();
        if op.results.len() != n + stacked {
            return Err(RunError::internal("for has the carried results, then the stacked ones"));
        }
        // Each stacked output starts empty with the shape its result type gives, `[count, ...]`,
        // so that a loop that never runs still has results of the right shape.
        let mut stacks = Vec::new();
        for &v in &op.results[n..] {
            let ty = frame.func.ty(v);
            stacks.push(Tensor { shape: frame.shape_of(ty)?, data: Data::empty(ty.dtype) });
        }
        let params = frame.func.region(body).params.clone();
        for i in 0..count {
            let mut args = vec![Tensor::scalar(i)];
            args.append(&mut carried);
            frame.bind(&params, args, RunErrorKind::Internal)?;
            let mut yields = self.region(frame, body)?;
            if yields.len() != n + stacked {
                return Err(RunError::internal("for body yields the wrong number of values"));
            }
            let outputs = yields.split_off(n);
            carried = yields;
            for (stack, out) in stacks.iter_mut().zip(outputs) {
                if stack.shape.get(1..) != Some(&out.shape[..]) || !stack.data.extend(&out.data) {
                    return Err(RunError::internal(format!(
                        "a stacked output of shape {:?} does not fit a stack of shape {:?}",
                        out.shape, stack.shape
                    )));
                }
            }
        }
        carried.extend(stacks);
        Ok(carried)
    }

    fn while_loop(&mut self, frame: &mut Frame<'_>, op: &Op) -> Result<Vec<Tensor>, RunError> {
        let [cond, body] = op.regions[..] else { return Err(RunError::internal("while has two regions")) };
        let cond_params = frame.func.region(cond).params.clone();
        let body_params = frame.func.region(body).params.clone();
        let mut carried = operands(frame, op)?;
        loop {
            frame.bind(&cond_params, carried.clone(), RunErrorKind::Internal)?;
            let go = self.region(frame, cond)?;
            match go.first().and_then(Tensor::as_bool) {
                Some(true) => {}
                Some(false) => return Ok(carried),
                None => return Err(RunError::internal("a while condition yields one bool scalar")),
            }
            frame.bind(&body_params, carried, RunErrorKind::Internal)?;
            carried = self.region(frame, body)?;
        }
    }

    fn if_op(&mut self, frame: &mut Frame<'_>, op: &Op) -> Result<Vec<Tensor>, RunError> {
        let [then, els] = op.regions[..] else { return Err(RunError::internal("if has two regions")) };
        let cond = op.operands.first().ok_or_else(|| RunError::internal("if has a condition"))?;
        let cond = frame.get(*cond)?.as_bool().ok_or_else(|| RunError::internal("an if condition is a bool scalar"))?;
        self.region(frame, if cond { then } else { els })
    }

    fn print(&mut self, frame: &Frame<'_>, op: &Op, pieces: &[PrintPiece]) -> Result<Vec<Tensor>, RunError> {
        let mut line = String::new();
        for piece in pieces {
            match piece {
                PrintPiece::Text(text) => line.push_str(text),
                PrintPiece::Value(i) => {
                    let v = op.operands.get(*i).ok_or_else(|| RunError::internal("print of a missing operand"))?;
                    line.push_str(&self.host.format_tensor(frame.get(*v)?));
                }
            }
        }
        self.host.print(&line);
        Ok(Vec::new())
    }

    /// `Load`: the host reads the tensor; each dimension of the declared type that is not a
    /// constant becomes a size result, and `bind` then checks the tensor against the type.
    fn load(&mut self, frame: &Frame<'_>, op: &Op, source: &tf_ir::DataSource) -> Result<Vec<Tensor>, RunError> {
        let declared = op.results.first().map(|v| frame.func.ty(*v)).ok_or_else(|| RunError::internal("load"))?;
        let data_error = |m: String| RunError::of(RunErrorKind::DataLoad, m);
        let t = self.host.load(source, declared).map_err(data_error)?;
        let shown = tf_ir::infer::show(declared);
        if t.dtype() != declared.dtype || t.rank() != declared.rank() || !t.is_consistent() {
            return Err(data_error(format!(
                "the data is {}{:?}, the program declares {shown}",
                t.dtype().name(),
                t.shape
            )));
        }
        check_size(&t.shape).map_err(|e| data_error(e.message))?;
        let sizes: Vec<Tensor> = declared
            .shape
            .iter()
            .zip(&t.shape)
            .filter(|(d, _)| d.as_constant().is_none())
            .map(|(_, &n)| Tensor::scalar(n as i64))
            .collect();
        let mut results = vec![t];
        results.extend(sizes);
        Ok(results)
    }
}

fn operands(frame: &Frame<'_>, op: &Op) -> Result<Vec<Tensor>, RunError> {
    operands_of(frame, &op.operands)
}

fn operands_of(frame: &Frame<'_>, values: &[ValueId]) -> Result<Vec<Tensor>, RunError> {
    values.iter().map(|&v| frame.get(v).cloned()).collect()
}
