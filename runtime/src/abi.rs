//! The `extern "C"` entry points generated code calls (documented in runtime/ABI.md). Small and
//! stable: sizes are `usize` (`size_t`), flags and codes `u32`, status returns `i32` (0 = ok,
//! otherwise the kind code of the error recorded in this thread's error slot).
//!
//! Nothing unwinds through generated code: every entry point runs under `catch_unwind`, and a
//! caught panic becomes a `Panic` error in the slot. Errors are recorded, never thrown; the host
//! checks the slot after the generated function returns.

use std::ffi::c_void;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

use crate::aligned;
use crate::buffer::{element_count, TensorRef};
use crate::dtype::{DType, Element};
use crate::error::{self, ErrorKind, RuntimeError, Site, SiteId};
use crate::gemm::Gemm;
use crate::output;
use crate::pool::Pool;
use crate::print;

/// Bumped only on incompatible changes; the host checks it before running generated code.
pub const TF_RT_ABI_VERSION: u32 = 1;

/// The status (kind code) of a panic caught at the boundary.
const PANIC: u32 = 9;

/// Ranks above this are refused by the print functions (no real program reaches it; it bounds
/// what a corrupt `rank` argument can make us read).
pub const MAX_RANK: u32 = 64;

/// The error in the slot, for C hosts (`tf_rt_error_info`). `a`/`b` carry the kind's numbers:
/// expected/found for a dimension mismatch, index/size for an index error, bytes for
/// out-of-memory; 0 otherwise.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TfRtErrorInfo {
    pub kind: u32,
    pub site: u32,
    pub a: i64,
    pub b: i64,
}

/// Runs `f`, turning a panic into a recorded `Panic` error and `fallback`.
fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            error::raise(RuntimeError::new(ErrorKind::Panic { message }));
            fallback
        }
    }
}

/// Records an error result and returns its status code.
fn status(r: Result<(), RuntimeError>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            let code = e.kind.code() as i32;
            error::raise(e);
            code
        }
    }
}

/// A slice over `len` elements at `ptr`, checking null and alignment (never dereferences).
///
/// # Safety
/// If `ptr` is non-null and aligned, it must be valid for `len` reads of `T` for `'a`.
unsafe fn slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [T], RuntimeError> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() || !ptr.is_aligned() {
        return Err(RuntimeError::invalid(format!("{what}: null or misaligned pointer")));
    }
    // SAFETY: non-null and aligned, and valid for len elements per this function's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Mutable counterpart of `slice`.
///
/// # Safety
/// As for `slice`, for writes, and no other reference to the memory may be live.
unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize, what: &str) -> Result<&'a mut [T], RuntimeError> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() || !ptr.is_aligned() {
        return Err(RuntimeError::invalid(format!("{what}: null or misaligned pointer")));
    }
    // SAFETY: as in slice; exclusivity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Elements spanned by a rows×cols matrix with row stride `ld` (0 when empty).
fn extent(rows: usize, cols: usize, ld: usize) -> Result<usize, RuntimeError> {
    if rows == 0 || cols == 0 {
        return Ok(0);
    }
    (rows - 1)
        .checked_mul(ld)
        .and_then(|x| x.checked_add(cols))
        .ok_or_else(|| RuntimeError::size_overflow(&[rows, cols]))
}

/// A UTF-8 string from (ptr, len), replacing invalid sequences.
///
/// # Safety
/// As for `slice`.
unsafe fn string(ptr: *const u8, len: usize, what: &str) -> Result<String, RuntimeError> {
    // SAFETY: forwarded contract.
    Ok(String::from_utf8_lossy(unsafe { slice(ptr, len, what)? }).into_owned())
}

/// The ABI version this library implements.
#[no_mangle]
pub extern "C" fn tf_rt_abi_version() -> u32 {
    TF_RT_ABI_VERSION
}

/// Allocates `bytes` of 64-byte-aligned memory (zeroed when `zeroed != 0`). Returns null and
/// records `OutOfMemory` on failure. `bytes == 0` returns a valid, unique block.
#[no_mangle]
pub extern "C" fn tf_rt_alloc(bytes: usize, zeroed: u32) -> *mut c_void {
    guard(std::ptr::null_mut(), || match aligned::alloc_raw(bytes, zeroed != 0) {
        Ok(p) => p.as_ptr().cast(),
        Err(e) => {
            error::raise(e);
            std::ptr::null_mut()
        }
    })
}

/// Frees a block from `tf_rt_alloc`. Null is ignored.
///
/// # Safety
/// `ptr` is null or came from `tf_rt_alloc` and was not freed.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_free(ptr: *mut c_void) {
    guard((), || {
        if let Some(p) = NonNull::new(ptr.cast::<u8>()) {
            // SAFETY: the caller's contract.
            unsafe { aligned::free_raw(p) }
        }
    })
}

