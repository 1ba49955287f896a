//! Convolution and pooling: tiny cases computed by hand, and larger ones against a naive
//! reference that materialises the zero padding (a different route to the same numbers).

mod common;

use common::*;
use tf_interp::{RunErrorKind, Tensor};
use tf_ir::*;

fn conv(x: Tensor, w: Tensor, stride: usize, padding: usize, out: &[usize]) -> Result<Tensor, tf_interp::RunError> {
    eval(OpKind::Conv2d { stride, padding }, vec![x, w], Some(vec![ty(DType::F64, out)]))
}

/// Cross-correlation with explicit zero padding, in f64.
fn naive_conv(x: &Tensor, w: &Tensor, stride: usize, padding: usize) -> Tensor {
    let ([n, c, h, wd], [o, _, kh, kw]) = (shape4(x), shape4(w));
    let (ph, pw) = (h + 2 * padding, wd + 2 * padding);
    let xv = x.to_f64_vec();
    let mut padded = vec![0.0; n * c * ph * pw];
    for b in 0..n {
        for ch in 0..c {
            for i in 0..h {
                for j in 0..wd {
                    padded[((b * c + ch) * ph + i + padding) * pw + j + padding] = xv[((b * c + ch) * h + i) * wd + j];
                }
            }
        }
    }
    let wv = w.to_f64_vec();
    let (oh, ow) = ((ph - kh) / stride + 1, (pw - kw) / stride + 1);
    let mut out = Vec::new();
    for b in 0..n {
        for oc in 0..o {
            for y in 0..oh {
                for xo in 0..ow {
                    let mut acc = 0.0;
                    for ch in 0..c {
                        for i in 0..kh {
                            for j in 0..kw {
                                acc += padded[((b * c + ch) * ph + y * stride + i) * pw + xo * stride + j]
                                    * wv[((oc * c + ch) * kh + i) * kw + j];
                            }
                        }
                    }
                    out.push(acc);
                }
            }
        }
    }
    f64s(&[n, o, oh, ow], &out)
}

fn shape4(t: &Tensor) -> [usize; 4] {
    [t.shape[0], t.shape[1], t.shape[2], t.shape[3]]
}

#[test]
fn conv2d_by_hand() {
    // out[i, j] = x[i, j] - x[i + 1, j + 1] = -4 for x = 1..9 in a 3×3 grid.
    let x = f64s(&[1, 1, 3, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    let w = f64s(&[1, 1, 2, 2], &[1.0, 0.0, 0.0, -1.0]);
    assert_eq!(conv(x.clone(), w.clone(), 1, 0, &[1, 1, 2, 2]).unwrap(), f64s(&[1, 1, 2, 2], &[-4.0; 4]));
    // With padding 1 and stride 2 the windows start at rows and columns -1 and 1, and each
    // output is x[r, c] - x[r + 1, c + 1] with zeros outside: 0 - 1, 0 - 3, 0 - 7, 5 - 9.
    assert_eq!(conv(x, w, 2, 1, &[1, 1, 2, 2]).unwrap(), f64s(&[1, 1, 2, 2], &[-1.0, -3.0, -7.0, -4.0]));
}

#[test]
fn conv2d_matches_a_naive_reference() {
    let x = f64s(&[2, 3, 5, 4], &noise(120, 11));
    let w = f64s(&[2, 3, 3, 3], &noise(54, 12));
    for (stride, padding) in [(1, 0), (1, 1), (2, 1), (3, 2)] {
        let want = naive_conv(&x, &w, stride, padding);
        let got = conv(x.clone(), w.clone(), stride, padding, &want.shape).unwrap();
        assert_close(&got, &want, 1e-12);
    }
}

#[test]
fn conv2d_errors() {
    let x = f64s(&[1, 2, 3, 3], &[0.0; 18]);
    let e = conv(x.clone(), f64s(&[1, 3, 1, 1], &[0.0; 3]), 1, 0, &[1, 1, 3, 3]).unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::DimensionMismatch, Some(SPAN)));
    let e = conv(x.clone(), f64s(&[1, 2, 4, 4], &[0.0; 32]), 1, 0, &[1, 1, 0, 0]).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::DimensionMismatch);
    // A result type that disagrees with the operands is the producer's bug.
    let e = conv(x, f64s(&[1, 2, 2, 2], &[0.0; 8]), 1, 0, &[1, 1, 3, 3]).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::Internal);
}

fn pool(x: Tensor, kind: PoolKind, size: usize, stride: usize, out: &[usize]) -> Result<Tensor, tf_interp::RunError> {
    let dtype = x.dtype();
    eval(OpKind::Pool2d { kind, size, stride }, vec![x], Some(vec![ty(dtype, out)]))
}

#[test]
fn pooling_by_hand() {
    let x = ramp(&[1, 1, 4, 4], 1.0, 0.0);
    let max = pool(x.clone(), PoolKind::Max, 2, 2, &[1, 1, 2, 2]).unwrap();
    assert_eq!(max, f32s(&[1, 1, 2, 2], &[5.0, 7.0, 13.0, 15.0]));
    let avg = pool(x.clone(), PoolKind::Avg, 2, 2, &[1, 1, 2, 2]).unwrap();
    assert_eq!(avg, f32s(&[1, 1, 2, 2], &[2.5, 4.5, 10.5, 12.5]));
    // Overlapping windows; the output size rounds down (a 3×3 window, stride 2, on 4×4 fits once).
    let over = pool(x.clone(), PoolKind::Max, 3, 1, &[1, 1, 2, 2]).unwrap();
    assert_eq!(over, f32s(&[1, 1, 2, 2], &[10.0, 11.0, 14.0, 15.0]));
    assert_eq!(pool(x.clone(), PoolKind::Avg, 3, 2, &[1, 1, 1, 1]).unwrap(), f32s(&[1, 1, 1, 1], &[5.0]));
    // Integer means truncate.
    let ints = i64s(&[1, 1, 2, 2], &[1, 2, 2, 2]);
    assert_eq!(pool(ints, PoolKind::Avg, 2, 1, &[1, 1, 1, 1]).unwrap(), i64s(&[1, 1, 1, 1], &[1]));
    // Several images and channels pool independently.
    let x = ramp(&[2, 3, 2, 2], 1.0, 0.0);
    let m = pool(x, PoolKind::Max, 2, 2, &[2, 3, 1, 1]).unwrap();
    assert_eq!(m, f32s(&[2, 3, 1, 1], &[3.0, 7.0, 11.0, 15.0, 19.0, 23.0]));
    let e = pool(ramp(&[1, 1, 2, 2], 1.0, 0.0), PoolKind::Max, 3, 1, &[1, 1, 1, 1]).unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::DimensionMismatch, Some(SPAN)));
}
