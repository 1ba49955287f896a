//! Round trips through the C entry points, called from Rust exactly as generated code calls
//! them: allocation, GEMM, parallel-for with errors raised on workers, printing, sites, errors.

// Calling the C entry points is what is under test.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

use tf_runtime::abi::*;
use tf_runtime::error::{self, ErrorKind, SiteId};
use tf_runtime::output;

#[test]
fn symbol_table_matches_abi_md() {
    let doc = include_str!("../ABI.md");
    let documented: std::collections::BTreeSet<&str> =
        doc.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| w.starts_with("tf_rt_")).collect();
    let table = symbols();
    let listed: std::collections::BTreeSet<&str> = table.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, documented, "abi::symbols() and ABI.md disagree");
    assert!(table.iter().all(|(_, p)| !p.is_null()));
}

#[test]
fn version_and_threads() {
    assert_eq!(tf_rt_abi_version(), TF_RT_ABI_VERSION);
    assert!(tf_rt_num_threads() >= 1);
}

#[test]
fn alloc_is_aligned_zeroed_and_freeable() {
    for bytes in [0usize, 1, 100, 1 << 20] {
        let p = tf_rt_alloc(bytes, 1);
        assert!(!p.is_null());
        assert_eq!(p as usize % 64, 0);
        // SAFETY: the block is `bytes` long and zeroed.
        let s = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), bytes) };
        assert!(s.iter().all(|&b| b == 0));
        // SAFETY: from tf_rt_alloc, freed once.
        unsafe { tf_rt_free(p) };
    }
    // SAFETY: null is allowed.
    unsafe { tf_rt_free(std::ptr::null_mut()) };
    tf_rt_clear_error();
    assert!(tf_rt_alloc(usize::MAX - 10, 0).is_null());
    assert_eq!(tf_rt_has_error(), 6, "out of memory recorded");
    tf_rt_clear_error();
}

#[test]
fn gemm_through_the_abi() {
    let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2×3
    let b = [1.0f32, 0.0, 0.0, 1.0, 1.0, 1.0]; // 3×2
    let mut c = [0.0f32; 4];
    // SAFETY: each pointer covers its matrix.
    let s = unsafe { tf_rt_sgemm(2, 2, 3, 1.0, a.as_ptr(), 3, 0, b.as_ptr(), 2, 0, 0.0, c.as_mut_ptr(), 2) };
    assert_eq!(s, 0);
    assert_eq!(c, [4.0, 5.0, 10.0, 11.0]);
    // Aᵀ·A with A stored 2×3: op(A) = Aᵀ is 3×2.
    let a64 = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0];
    let mut c64 = [0.0f64; 9];
    // SAFETY: as above.
    let s = unsafe { tf_rt_dgemm(3, 3, 2, 1.0, a64.as_ptr(), 3, 1, a64.as_ptr(), 3, 0, 0.0, c64.as_mut_ptr(), 3) };
    assert_eq!(s, 0);
    assert_eq!(c64, [17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]);
    // A bad leading dimension: status = InvalidArgument, recorded, nothing written.
    tf_rt_clear_error();
    // SAFETY: as above (the call is rejected before any access).
    let s = unsafe { tf_rt_sgemm(2, 2, 3, 1.0, a.as_ptr(), 1, 0, b.as_ptr(), 2, 0, 0.0, c.as_mut_ptr(), 2) };
    assert_eq!(s, 7);
    assert_eq!(tf_rt_has_error(), 7);
    tf_rt_clear_error();
    // Null with non-empty sizes is refused, not dereferenced.
    // SAFETY: null is checked before use.
    let s = unsafe { tf_rt_sgemm(2, 2, 3, 1.0, std::ptr::null(), 3, 0, b.as_ptr(), 2, 0, 0.0, c.as_mut_ptr(), 2) };
    assert_eq!(s, 7);
    tf_rt_clear_error();
}

struct Sum {
    total: AtomicUsize,
    fail_at: usize,
}

extern "C" fn add_range(ctx: *mut c_void, start: usize, end: usize) {
    // SAFETY: the test passes a &Sum as ctx, alive for the whole call.
    let sum = unsafe { &*(ctx as *const Sum) };
    for i in start..end {
        if i == sum.fail_at {
            tf_rt_raise(2, SiteId::NONE_CODE, i as i64, 7);
        }
        sum.total.fetch_add(i, Ordering::Relaxed);
    }
}

