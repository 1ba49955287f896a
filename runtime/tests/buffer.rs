//! Tensor storage: alignment of every buffer, checked sizes (errors, never panics), typed views,
//! the arena, and the raw blocks of the C allocator.

use tf_runtime::error::ErrorKind;
use tf_runtime::{align_up, element_count, AlignedBuf, Arena, DType, Tensor, ALIGN};

#[test]
fn every_buffer_is_64_byte_aligned() {
    for len in [1usize, 3, 63, 64, 65, 1000, 4096 + 7] {
        let b = AlignedBuf::zeroed(len).unwrap();
        assert_eq!(b.as_ptr() as usize % ALIGN, 0, "len {len}");
        assert!(b.as_bytes().iter().all(|&x| x == 0));
    }
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
        let t = Tensor::zeros(dtype, &[3, 5]).unwrap();
        assert_eq!(t.as_ptr() as usize % 64, 0);
        assert_eq!(t.as_bytes().len(), 15 * dtype.size());
    }
    // Empty buffers still have an aligned, non-null pointer.
    let e = Tensor::zeros(DType::F64, &[0, 4]).unwrap();
    assert_eq!(e.as_ptr() as usize % 64, 0);
    assert_eq!(e.as_f64().unwrap().len(), 0);
}

#[test]
fn sizes_that_overflow_are_errors() {
    assert_eq!(element_count(&[]).unwrap(), 1);
    assert_eq!(element_count(&[2, 3, 4]).unwrap(), 24);
    for shape in [vec![usize::MAX, 2], vec![1 << 40, 1 << 40], vec![usize::MAX / 4]] {
        let e = Tensor::zeros(DType::F32, &shape).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::SizeOverflow { .. }), "{shape:?}: {e}");
    }
    // Representable but more than the machine can give: an error, not an abort.
    let e = Tensor::zeros(DType::F64, &[1 << 58]).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::OutOfMemory { .. } | ErrorKind::SizeOverflow { .. }), "{e}");
}

#[test]
fn constructors_and_typed_views() {
    let mut t = Tensor::from_vec(&[2, 2], vec![1.0f32, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!(t.dtype(), DType::F32);
    assert_eq!(t.shape(), &[2, 2]);
    assert_eq!(t.as_f32().unwrap(), &[1.0, 2.0, 3.0, 4.0]);
    assert!(t.as_f64().is_none());
    t.as_f32_mut().unwrap()[3] = 9.0;
    assert_eq!(t.as_slice::<f32>().unwrap()[3], 9.0);
    let e = t.expect_slice::<i32>().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::DTypeMismatch { expected: DType::I32, found: DType::F32 }));

    let e = Tensor::from_slice(&[3], &[1i64, 2]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DimensionMismatch { expected: 3, found: 2 });

    let b = Tensor::from_bools(&[3], &[true, false, true]).unwrap();
    assert_eq!(b.as_bool().unwrap(), &[1, 0, 1]);
    let b = Tensor::from_bytes(DType::Bool, &[2], &[0, 7]).unwrap();
    assert_eq!(b.as_bool().unwrap(), &[0, 1], "bool bytes are normalised to 0/1");

    let bytes: Vec<u8> = [1i32, -2].iter().flat_map(|x| x.to_ne_bytes()).collect();
    let i = Tensor::from_bytes(DType::I32, &[2], &bytes).unwrap();
    assert_eq!(i.as_i32().unwrap(), &[1, -2]);
    assert!(Tensor::from_bytes(DType::I32, &[3], &bytes).is_err());

    let r = i.reshape(&[1, 2]).unwrap();
    assert_eq!(r.shape(), &[1, 2]);
    assert!(r.reshape(&[3]).is_err());

    let s = Tensor::scalar(2.5f64).unwrap();
    assert_eq!((s.rank(), s.len()), (0, 1));
    let c = s.clone();
    assert_eq!(c.as_f64().unwrap(), &[2.5]);
}

#[test]
fn arena_hands_out_aligned_offsets_until_full() {
    assert_eq!(align_up(0), Some(0));
    assert_eq!(align_up(1), Some(64));
    assert_eq!(align_up(usize::MAX), None);
    let mut a = Arena::with_capacity(256).unwrap();
    let x = a.alloc(10).unwrap();
    let y = a.alloc(64).unwrap();
    let z = a.alloc(1).unwrap();
    assert_eq!((x, y, z), (0, 64, 128));
    assert_eq!(a.base() as usize % 64, 0);
    assert!(a.alloc(200).is_err(), "past capacity");
    a.bytes_mut(y, 64).unwrap()[0] = 5;
    assert!(a.bytes_mut(250, 10).is_none());
    a.reset();
    assert_eq!(a.alloc(256).unwrap(), 0);
    assert_eq!(a.used(), 256);
}
