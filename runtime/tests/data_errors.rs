//! Bad data files and bad declarations: every malformed or truncated file is an error (never a
//! panic or a huge allocation), and the messages name the file, what it holds and what the
//! program declared.

mod data_support;

use data_support::*;
use tf_runtime::data::{csv, idx, npy, npz, parse, safetensors, CsvHeader, DataErrorKind, Format};
use tf_runtime::{DType, ErrorKind, RuntimeError};

fn npy_f4() -> Vec<u8> {
    npy(1, "<f4", false, &[2, 3], &le(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0], f32::to_le_bytes))
}

/// Parses with every format-specific entry point and converts every array: the result does not
/// matter, only that nothing panics.
fn exercise(bytes: &[u8]) {
    for format in [
        Format::Npy,
        Format::Idx,
        Format::Csv { header: CsvHeader::Auto },
        Format::Npz { member: "x".into() },
        Format::Safetensors { key: "x".into() },
    ] {
        if let Ok(a) = parse(bytes, &format) {
            for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
                let _ = a.to_tensor(dtype);
            }
        }
    }
    if let Ok(archive) = npz::Archive::parse(bytes) {
        for name in archive.names() {
            let _ = archive.get(&name).map(|a| a.to_tensor(DType::F64));
        }
    }
    if let Ok(file) = safetensors::File::parse(bytes) {
        for name in file.names() {
            let _ = file.get(&name).map(|a| a.to_tensor(DType::F64));
        }
    }
}

/// Sample files of every format: hand-written and NumPy-made.
fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let x = npy_f4();
    let st = safetensors(
        r#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]}}"#,
        &[0, 0, 128, 63, 0, 0, 0, 64, 128, 63],
    );
    let mut v = vec![
        ("npy", x.clone()),
        ("npz stored", zip(&[("x.npy", &x, false)], false)),
        ("npz deflated", zip(&[("x.npy", &x, true)], false)),
        ("npz zip64", zip(&[("x.npy", &x, true)], true)),
        ("idx", idx(0x0d, &[2, 2], &[0x3f, 0x80, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0xbf, 0x80, 0, 0])),
        ("idx gz", gzip(&idx(0x08, &[3, 2], &[1, 2, 3, 4, 5, 6]))),
        ("safetensors", st),
    ];
    for name in ["dtypes.npz", "compressed.npz", "fortran_f8.npy", "images-idx3-ubyte.gz", "model.safetensors"] {
        v.push((name, std::fs::read(fixture(name)).unwrap()));
    }
    v
}

fn parse_as(name: &str, bytes: &[u8]) -> Result<(), tf_runtime::DataError> {
    if name.contains("npz") {
        let a = npz::Archive::parse(bytes)?;
        for n in a.names() {
            a.get(&n)?;
        }
    } else if name.contains("safetensors") {
        let f = safetensors::File::parse(bytes)?;
        for n in f.names() {
            f.get(&n)?;
        }
    } else if name.contains("npy") {
        npy::parse(bytes)?;
    } else {
        idx::parse(bytes)?;
    }
    Ok(())
}

