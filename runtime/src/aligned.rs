//! 64-byte-aligned memory: the owned buffer behind every tensor, a bump arena for the memory
//! plans the compiler computes, and the size-prefixed raw blocks the C ABI hands out.
//!
//! 64 bytes is a cache line and a full AVX-512 register, so generated code may use aligned
//! vector loads on any buffer start. Every size is checked: a request the address space cannot
//! hold is an error value, never a panic or an abort.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use crate::dtype::Element;
use crate::error::{ErrorKind, RuntimeError};

/// The alignment of every buffer the runtime allocates.
pub const ALIGN: usize = 64;

/// `bytes` rounded up to a multiple of `ALIGN`, or `None` on overflow. Memory planners use it to
/// lay out offsets inside one arena.
pub const fn align_up(bytes: usize) -> Option<usize> {
    match bytes.checked_add(ALIGN - 1) {
        Some(b) => Some(b & !(ALIGN - 1)),
        None => None,
    }
}

fn layout(bytes: usize) -> Result<Layout, RuntimeError> {
    Layout::from_size_align(bytes, ALIGN).map_err(|_| RuntimeError::new(ErrorKind::OutOfMemory { bytes }))
}

/// Allocates `bytes` (> 0) aligned to `ALIGN`, zeroed or not.
fn allocate(bytes: usize, zeroed: bool) -> Result<NonNull<u8>, RuntimeError> {
    let layout = layout(bytes)?;
    // SAFETY: callers pass bytes > 0, so the layout has non-zero size as `alloc` requires.
    let ptr = unsafe {
        if zeroed {
            alloc::alloc_zeroed(layout)
        } else {
            alloc::alloc(layout)
        }
    };
    NonNull::new(ptr).ok_or(RuntimeError::new(ErrorKind::OutOfMemory { bytes }))
}

/// An owned, zero-initialised, 64-byte-aligned byte buffer. Its length is fixed at creation.
pub struct AlignedBuf {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: AlignedBuf owns its allocation exclusively (like Vec<u8>); &AlignedBuf only reads.
unsafe impl Send for AlignedBuf {}
// SAFETY: as above; shared references give read-only access.
unsafe impl Sync for AlignedBuf {}

impl AlignedBuf {
    /// A zeroed buffer of `len` bytes. Zero length allocates nothing.
    pub fn zeroed(len: usize) -> Result<AlignedBuf, RuntimeError> {
        if len == 0 {
            return Ok(AlignedBuf::empty());
        }
        Ok(AlignedBuf { ptr: allocate(len, true)?, len })
    }

    /// A buffer holding a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<AlignedBuf, RuntimeError> {
        let mut buf = AlignedBuf::zeroed(bytes.len())?;
        buf.as_bytes_mut().copy_from_slice(bytes);
        Ok(buf)
    }