/// Threads the global pool runs parallel loops on.
#[no_mangle]
pub extern "C" fn tf_rt_num_threads() -> u32 {
    guard(1, || u32::try_from(Pool::global().threads()).unwrap_or(u32::MAX))
}

/// A chunk body: `body(ctx, start, end)` handles indices `start..end`.
pub type ChunkFn = extern "C" fn(ctx: *mut c_void, start: usize, end: usize);

struct Ctx(*mut c_void);
// SAFETY: generated code promises its context may be used from several threads at once (each
// chunk touches disjoint data); that is the contract of tf_rt_parallel_for.
unsafe impl Sync for Ctx {}

/// Calls `body(ctx, s, e)` on disjoint chunks covering `start..end`, on the global pool; runs
/// inline when the range is shorter than `2 * min_chunk`. Errors raised by chunks on worker
/// threads are moved to the caller's slot (the first in chunk order wins). Returns the status.
///
/// # Safety
/// `body` must be safe to call concurrently with `ctx` on disjoint ranges.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_parallel_for(
    start: usize,
    end: usize,
    min_chunk: usize,
    body: Option<ChunkFn>,
    ctx: *mut c_void,
) -> i32 {
    guard(PANIC as i32, || {
        let Some(body) = body else {
            return status(Err(RuntimeError::invalid("tf_rt_parallel_for: null body")));
        };
        let ctx = Ctx(ctx);
        let prior = error::take_error();
        let errors = Pool::global().map_chunks(start..end, min_chunk, |r| {
            let ctx = &ctx;
            body(ctx.0, r.start, r.end);
            error::take_error()
        });
        let first = prior.into_iter().chain(errors.into_iter().flatten()).next();
        status(first.map_or(Ok(()), Err))
    })
}

/// `C = alpha * op(A)·op(B) + beta * C`, row-major f32 (see `gemm::sgemm`); a flag `!= 0`
/// transposes. C must not overlap A or B. Returns the status.
///
/// # Safety
/// Each pointer is valid for the matrix its sizes and leading dimension describe.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_sgemm(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: *const f32,
    lda: usize,
    trans_a: u32,
    b: *const f32,
    ldb: usize,
    trans_b: u32,
    beta: f32,
    c: *mut f32,
    ldc: usize,
) -> i32 {
    guard(PANIC as i32, || {
        let run = |a: &[_], b: &[_], c: &mut [_]| {
            Gemm::new().sgemm(m, n, k, alpha, a, lda, trans_a != 0, b, ldb, trans_b != 0, beta, c, ldc)
        };
        // SAFETY: the caller's contract.
        status(unsafe { gemm_abi((m, n, k), (a, lda, trans_a), (b, ldb, trans_b), (c, ldc), run) })
    })
}

/// `tf_rt_sgemm` in f64.
///
/// # Safety
/// As for `tf_rt_sgemm`.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_dgemm(
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: *const f64,
    lda: usize,
    trans_a: u32,
    b: *const f64,
    ldb: usize,
    trans_b: u32,
    beta: f64,
    c: *mut f64,
    ldc: usize,
) -> i32 {
    guard(PANIC as i32, || {
        let run = |a: &[_], b: &[_], c: &mut [_]| {
            Gemm::new().dgemm(m, n, k, alpha, a, lda, trans_a != 0, b, ldb, trans_b != 0, beta, c, ldc)
        };
        // SAFETY: the caller's contract.
        status(unsafe { gemm_abi((m, n, k), (a, lda, trans_a), (b, ldb, trans_b), (c, ldc), run) })
    })
}

/// Builds slices of exactly the extent each operand's sizes describe, then runs `gemm` on them.
///
/// # Safety
/// As for `tf_rt_sgemm`.
#[allow(clippy::too_many_arguments)] // the BLAS sizes, grouped per operand
unsafe fn gemm_abi<T: Element>(
    (m, n, k): (usize, usize, usize),
    (a, lda, ta): (*const T, usize, u32),
    (b, ldb, tb): (*const T, usize, u32),
    (c, ldc): (*mut T, usize),
    gemm: impl FnOnce(&[T], &[T], &mut [T]) -> Result<(), RuntimeError>,
) -> Result<(), RuntimeError> {
    let a_len = if ta != 0 { extent(k, m, lda)? } else { extent(m, k, lda)? };
    let b_len = if tb != 0 { extent(n, k, ldb)? } else { extent(k, n, ldb)? };
    let c_len = extent(m, n, ldc)?;
    // SAFETY: the caller guarantees each pointer covers its described extent, and C does not
    // overlap A or B.
    let (a, b, c) = unsafe { (slice(a, a_len, "A")?, slice(b, b_len, "B")?, slice_mut(c, c_len, "C")?) };
    gemm(a, b, c)
}