#[test]
fn every_truncation_of_every_format_is_an_error() {
    for (name, bytes) in samples() {
        parse_as(name, &bytes).unwrap_or_else(|e| panic!("{name} whole: {e}"));
        // Every length for small files; for larger ones every length near the start and end
        // (headers, directories, trailers) and a stride through the middle.
        let n = bytes.len();
        let lengths = (0..n).filter(|&l| n < 1000 || l < 300 || l + 300 > n || l % 7 == 0);
        for len in lengths {
            let cut = &bytes[..len];
            exercise(cut);
            // Our zip writer's 5-byte archive comment may be cut without harm; nothing else.
            if parse_as(name, cut).is_ok() {
                assert!(name.starts_with("npz ") && len + 5 >= n, "{name} cut to {len} bytes parsed");
            }
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (_, bytes) in samples() {
        let step = (bytes.len() / 150).max(1);
        for pos in (0..bytes.len()).step_by(step) {
            for value in [0x00, 0xff, bytes[pos] ^ 0x01, bytes[pos].wrapping_add(0x80)] {
                let mut b = bytes.clone();
                b[pos] = value;
                exercise(&b);
            }
        }
        for _ in 0..200 {
            let mut b = bytes.clone();
            for _ in 0..1 + next() % 4 {
                let pos = (next() % b.len() as u64) as usize;
                b[pos] = next() as u8;
            }
            exercise(&b);
        }
    }
}

fn err_of<T: std::fmt::Debug>(r: Result<T, tf_runtime::DataError>) -> tf_runtime::DataError {
    r.expect_err("expected an error")
}

#[test]
fn npy_malformed_headers() {
    let good = npy_f4();
    let cases: Vec<(Vec<u8>, DataErrorKind, &str)> = vec![
        (b"PK\x03\x04 not npy".to_vec(), DataErrorKind::Malformed, "wrong magic bytes"),
        ([&good[..6], &[9, 0], &good[8..]].concat(), DataErrorKind::Unsupported, "version 9.0"),
        ([&good[..8], &[0xff, 0xff]].concat(), DataErrorKind::Malformed, "truncated header (it claims 65535 bytes"),
        (npy_with_header(1, "[1, 2]", &[]), DataErrorKind::Malformed, "is not a dict"),
        (
            npy_with_header(1, "{'shape': (1,), 'fortran_order': False}", &[0; 4]),
            DataErrorKind::Malformed,
            "no `descr`",
        ),
        (
            npy_with_header(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", &[0; 4]),
            DataErrorKind::Unsupported,
            "structured",
        ),
        (npy(1, "<c8", false, &[1], &[0; 8]), DataErrorKind::Unsupported, "`<c8` (complex numbers)"),
        (npy(1, "<U5", false, &[1], &[0; 20]), DataErrorKind::Unsupported, "(strings)"),
        (npy(1, "|O", false, &[1], &[0; 8]), DataErrorKind::Unsupported, "(Python objects)"),
        (
            npy_with_header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", &[]),
            DataErrorKind::Malformed,
            "negative dimension",
        ),
        (
            npy_with_header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", &[]),
            DataErrorKind::Malformed,
            "too large",
        ),
        (
            npy(1, "<f8", false, &[1 << 31, 1 << 31, 1 << 31], &[]),
            DataErrorKind::Malformed,
            "too large for this machine",
        ),
        (
            npy(1, "<f4", false, &[1000, 1000], &[0; 64]),
            DataErrorKind::Malformed,
            "f32[1000, 1000] needs 4000000 bytes of data, the file has 64",
        ),
        (
            npy_with_header(1, &format!("{{'descr': '<f4', 'shape': {}}}", "(".repeat(500)), &[]),
            DataErrorKind::Malformed,
            "nested too deeply",
        ),
        (
            npy_with_header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } extra", &[0; 4]),
            DataErrorKind::Malformed,
            "after the dict",
        ),
        ([&good[..10], &[0xc3, 0x28], &good[12..]].concat(), DataErrorKind::Malformed, "not text"),
    ];
    for (bytes, kind, words) in cases {
        let e = err_of(npy::parse(&bytes));
        assert_eq!(e.kind, kind, "{e}");
        assert!(e.to_string().contains(words), "`{e}` should say `{words}`");
    }
}

#[test]
fn npz_malformed_archives() {
    let x = npy_f4();
    let good = zip(&[("x.npy", &x, false), ("y.npy", &x, true)], false);
    let e = err_of(npz::Archive::parse(b"not a zip file at all, just some text here"));
    assert!(e.to_string().contains("no end-of-central-directory record"), "{e}");
    let archive = npz::Archive::parse(&good).unwrap();
    let e = err_of(archive.get("z"));
    assert_eq!(e.kind, DataErrorKind::Missing);
    assert!(e.to_string().contains("no array `z` in this archive; it holds `x`, `y`"), "{e}");

    // A flipped data byte fails the CRC check (stored member: the byte is in the array data).
    let mut bad = good.clone();
    let at = 30 + 5 + x.len() - 1;
    bad[at] ^= 0x40;
    let e = err_of(npz::Archive::parse(&bad).unwrap().get("x"));
    assert!(e.to_string().contains("CRC check failed"), "{e}");

    // Compression method 12 (bzip2), the encryption flag, and a claim of a gigantic size.
    let cd = good.windows(4).position(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    let mut bz = good.clone();
    bz[cd + 10] = 12;
    let e = err_of(npz::Archive::parse(&bz).unwrap().get("x"));
    assert_eq!(e.kind, DataErrorKind::Unsupported, "{e}");
    let mut enc = good.clone();
    enc[cd + 8] |= 1;
    assert_eq!(err_of(npz::Archive::parse(&enc).unwrap().get("x")).kind, DataErrorKind::Unsupported);
    let cd2 = cd + 46 + 5;
    let mut huge = good.clone();
    huge[cd2 + 24..cd2 + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = err_of(npz::Archive::parse(&huge).unwrap().get("y"));
    assert!(e.to_string().contains("cannot inflate to the claimed 4294967295"), "{e}");

    // An end record promising 60000 entries in a small directory.
    let mut many = good.clone();
    let end = many.len() - 22 - 5;
    many[end + 10..end + 12].copy_from_slice(&60000u16.to_le_bytes());
    assert!(err_of(npz::Archive::parse(&many)).to_string().contains("60000 entries cannot fit"));

    // A member that is not a .npy file.
    let text = zip(&[("notes.txt", b"hello", false)], false);
    let e = err_of(npz::Archive::parse(&text).unwrap().get("notes.txt"));
    assert!(e.to_string().contains("array `notes.txt`: not a valid .npy file"), "{e}");
}

#[test]
fn idx_and_gzip_malformed() {
    let good = idx(0x08, &[2, 2], &[1, 2, 3, 4]);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"\x01\x00\x08\x01".to_vec(), "wrong magic bytes 01 00 08 01"),
        (idx(0x07, &[1], &[0]), "unknown element type code 0x07"),
        (vec![0, 0, 8, 3, 0, 0, 0, 2], "truncated header (3 dimensions need 16 bytes)"),
        (good[..good.len() - 1].to_vec(), "truncated: u8[2, 2] needs 4 bytes of data, the file has 3"),
        ([&good[..], &[0]].concat(), "too long"),
        (idx(0x0e, &[u32::MAX, u32::MAX, u32::MAX], &[]), "too large"),
        (idx(0x0e, &[60000, 28, 28], &[0; 8]), "f64[60000, 28, 28] needs 376320000 bytes of data, the file has 8"),
    ];
    for (bytes, words) in cases {
        let e = err_of(idx::parse(&bytes));
        assert_eq!(e.kind, DataErrorKind::Malformed);
        assert!(e.to_string().contains(words), "`{e}` should say `{words}`");
    }
    let gz = gzip(&good);
    let mut crc = gz.clone();
    let n = crc.len();
    crc[n - 8] ^= 1;
    assert!(err_of(idx::parse(&crc)).to_string().contains("CRC or length check failed"));
    assert!(err_of(idx::parse(&gz[..n - 3])).to_string().contains("truncated (no CRC"));
    assert!(err_of(idx::parse(&gz[..15])).to_string().contains("truncated"));
    let mut method = gz.clone();
    method[2] = 7;
    assert!(err_of(idx::parse(&method)).to_string().contains("not deflate"));
    let mut junk = gz.clone();
    junk.extend_from_slice(b"junk");
    assert!(err_of(idx::parse(&junk)).to_string().contains("garbage after"));
    let mut corrupt = gz.clone();
    corrupt[19] = 0xff;
    corrupt[20] = 0xff;
    assert!(idx::parse(&corrupt).is_err());
}

#[test]
fn safetensors_malformed_headers() {
    let ok = r#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
    let cases: Vec<(Vec<u8>, DataErrorKind, &str)> = vec![
        (b"\x01\x02".to_vec(), DataErrorKind::Malformed, "shorter than its 8-byte header length"),
        (
            [&u64::MAX.to_le_bytes()[..], b"{}"].concat(),
            DataErrorKind::Malformed,
            "claims 18446744073709551615 bytes, the file has 2",
        ),
        (safetensors("{\"x\": ", &[]), DataErrorKind::Malformed, "header JSON"),
        (safetensors("[1, 2]", &[]), DataErrorKind::Malformed, "not a JSON object"),
        (safetensors(&"[".repeat(10_000), &[]), DataErrorKind::Malformed, "nested too deeply"),
        (safetensors(&ok.replace("F32", "F8_E4M3"), &[0; 8]), DataErrorKind::Unsupported, "dtype F8_E4M3"),
        (safetensors(ok, &[0; 4]), DataErrorKind::Malformed, "bytes 0..8 lie outside the 4 bytes of data"),
        (
            safetensors(&ok.replace("[0,8]", "[0,6]"), &[0; 8]),
            DataErrorKind::Malformed,
            "f32[2] needs 8 bytes, its range has 6",
        ),
        (safetensors(&ok.replace("[0,8]", "[8,0]"), &[0; 8]), DataErrorKind::Malformed, "lie outside"),
        (safetensors(&ok.replace("[2]", "[-2]"), &[0; 8]), DataErrorKind::Malformed, "non-negative integers"),
        (safetensors(&ok.replace("[0,8]", "[0]"), &[0; 8]), DataErrorKind::Malformed, "not two numbers"),
        (safetensors(&ok.replace("\"shape\":[2],", ""), &[0; 8]), DataErrorKind::Malformed, "no `shape` list"),
    ];
    for (bytes, kind, words) in cases {
        let e = err_of(safetensors::File::parse(&bytes));
        assert_eq!(e.kind, kind, "{e}");
        assert!(e.to_string().contains(words), "`{e}` should say `{words}`");
    }
    let file = safetensors(ok, &[0; 8]);
    let e = err_of(safetensors::File::parse(&file).unwrap().get("y"));
    assert_eq!(e.kind, DataErrorKind::Missing);
    assert!(e.to_string().contains("no tensor `y` in this file; it holds `x`"), "{e}");
}

#[test]
fn csv_errors_name_the_file_line_and_column() {
    let path = temp_file("bad.csv", b"a,b,c\n1,2,3\n4,x5,6\n");
    let e = err_of(load_as(path.clone(), Format::Csv { header: CsvHeader::Auto }, DType::F32, &free(2)));
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("cannot use data file `{}`: ", path.display())), "{shown}");
    assert!(shown.contains("line 3, column 2: `x5` is not a number"), "{shown}");
    assert!(shown.contains("(the program declares f32[_, _])"), "{shown}");
    let cases: [(&[u8], CsvHeader, &str); 5] = [
        (b"1,2\n3\n", CsvHeader::Auto, "line 2 has 1 columns where earlier rows have 2"),
        (b"1,,3\n", CsvHeader::Auto, "line 1, column 2 is empty"),
        (b"x,y\n1,2\n", CsvHeader::Absent, "line 1, column 1: `x` is not a number"),
        (b"1,2\n\n\nfoo,2\n", CsvHeader::Auto, "line 4, column 1: `foo`"),
        (b"1,2\n3,\xff\n", CsvHeader::Auto, "line 2 is not UTF-8 text"),
    ];
    for (text, header, words) in cases {
        let e = err_of(csv::parse(text, header));
        assert!(e.to_string().contains(words), "`{e}` should say `{words}`");
    }
}

