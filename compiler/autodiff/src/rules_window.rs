//! Derivative rules of the sliding-window ops, `Conv2d` and `Pool2d` (semantics in the
//! interpreter's `window.rs`: cross-correlation with zero padding; pooling without padding).
//!
//! A window op is a sum (or max) over kernel offsets `(i, j)` of strided views of the padded
//! input: `view_ij = x_pad[:, :, i + s*r, j + s*q]`. The adjoints are written that way, one
//! offset at a time, with ops that are themselves differentiable: `Slice` for a view, a
//! batched `MatMul` for the channel contraction of a convolution, and `ScatterAdd` to put a
//! view's adjoint back (the adjoint of a strided slice). This unrolls the kernel, so the
//! kernel's size must be a constant (it is an attribute for pooling); the image and batch may
//! have run-time sizes. Forward mode uses the ops themselves, as both are linear per operand.

use tf_ir::*;

use crate::emit::Emitter;
use crate::rules::{dense, Contributions, Prim, ResultTangents};
use crate::AdError;

/// The shapes of a window op: input `[N, C, H, W]`, output `[.., .., OH, OW]`.
struct Window {
    dtype: DType,
    n: Size,
    c: Size,
    h: Size,
    w: Size,
    oh: Size,
    ow: Size,
    stride: i64,
    padding: i64,
}

impl Window {
    fn of(e: &Emitter, x: ValueId, y: ValueId, stride: usize, padding: usize) -> Window {
        let (xt, yt) = (e.ty(x), e.ty(y));
        let d = |t: &Type, i: usize| t.shape[i].clone();
        Window {
            dtype: xt.dtype,
            n: d(&xt, 0),
            c: d(&xt, 1),
            h: d(&xt, 2),
            w: d(&xt, 3),
            oh: d(&yt, 2),
            ow: d(&yt, 3),
            stride: stride as i64,
            padding: padding as i64,
        }
    }

    fn ty(&self, dims: [&Size; 4]) -> Type {
        Type::new(self.dtype, dims.iter().map(|d| (*d).clone()).collect())
    }

    fn padded(&self, d: &Size) -> Size {
        d.add(&Size::constant(2 * self.padding))
    }

    /// The view at kernel offset `(i, j)` of the (padded) input `xp`: `[N, C, OH, OW]`.
    fn view(&self, e: &mut Emitter, xp: ValueId, i: i64, j: i64) -> ValueId {
        let (i, j) = (e.size(&Size::constant(i)), e.size(&Size::constant(j)));
        let wp = self.padded(&self.w);
        let rows = e.typed(
            OpKind::Slice { axis: 2, step: self.stride },
            vec![xp, i],
            self.ty([&self.n, &self.c, &self.oh, &wp]),
        );
        e.typed(
            OpKind::Slice { axis: 3, step: self.stride },
            vec![rows, j],
            self.ty([&self.n, &self.c, &self.oh, &self.ow]),
        )
    }

    /// The input padded with zeros on both sides of both image axes.
    fn pad(&self, e: &mut Emitter, x: ValueId) -> Result<ValueId, AdError> {
        if self.padding == 0 {
            return Ok(x);
        }
        let p = Size::constant(self.padding);
        let top = e.zeros(&self.ty([&self.n, &self.c, &p, &self.w]));
        let tall = e.op1(OpKind::Concat { axis: 2 }, vec![top, x, top])?;
        let side = e.zeros(&self.ty([&self.n, &self.c, &self.padded(&self.h), &p]));
        e.op1(OpKind::Concat { axis: 3 }, vec![side, tall, side])
    }

