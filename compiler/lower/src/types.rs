//! Flattening checker types into IR tensor types: a model or struct becomes the list of its
//! tensors (fields in declaration order, recursively), a tuple the concatenation of its
//! elements; dimension symbols become the function's size values.

use std::collections::HashMap;

use tf_check::checker::Checker;
use tf_check::dim::{Dim, SymId};
use tf_check::types::{DType as CType, Shape, ShapeItem, Type as CheckType};
use tf_ir::{DType, Size, Type, ValueId};

use crate::env::Env;

pub fn dtype(d: CType) -> Option<DType> {
    Some(match d.defaulted() {
        CType::F32 => DType::F32,
        CType::F64 => DType::F64,
        CType::I32 => DType::I32,
        CType::I64 => DType::I64,
        CType::Bool => DType::Bool,
        _ => return None,
    })
}

/// A checker dimension as an IR size, when every symbol in it has a size value.
pub fn size(d: &Dim, env: &Env) -> Result<Size, SymId> {
    let mut out = Size::constant(0);
    for (mono, c) in d.terms() {
        let mut term = Size::constant(c);
        for s in mono {
            let v = *env.sizes.get(s).ok_or(*s)?;
            term = term.mul(&value_size(v, env));
        }
        out = out.add(&term);
    }
    Ok(out)
}

pub fn shape(s: &Shape, env: &Env) -> Result<Vec<Size>, SymId> {
    let mut out = Vec::new();
    for item in &s.0 {
        match item {
            ShapeItem::Dim(d) => out.push(size(d, env)?),
            ShapeItem::Pack(p) => {
                let vs = env.packs.get(p).ok_or(*p)?;
                out.extend(vs.iter().map(|v: &ValueId| value_size(*v, env)));
            }
        }
    }
    Ok(out)
}

/// A size value as a size: its constant when it is known to be one.
fn value_size(v: ValueId, env: &Env) -> Size {
    match env.const_values.get(&v) {
        Some(c) => Size::constant(*c),
        None => Size::symbol(v),
    }
}

/// Why a type could not be flattened.
#[derive(Debug)]
pub enum FlattenError {
    /// A dimension symbol without a size value here.
    Unknown(SymId),
    /// A type with no tensor form (strings, functions, archives).
    NotTensors(String),
}

pub fn flatten(cx: &Checker<'_>, t: &CheckType, env: &Env) -> Result<Vec<Type>, FlattenError> {
    let mut out = Vec::new();
    flatten_into(cx, t, env, &mut out, 0)?;
    Ok(out)
}

fn flatten_into(
    cx: &Checker<'_>,
    t: &CheckType,
    env: &Env,
    out: &mut Vec<Type>,
    depth: usize,
) -> Result<(), FlattenError> {
    if depth > 64 {
        return Err(FlattenError::NotTensors("a type nested too deeply".into()));
    }
    match t {
        CheckType::Tensor(tt) => {
            let d =
                dtype(tt.dtype).ok_or_else(|| FlattenError::NotTensors(format!("element type {}", tt.dtype.name())))?;
            out.push(Type::new(d, shape(&tt.shape, env).map_err(FlattenError::Unknown)?));
        }
        CheckType::Tuple(ts) => {
            for t in ts {
                flatten_into(cx, t, env, out, depth + 1)?;
            }
        }
        CheckType::Model(id, dims) | CheckType::Struct(id, dims) => {
            for ft in field_types(cx, *id, dims) {
                flatten_into(cx, &ft, env, out, depth + 1)?;
            }
        }
        CheckType::Unit => {}
        other => return Err(FlattenError::NotTensors(format!("{other:?}"))),
    }
    Ok(())
}

/// The field types of a model or struct instance, its generics replaced by `dims`.
pub fn field_types(cx: &Checker<'_>, id: tf_check::types::DeclId, dims: &[Dim]) -> Vec<CheckType> {
    let decl = cx.decl(id);
    let map: HashMap<SymId, Dim> = decl.generics.iter().copied().zip(dims.iter().cloned()).collect();
    decl.fields.iter().map(|f| substitute(&f.ty, &map)).collect()
}

/// Replaces dimension symbols in a checker type.
pub fn substitute(t: &CheckType, map: &HashMap<SymId, Dim>) -> CheckType {
    let d = |x: &Dim| x.substitute(&|s| map.get(&s).cloned());
    match t {
        CheckType::Tensor(tt) => CheckType::tensor(
            tt.dtype,
            Shape(
                tt.shape
                    .0
                    .iter()
                    .map(|i| match i {
                        ShapeItem::Dim(x) => ShapeItem::Dim(d(x)),
                        other => other.clone(),
                    })
                    .collect(),
            ),
        ),
        CheckType::Tuple(ts) => CheckType::Tuple(ts.iter().map(|t| substitute(t, map)).collect()),
        CheckType::Model(id, ds) => CheckType::Model(*id, ds.iter().map(d).collect()),
        CheckType::Struct(id, ds) => CheckType::Struct(*id, ds.iter().map(d).collect()),
        other => other.clone(),
    }
}

/// How many flattened tensors a type has.
pub fn width(cx: &Checker<'_>, t: &CheckType) -> usize {
    match t {
        CheckType::Tensor(_) => 1,
        CheckType::Tuple(ts) => ts.iter().map(|t| width(cx, t)).sum(),
        CheckType::Model(id, dims) | CheckType::Struct(id, dims) => {
            field_types(cx, *id, dims).iter().map(|t| width(cx, t)).sum()
        }
        _ => 0,
    }
}