#[test]
fn declared_type_mismatches_say_what_the_file_holds() {
    let pixels = vec![0u8; 12];
    let path = temp_file("images.idx", &idx(0x08, &[3, 2, 2], &pixels));
    let shown = |dtype, shape: &[Option<usize>]| {
        let e = err_of(load_as(path.clone(), Format::Idx, dtype, shape));
        (e.kind, e.to_string())
    };
    let prefix = format!("cannot use data file `{}`: it holds u8[3, 2, 2] but the program declares ", path.display());
    assert_eq!(
        shown(DType::F32, &[None, Some(4)]),
        (DataErrorKind::Shape, format!("{prefix}f32[_, 4]: the file has rank 3, the declaration rank 2"))
    );
    assert_eq!(
        shown(DType::F32, &[None, Some(2), Some(3)]),
        (DataErrorKind::Shape, format!("{prefix}f32[_, 2, 3]: axis 2 has size 2 in the file, 3 in the declaration"))
    );
    assert_eq!(
        shown(DType::Bool, &free(3)),
        (DataErrorKind::DType, format!("{prefix}bool[_, _, _]: only bool data loads as bool, not u8"))
    );

    let f8 = temp_file("floats.npy", &npy(1, "<f8", false, &[2], &[0; 16]));
    let e = err_of(load_as(f8, Format::Npy, DType::I32, &[Some(2)]));
    assert_eq!(e.kind, DataErrorKind::DType);
    assert!(e.to_string().ends_with("it holds f64[2] but the program declares i32[2]: f64 values do not convert to the integer type i32 (that would drop fractions)"), "{e}");
    let i8_ = temp_file("labels.npy", &npy(1, "<i8", false, &[2], &[0; 16]));
    let e = err_of(load_as(i8_, Format::Npy, DType::I32, &free(1)));
    assert!(
        e.to_string().ends_with("i64 values may not fit in i32; declare a wider type or store the data as i32"),
        "{e}"
    );
    let u8_ = temp_file("big.npy", &npy(1, "<u8", false, &[1], &[0; 8]));
    assert_eq!(err_of(load_as(u8_, Format::Npy, DType::I64, &free(1))).kind, DataErrorKind::DType);
    let e = err_of(load_as(fixture("compressed.npz"), Format::Npz { member: "y".into() }, DType::I32, &free(1)));
    assert!(e.to_string().ends_with("`y` holds i64[2] but the program declares i32[_]: i64 values may not fit in i32; declare a wider type or store the data as i32"), "{e}");
    let st = Format::Safetensors { key: "f16".into() };
    let e = err_of(load_as(fixture("model.safetensors"), st, DType::F32, &[Some(3), None]));
    assert!(e.to_string().ends_with("`f16` holds f16[2, 3] but the program declares f32[3, _]: axis 0 has size 2 in the file, 3 in the declaration"), "{e}");
    let csv = temp_file("f.csv", b"1.5,2\n");
    assert_eq!(
        err_of(load_as(csv, Format::Csv { header: CsvHeader::Auto }, DType::I64, &free(2))).kind,
        DataErrorKind::DType
    );
}

