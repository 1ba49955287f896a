//! The tensor IR, whole, in one file: what a program means between the checker and the back
//! ends (interpreter, LLVM for CPU and PTX, later WebAssembly).
//!
//! - **Values are tensors.** Every SSA value has an element type and a shape; scalars have the
//!   empty shape. Models, structs and tuples of the source are flattened into lists of values.
//! - **Shapes are symbolic.** A dimension is a [`Size`]: an integer polynomial over *size
//!   values* — `i64` scalars of the same function (a size parameter, or the result of an op that
//!   learns a size at run time, such as loading data). One function serves every size; the back
//!   ends evaluate sizes when the program runs. Specialisation replaces size values by constants.
//! - **Arenas and typed ids.** A [`Function`] owns its values, ops and regions in vectors; they
//!   refer to each other by [`ValueId`], [`OpId`] and [`RegionId`].
//! - **Structured control flow.** `for`, `while` and `if` are ops with regions. A region has
//!   parameters (loop counter, carried values) and yields values; it may use any value that
//!   dominates it (defined earlier in an enclosing region). There are no branches or phis.
//! - **Spans.** An op that can fail at run time (a check, a data load, an index) carries the
//!   source span that required it, so run-time errors point at `.tf` code.

use std::num::NonZeroU32;

use tf_base::poly::Poly;
use tf_base::Span;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(NonZeroU32);

        impl $name {
            pub fn new(index: usize) -> Self {
                $name(NonZeroU32::new(index as u32 + 1).expect("arena index overflow"))
            }

            pub fn index(self) -> usize {
                self.0.get() as usize - 1
            }
        }
    };
}

id!(
    /// An SSA value of a function.
    ValueId
);
id!(
    /// An operation of a function.
    OpId
);
id!(
    /// A region (a body of a function, loop or branch).
    RegionId
);
id!(
    /// A function of a module.
    FuncId
);

/// A dimension: a polynomial over the function's size values (`i64` scalars).
pub type Size = Poly<ValueId>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    F64,
    I32,
    I64,
    Bool,
}

impl DType {
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F64 => "f64",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::Bool => "bool",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "f32" => DType::F32,
            "f64" => DType::F64,
            "i32" => DType::I32,
            "i64" => DType::I64,
            "bool" => DType::Bool,
            _ => return None,
        })
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Type {
    pub dtype: DType,
    pub shape: Vec<Size>,
}

impl Type {
    pub fn scalar(dtype: DType) -> Type {
        Type { dtype, shape: Vec::new() }
    }

