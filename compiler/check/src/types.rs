//! The checker's types: element types, symbolic shapes (with `..S` packs), and value types.

use crate::dim::{Dim, SymId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F16,
    BF16,
    F32,
    F64,
    I32,
    I64,
    Bool,
    /// An integer literal not yet tied to a type; adapts to the other operand.
    IntLit,
    /// A float literal not yet tied to a type.
    FloatLit,
}

impl DType {
    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "f16" => DType::F16,
            "bf16" => DType::BF16,
            "f32" => DType::F32,
            "f64" => DType::F64,
            "i32" => DType::I32,
            "i64" => DType::I64,
            "bool" => DType::Bool,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            DType::F16 => "f16",
            DType::BF16 => "bf16",
            DType::F32 => "f32",
            DType::F64 => "f64",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::Bool => "bool",
            DType::IntLit => "{integer}",
            DType::FloatLit => "{float}",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F16 | DType::BF16 | DType::F32 | DType::F64 | DType::FloatLit)
    }

    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64 | DType::IntLit)
    }

    pub fn is_numeric(self) -> bool {
        self.is_float() || self.is_int()
    }

    pub fn is_literal(self) -> bool {
        matches!(self, DType::IntLit | DType::FloatLit)
    }

    /// The concrete type a literal takes when nothing else decides.
    pub fn defaulted(self) -> DType {
        match self {
            DType::IntLit => DType::I64,
            DType::FloatLit => DType::F32,
            other => other,
        }
    }

    /// The common type of two operands of arithmetic, if they may be combined.
    pub fn join(a: DType, b: DType) -> Option<DType> {
        use DType::*;
        match (a, b) {
            _ if a == b => Some(a),
            (IntLit, x) | (x, IntLit) if x.is_numeric() => Some(x),
            (FloatLit, x) | (x, FloatLit) if x.is_float() => Some(x),
            _ => None,
        }
    }
}

/// One entry of a shape: a dimension, or a pack standing for any number of dimensions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ShapeItem {
    Dim(Dim),
    Pack(SymId),
}

/// A symbolic shape; scalars have the empty shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Shape(pub Vec<ShapeItem>);

impl Shape {
    pub fn scalar() -> Shape {
        Shape(Vec::new())
    }

    pub fn of(dims: Vec<Dim>) -> Shape {
        Shape(dims.into_iter().map(ShapeItem::Dim).collect())
    }

    pub fn constant(dims: &[i64]) -> Shape {
        Shape::of(dims.iter().map(|&d| Dim::constant(d)).collect())
    }

    pub fn has_pack(&self) -> bool {
        self.0.iter().any(|i| matches!(i, ShapeItem::Pack(_)))
    }

    /// The dimensions, when the shape has no pack.
    pub fn dims(&self) -> Option<Vec<Dim>> {
        self.0
            .iter()
            .map(|i| match i {
                ShapeItem::Dim(d) => Some(d.clone()),
                ShapeItem::Pack(_) => None,
            })
            .collect()
    }

    /// The number of dimensions, when known.
    pub fn rank(&self) -> Option<usize> {
        (!self.has_pack()).then_some(self.0.len())
    }

    pub fn is_scalar(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TensorType {
    pub dtype: DType,
    pub shape: Shape,
}

/// An index into the checker's table of models or structs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeclId(pub u32);

/// A function type; `generics` are the symbols instantiated afresh at each call.
#[derive(Clone, Debug, PartialEq)]
pub struct FnType {
    pub name: String,
    /// The function of the program this is the type of (its index), when it is one.
    pub origin: Option<u32>,
    pub generics: Vec<SymId>,
    pub params: Vec<ParamType>,
    pub ret: Type,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamType {
    pub name: String,
    pub ty: Type,
    pub has_default: bool,
    /// Where the parameter's type is written, for "required by" labels.
    pub span: Option<tf_base::Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Tensor(TensorType),
    Tuple(Vec<Type>),
    /// A list literal of one element type (axes, tensors to concatenate).
    List(Box<Type>, usize),
    /// A model instance: the declaration and its dimension arguments.
    Model(DeclId, Vec<Dim>),
    Struct(DeclId, Vec<Dim>),
    /// The model or struct itself, used as a value (`Mlp.init(seed: 0)`, `Batch(x: .., y: ..)`).
    DeclValue(DeclId, Vec<Dim>),
    Fn(Box<FnType>),
    /// A builtin function used as a value.
    Builtin(u32),
    /// An element type used as a value (`x.to(f32)`).
    DTypeValue(DType),
    Str,
    /// `a..b`, iterating values of the element type.
    Range(DType),
    /// Data read from a file whose contents are only known at run time (an `.npz` archive).
    Archive,
    /// A tensor read from a file: it must be bound with a declared type.
    DynTensor,
    Unit,
    /// The type of something already reported as broken; checks on it stay quiet.
    Error,
}

impl Type {
    pub fn tensor(dtype: DType, shape: Shape) -> Type {
        Type::Tensor(TensorType { dtype, shape })
    }

    pub fn scalar(dtype: DType) -> Type {
        Type::tensor(dtype, Shape::scalar())
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Type::Error)
    }

    pub fn as_tensor(&self) -> Option<&TensorType> {
        match self {
            Type::Tensor(t) => Some(t),
            _ => None,
        }
    }

    /// True when the type contains the error type anywhere.
    pub fn contains_error(&self) -> bool {
        match self {
            Type::Error => true,
            Type::Tuple(ts) => ts.iter().any(Type::contains_error),
            Type::List(t, _) => t.contains_error(),
            Type::Fn(f) => f.ret.contains_error() || f.params.iter().any(|p| p.ty.contains_error()),
            _ => false,
        }
    }
}