/// A typed view of `count` elements at `data`.
///
/// # Safety
/// `data` is valid for `count` elements of `dtype`.
unsafe fn view<'a>(data: *const c_void, dtype: DType, count: usize) -> Result<TensorRef<'a>, RuntimeError> {
    // SAFETY: forwarded contract; `slice` checks null and alignment.
    unsafe {
        Ok(match dtype {
            DType::F32 => TensorRef::F32(slice(data.cast(), count, "tensor")?),
            DType::F64 => TensorRef::F64(slice(data.cast(), count, "tensor")?),
            DType::I32 => TensorRef::I32(slice(data.cast(), count, "tensor")?),
            DType::I64 => TensorRef::I64(slice(data.cast(), count, "tensor")?),
            DType::Bool => TensorRef::Bool(slice(data.cast(), count, "tensor")?),
        })
    }
}

fn dtype(code: u32) -> Result<DType, RuntimeError> {
    DType::from_code(code).ok_or_else(|| RuntimeError::invalid(format!("unknown dtype code {code}")))
}

/// Prints a dense row-major tensor: a `f32[2, 3]` header line, then its values as NumPy prints
/// them, then a newline. `dims` holds `rank` sizes (may be null when `rank == 0`).
///
/// # Safety
/// `dims` is valid for `rank` reads; `data` for the tensor's elements of `dtype`.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_print_tensor(
    data: *const c_void,
    dtype_code: u32,
    rank: u32,
    dims: *const usize,
) -> i32 {
    guard(PANIC as i32, || {
        status((|| {
            if rank > MAX_RANK {
                return Err(RuntimeError::invalid(format!("rank {rank} exceeds {MAX_RANK}")));
            }
            let dtype = dtype(dtype_code)?;
            // SAFETY: the caller's contract.
            let shape = unsafe { slice(dims, rank as usize, "dims")? };
            let count = element_count(shape)?;
            // SAFETY: the caller's contract.
            let data = unsafe { view(data, dtype, count)? };
            let mut text = print::format_view(data, shape);
            text.push('\n');
            output::write(text.as_bytes());
            Ok(())
        })())
    })
}

/// Prints one element as NumPy's `str()` of a scalar (`0.5`, `3`, `True`), with no newline:
/// for string interpolation.
///
/// # Safety
/// `data` is valid for one element of `dtype`.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_print_scalar(data: *const c_void, dtype_code: u32) -> i32 {
    guard(PANIC as i32, || {
        status((|| {
            // SAFETY: the caller's contract.
            let data = unsafe { view(data, dtype(dtype_code)?, 1)? };
            output::write(print::format_scalar(data, 0).as_bytes());
            Ok(())
        })())
    })
}

/// Prints `len` bytes of UTF-8 text as they are (no newline added).
///
/// # Safety
/// `ptr` is valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_print_str(ptr: *const u8, len: usize) -> i32 {
    guard(PANIC as i32, || {
        // SAFETY: the caller's contract.
        status(unsafe { slice(ptr, len, "string") }.map(output::write))
    })
}

/// Flushes printed output.
#[no_mangle]
pub extern "C" fn tf_rt_flush() {
    guard((), output::flush)
}

/// Registers a source site and returns its id (`u32::MAX` if the arguments are invalid).
/// Strings are (pointer, length) UTF-8.
///
/// # Safety
/// `file` and `msg` are valid for their lengths.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // one scalar per field keeps the C side trivial
pub unsafe extern "C" fn tf_rt_register_site(
    file: *const u8,
    file_len: usize,
    start: u32,
    end: u32,
    line: u32,
    col: u32,
    msg: *const u8,
    msg_len: usize,
) -> u32 {
    guard(SiteId::NONE_CODE, || {
        // SAFETY: the caller's contract.
        let strings = unsafe { string(file, file_len, "file").and_then(|f| Ok((f, string(msg, msg_len, "message")?))) };
        match strings {
            Ok((file, message)) => error::register_site(Site { file, start, end, line, col, message }).0,
            Err(e) => {
                error::raise(e);
                SiteId::NONE_CODE
            }
        }
    })
}