#[test]
fn missing_files_members_and_the_runtime_error() {
    let path = fixture("no-such-file.npy");
    let e = err_of(load_as(path.clone(), Format::Npy, DType::F32, &[Some(3)]));
    assert_eq!(e.kind, DataErrorKind::Io);
    assert!(e.to_string().starts_with(&format!("cannot use data file `{}`: cannot read the file: ", path.display())));
    assert!(e.to_string().ends_with("(the program declares f32[3])"), "{e}");

    let e = err_of(load_as(fixture("compressed.npz"), Format::Npz { member: "z".into() }, DType::F32, &free(1)));
    assert_eq!(e.kind, DataErrorKind::Missing);
    let runtime: RuntimeError = e.clone().into();
    assert_eq!(runtime.kind.code(), 3);
    assert_eq!(runtime.to_string(), e.to_string(), "a DataError reads the same as the RuntimeError it becomes");
    let ErrorKind::DataFile { path, reason } = runtime.kind else { panic!("not a data-file error") };
    assert!(path.ends_with("compressed.npz"));
    assert!(reason.starts_with("no array `z` in this archive; it holds `x`, `y`"), "{reason}");

    let e = err_of(load_as(fixture("f4.npy"), Format::Idx, DType::F32, &free(2)));
    assert!(e.to_string().contains("not a valid IDX file"), "{e}");
}
