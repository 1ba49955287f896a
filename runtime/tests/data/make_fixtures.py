"""Writes the small data files runtime/tests/data_fixtures.rs reads: made by real NumPy (and the
safetensors package) so the Rust readers are tested against the writers people use.

Run from the repository root with a Python that has numpy and safetensors, e.g.
    python3 -m venv .tools/data-venv && .tools/data-venv/bin/pip install numpy safetensors
    .tools/data-venv/bin/python runtime/tests/data/make_fixtures.py
The outputs are committed; the tests never run Python. Keep them small (a few KB in all).
"""

import gzip
import io
import os
import struct
import zipfile

import numpy as np

OUT = os.path.dirname(os.path.abspath(__file__))

# Every fixture array of shape (2, 3) holds one of these, by kind.
UNSIGNED = [0, 1, 2, 3, 4, 5]
SIGNED = [-3, -2, -1, 0, 1, 2]
FLOATS = [-1.5, -0.5, 0.0, 0.5, 1.5, 2.5]
BOOLS = [True, False, True, True, False, False]


def sample(dtype):
    dt = np.dtype(dtype)
    values = {"u": UNSIGNED, "i": SIGNED, "f": FLOATS, "b": BOOLS}[dt.kind]
    return np.array(values, dtype=dt).reshape(2, 3)


def path(name):
    return os.path.join(OUT, name)


def main():
    # Every dtype, little- and big-endian, in one stored archive (each member is a .npy file).
    codes = ["<f2", "<f4", "<f8", "<i4", "<i8", "|b1", "|u1", "|i1", "<i2", "<u2", "<u4", "<u8"]
    big = [">f4", ">f8", ">i2", ">i8", ">u4"]
    arrays = {c.replace("<", "le_").replace("|", "le_").replace(">", "be_"): sample(c) for c in codes + big}
    arrays["fortran_f8"] = np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4))
    arrays["fortran_be_i4"] = np.asfortranarray(np.arange(6, dtype=">i4").reshape(3, 2))
    arrays["scalar"] = np.array(3.5)
    arrays["empty"] = np.zeros((0, 3), dtype="<f4")
    np.savez(path("dtypes.npz"), **arrays)

    # A compressed archive of an image batch and labels, as a small dataset would be saved.
    x = (np.arange(24, dtype=np.float32) / 4).reshape(2, 3, 4)
    y = np.array([7, 0], dtype=np.int64)
    np.savez_compressed(path("compressed.npz"), x=x, y=y)
    with zipfile.ZipFile(path("compressed.npz")) as z:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
    with zipfile.ZipFile(path("dtypes.npz")) as z:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())

    # Plain .npy files: format versions 1, 2 and 3, Fortran order, 0-d and empty.
    np.save(path("f4.npy"), sample("<f4"))
    np.save(path("fortran_f8.npy"), arrays["fortran_f8"])
    np.save(path("scalar.npy"), np.array(3.5))
    np.save(path("empty.npy"), np.zeros((0, 3), dtype="<f4"))
    for version in [(2, 0), (3, 0)]:
        with open(path(f"v{version[0]}_i4.npy"), "wb") as f:
            np.lib.format.write_array(f, sample("<i4"), version=version)

    # IDX files as MNIST ships them: big-endian, u8 images gzip-compressed (with a file name in
    # the gzip header), plus a plain i16 and f64 file.
    def idx(a, code):
        head = struct.pack(">BBBB", 0, 0, code, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape)
        return head + a.astype(a.dtype.newbyteorder(">")).tobytes()

    images = np.arange(24, dtype=np.uint8).reshape(2, 3, 4) * 10
    with open(path("images-idx3-ubyte"), "wb") as f:
        f.write(idx(images, 0x08))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="images-idx3-ubyte", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(idx(images, 0x08))
    with open(path("images-idx3-ubyte.gz"), "wb") as f:
        f.write(buf.getvalue())
    with open(path("i16-idx2"), "wb") as f:
        f.write(idx(sample("<i2"), 0x0B))
    with open(path("f64-idx1"), "wb") as f:
        f.write(idx(np.array(FLOATS), 0x0E))

    # CSV as np.savetxt writes it: with a header row, and whole numbers.
    np.savetxt(path("header.csv"), np.array([[1, 2.5, -3], [4e10, 0.125, 6]]), delimiter=",", header="a,b,c", comments="")
    np.savetxt(path("ints.csv"), np.array([[1, 2], [3, 4], [5, 6]]), delimiter=",", fmt="%d")
    np.savetxt(path("column.csv"), np.array([0.5, 1.5, 2.5]), delimiter=",")

    try:
        from safetensors.numpy import save_file
    except ImportError:
        print("safetensors is not installed: model.safetensors left as it is")
    else:
        tensors = {n: sample(n_dtype) for n, n_dtype in [
            ("f16", "<f2"), ("f32", "<f4"), ("f64", "<f8"), ("i8", "i1"), ("i16", "<i2"), ("i32", "<i4"),
            ("i64", "<i8"), ("u8", "u1"), ("u16", "<u2"), ("bool", "?"),
        ]}
        tensors["scalar"] = np.array(3.5, dtype=np.float32)
        save_file(tensors, path("model.safetensors"), metadata={"format": "np"})

    total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT) if not n.endswith(".py"))
    print(f"fixtures written: {total} bytes")


if __name__ == "__main__":
    main()
