// The code table: variant, code, title, long explanation. Kept apart so the wording lives in one place.
codes! {
    InvalidToken = "E0101", "invalid character",
"The source contains a character that starts no token of the language.

    let x = 3 $ 4      // `$` is not an operator

Remove the character, or put it inside a string literal.";

    UnterminatedString = "E0102", "unterminated string literal",
"A string literal opened with `\"` is not closed before the end of the line.

    print(\"loss: {l}    // missing closing quote

Strings may not span lines; close the quote on the same line.";

    UnexpectedToken = "E0103", "unexpected token",
"The parser found a token where the grammar does not allow it. The message lists
what could have come instead.

    fn f(x: f32[B, 4] -> f32[B] { sum(x, axis: 1) }   // `)` missing before `->`

The rest of the file is still checked: the parser skips to the end of the
statement or item and carries on.";

    UnexpectedEof = "E0104", "unexpected end of file",
"The file ends in the middle of a construct, usually because a `{`, `(` or `[`
is never closed.

    fn f(x: f32[4]) -> f32[4] {
        x * 2.0
    // the closing `}` is missing";

    InvalidNumber = "E0105", "invalid number literal",
"An integer literal does not fit in 64 bits, or a float literal is malformed.

    let n = 99999999999999999999   // too large for i64";

    UnbalancedDelimiter = "E0106", "unbalanced delimiter",
"A closing `)`, `]` or `}` does not match the most recent opening delimiter, or
has no opening delimiter at all.

    let y = f(x]      // `(` closed by `]`";

    InvalidInterpolation = "E0107", "invalid string interpolation",
"A `{` inside a string starts an interpolated expression, which must be closed by
`}` and must not be empty. Write `{{` and `}}` for literal braces.

    print(\"epoch {epoch\")      // `}` missing
    print(\"a set: {{1, 2}}\")   // literal braces";

    NestingTooDeep = "E0108", "nested too deeply",
"An expression, block or type is nested more deeply than the compiler accepts
(1,000 levels). Real programs never come close; generated code may. Split the
expression with intermediate `let` bindings.

    let y = - - - - ... - x        // a thousand unary minus signs";

    UndefinedName = "E0201", "undefined name",
"A name is used that no `let`, `var`, parameter, function, model, struct or
imported module defines. The message suggests the closest name in scope.

    let h = relu(x @ w)
    sofmax(h)           // did you mean `softmax`?";

    UndefinedType = "E0202", "undefined type",
"A type annotation names a type that is neither an element type (`f32`, `f64`,
`i32`, `i64`, `bool`), nor a model or struct in scope.

    fn f(x: f23[4]) { }  // did you mean `f32`?";

    ModuleNotFound = "E0203", "module not found",
"A `use` names a module for which no file exists. `use a.b` looks for `a/b.tf`
next to the importing file, then in the standard library directory
(`stdlib/`, or the directory named by `TFC_STDLIB`).

    use layres      // did you mean `layers`?";

    DuplicateDefinition = "E0204", "duplicate definition",
"Two items, parameters, fields or generic parameters in the same scope have the
same name. Local `let` bindings may shadow each other; items may not.

    fn f(x: f32, x: f32) { }";

    NoSuchMember = "E0205", "no such field or method",
"A `.name` access names nothing the value has. Models have their `param`s,
sub-model fields and methods; structs have their fields; tensors have the
methods listed in `docs/language.md` (for example `.shape`, `.T`).

    model Dense[I, O] { param w: f32[I, O] = zeros() }
    fn f(d: Dense[2, 3]) -> f32[2, 3] { d.weight }   // the field is `w`";

    NotInModule = "E0206", "item not found in module",
"A `use m.{a, b}` import names an item that module `m` does not define.

    use layers.{Dense, Dence}";

    UndeclaredDimension = "E0207", "undeclared dimension name",
"A dimension name in a struct or model field has not been declared among the
generic parameters. Functions introduce unknown dimension names implicitly;
struct and model declarations must list them so that users can instantiate them.

    struct Batch { x: f32[B, 784] }       // write `struct Batch[B] { ... }`";

    AssignToImmutable = "E0208", "assignment to an immutable binding",
"A `let` binding cannot be assigned after it is defined; declare it with `var`
if it changes.

    let m = Mlp.init(seed: 0)
    m = m - 0.1 * g      // use `var m = ...`";

    SelfOutsideMethod = "E0209", "`self` outside a model method",
"`self` is only meaningful as the first parameter of a method inside a `model`
declaration.";

    MatmulMismatch = "E0301", "matrix product of mismatched inner dimensions",
"For `a @ b` the last dimension of `a` must equal the second-to-last dimension of
`b` (the only dimension of `b` when it is a vector). Leading (batch) dimensions
broadcast.

    fn f(x: f32[B, 64], w: f32[128, 10]) -> f32[B, 10] {
        x @ w          // inner dimensions 64 and 128 differ
    }

Transpose one operand (`w.T`), or fix the declared shape.";

    BroadcastMismatch = "E0302", "shapes cannot be broadcast together",
"Elementwise operators follow NumPy broadcasting: shapes are aligned at their last
dimension, and each aligned pair must be equal or one of them must be 1.

    fn f(a: f32[B, 3], b: f32[4]) -> f32[B, 3] {
        a + b          // 3 and 4 can't be broadcast
    }

When one dimension is known only at run time (it came from data) the checker
cannot decide; it then records a run-time check instead of rejecting the program.";

    ShapeMismatch = "E0303", "mismatched shapes",
"A value's shape differs from the shape required where it is used: an argument
and its parameter, a returned value and the declared return type, a `let`
annotation and its value, or the two branches of an `if`.

    fn head(x: f32[B, 10]) -> f32[B, 5] {
        x               // f32[B, 10] returned where f32[B, 5] is declared
    }";

    RankMismatch = "E0304", "wrong number of dimensions",
"A value has a different rank (number of dimensions) from what is required, for
example a matrix where a vector is expected, or more indices than dimensions.

    fn f(x: f32[4, 4]) -> f32 { x[0, 1, 2] }   // three indices into a matrix";

    ReshapeMismatch = "E0305", "reshape changes the number of elements",
"`reshape` must keep the element count. The checker compares the products of
both shapes symbolically, so `f32[B, 7, 7, 64]` reshapes to `f32[B, 3136]`
but not to `f32[B, 3000]`.

    let flat = reshape[B, 3000](x)      // 3136 elements per row, not 3000";

    AxisOutOfRange = "E0306", "axis out of range",
"An axis argument (of a reduction, `concat`, `stack`, `transpose`, ...) does not
exist for a value of this rank. Negative axes count from the end.

    fn f(x: f32[B, 10]) -> f32[B] { sum(x, axis: 2) }   // axes are 0 and 1 (or -1, -2)";

    IndexOutOfBounds = "E0307", "index out of bounds",
"A constant index is outside a dimension whose size is known at compile time.
Indices into runtime-sized dimensions are checked when the program runs.

    fn f(x: f32[3]) -> f32 { x[3] }      // valid indices are 0, 1, 2 (and -1, -2, -3)";

    InvalidSlice = "E0308", "invalid slice",
"A slice `start:end:step` has constant bounds that select nothing valid: a start
past the end, an end beyond the dimension, or a step that is zero or negative.

    fn f(x: f32[10]) -> f32[2] { x[8:12] }   // the dimension has 10 elements";

    ConcatMismatch = "E0309", "cannot concatenate or stack these shapes",
"`concat` requires every operand to have the same rank and the same dimensions
except along the joined axis; `stack` requires identical shapes.

    concat([a, b], axis: 0)   // a: f32[2, 3], b: f32[2, 4] differ in dimension 1";

    DimensionConflict = "E0310", "conflicting values for a dimension",
"A generic dimension is bound twice at one call to different sizes.

    fn add[N](a: f32[N], b: f32[N]) -> f32[N] { a + b }
    add(zeros[3](), zeros[4]())      // N = 3 from `a` but N = 4 from `b`";

    CannotInferDimension = "E0311", "cannot infer a dimension",
"A generic dimension of a call is bound by neither the arguments nor the
expected type. Give it explicitly (`zeros[128]()`) or annotate the binding
(`let h: f32[128] = zeros()`).";

    InvalidRank = "E0312", "operand rank not allowed",
"The operation requires a different number of dimensions, for example `@`
needs at least one dimension on each side, and `conv2d` needs four.

    fn f(a: f32, b: f32[3]) -> f32[3] { a @ b }   // `@` of a scalar";

    InvalidPermutation = "E0313", "invalid permutation",
"`permute`/`transpose` needs each axis exactly once.

    permute(x, [0, 0, 1])     // axis 0 twice";

    DynamicDimension = "E0314", "dimension must be known at compile time",
"An argument that fixes a shape (an axis, a `reshape` size, a slice of a
compile-time-sized result) must be a compile-time constant or a dimension
name, not a value computed at run time.

    let k = n + 1
    sum(x, axis: k)      // axis must be a literal";

    TypeMismatch = "E0401", "mismatched types",
"A value of one kind is used where another kind is required: a tuple where a
tensor is expected, a model of a different type, a string where a number is
required.

    fn f(m: Mlp) { }
    f(zeros[3]())        // f32[3] is not a model `Mlp`";

    DtypeMismatch = "E0402", "mismatched element types",
"The operands of an arithmetic operator must have the same element type; there
are no implicit conversions between tensors (numeric literals adapt to the
other operand). Convert explicitly with `x.to(f32)` or `f32(x)`.

    fn f(a: f32[3], b: i32[3]) -> f32[3] { a + b }   // write `a + f32(b)`";

    NotCallable = "E0403", "value is not callable",
"A call applies something that is not a function, a model (whose `apply`
method is called) or a struct constructor.

    let x = 3.0
    x(2)";

    WrongArgCount = "E0404", "wrong number of arguments",
"A call passes more positional arguments than the function takes.

    fn f(a: f32) -> f32 { a }
    f(1.0, 2.0)";

    BadKeywordArgument = "E0405", "unknown or repeated keyword argument",
"A keyword argument names no parameter of the function, or names one that was
already given.

    sum(x, axes: 1)      // the parameter is `axis`";

    MissingArgument = "E0406", "missing argument",
"A parameter without a default value got no argument.

    fn scale(x: f32[N], by: f32) -> f32[N] { x * by }
    scale(v)             // `by` is missing";

    ConditionNotBool = "E0407", "condition is not a boolean",
"The condition of an `if` or `while` must be a `bool` scalar. Comparisons of
tensors are elementwise and give a `bool` tensor: reduce it first (`all(...)`,
`any(...)`) or use `where(cond, a, b)` for an elementwise choice.";

    InvalidOperand = "E0408", "operator cannot be applied to this type",
"The operator is not defined for these operand types: arithmetic on strings or
booleans, `not` on numbers, `%` on floats tensors of a model, and so on.";

    MissingReturnValue = "E0409", "function does not produce its declared value",
"A function that declares a return type must end with an expression of that
type (or `return` one on every path).

    fn f(x: f32[3]) -> f32[3] {
        let y = x * 2.0    // the body ends with a `let`: add `y` on its own line
    }";

    NotIterable = "E0410", "value cannot be iterated",
"`for` loops iterate over a range `a..b`, over the first dimension of a tensor,
or over a tuple's or list's elements of one type.";

    PatternMismatch = "E0411", "pattern does not match the value",
"A destructuring `let (a, b) = ...` or `for (a, b) in ...` must have as many
names as the tuple has elements.

    let (a, b) = (1, 2, 3)";

    UntypedData = "E0412", "data needs a declared type",
"Values read from files (`load_npz`, `load_csv`, ...) have a type known only at
run time. Bind them with an annotation; the program then checks the file
against it when it runs, and the rest of the program is checked against the
declaration.

    let x: f32[N, 64] = data[\"x\"]    // N is a runtime-sized dimension";

    GenericArgCount = "E0413", "wrong number of generic arguments",
"Explicit generic arguments (`Dense[64, 128]`, `zeros[3, 4]()`) must match the
declared generic parameters, or give the full shape for shape-generic builtins.";

    InvalidAssignTarget = "E0414", "invalid assignment target",
"Only a variable (declared with `var`) or a field of one can be assigned.

    f(x) = 3.0";

    BreakOutsideLoop = "E0415", "`break` or `continue` outside a loop",
"`break` and `continue` may only appear inside a `for` or `while` body.";

    BranchMismatch = "E0416", "`if` branches have different types",
"When `if`/`else` is used as a value both branches must produce the same type
and shape.

    let y = if train { x * mask } else { 0.0 }   // f32[B, 128] vs f32";

    NotDifferentiable = "E0417", "argument cannot be differentiated",
"`grad`, `value_and_grad`, `vjp` and `jvp` differentiate with respect to
floating-point arguments (tensors, models or structs of them). Integer and
boolean arguments have no derivative.

    fn f(x: f32[3], k: i32) -> f32 { sum(x) }
    grad(f, wrt: 1)      // argument 1 is i32";

    DerivativeMismatch = "E0418", "derivative rule does not match its function",
"A `derivative f(...)` rule names `f`'s parameters, then the cotangent of `f`'s
result, and returns the cotangents of `f`'s floating-point parameters. It must
name a function of the same file, take exactly one more parameter than it, and
there may be only one rule per function.

    fn square(x: f32[N]) -> f32[N] { x * x }
    derivative square(x, dy) { 2.0 * x * dy }   // x, then the result's cotangent dy";

    Unsupported = "E0501", "not supported by the compiler yet",
"The program is valid TensorForge and checks, but it uses something that the
compiler cannot translate to running code yet (the message names it). `tfc check`
accepts it; `tfc run` and `tfc build` report it. Rewrite around it, or follow the
project's issues for when it lands.";

    NoMain = "E0502", "no `main` function",
"`tfc run` and `tfc build` start a program at its `main` function, which the
file does not define.

    fn main() {
        print(\"hello\")
    }";

    RuntimeError = "E0601", "run-time error",
"The program stopped while running: a run-time check failed (two sizes that had
to agree did not, an index was out of range), or data could not be read. The
error points at the expression that required the fact. `tfc run` exits with
status 3.";
}