    fn empty() -> AlignedBuf {
        // An aligned, non-null, never-dereferenced pointer: zero-length slices only need that.
        let ptr = NonNull::new(ALIGN as *mut u8).unwrap_or(NonNull::dangling());
        AlignedBuf { ptr, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: ptr is valid for len initialised bytes (zeroed at allocation) or len == 0 with
        // an aligned non-null pointer; the borrow of self keeps the buffer alive and unaliased.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub fn as_bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in as_bytes, and &mut self guarantees exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// The buffer as elements of `T`; trailing bytes that do not fill an element are left out.
    pub fn view<T: Element>(&self) -> &[T] {
        let n = self.len / std::mem::size_of::<T>();
        // SAFETY: the pointer is 64-byte aligned (>= align_of::<T>()), valid for n * size_of::<T>()
        // initialised bytes, and every `Element` type is plain old data valid for any bit pattern.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().cast::<T>(), n) }
    }

    /// Mutable counterpart of `view`.
    pub fn view_mut<T: Element>(&mut self) -> &mut [T] {
        let n = self.len / std::mem::size_of::<T>();
        // SAFETY: as in view; &mut self guarantees exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr().cast::<T>(), n) }
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: allocated by `allocate` with exactly this layout (it succeeded then, so
            // `layout` succeeds now) and not freed before.
            unsafe { alloc::dealloc(self.ptr.as_ptr(), Layout::from_size_align_unchecked(self.len, ALIGN)) }
        }
    }
}

impl Clone for AlignedBuf {
    /// Panics only if the allocator refuses a buffer the same size as one that already exists,
    /// as `Vec::clone` would; use `try_clone` to get that as an error.
    fn clone(&self) -> Self {
        match self.try_clone() {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }
}

impl AlignedBuf {
    pub fn try_clone(&self) -> Result<AlignedBuf, RuntimeError> {
        AlignedBuf::from_bytes(self.as_bytes())
    }
}

impl std::fmt::Debug for AlignedBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AlignedBuf({} bytes)", self.len)
    }
}

/// A bump allocator over one aligned buffer. Generated code with a static memory plan needs only
/// the base pointer (offsets are compile-time constants); host code that builds temporaries at
/// run time (data loaders, checkpoint readers) uses `alloc`/`reset`.
#[derive(Debug)]
pub struct Arena {
    buf: AlignedBuf,
    top: usize,
}

impl Arena {
    pub fn with_capacity(bytes: usize) -> Result<Arena, RuntimeError> {
        Ok(Arena { buf: AlignedBuf::zeroed(bytes)?, top: 0 })
    }

    /// Reserves `bytes` and returns their offset from `base`, a multiple of `ALIGN`.
    pub fn alloc(&mut self, bytes: usize) -> Result<usize, RuntimeError> {
        let offset = self.top;
        let end = offset.checked_add(bytes).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                self.top = align_up(end).unwrap_or(usize::MAX).min(self.buf.len());
                Ok(offset)
            }
            None => Err(RuntimeError::new(ErrorKind::OutOfMemory { bytes })),
        }
    }

    /// Forgets every allocation; the memory is reused (not re-zeroed).
    pub fn reset(&mut self) {
        self.top = 0;
    }

    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    pub fn used(&self) -> usize {
        self.top
    }

    /// The start of the arena; offsets from `alloc` are relative to it.
    pub fn base(&mut self) -> *mut u8 {
        self.buf.as_mut_ptr()
    }

    /// The bytes at `offset..offset + len`, if inside the arena.
    pub fn bytes_mut(&mut self, offset: usize, len: usize) -> Option<&mut [u8]> {
        let end = offset.checked_add(len)?;
        self.buf.as_bytes_mut().get_mut(offset..end)
    }
}

/// Size of the header in front of each raw block; one `ALIGN` so the payload stays aligned.
const HEADER: usize = ALIGN;

/// Allocates a raw block for the C ABI: `bytes` of 64-aligned memory that `free_raw` can release
/// without being told the size (it is stored in a header in front of the block).
pub fn alloc_raw(bytes: usize, zeroed: bool) -> Result<NonNull<u8>, RuntimeError> {
    let total = align_up(bytes)
        .and_then(|b| b.checked_add(HEADER))
        .ok_or(RuntimeError::new(ErrorKind::OutOfMemory { bytes }))?;
    let base = allocate(total, zeroed)?;
    // SAFETY: the block is `total >= HEADER` bytes and 64-aligned, so the header word is in
    // bounds and aligned for usize, and base + HEADER is in bounds (or one past the end).
    unsafe {
        base.as_ptr().cast::<usize>().write(total);
        Ok(NonNull::new_unchecked(base.as_ptr().add(HEADER)))
    }
}

/// Frees a block from `alloc_raw`.
///
/// # Safety
/// `ptr` must come from `alloc_raw` and not have been freed.
pub unsafe fn free_raw(ptr: NonNull<u8>) {
    // SAFETY: per the contract, ptr - HEADER is the start of an allocation whose first word holds
    // its total size, allocated with `layout(total)`.
    unsafe {
        let base = ptr.as_ptr().sub(HEADER);
        let total = base.cast::<usize>().read();
        alloc::dealloc(base, Layout::from_size_align_unchecked(total, ALIGN));
    }
}