    /// The adjoint of the input given the adjoint of each view: scattered back into the padded
    /// input (one buffer per column offset, then one scatter per column offset), then unpadded.
    fn unview(&self, e: &mut Emitter, views: &[Vec<ValueId>]) -> Result<ValueId, AdError> {
        let (hp, wp) = (self.padded(&self.h), self.padded(&self.w));
        let mut total = e.zeros(&self.ty([&self.n, &self.c, &hp, &wp]));
        let cols = views.first().map_or(0, Vec::len);
        for j in 0..cols {
            let mut column = e.zeros(&self.ty([&self.n, &self.c, &hp, &self.ow]));
            for (i, row) in views.iter().enumerate() {
                let at = e.size(&Size::constant(i as i64));
                let rows = e.positions(at, self.stride, &self.oh)?;
                column = e.op1(OpKind::ScatterAdd { axis: 2 }, vec![column, rows, row[j]])?;
            }
            let at = e.size(&Size::constant(j as i64));
            let positions = e.positions(at, self.stride, &self.ow)?;
            total = e.op1(OpKind::ScatterAdd { axis: 3 }, vec![total, positions, column])?;
        }
        if self.padding == 0 {
            return Ok(total);
        }
        let p = e.size(&Size::constant(self.padding));
        let rows =
            e.typed(OpKind::Slice { axis: 2, step: 1 }, vec![total, p], self.ty([&self.n, &self.c, &self.h, &wp]));
        Ok(e.typed(OpKind::Slice { axis: 3, step: 1 }, vec![rows, p], self.ty([&self.n, &self.c, &self.h, &self.w])))
    }
}

fn kernel_dim(e: &Emitter, w: ValueId, axis: usize) -> Result<i64, AdError> {
    e.ty(w).shape[axis].as_constant().ok_or_else(|| AdError::Unsupported {
        op: "conv2d".into(),
        reason: "its derivative unrolls the kernel, whose size must be a constant".into(),
    })
}

pub fn conv2d_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None, None]) };
    let OpKind::Conv2d { stride, padding } = *p.kind else { unreachable!("conv2d rule applied to {:?}", p.kind) };
    let (x, w) = (p.operands[0], p.operands[1]);
    let win = Window::of(e, x, p.results[0], stride, padding);
    let (kh, kw) = (kernel_dim(e, w, 2)?, kernel_dim(e, w, 3)?);
    let o = e.ty(w).shape[0].clone();
    let pixels = win.oh.mul(&win.ow);
    // g as [N, O, OH*OW]: each offset's contribution is a batched matrix product over it.
    let g3 = e.reshape(g, &Type::new(win.dtype, vec![win.n.clone(), o.clone(), pixels.clone()]));
    let xp = if need[1] { Some(win.pad(e, x)?) } else { None };
    let mut views = Vec::new();
    let mut dw_pieces = Vec::new();
    for i in 0..kh {
        let mut row = Vec::new();
        for j in 0..kw {
            let (ic, jc) = (e.size(&Size::constant(i)), e.size(&Size::constant(j)));
            let wj = e.op1(OpKind::Index { axis: 3 }, vec![w, jc])?;
            let wk = e.op1(OpKind::Index { axis: 2 }, vec![wj, ic])?; // [O, C]
            if need[0] {
                // view_adj[n, c] = w_kᵀ g[n]
                let wkt = e.op1(OpKind::Transpose { perm: vec![1, 0] }, vec![wk])?;
                let wkt = e.broadcast(wkt, &Type::new(win.dtype, vec![win.n.clone(), win.c.clone(), o.clone()]));
                let d = e.op1(OpKind::MatMul, vec![wkt, g3])?;
                row.push(e.reshape(d, &win.ty([&win.n, &win.c, &win.oh, &win.ow])));
            }
            if let Some(xp) = xp {
                // w_k_adj = Σ_n g[n] view[n]ᵀ
                let v = win.view(e, xp, i, j);
                let v = e.reshape(v, &Type::new(win.dtype, vec![win.n.clone(), win.c.clone(), pixels.clone()]));
                let vt = e.op1(OpKind::Transpose { perm: vec![0, 2, 1] }, vec![v])?;
                let per_image = e.op1(OpKind::MatMul, vec![g3, vt])?;
                let dwk = e.reduce(ReduceOp::Sum, per_image, &[0], false)?;
                dw_pieces
                    .push(e.reshape(dwk, &Type::new(win.dtype, vec![o.clone(), win.c.clone(), Size::constant(1)])));
            }
        }
        views.push(row);
    }
    let dx = if need[0] { Some(win.unview(e, &views)?) } else { None };
    let dw = if need[1] {
        let flat = e.op1(OpKind::Concat { axis: 2 }, dw_pieces)?;
        Some(e.reshape(flat, &e.ty(w)))
    } else {
        None
    };
    dense(vec![dx, dw])
}

