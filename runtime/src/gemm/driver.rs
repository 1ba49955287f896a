//! The blocked GEMM loop nest (BLIS order: NC columns of B, KC deep, MC rows of A, then
//! NR×MR tiles) on one thread, and the split of a large product into independent column or row
//! stripes, one per pool thread.
//!
//! Every element of C is accumulated in the same order (KC blocks ascending, steps ascending
//! inside a block) whichever stripe or tile computes it, so the result is bitwise identical for
//! every thread count.

use std::cell::RefCell;

use super::kernel::{Kernel, Scalar};
use super::pack::{pack_a, pack_b, MatRef};
use crate::aligned::{AlignedBuf, ALIGN};
use crate::error::RuntimeError;
use crate::pool::Pool;

/// One product `C = alpha * A·B + beta * C` (A is m×k, B is k×n, C is m×n with row stride ldc),
/// with operands already validated against their slices.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Problem<T> {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub alpha: T,
    pub a: MatRef<T>,
    pub b: MatRef<T>,
    pub beta: T,
    pub c: *mut T,
    pub ldc: usize,
}

// SAFETY: a Problem is shared only between stripes that write disjoint parts of C and read A and
// B, which nobody writes during the call (the public API borrows c mutably and a, b shared).
unsafe impl<T: Send> Send for Problem<T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Problem<T> {}

/// Products with fewer multiply-adds than this stay on one thread. A pool round trip costs about
/// 10 µs here and each stripe repacks all of A, so splitting pays only from roughly 100 µs of
/// single-thread work (160³ multiply-adds at ~80 GFLOP/s); below that 2 threads were slower.
pub(crate) const PARALLEL_MIN_FLOPS: usize = 160 * 160 * 160;

thread_local! {
    /// Per-thread packing space, kept between calls so repeated products do not page-fault.
    static PACK: RefCell<Option<AlignedBuf>> = const { RefCell::new(None) };
}

/// Runs `p` on the pool: split into column stripes (or row stripes when C is taller than wide)
/// of whole tiles, one per thread, each computed by `serial`.
pub(crate) fn parallel<T: Scalar>(pool: &Pool, kern: &Kernel<T>, p: &Problem<T>) -> Result<(), RuntimeError> {
    let tiles_n = p.n.div_ceil(kern.nr);
    let tiles_m = p.m.div_ceil(kern.mr);
    let by_cols = tiles_n >= tiles_m;
    let tiles = if by_cols { tiles_n } else { tiles_m };
    let flops = p.m.saturating_mul(p.n).saturating_mul(p.k);
    if pool.threads() == 1 || tiles < 2 || flops < PARALLEL_MIN_FLOPS {
        return serial(kern, p);
    }
    let results = pool.map_chunks(0..tiles, 1, |r| {
        let stripe = if by_cols {
            let (j0, j1) = (r.start * kern.nr, (r.end * kern.nr).min(p.n));
            // SAFETY: j0 < n (r is a non-empty range of tiles), so B's column j0 and C's
            // element (0, j0) lie inside their matrices.
            Problem { n: j1 - j0, b: unsafe { p.b.at(0, j0) }, c: unsafe { p.c.add(j0) }, ..*p }
        } else {
            let (i0, i1) = (r.start * kern.mr, (r.end * kern.mr).min(p.m));
            // SAFETY: i0 < m, so A's row i0 and C's row i0 lie inside their matrices.
            Problem { m: i1 - i0, a: unsafe { p.a.at(i0, 0) }, c: unsafe { p.c.add(i0 * p.ldc) }, ..*p }
        };
        serial(kern, &stripe)
    });
    results.into_iter().collect()
}

