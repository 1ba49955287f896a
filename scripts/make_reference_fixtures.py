#!/usr/bin/env python3
"""Writes the reference fixtures in tests/reference/*.npz with JAX: inputs, parameters, and the
loss and gradients JAX computes for small composite models (an MLP, a CNN, a recurrent loop, a
function with a branch). The tests compare TensorForge's compile-time gradients against them;
they need neither JAX nor Python.

Run: python3 -m venv .tools/ref-venv && .tools/ref-venv/bin/pip install numpy jax jaxlib
     .tools/ref-venv/bin/python scripts/make_reference_fixtures.py
"""
import pathlib

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", False)
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "reference"
rng = np.random.default_rng(20261125)


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def cross_entropy(logits, labels):
    logp = logits - jax.scipy.special.logsumexp(logits, axis=1, keepdims=True)
    return -jnp.take_along_axis(logp, labels[:, None], axis=1)[:, 0]


def save(name, inputs, loss_fn, params):
    """Saves inputs, the loss and the gradient of every parameter (by name)."""
    names = list(params)
    loss, grads = jax.value_and_grad(loss_fn, argnums=tuple(range(len(names))))(*[params[n] for n in names])
    arrays = dict(inputs)
    arrays.update(params)
    arrays["loss"] = np.asarray(loss, dtype=np.float32)
    for n, g in zip(names, grads):
        arrays[f"grad_{n}"] = np.asarray(g, dtype=np.float32)
    np.savez(OUT / f"{name}.npz", **arrays)
    print(f"{name}: loss {float(loss):.6f}, {len(arrays)} arrays")


def mlp():
    x, y = f32(16, 8), rng.integers(0, 4, 16).astype(np.int32)
    params = {"w1": f32(8, 32, scale=0.3), "b1": f32(32, scale=0.1), "w2": f32(32, 4, scale=0.3), "b2": f32(4, scale=0.1)}

    def loss(w1, b1, w2, b2):
        h = jax.nn.relu(x @ w1 + b1)
        return jnp.mean(cross_entropy(h @ w2 + b2, y))

    save("mlp", {"x": x, "y": y}, loss, params)


def cnn():
    x, y = f32(2, 1, 8, 8), rng.integers(0, 3, 2).astype(np.int32)
    params = {"w": f32(4, 1, 3, 3, scale=0.4), "b": f32(4, scale=0.1), "wd": f32(36, 3, scale=0.2), "bd": f32(3, scale=0.1)}

    def loss(w, b, wd, bd):
        c = jax.lax.conv_general_dilated(x, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW"))
        c = jax.nn.relu(c + b[None, :, None, None])
        p = jax.lax.reduce_window(c, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")
        return jnp.mean(cross_entropy(p.reshape(2, 36) @ wd + bd, y))

    save("cnn", {"x": x, "y": y}, loss, params)


def rnn():
    xs = f32(7, 5)
    params = {"wx": f32(5, 6, scale=0.4), "wh": f32(6, 6, scale=0.4), "b": f32(6, scale=0.1)}

    def loss(wx, wh, b):
        h = jnp.zeros(6, jnp.float32)
        for t in range(xs.shape[0]):
            h = jnp.tanh(xs[t] @ wx + h @ wh + b)
        return jnp.sum(h * h)

    save("rnn", {"xs": xs}, loss, params)


def branch():
    for name, shift in (("branch_then", 1.0), ("branch_else", -1.0)):
        params = {"x": f32(5, scale=0.5) + np.float32(shift)}

        def loss(x):
            return jax.lax.cond(jnp.sum(x) > 0, lambda v: jnp.sum(jnp.exp(v) * v), lambda v: jnp.sum(v * v * v), x)

        save(name, {}, loss, params)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    mlp()
    cnn()
    rnn()
    branch()
