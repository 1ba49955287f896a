//! Packing: copies a block of A (or B) into the contiguous panel layout the micro-kernel reads,
//! so the kernel's loads are sequential whatever the operand's strides or transposition, and
//! pads partial panels with zeros so the kernel always computes full tiles.

use super::kernel::Scalar;

/// A read-only matrix operand: element (i, j) is at `ptr + i * rs + j * cs`. Transposition is
/// just swapped strides.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MatRef<T> {
    pub ptr: *const T,
    pub rs: usize,
    pub cs: usize,
}

impl<T> MatRef<T> {
    /// The operand starting at element (i, j).
    ///
    /// # Safety
    /// (i, j) must lie inside the matrix (or be its one-past-the-end corner of an empty block).
    pub unsafe fn at(self, i: usize, j: usize) -> MatRef<T> {
        // SAFETY: guaranteed by the caller.
        MatRef { ptr: unsafe { self.ptr.add(i * self.rs + j * self.cs) }, ..self }
    }
}

/// Packs the `rows × depth` block at `a` into panels of `mr` rows: panel q, step p holds
/// `a[q*mr + 0..mr, p]` contiguously. Rows past `rows` are zero.
///
/// # Safety
/// `a` is valid for the block; `dst` for `ceil(rows / mr) * mr * depth` writes.
pub(crate) unsafe fn pack_a<T: Scalar>(dst: *mut T, a: MatRef<T>, rows: usize, depth: usize, mr: usize) {
    for (q, i0) in (0..rows).step_by(mr).enumerate() {
        let live = mr.min(rows - i0);
        // SAFETY: panel q starts at q * mr * depth, inside dst; every write below stays in it,
        // and every read is element (i0 + r, p) of the block with r < live, p < depth.
        unsafe {
            let panel = dst.add(q * mr * depth);
            if a.cs == 1 {
                // Row-major A: read each row sequentially, write with stride mr.
                for r in 0..live {
                    let src = a.ptr.add((i0 + r) * a.rs);
                    for p in 0..depth {
                        *panel.add(p * mr + r) = *src.add(p);
                    }
                }
            } else {
                for p in 0..depth {
                    let src = a.ptr.add(i0 * a.rs + p * a.cs);
                    for r in 0..live {
                        *panel.add(p * mr + r) = *src.add(r * a.rs);
                    }
                }
            }
            if live < mr {
                for p in 0..depth {
                    for r in live..mr {
                        *panel.add(p * mr + r) = T::ZERO;
                    }
                }
            }
        }
    }
}

/// Packs the `depth × cols` block at `b` into panels of `nr` columns: panel q, step p holds
/// `b[p, q*nr + 0..nr]` contiguously. Columns past `cols` are zero.
///
/// # Safety
/// `b` is valid for the block; `dst` for `ceil(cols / nr) * nr * depth` writes.
pub(crate) unsafe fn pack_b<T: Scalar>(dst: *mut T, b: MatRef<T>, depth: usize, cols: usize, nr: usize) {
    for (q, j0) in (0..cols).step_by(nr).enumerate() {
        let live = nr.min(cols - j0);
        // SAFETY: as in pack_a with rows and columns exchanged.
        unsafe {
            let panel = dst.add(q * nr * depth);
            if b.cs == 1 {
                // Row-major B: each step is a contiguous run of `live` values.
                for p in 0..depth {
                    let src = b.ptr.add(p * b.rs + j0);
                    std::ptr::copy_nonoverlapping(src, panel.add(p * nr), live);
                    for j in live..nr {
                        *panel.add(p * nr + j) = T::ZERO;
                    }
                }
            } else {
                for j in 0..live {
                    let src = b.ptr.add((j0 + j) * b.cs);
                    for p in 0..depth {
                        *panel.add(p * nr + j) = *src.add(p * b.rs);
                    }
                }
                for p in 0..depth {
                    for j in live..nr {
                        *panel.add(p * nr + j) = T::ZERO;
                    }
                }
            }
        }
    }
}