/// The blocked algorithm on the calling thread.
pub(crate) fn serial<T: Scalar>(kern: &Kernel<T>, p: &Problem<T>) -> Result<(), RuntimeError> {
    let kc_max = kern.kc.min(p.k);
    let mc_max = kern.mc.min(p.m.next_multiple_of(kern.mr));
    let nc_max = kern.nc.min(p.n.next_multiple_of(kern.nr));
    // Packed A, then packed B starting at an ALIGN boundary (the kernel's aligned B loads).
    let a_len = (mc_max * kc_max).next_multiple_of(ALIGN / std::mem::size_of::<T>());
    let need = (a_len + kc_max * nc_max) * std::mem::size_of::<T>();
    PACK.with(|cell| {
        // A product inside a product (not done today) would find the buffer borrowed: give it its own.
        let mut own = None;
        let mut guard = cell.try_borrow_mut().ok();
        let slot = match guard.as_deref_mut() {
            Some(slot) => slot,
            None => &mut own,
        };
        if slot.as_ref().is_none_or(|b| b.len() < need) {
            *slot = None; // free the old buffer before allocating the larger one
            *slot = Some(AlignedBuf::zeroed(need)?);
        }
        let buf = slot.as_mut().map(|b| b.view_mut::<T>()).unwrap_or_default();
        let (ap, bp) = buf.split_at_mut(a_len);
        // SAFETY: ap and bp hold the packed blocks (sizes computed above from the same bounds
        // the loop uses), and p's operands were validated by the caller.
        unsafe { blocked(kern, p, ap.as_mut_ptr(), bp.as_mut_ptr()) };
        Ok(())
    })
}

/// # Safety
/// `ap` and `bp` hold at least `mc*kc` and `kc*nc` elements for the bounds `serial` computed,
/// `bp` is ALIGN-aligned, and `p` describes valid operands.
unsafe fn blocked<T: Scalar>(kern: &Kernel<T>, p: &Problem<T>, ap: *mut T, bp: *mut T) {
    let (mr, nr) = (kern.mr, kern.nr);
    let mut tile = [T::ZERO; 16 * 16];
    for jc in (0..p.n).step_by(kern.nc) {
        let nc = kern.nc.min(p.n - jc);
        for pc in (0..p.k).step_by(kern.kc) {
            let kc = kern.kc.min(p.k - pc);
            // User beta on the first block of depth, accumulate afterwards.
            let beta = if pc == 0 { p.beta } else { T::ONE };
            // SAFETY: the block (pc.., jc..) is inside B and bp is large enough.
            unsafe { pack_b(bp, p.b.at(pc, jc), kc, nc, nr) };
            for ic in (0..p.m).step_by(kern.mc) {
                let mc = kern.mc.min(p.m - ic);
                // SAFETY: the block (ic.., pc..) is inside A and ap is large enough.
                unsafe { pack_a(ap, p.a.at(ic, pc), mc, kc, mr) };
                for jr in (0..nc).step_by(nr) {
                    let cols = nr.min(nc - jr);
                    for ir in (0..mc).step_by(mr) {
                        let rows = mr.min(mc - ir);
                        // SAFETY: panel offsets stay inside the packed blocks; the C tile at
                        // (ic + ir, jc + jr) is inside C for rows × cols elements.
                        unsafe {
                            let a_panel = ap.add(ir * kc);
                            let b_panel = bp.add(jr * kc);
                            let c = p.c.add((ic + ir) * p.ldc + jc + jr);
                            if rows == mr && cols == nr {
                                (kern.run)(kc, a_panel, b_panel, c, p.ldc, p.alpha, beta);
                            } else {
                                // Edge tile: run the same kernel on a full scratch tile so the
                                // arithmetic matches full tiles exactly, then copy the live part.
                                edge(kern, kc, a_panel, b_panel, c, p.ldc, rows, cols, p.alpha, beta, &mut tile);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// # Safety
/// As for the kernel, with the C tile only `rows × cols` large; `mr * nr <= tile.len()`.
#[allow(clippy::too_many_arguments)] // the kernel's arguments plus the live tile size
unsafe fn edge<T: Scalar>(
    kern: &Kernel<T>,
    kc: usize,
    a: *const T,
    b: *const T,
    c: *mut T,
    ldc: usize,
    rows: usize,
    cols: usize,
    alpha: T,
    beta: T,
    tile: &mut [T; 256],
) {
    let nr = kern.nr;
    // SAFETY: reads and writes stay in the live rows × cols part of C, the kernel writes the
    // mr × nr scratch tile with row stride nr.
    unsafe {
        if beta != T::ZERO {
            for i in 0..rows {
                std::ptr::copy_nonoverlapping(c.add(i * ldc), tile.as_mut_ptr().add(i * nr), cols);
            }
        }
        (kern.run)(kc, a, b, tile.as_mut_ptr(), nr, alpha, beta);
        for i in 0..rows {
            std::ptr::copy_nonoverlapping(tile.as_ptr().add(i * nr), c.add(i * ldc), cols);
        }
    }
}
