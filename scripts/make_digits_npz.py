#!/usr/bin/env python3
"""Converts scikit-learn's bundled copy of the UCI optical-digits test set (1,797 8×8 images,
pixel values 0–16, labels 0–9; CC BY 4.0, Alpaydin & Kaynak 1998) into
examples/data/digits.npz: `x` f32[1797, 64] scaled to [0, 1], `y` i32[1797], shuffled with a
fixed seed so that a train/test split by position is fair.

Run: .tools/ref-venv/bin/pip install scikit-learn && .tools/ref-venv/bin/python scripts/make_digits_npz.py
"""
import gzip
import pathlib

import numpy as np
import sklearn

src = pathlib.Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
rows = np.loadtxt(gzip.open(src, "rt"), delimiter=",")
x, y = rows[:, :64] / 16.0, rows[:, 64]
order = np.random.default_rng(0).permutation(len(y))
out = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "digits.npz"
np.savez_compressed(out, x=x[order].astype(np.float32), y=y[order].astype(np.int32))
print(f"{out}: x {x.shape}, y {y.shape}")
