//! The table of primitive operations: names, parameters, documentation and typing rules.

use crate::builtin_misc as misc;
use crate::builtin_rules as r;
use crate::builtin_shapes as s;
use crate::builtins::Builtin;

macro_rules! b {
    ($name:literal, [$($p:literal),*], $rule:expr, $doc:literal) => {
        Builtin { name: $name, params: &[$($p),*], doc: $doc, rule: $rule }
    };
}

pub static TABLE: &[Builtin] = &[
    // Elementwise maths on floating-point tensors; the shape is unchanged.
    b!("exp", ["x"], r::unary_float, "Elementwise e^x."),
    b!("log", ["x"], r::unary_float, "Elementwise natural logarithm."),
    b!("log1p", ["x"], r::unary_float, "Elementwise log(1 + x), accurate for small x."),
    b!("expm1", ["x"], r::unary_float, "Elementwise e^x - 1, accurate for small x."),
    b!("sqrt", ["x"], r::unary_float, "Elementwise square root."),
    b!("rsqrt", ["x"], r::unary_float, "Elementwise 1 / sqrt(x)."),
    b!("tanh", ["x"], r::unary_float, "Elementwise hyperbolic tangent."),
    b!("sigmoid", ["x"], r::unary_float, "Elementwise logistic function 1 / (1 + e^-x)."),
    b!("sin", ["x"], r::unary_float, "Elementwise sine."),
    b!("cos", ["x"], r::unary_float, "Elementwise cosine."),
    b!("erf", ["x"], r::unary_float, "Elementwise error function."),
    b!("floor", ["x"], r::unary_float, "Elementwise floor."),
    b!("ceil", ["x"], r::unary_float, "Elementwise ceiling."),
    b!("round", ["x"], r::unary_float, "Elementwise rounding to the nearest integer, ties to even."),
    b!("abs", ["x"], r::unary_numeric, "Elementwise absolute value."),
    b!("sign", ["x"], r::unary_numeric, "Elementwise sign: -1, 0 or 1."),
    b!("maximum", ["a", "b"], r::binary_numeric, "Elementwise maximum of two broadcast tensors."),
    b!("minimum", ["a", "b"], r::binary_numeric, "Elementwise minimum of two broadcast tensors."),
    b!(
        "where",
        ["cond", "a", "b"],
        r::select,
        "Elementwise choice: `a` where `cond` is true, else `b` (all three broadcast)."
    ),
    b!("clip", ["x", "low", "high"], r::clip, "Elementwise clamp of `x` into [low, high]."),
    // Reductions.
    b!(
        "sum",
        ["x", "axis?", "keepdims?"],
        r::reduce,
        "Sum over `axis` (an int or a list of ints; all axes when omitted)."
    ),
    b!("mean", ["x", "axis?", "keepdims?"], r::reduce, "Mean over `axis` (all axes when omitted)."),
    b!("prod", ["x", "axis?", "keepdims?"], r::reduce, "Product over `axis` (all axes when omitted)."),
    b!("max", ["x", "axis?", "keepdims?"], r::reduce, "Maximum over `axis` (all axes when omitted)."),
    b!("min", ["x", "axis?", "keepdims?"], r::reduce, "Minimum over `axis` (all axes when omitted)."),
    b!("argmax", ["x", "axis?", "keepdims?"], r::reduce, "Index (i64) of the maximum along `axis`."),
    b!("argmin", ["x", "axis?", "keepdims?"], r::reduce, "Index (i64) of the minimum along `axis`."),
    b!("all", ["x", "axis?", "keepdims?"], r::reduce, "True where every element along `axis` is true."),
    b!("any", ["x", "axis?", "keepdims?"], r::reduce, "True where some element along `axis` is true."),
    // Linear algebra and layout.
    b!("matmul", ["a", "b"], s::matmul, "Matrix product, the same as `a @ b`."),
    b!("transpose", ["x", "a?", "b?"], s::transpose, "Reverses all axes, or swaps axes `a` and `b`."),
    b!("permute", ["x", "axes"], s::permute, "Reorders axes: `permute(x, [0, 2, 1])`."),
    b!("reshape", ["x"], s::reshape, "Same elements, new shape given as dimension arguments: `reshape[B, 3136](x)`."),
    b!("flatten", ["x"], s::flatten, "Keeps the first axis and flattens the rest: f32[B, 7, 7, 64] -> f32[B, 3136]."),
    b!("concat", ["xs", "axis?"], s::concat, "Joins a list of tensors along an existing axis (default 0)."),
    b!("stack", ["xs", "axis?"], s::stack, "Joins a list of equally shaped tensors along a new axis (default 0)."),
    b!(
        "conv2d",
        ["x", "w", "stride?", "padding?"],
        s::conv2d,
        "2-D convolution: x: [N, C, H, W], w: [O, C, KH, KW] -> [N, O, H', W']."
    ),
    b!("max_pool2d", ["x", "size", "stride?"], s::pool2d, "2-D max pooling over [N, C, H, W] with a square window."),
    b!(
        "avg_pool2d",
        ["x", "size", "stride?"],
        s::pool2d,
        "2-D average pooling over [N, C, H, W] with a square window."
    ),
    // Creation.
    b!("zeros", ["dtype?"], r::filled, "A tensor of zeros; shape from dimension arguments or the expected type."),
    b!("ones", ["dtype?"], r::filled, "A tensor of ones; shape from dimension arguments or the expected type."),
    b!(
        "full",
        ["value"],
        r::full,
        "A tensor filled with `value`; shape from dimension arguments or the expected type."
    ),
    b!("zeros_like", ["x"], r::like, "Zeros with the type of `x`."),
    b!("ones_like", ["x"], r::like, "Ones with the type of `x`."),
    b!("random_normal", ["seed", "mean?", "std?"], r::random, "Normally distributed f32 values from an explicit seed."),
    b!(
        "random_uniform",
        ["seed", "low?", "high?"],
        r::random,
        "Uniformly distributed f32 values in [low, high) from an explicit seed."
    ),
    b!(
        "one_hot",
        ["labels"],
        r::one_hot,
        "One-hot f32 encoding with C classes: `one_hot[10](y)` adds a last axis of 10."
    ),
    b!("arange", ["n"], r::arange, "The integers 0..n as an i64 vector of length n (n a size)."),
    // Conversions and sizes.
    b!("to", ["x", "dtype"], misc::to, "Converts the element type: `x.to(f64)`."),
    b!("size", ["x", "axis"], misc::size, "The size of axis `axis` as an i64 scalar."),
    b!("len", ["x"], misc::len, "The size of the first axis as an i64 scalar."),
    // Differentiation.
    b!(
        "grad",
        ["f", "wrt?"],
        misc::grad,
        "The gradient of a scalar function with respect to argument `wrt` (default 0)."
    ),
    b!("value_and_grad", ["f", "wrt?"], misc::value_and_grad, "Like `grad`, returning `(value, gradient)`."),
    b!(
        "vjp",
        ["f", "wrt?"],
        misc::vjp,
        "Reverse mode: `vjp(f)(args..., cotangent)` is `(f(args), cotangent pulled back to argument wrt)`."
    ),
    b!(
        "jvp",
        ["f", "wrt?"],
        misc::jvp,
        "Forward mode: `jvp(f)(args..., tangent)` is `(f(args), derivative of f along the tangent of argument wrt)`."
    ),
    // Input and output.
    b!("print", ["*"], misc::print, "Prints its arguments, separated by spaces."),
    b!(
        "load_npz",
        ["path"],
        misc::archive,
        "Opens a NumPy `.npz` archive; index it by array name and bind with a declared type."
    ),
    b!(
        "load_safetensors",
        ["path"],
        misc::archive,
        "Opens a safetensors file; index it by tensor name and bind with a declared type."
    ),
    b!("load_npy", ["path"], misc::data, "Reads a NumPy `.npy` array; bind it with a declared type."),
    b!(
        "load_csv",
        ["path", "header?"],
        misc::data,
        "Reads numeric CSV columns as a matrix; bind it with a declared type."
    ),
    b!("load_idx", ["path"], misc::data, "Reads an MNIST IDX file; bind it with a declared type."),
];
