//! The `extern "C"` functions generated code calls that the runtime does not provide: checked
//! allocation, recording failures with their site and reason (worded as the interpreter words
//! them), printing a value with the runtime's NumPy formatter, random numbers through
//! `tf_ir::rng` itself, integer powers, `erf`, and libm wrappers (so results are the ones
//! Rust's `std` gives the interpreter, and nothing depends on what the process exports).
//!
//! A failing check is recorded twice: in the runtime's error slot (as the nearest runtime kind,
//! so `tf_rt_has_error` and a host of an object file see it) and in a per-thread record here
//! that keeps the precise reason and the interpreter's wording for `run_jit`. Runtime calls
//! record theirs in the slot only. The first error wins. No helper unwinds: panics are caught.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ffi::c_void;
use std::panic::{self, AssertUnwindSafe};

use tf_runtime::buffer::TensorRef;
use tf_runtime::error::{self as rt_error, ErrorKind, SiteId};

use crate::sites::{Reason, NO_SITE};

/// A failure recorded by generated code.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    pub reason: Reason,
    pub site: u32,
    pub message: String,
}

thread_local! {
    static FAILURE: RefCell<Option<Failure>> = const { RefCell::new(None) };
    /// Debug builds: the buffers generated code has allocated and not freed on this thread, to
    /// catch leaks and double frees in tests (generated code runs on one thread per call).
    static LIVE: RefCell<HashSet<usize>> = RefCell::new(HashSet::new());
}

/// Forgets any error recorded on this thread and the buffers tracked (before a run).
pub(crate) fn clear() {
    FAILURE.with(|f| f.borrow_mut().take());
    drop(rt_error::take_error());
    LIVE.with(|l| l.borrow_mut().clear());
}

/// Debug builds: how many buffers generated code allocated on this thread and did not free.
pub(crate) fn live_buffers() -> usize {
    LIVE.with(|l| l.borrow().len())
}

/// Frees a buffer generated code allocated (mapped in place of `tf_rt_free`): debug builds
/// refuse, and record as an error, a pointer that is not a live buffer.
pub(crate) extern "C" fn tfcg_free(p: *mut c_void) {
    guard((), || {
        if p.is_null() {
            return;
        }
        if cfg!(debug_assertions) && !LIVE.with(|l| l.borrow_mut().remove(&(p as usize))) {
            rt_error::raise(rt_error::RuntimeError::invalid(format!("free of {p:?}, which is not a live buffer")));
            return;
        }
        // SAFETY: generated code frees only buffers it got from `tfcg_alloc` (checked above in
        // debug builds), once.
        unsafe { tf_runtime::abi::tf_rt_free(p) }
    })
}

pub(crate) fn take_failure() -> Option<Failure> {
    FAILURE.with(|f| f.borrow_mut().take())
}

/// Records a failure (unless an error is pending: the first wins) here, with the reason and
/// the interpreter's wording, and in the runtime's slot, where `tf_rt_has_error` and hosts
/// reading the runtime see it (as the nearest runtime kind, at the same site).
fn record(reason: Reason, site: u32, message: String, [a, b]: [i64; 2]) {
    if rt_error::has_error() || FAILURE.with(|f| f.borrow().is_some()) {
        return;
    }
    let kind = match reason {
        Reason::CheckEq => ErrorKind::DimensionMismatch { expected: a as u64, found: b as u64 },
        Reason::CheckIndex | Reason::IndexRead => ErrorKind::IndexOutOfRange { index: a, size: b as u64 },
        _ => ErrorKind::User { message: message.clone() },
    };
    let error = rt_error::RuntimeError::new(kind);
    rt_error::raise(match SiteId::from_code(site) {
        Some(s) => error.at(s),
        None => error,
    });
    FAILURE.with(|f| *f.borrow_mut() = Some(Failure { reason, site, message }));
}

fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        rt_error::raise(rt_error::RuntimeError::invalid("a code generation helper panicked"));
        fallback
    })
}

/// Records `reason` (with its numbers) at `site`.
extern "C" fn tfcg_fail(site: u32, reason: u32, a: i64, b: i64, c: i64, d: i64) {
    guard((), || match Reason::from_code(reason) {
        Some(r) => record(r, site, r.message([a, b, c, d]), [a, b]),
        None => rt_error::raise(rt_error::RuntimeError::invalid(format!("unknown failure reason {reason}"))),
    })
}

/// Gives the pending error `site` unless it has one (a call propagating its callee's error),
/// in both records.
extern "C" fn tfcg_locate(site: u32) {
    if site == NO_SITE {
        return;
    }
    guard((), || {
        FAILURE.with(|f| {
            if let Some(failure) = f.borrow_mut().as_mut() {
                if failure.site == NO_SITE {
                    failure.site = site;
                }
            }
        });
        if let Some(e) = rt_error::take_error() {
            rt_error::raise(if e.site.is_none() { e.at(SiteId(site)) } else { e });
        }
    })
}