pub fn conv2d_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let ty = e.ty(p.results[0]);
    let (x, w) = (p.operands[0], p.operands[1]);
    let mut terms = Vec::new();
    if let Some(tx) = tangents[0] {
        terms.push(e.typed(p.kind.clone(), vec![tx, w], ty.clone()));
    }
    if let Some(tw) = tangents[1] {
        terms.push(e.typed(p.kind.clone(), vec![x, tw], ty.clone()));
    }
    Ok(vec![match terms[..] {
        [a, b] => Some(e.add(a, b)?),
        [a] => Some(a),
        _ => None,
    }])
}

pub fn pool2d_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let OpKind::Pool2d { kind, size, stride } = *p.kind else { unreachable!("pool2d rule applied to {:?}", p.kind) };
    let (x, y) = (p.operands[0], p.results[0]);
    let win = Window::of(e, x, y, stride, 0);
    let k = size as i64;
    let views = match kind {
        PoolKind::Avg => {
            let share = e.fill_like(1.0 / (k * k) as f64, g);
            let share = e.mul(g, share)?;
            vec![vec![share; size]; size]
        }
        PoolKind::Max => {
            // Like the max reduction: the gradient is spread evenly over tied maxima.
            let (masks, count) = max_masks(e, &win, x, y, k)?;
            let share = e.div(g, count)?;
            let zero = e.fill_like(0.0, g);
            let mut views = Vec::new();
            for row in masks {
                views.push(row.into_iter().map(|m| e.select(m, share, zero)).collect::<Result<Vec<_>, _>>()?);
            }
            views
        }
    };
    dense(vec![Some(win.unview(e, &views)?)])
}

/// Where each view of `x` holds its window's maximum, and how many offsets do.
fn max_masks(
    e: &mut Emitter,
    win: &Window,
    x: ValueId,
    y: ValueId,
    k: i64,
) -> Result<(Vec<Vec<ValueId>>, ValueId), AdError> {
    let (one, zero) = (e.fill_like(1.0, y), e.fill_like(0.0, y));
    let mut count = zero;
    let mut masks = Vec::new();
    for i in 0..k {
        let mut row = Vec::new();
        for j in 0..k {
            let v = win.view(e, x, i, j);
            let m = e.compare(CmpOp::Eq, v, y)?;
            let hit = e.select(m, one, zero)?;
            count = e.add(count, hit)?;
            row.push(m);
        }
        masks.push(row);
    }
    Ok((masks, count))
}

pub fn pool2d_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let OpKind::Pool2d { kind, size, stride } = *p.kind else { unreachable!("pool2d rule applied to {:?}", p.kind) };
    let (x, y) = (p.operands[0], p.results[0]);
    if kind == PoolKind::Avg {
        return Ok(vec![Some(e.typed(p.kind.clone(), vec![t], e.ty(y)))]);
    }
    let win = Window::of(e, x, y, stride, 0);
    let k = size as i64;
    let (masks, count) = max_masks(e, &win, x, y, k)?;
    let zero = e.fill_like(0.0, y);
    let mut total = zero;
    for (i, row) in masks.into_iter().enumerate() {
        for (j, m) in row.into_iter().enumerate() {
            let v = win.view(e, t, i as i64, j as i64);
            let picked = e.select(m, v, zero)?;
            total = e.add(total, picked)?;
        }
    }
    Ok(vec![Some(e.div(total, count)?)])
}