#[test]
fn parallel_for_covers_the_range_and_brings_worker_errors_home() {
    tf_rt_clear_error();
    let sum = Sum { total: AtomicUsize::new(0), fail_at: usize::MAX };
    let ctx = &sum as *const Sum as *mut c_void;
    // SAFETY: add_range only reads ctx and uses atomics.
    assert_eq!(unsafe { tf_rt_parallel_for(0, 10_000, 16, Some(add_range), ctx) }, 0);
    assert_eq!(sum.total.load(Ordering::Relaxed), (0..10_000).sum::<usize>());
    // The last index lands in the last chunk, which runs on a worker when there are 2 threads.
    let sum = Sum { total: AtomicUsize::new(0), fail_at: 9_999 };
    let ctx = &sum as *const Sum as *mut c_void;
    // SAFETY: as above.
    assert_eq!(unsafe { tf_rt_parallel_for(0, 10_000, 16, Some(add_range), ctx) }, 2);
    let e = error::take_error().expect("error moved to the caller");
    assert_eq!(e.kind, ErrorKind::IndexOutOfRange { index: 9_999, size: 7 });
    // SAFETY: a null body is rejected.
    assert_eq!(unsafe { tf_rt_parallel_for(0, 1, 1, None, std::ptr::null_mut()) }, 7);
    tf_rt_clear_error();
}

#[test]
fn printing_tensors_scalars_and_strings() {
    let data = [1.0f32, 0.25, -3.0, 4.5];
    let dims = [2usize, 2];
    let one = 7i64;
    let flag = 1u8;
    let text = "loss: ";
    let (statuses, out) = output::capture(|| {
        // SAFETY: every pointer covers what its sizes describe.
        unsafe {
            [
                tf_rt_print_tensor(data.as_ptr().cast(), 0, 2, dims.as_ptr()),
                tf_rt_print_str(text.as_ptr(), text.len()),
                tf_rt_print_scalar((&data[1] as *const f32).cast(), 0),
                tf_rt_print_str(" ".as_ptr(), 1),
                tf_rt_print_scalar((&one as *const i64).cast(), 3),
                tf_rt_print_str(" ".as_ptr(), 1),
                tf_rt_print_scalar((&flag as *const u8).cast(), 4),
                tf_rt_print_str("\n".as_ptr(), 1),
                tf_rt_print_tensor((&one as *const i64).cast(), 3, 0, std::ptr::null()),
            ]
        }
    });
    assert_eq!(statuses, [0; 9]);
    assert_eq!(out, "f32[2, 2]\n[[ 1.    0.25]\n [-3.    4.5 ]]\nloss: 0.25 7 True\ni64[]\n7\n");
    // Bad dtype and misaligned data are errors, not crashes.
    tf_rt_clear_error();
    // SAFETY: rejected before any read.
    assert_eq!(unsafe { tf_rt_print_tensor(data.as_ptr().cast(), 99, 2, dims.as_ptr()) }, 7);
    tf_rt_clear_error();
    let misaligned = (data.as_ptr() as *const u8).wrapping_add(1);
    // SAFETY: rejected before any read.
    assert_eq!(unsafe { tf_rt_print_scalar(misaligned.cast(), 0) }, 7);
    tf_rt_clear_error();
}

#[test]
fn sites_and_errors_round_trip() {
    tf_rt_clear_error();
    let file = "examples/mlp.tf";
    let msg = "rows of `x` must equal N";
    // SAFETY: both strings are valid for their lengths.
    let site = unsafe { tf_rt_register_site(file.as_ptr(), file.len(), 120, 135, 7, 9, msg.as_ptr(), msg.len()) };
    assert_ne!(site, SiteId::NONE_CODE);
    let s = error::site(SiteId(site)).unwrap();
    assert_eq!((s.file.as_str(), s.start, s.end, s.line, s.col, s.message.as_str()), (file, 120, 135, 7, 9, msg));

    assert_eq!(tf_rt_has_error(), 0);
    tf_rt_raise(1, site, 64, 128);
    tf_rt_raise(2, SiteId::NONE_CODE, 0, 0); // a later error does not replace the first
    let mut info = TfRtErrorInfo::default();
    // SAFETY: info is a valid out-parameter.
    assert_eq!(unsafe { tf_rt_error_info(&mut info) }, 1);
    assert_eq!(info, TfRtErrorInfo { kind: 1, site, a: 64, b: 128 });
    let mut buf = [0u8; 16];
    // SAFETY: buf is valid for its length.
    let len = unsafe { tf_rt_error_message(buf.as_mut_ptr(), buf.len()) };
    let full = "dimension mismatch: expected 64, found 128";
    assert_eq!(len, full.len());
    assert_eq!(&buf[..15], &full.as_bytes()[..15], "truncated");
    assert_eq!(buf[15], 0, "NUL-terminated");
    let e = error::take_error().unwrap();
    assert_eq!(e.site, Some(SiteId(site)));
    assert_eq!(tf_rt_has_error(), 0);

    let text = "weights must be finite";
    // SAFETY: valid string.
    unsafe { tf_rt_raise_message(site, text.as_ptr(), text.len()) };
    assert_eq!(error::take_error().unwrap().kind, ErrorKind::User { message: text.to_string() });

    tf_rt_raise(42, SiteId::NONE_CODE, 0, 0);
    assert_eq!(tf_rt_has_error(), 7, "an unknown kind is itself reported");
    tf_rt_clear_error();
}