/// A buffer for `dims` (`rank` of them) elements of `elem_size` bytes, or null after recording
/// why: a negative dimension, too many elements, or no memory.
///
/// # Safety
/// `dims` is valid for `rank` reads.
unsafe extern "C" fn tfcg_alloc(rank: u32, dims: *const i64, elem_size: u64, site: u32) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let dims = unsafe { std::slice::from_raw_parts(dims, rank as usize) };
        if let Some(&d) = dims.iter().find(|&&d| d < 0) {
            record(Reason::NegativeDim, site, Reason::NegativeDim.message([d, 0, 0, 0]), [d, 0]);
            return std::ptr::null_mut();
        }
        let count = dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
        let bytes = match count {
            Some(n) if n <= crate::MAX_ELEMENTS as u64 => n * elem_size,
            _ => {
                record(Reason::TooLarge, site, Reason::TooLarge.message([0; 4]), [0, 0]);
                return std::ptr::null_mut();
            }
        };
        let p = tf_runtime::abi::tf_rt_alloc(bytes as usize, 0);
        if p.is_null() {
            tfcg_locate(site);
        } else if cfg!(debug_assertions) {
            LIVE.with(|l| l.borrow_mut().insert(p as usize));
        }
        p
    })
}

/// A typed view of `count` elements of dtype `code` at `data`.
///
/// # Safety
/// `data` is valid for `count` elements of that dtype (any pointer when `count == 0`).
unsafe fn view<'a>(data: *const u8, code: u32, count: usize) -> Option<TensorRef<'a>> {
    fn slice<'a, T>(data: *const u8, count: usize) -> &'a [T] {
        if count == 0 {
            return &[];
        }
        // SAFETY: the enclosing function's contract (generated code passes aligned buffers).
        unsafe { std::slice::from_raw_parts(data.cast::<T>(), count) }
    }
    Some(match code {
        0 => TensorRef::F32(slice(data, count)),
        1 => TensorRef::F64(slice(data, count)),
        2 => TensorRef::I32(slice(data, count)),
        3 => TensorRef::I64(slice(data, count)),
        4 => TensorRef::Bool(slice(data, count)),
        _ => return None,
    })
}

/// Writes a value as NumPy's `str()` prints it (no newline), as `tfc run` does for `print`.
///
/// # Safety
/// `dims` is valid for `rank` reads and `data` for the elements they describe.
unsafe extern "C" fn tfcg_print_value(data: *const u8, dtype: u32, rank: u32, dims: *const i64) {
    guard((), || {
        // SAFETY: the caller's contract.
        let dims = unsafe { std::slice::from_raw_parts(dims, rank as usize) };
        let shape: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
        let count = shape.iter().product();
        // SAFETY: the caller's contract.
        if let Some(v) = unsafe { view(data, dtype, count) } {
            tf_runtime::output::write(tf_runtime::print::format_values(v, &shape).as_bytes());
        }
    })
}

/// Element `i` of a random op's parameter as f64 (a one-element parameter serves every `i`).
fn param(v: &TensorRef<'_>, i: usize) -> f64 {
    let i = if v.len() == 1 { 0 } else { i };
    match v {
        TensorRef::F32(s) => f64::from(s[i]),
        TensorRef::F64(s) => s[i],
        TensorRef::I32(s) => f64::from(s[i]),
        TensorRef::I64(s) => s[i] as f64,
        TensorRef::Bool(s) => f64::from(s[i]),
    }
}

/// Fills `n` elements at `out` from `tf_ir::rng`, exactly as the interpreter's `Random`.
///
/// # Safety
/// `p` and `q` are valid for `p_len`/`q_len` elements of their dtypes (each 1 or `n`), `out`
/// for `n` elements of `out_dtype` (f32 or f64).
#[allow(clippy::too_many_arguments)] // two parameters and the output, each with dtype and length
unsafe extern "C" fn tfcg_random(
    dist: u32,
    seed: i64,
    p: *const u8,
    p_dtype: u32,
    p_len: i64,
    q: *const u8,
    q_dtype: u32,
    q_len: i64,
    out: *mut u8,
    out_dtype: u32,
    n: i64,
) {
    guard((), || {
        // SAFETY: the caller's contract.
        let (Some(p), Some(q)) =
            (unsafe { view(p, p_dtype, p_len as usize) }, unsafe { view(q, q_dtype, q_len as usize) })
        else {
            return;
        };
        let value = |i: usize| {
            let (a, b) = (param(&p, i), param(&q, i));
            if dist == 0 {
                tf_ir::rng::normal(seed, i as u64) * b + a
            } else {
                a + tf_ir::rng::unit(seed, i as u64) * (b - a)
            }
        };
        let n = n as usize;
        if n == 0 {
            return;
        }
        if out_dtype == 0 {
            // SAFETY: the caller's contract.
            let out = unsafe { std::slice::from_raw_parts_mut(out.cast::<f32>(), n) };
            out.iter_mut().enumerate().for_each(|(i, o)| *o = value(i) as f32);
        } else {
            // SAFETY: the caller's contract.
            let out = unsafe { std::slice::from_raw_parts_mut(out.cast::<f64>(), n) };
            out.iter_mut().enumerate().for_each(|(i, o)| *o = value(i));
        }
    })
}