    pub fn new(dtype: DType, shape: Vec<Size>) -> Type {
        Type { dtype, shape }
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    pub fn is_scalar(&self) -> bool {
        self.shape.is_empty()
    }
}

/// A scalar constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    Float(f64),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
    Abs,
    Sign,
    Exp,
    Log,
    Log1p,
    Expm1,
    Sqrt,
    Rsqrt,
    Tanh,
    Sigmoid,
    Sin,
    Cos,
    Erf,
    Floor,
    Ceil,
    Round,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Max,
    Min,
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceOp {
    Sum,
    Prod,
    Max,
    Min,
    All,
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArgReduceOp {
    ArgMax,
    ArgMin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Distribution {
    /// Operands `seed, mean, std`.
    Normal,
    /// Operands `seed, low, high`.
    Uniform,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PoolKind {
    Max,
    Avg,
}

/// Where data comes from, for `Load`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataSource {
    /// An array of a NumPy `.npz` archive.
    Npz {
        path: String,
        key: String,
    },
    Safetensors {
        path: String,
        key: String,
    },
    Npy {
        path: String,
    },
    Csv {
        path: String,
        header: bool,
    },
    Idx {
        path: String,
    },
}

/// A piece of a `Print` op's text.
#[derive(Clone, Debug, PartialEq)]
pub enum PrintPiece {
    Text(String),
    /// The operand with this index.
    Value(usize),
}

/// What an op does. Operands and results are in [`Op`]; the comment of each kind says what
/// they are. "Elementwise" ops require operands of the result's shape (broadcasting is
/// explicit, through `Broadcast`), except that scalar size operands are plain `i64`.
#[derive(Clone, Debug, PartialEq)]
pub enum OpKind {
    /// No operands; one scalar result of the literal's value, converted to the result's dtype.
    Const(Literal),
    /// Elementwise `op(x)`.
    Unary(UnaryOp),
    /// Elementwise `op(a, b)`; both operands have the result's type.
    Binary(BinaryOp),
    /// Elementwise comparison; operands of one type, a `bool` result of their shape.
    Compare(CmpOp),
    /// `cond ? a : b` elementwise; `cond: bool`, all three of the result's shape.
    Select,
    /// Elementwise conversion to the result's dtype.
    Cast,
    /// NumPy broadcast of the operand to the result's shape (aligned at the last axis).
    Broadcast,
    /// Reduction over `axes` (sorted, distinct); `keepdims` keeps them as size 1.
    Reduce { op: ReduceOp, axes: Vec<usize>, keepdims: bool },
    /// Index (`i64`) of the extreme element along `axis`.
    ArgReduce { op: ArgReduceOp, axis: usize, keepdims: bool },
    /// `a @ b` with `a: [..., m, k]`, `b: [..., k, n]` (equal batch dimensions) → `[..., m, n]`.
    MatMul,
    /// Same elements in row-major order, the result's shape.
    Reshape,
    /// Result axis `i` is operand axis `perm[i]`.
    Transpose { perm: Vec<usize> },
    /// Operands `x, start` (`i64` scalar); the result takes `len` elements along `axis`
    /// (its shape says how many), every `step`-th from `start`.
    Slice { axis: usize, step: i64 },
    /// Operands `x, i` (`i64` scalar): the sub-tensor at index `i` of `axis` (the axis is dropped).
    Index { axis: usize },
    /// Operands `x, indices` (integer tensor): `x`'s `axis` replaced by the indices' shape.
    Gather { axis: usize },
    /// Operands `target, indices, updates`: `target` with `updates` added at `indices` along
    /// `axis` (repeated indices accumulate). The adjoint of `Gather`.
    ScatterAdd { axis: usize },
    /// Joins the operands along `axis`.
    Concat { axis: usize },
    /// `0, 1, 2, ...` along `axis` of the result (an integer tensor).
    Iota { axis: usize },
    /// Random numbers of the result's shape from operands `seed` (`i64`) and two parameters
    /// (see [`Distribution`]); the same seed gives the same numbers on every back end.
    Random(Distribution),
    /// Operands `x: [N, C, H, W]`, `w: [O, C, KH, KW]` → `[N, O, H', W']`.
    Conv2d { stride: usize, padding: usize },
    /// Operands `x: [N, C, H, W]` → `[N, C, H', W']`.
    Pool2d { kind: PoolKind, size: usize, stride: usize },
    /// The size of `axis` of the operand as an `i64` scalar (defines a size value).
    SizeOf { axis: usize },
    /// Reads a tensor from a file. Results: the tensor, then one `i64` size value for each
    /// dimension of the declared type that is not a constant (in order), which the tensor's
    /// type refers to. Fails at run time (at `span`) when the file disagrees with the type.
    Load(DataSource),
    /// Operands `a, b` (`i64` scalars): stops the program with a run-time error at the op's
    /// span unless `a == b`. No results.
    CheckEq,
    /// Operands `i, n` (`i64` scalars): a run-time error unless `0 <= i < n`.
    CheckIndex,
    /// Operands `start, end, n`: a run-time error unless `0 <= start <= end <= n`.
    CheckSlice,
    /// Writes the pieces, then a newline, to standard output. No results.
    Print(Vec<PrintPiece>),
    /// Calls a function of the module with the operands (size arguments first); its results.
    Call(FuncId),
    /// Operands `count, init...`; region 0 has parameters `i, carried...` and yields the next
    /// `carried...` followed by `stacked` per-iteration outputs. Results: the final carried
    /// values, then each per-iteration output stacked along a new leading axis of length
    /// `count`. Runs `count` times (`i` from 0). Stacked outputs are how reverse-mode autodiff
    /// saves the values of every iteration of a loop whose trip count is known only at run time.
    For { stacked: usize },
    /// Operands `init...`; region 0 (condition) has parameters `carried...` and yields one
    /// `bool` scalar; region 1 (body) has the same parameters and yields the next `carried...`.
    While,
    /// Operand `cond` (`bool` scalar); regions 0 (then) and 1 (else) have no parameters and
    /// yield the results.
    If,
}

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueDef {
    /// Parameter `index` of a region (function parameters are the body region's).
    Param { region: RegionId, index: usize },
    /// Result `index` of an op.
    Result { op: OpId, index: usize },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueData {
    pub ty: Type,
    pub def: ValueDef,
    /// The source name, when the value is a named binding (for printing and debugging).
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    pub kind: OpKind,
    pub operands: Vec<ValueId>,
    pub results: Vec<ValueId>,
    pub regions: Vec<RegionId>,
    pub span: Option<Span>,
    /// The region this op is in.
    pub parent: RegionId,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Region {
    pub params: Vec<ValueId>,
    pub ops: Vec<OpId>,
    pub yields: Vec<ValueId>,
    /// The op owning this region; `None` for a function body.
    pub parent: Option<OpId>,
}

/// A function: its body region's parameters are its parameters (size values first, by
/// convention, then tensors whose types may refer to them); the body yields the results.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub values: Vec<ValueData>,
    pub ops: Vec<Op>,
    pub regions: Vec<Region>,
    pub body: RegionId,
    pub span: Option<Span>,
}

impl Function {
    pub fn value(&self, v: ValueId) -> &ValueData {
        &self.values[v.index()]
    }

    pub fn ty(&self, v: ValueId) -> &Type {
        &self.values[v.index()].ty
    }

    pub fn op(&self, o: OpId) -> &Op {
        &self.ops[o.index()]
    }

    pub fn region(&self, r: RegionId) -> &Region {
        &self.regions[r.index()]
    }

    pub fn params(&self) -> &[ValueId] {
        &self.region(self.body).params
    }

    pub fn result_types(&self) -> Vec<Type> {
        self.region(self.body).yields.iter().map(|v| self.ty(*v).clone()).collect()
    }
}

/// A compiled program: its functions, and which is `main`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Module {
    pub functions: Vec<Function>,
    pub main: Option<FuncId>,
}

impl Module {
    pub fn func(&self, f: FuncId) -> &Function {
        &self.functions[f.index()]
    }

    pub fn find(&self, name: &str) -> Option<FuncId> {
        self.functions.iter().position(|f| f.name == name).map(FuncId::new)
    }
}