/// Records an error of kind `kind` at `site` (`u32::MAX` = none) with numbers `a`, `b`:
/// 1 dimension mismatch (expected, found), 2 index out of range (index, size), 6 out of memory
/// (bytes). Other kinds need a message: use `tf_rt_raise_message`.
#[no_mangle]
pub extern "C" fn tf_rt_raise(kind: u32, site: u32, a: i64, b: i64) {
    guard((), || {
        let kind = match kind {
            1 => ErrorKind::DimensionMismatch { expected: a as u64, found: b as u64 },
            2 => ErrorKind::IndexOutOfRange { index: a, size: b as u64 },
            6 => ErrorKind::OutOfMemory { bytes: a as usize },
            _ => ErrorKind::InvalidArgument { reason: format!("tf_rt_raise: error kind {kind} needs a message") },
        };
        let err = RuntimeError::new(kind);
        error::raise(match SiteId::from_code(site) {
            Some(s) => err.at(s),
            None => err,
        });
    })
}

/// Records a user error (kind 8) with a UTF-8 message at `site` (`u32::MAX` = none).
///
/// # Safety
/// `msg` is valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_raise_message(site: u32, msg: *const u8, len: usize) {
    guard((), || {
        // SAFETY: the caller's contract.
        let err = match unsafe { string(msg, len, "message") } {
            Ok(message) => RuntimeError::new(ErrorKind::User { message }),
            Err(e) => e,
        };
        error::raise(match SiteId::from_code(site) {
            Some(s) => err.at(s),
            None => err,
        });
    })
}

/// The kind code of this thread's pending error, 0 if none. Cheap: generated code may poll it.
#[no_mangle]
pub extern "C" fn tf_rt_has_error() -> u32 {
    guard(PANIC, || error::peek_error().map_or(0, |e| e.kind.code()))
}

/// Fills `out` with the pending error (left in place) and returns its kind code, 0 if none.
///
/// # Safety
/// `out` is null or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_error_info(out: *mut TfRtErrorInfo) -> u32 {
    guard(PANIC, || {
        let Some(e) = error::peek_error() else { return 0 };
        let (a, b) = match e.kind {
            ErrorKind::DimensionMismatch { expected, found } => (expected as i64, found as i64),
            ErrorKind::IndexOutOfRange { index, size } => (index, size as i64),
            ErrorKind::OutOfMemory { bytes } => (bytes as i64, 0),
            _ => (0, 0),
        };
        let info = TfRtErrorInfo { kind: e.kind.code(), site: e.site.map_or(SiteId::NONE_CODE, |s| s.0), a, b };
        if !out.is_null() && out.is_aligned() {
            // SAFETY: non-null and aligned; valid for a write per the caller's contract.
            unsafe { out.write(info) };
        }
        info.kind
    })
}

/// Writes the pending error's message (without location) into `buf` as NUL-terminated UTF-8,
/// truncated to `cap - 1` bytes, and returns the full message length (0 if no error), like
/// `snprintf`.
///
/// # Safety
/// `buf` is null or valid for `cap` bytes.
#[no_mangle]
pub unsafe extern "C" fn tf_rt_error_message(buf: *mut u8, cap: usize) -> usize {
    guard(0, || {
        let Some(e) = error::peek_error() else { return 0 };
        let msg = e.to_string();
        if !buf.is_null() && cap > 0 {
            let n = msg.len().min(cap - 1);
            // SAFETY: buf is valid for cap > n bytes per the caller's contract.
            unsafe {
                std::ptr::copy_nonoverlapping(msg.as_ptr(), buf, n);
                buf.add(n).write(0);
            }
        }
        msg.len()
    })
}

/// Clears this thread's pending error.
#[no_mangle]
pub extern "C" fn tf_rt_clear_error() {
    guard((), || drop(error::take_error()))
}

/// Every entry point by name and address, for a JIT host to map (`add_global_mapping`) instead of
/// relying on the executable exporting its symbols; referencing them here also keeps the linker
/// from discarding any. `tests/abi.rs` checks the list against ABI.md.
pub fn symbols() -> Vec<(&'static str, *const ())> {
    macro_rules! table {
        ($($f:ident),* $(,)?) => { vec![$((stringify!($f), $f as *const ())),*] };
    }
    table![
        tf_rt_abi_version,
        tf_rt_alloc,
        tf_rt_free,
        tf_rt_num_threads,
        tf_rt_parallel_for,
        tf_rt_sgemm,
        tf_rt_dgemm,
        tf_rt_print_tensor,
        tf_rt_print_scalar,
        tf_rt_print_str,
        tf_rt_flush,
        tf_rt_register_site,
        tf_rt_raise,
        tf_rt_raise_message,
        tf_rt_has_error,
        tf_rt_error_info,
        tf_rt_error_message,
        tf_rt_clear_error,
    ]
}