macro_rules! ipow {
    ($name:ident, $t:ty) => {
        /// `a ** b` wrapping; a negative power truncates the real result (`a == 0` with
        /// `b < 0` is a division by zero, checked by generated code before the call).
        extern "C" fn $name(a: $t, b: $t) -> $t {
            if b < 0 {
                return match a {
                    1 => 1,
                    -1 => {
                        if b % 2 == 0 {
                            1
                        } else {
                            -1
                        }
                    }
                    _ => 0,
                };
            }
            let (mut base, mut exp, mut acc): ($t, $t, $t) = (a, b, 1);
            while exp > 0 {
                if exp & 1 == 1 {
                    acc = acc.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                exp >>= 1;
            }
            acc
        }
    };
}

ipow!(tfcg_ipow_i32, i32);
ipow!(tfcg_ipow_i64, i64);

extern "C" fn tfcg_erf(x: f64) -> f64 {
    tf_ir::math::erf(x)
}

macro_rules! libm {
    ($($name:ident: $t:ty => $method:ident),* $(,)?) => {
        $(extern "C" fn $name(x: $t) -> $t { x.$method() })*
    };
}

libm! {
    exp_f64: f64 => exp, exp_f32: f32 => exp,
    log_f64: f64 => ln, log_f32: f32 => ln,
    log1p_f64: f64 => ln_1p, log1p_f32: f32 => ln_1p,
    expm1_f64: f64 => exp_m1, expm1_f32: f32 => exp_m1,
    tanh_f64: f64 => tanh, tanh_f32: f32 => tanh,
    sin_f64: f64 => sin, sin_f32: f32 => sin,
    cos_f64: f64 => cos, cos_f32: f32 => cos,
}

extern "C" fn pow_f64(x: f64, y: f64) -> f64 {
    x.powf(y)
}

extern "C" fn pow_f32(x: f32, y: f32) -> f32 {
    x.powf(y)
}

/// Every symbol generated code may call, with the address the JIT maps it to.
pub(crate) fn symbols() -> Vec<(&'static str, usize)> {
    // The runtime's entry points first: later entries (ours) win where a name repeats.
    let mut table: Vec<(&'static str, usize)> =
        tf_runtime::abi::symbols().into_iter().map(|(name, addr)| (name, addr as usize)).collect();
    table.extend([
        ("tf_rt_free", tfcg_free as *const () as usize),
        ("tfcg_fail", tfcg_fail as *const () as usize),
        ("tfcg_locate", tfcg_locate as *const () as usize),
        ("tfcg_alloc", tfcg_alloc as *const () as usize),
        ("tfcg_print_value", tfcg_print_value as *const () as usize),
        ("tfcg_random", tfcg_random as *const () as usize),
        ("tfcg_ipow_i32", tfcg_ipow_i32 as *const () as usize),
        ("tfcg_ipow_i64", tfcg_ipow_i64 as *const () as usize),
        ("tfcg_erf", tfcg_erf as *const () as usize),
        ("exp", exp_f64 as *const () as usize),
        ("expf", exp_f32 as *const () as usize),
        ("log", log_f64 as *const () as usize),
        ("logf", log_f32 as *const () as usize),
        ("log1p", log1p_f64 as *const () as usize),
        ("log1pf", log1p_f32 as *const () as usize),
        ("expm1", expm1_f64 as *const () as usize),
        ("expm1f", expm1_f32 as *const () as usize),
        ("tanh", tanh_f64 as *const () as usize),
        ("tanhf", tanh_f32 as *const () as usize),
        ("sin", sin_f64 as *const () as usize),
        ("sinf", sin_f32 as *const () as usize),
        ("cos", cos_f64 as *const () as usize),
        ("cosf", cos_f32 as *const () as usize),
        ("pow", pow_f64 as *const () as usize),
        ("powf", pow_f32 as *const () as usize),
    ]);
    table
}
