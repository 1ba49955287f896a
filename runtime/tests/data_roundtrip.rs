//! Data files written here byte by byte (per each format's definition) and read back: every
//! element type, byte order, Fortran order, 0-d and empty arrays, stored/deflated/zip64 archives,
//! gzip, safetensors with f16/bf16, CSV typing and headers.

mod data_support;

use data_support::*;
use tf_runtime::data::{csv, f16_to_f32, idx, npy, npz, parse, safetensors, CsvHeader, ElemType, Format};
use tf_runtime::DType;

/// One element type: its NumPy code, bytes (little-endian) and values as f64.
struct Case {
    code: &'static str,
    elem: ElemType,
    le: Vec<u8>,
    values: Vec<f64>,
}

fn cases() -> Vec<Case> {
    let c = |code, elem, le: Vec<u8>, values: Vec<f64>| Case { code, elem, le, values };
    let f4 = [-1.5f32, 0.25, 3.0e38, 1.0e-40];
    let f8 = [-1.5f64, 0.1, 1e300, f64::MIN_POSITIVE];
    let i1 = [i8::MIN, -1, 0, i8::MAX];
    let i2 = [i16::MIN, -1, 0, i16::MAX];
    let i4 = [i32::MIN, -1, 0, i32::MAX];
    let i8_ = [i64::MIN, -1, 0, 1 << 40];
    let u2 = [0u16, 1, 300, u16::MAX];
    let u4 = [0u32, 1, 70000, u32::MAX];
    let u8_ = [0u64, 1, 1 << 40, 1 << 63];
    let f2 = [0x3c00u16, 0xc000, 0x7bff, 0x0001]; // 1, -2, 65504, smallest subnormal
    vec![
        c("<f4", ElemType::F32, le(&f4, f32::to_le_bytes), f4.iter().map(|&x| f64::from(x)).collect()),
        c("<f8", ElemType::F64, le(&f8, f64::to_le_bytes), f8.to_vec()),
        c("|i1", ElemType::I8, le(&i1, i8::to_le_bytes), i1.iter().map(|&x| f64::from(x)).collect()),
        c("<i2", ElemType::I16, le(&i2, i16::to_le_bytes), i2.iter().map(|&x| f64::from(x)).collect()),
        c("<i4", ElemType::I32, le(&i4, i32::to_le_bytes), i4.iter().map(|&x| f64::from(x)).collect()),
        c("<i8", ElemType::I64, le(&i8_, i64::to_le_bytes), i8_.iter().map(|&x| x as f64).collect()),
        c("|u1", ElemType::U8, vec![0, 1, 128, 255], vec![0.0, 1.0, 128.0, 255.0]),
        c("<u2", ElemType::U16, le(&u2, u16::to_le_bytes), u2.iter().map(|&x| f64::from(x)).collect()),
        c("<u4", ElemType::U32, le(&u4, u32::to_le_bytes), u4.iter().map(|&x| f64::from(x)).collect()),
        c("<u8", ElemType::U64, le(&u8_, u64::to_le_bytes), u8_.iter().map(|&x| x as f64).collect()),
        c("|b1", ElemType::Bool, vec![1, 0, 0, 1], vec![1.0, 0.0, 0.0, 1.0]),
        c("<f2", ElemType::F16, le(&f2, u16::to_le_bytes), vec![1.0, -2.0, 65504.0, 2f64.powi(-24)]),
    ]
}

/// The big-endian form of little-endian element bytes.
fn swapped(le: &[u8], size: usize) -> Vec<u8> {
    le.chunks(size).flat_map(|c| c.iter().rev().copied()).collect()
}

#[test]
fn npy_every_dtype_in_both_byte_orders() {
    for case in cases() {
        let size = case.elem.size();
        let mut forms = vec![(case.code.to_string(), case.le.clone())];
        if size > 1 {
            forms.push((case.code.replace('<', ">"), swapped(&case.le, size)));
        }
        for (code, bytes) in forms {
            let file = npy(1, &code, false, &[2, 2], &bytes);
            let a = npy::parse(&file).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!((a.elem(), a.shape()), (case.elem, &[2, 2][..]), "{code}");
            assert_eq!(a.bytes(), &case.le[..], "{code}: bytes are little-endian after reading");
            let t = a.to_tensor(DType::F64).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(t.as_f64().unwrap(), &case.values[..], "{code}");
        }
    }
}

#[test]
fn npy_integers_load_exactly_into_wide_integers() {
    for case in cases().into_iter().filter(|c| !c.elem.is_float()) {
        let file = temp_file(&format!("int{}.npy", case.elem), &npy(1, case.code, false, &[4], &case.le));
        let declared = if case.elem == ElemType::U64 { DType::F64 } else { DType::I64 };
        let t = load_as(file, Format::Npy, declared, &[Some(4)]).unwrap_or_else(|e| panic!("{}: {e}", case.code));
        if declared == DType::I64 {
            let want: Vec<i64> = case.values.iter().map(|&v| v as i64).collect();
            assert_eq!(t.as_i64().unwrap()[1..], want[1..], "{}", case.code);
        }
    }
    // i64::MIN and 2^40 survive exactly (an f64 detour would not matter here, but i64 -> i64 is a copy).
    let v = [i64::MIN, i64::MAX, -7];
    let file = temp_file("i64exact.npy", &npy(1, "<i8", false, &[3], &le(&v, i64::to_le_bytes)));
    let t = load_as(file, Format::Npy, DType::I64, &free(1)).unwrap();
    assert_eq!(t.as_i64().unwrap(), &v);
}

#[test]
fn npy_u8_images_load_as_f32_and_small_ints_as_i32() {
    let pixels: Vec<u8> = (0..24).map(|i| i * 10).collect();
    let file = temp_file("images.npy", &npy(1, "|u1", false, &[2, 3, 4], &pixels));
    let t = load_as(file.clone(), Format::Npy, DType::F32, &[None, Some(3), Some(4)]).unwrap();
    assert_eq!(t.shape(), &[2, 3, 4]);
    assert_eq!(t.as_f32().unwrap()[23], 230.0);
    let t = load_as(file, Format::Npy, DType::I32, &free(3)).unwrap();
    assert_eq!(t.as_i32().unwrap()[5], 50);
}

#[test]
fn npy_floats_convert_between_widths() {
    let v = [0.1f64, -2.5, 1e-3];
    let file = temp_file("f8.npy", &npy(1, "<f8", false, &[3], &le(&v, f64::to_le_bytes)));
    let t = load_as(file, Format::Npy, DType::F32, &free(1)).unwrap();
    assert_eq!(t.as_f32().unwrap(), &[0.1f32, -2.5, 1e-3]);
    let w = [0.1f32, 3.0];
    let file = temp_file("f4.npy", &npy(1, "<f4", false, &[2], &le(&w, f32::to_le_bytes)));
    let t = load_as(file, Format::Npy, DType::F64, &free(1)).unwrap();
    assert_eq!(t.as_f64().unwrap(), &[f64::from(0.1f32), 3.0]);
}

#[test]
fn npy_bool_loads_as_bool_and_as_numbers() {
    let file = temp_file("mask.npy", &npy(1, "|b1", false, &[3], &[1, 0, 7]));
    let t = load_as(file.clone(), Format::Npy, DType::Bool, &free(1)).unwrap();
    assert_eq!(t.as_bool().unwrap(), &[1, 0, 1], "non-zero bytes are true");
    let t = load_as(file, Format::Npy, DType::I32, &free(1)).unwrap();
    assert_eq!(t.as_i32().unwrap(), &[1, 0, 1]);
}

#[test]
fn npy_fortran_order_is_transposed_into_c_order() {
    // The 2x3x4 array a[i][j][k] = 100i + 10j + k, stored column-major (i fastest).
    let (d0, d1, d2) = (2, 3, 4);
    let mut fortran = Vec::new();
    for k in 0..d2 {
        for j in 0..d1 {
            for i in 0..d0 {
                fortran.push((100 * i + 10 * j + k) as i32);
            }
        }
    }
    let file = npy(1, "<i4", true, &[d0, d1, d2], &le(&fortran, i32::to_le_bytes));
    let t = npy::parse(&file).unwrap().to_tensor(DType::I32).unwrap();
    let c: Vec<i32> =
        (0..d0).flat_map(|i| (0..d1).flat_map(move |j| (0..d2).map(move |k| (100 * i + 10 * j + k) as i32))).collect();
    assert_eq!(t.as_i32().unwrap(), &c[..]);
    // Big-endian and Fortran at once; rank 1 and 0 need no reordering.
    let m = [1.0f64, 4.0, 2.0, 5.0, 3.0, 6.0]; // [[1, 2, 3], [4, 5, 6]] column-major
    let file = npy(1, ">f8", true, &[2, 3], &swapped(&le(&m, f64::to_le_bytes), 8));
    assert_eq!(
        npy::parse(&file).unwrap().to_tensor(DType::F64).unwrap().as_f64().unwrap(),
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    );
    let file = npy(1, "<f8", true, &[3], &le(&[1.0f64, 2.0, 3.0], f64::to_le_bytes));
    assert_eq!(npy::parse(&file).unwrap().bytes(), &le(&[1.0f64, 2.0, 3.0], f64::to_le_bytes)[..]);
}

#[test]
fn npy_zero_d_and_empty_arrays() {
    let file = temp_file("scalar.npy", &npy(1, "<f8", false, &[], &2.5f64.to_le_bytes()));
    let t = load_as(file, Format::Npy, DType::F32, &[]).unwrap();
    assert_eq!((t.shape(), t.as_f32().unwrap()), (&[][..], &[2.5f32][..]));
    for shape in [vec![0], vec![0, 3], vec![5, 0, 2], vec![0, usize::MAX]] {
        let file = npy(1, "<f4", false, &shape, &[]);
        let a = npy::parse(&file).unwrap();
        assert_eq!(a.shape(), &shape[..]);
        let t = a.to_tensor(DType::F32).unwrap();
        assert_eq!((t.shape(), t.len()), (&shape[..], 0));
    }
    let file = npy(1, "<i4", true, &[0, 4], &[]);
    assert_eq!(npy::parse(&file).unwrap().shape(), &[0, 4], "empty Fortran arrays too");
}

#[test]
fn npy_versions_2_and_3_and_odd_headers() {
    let data = le(&[1i32, 2, 3], i32::to_le_bytes);
    for version in [1, 2, 3] {
        let file = npy(version, "<i4", false, &[3], &data);
        let a = npy::parse(&file).unwrap();
        assert_eq!((a.elem(), a.bytes()), (ElemType::I32, &data[..]), "version {version}");
    }
    // Key order, double quotes, Python 2 longs, no trailing comma, '=' byte order, trailing bytes.
    let dict = "{\"shape\": (3L,), \"fortran_order\": False, \"descr\": \"=i4\"}";
    let mut file = npy_with_header(1, dict, &data);
    file.extend_from_slice(b"ignored");
    let a = npy::parse(&file).unwrap();
    assert_eq!((a.shape(), a.bytes()), (&[3][..], &data[..]));
    let h = npy::header(&npy(2, ">u2", true, &[4, 5], &[0; 40])).unwrap();
    assert_eq!(
        (h.elem, h.big_endian, h.fortran_order, h.shape, h.data_start),
        (ElemType::U16, true, true, vec![4, 5], 128)
    );
}

#[test]
fn npz_stored_and_deflated_members_by_name() {
    let x = npy(1, "<f4", false, &[2, 2], &le(&[1.0f32, 2.0, 3.0, 4.0], f32::to_le_bytes));
    let y = npy(1, "<i8", false, &[3], &le(&[7i64, 8, 9], i64::to_le_bytes));
    let big: Vec<u8> = (0..4000u32).map(|i| (i % 7) as u8).collect();
    let z = npy(1, "|u1", false, &[40, 100], &big);
    for deflate in [false, true] {
        for zip64 in [false, true] {
            let bytes = zip(&[("x.npy", &x, deflate), ("y.npy", &y, deflate), ("z.npy", &z, deflate)], zip64);
            let archive =
                npz::Archive::parse(&bytes).unwrap_or_else(|e| panic!("deflate {deflate} zip64 {zip64}: {e}"));
            assert_eq!(archive.names(), ["x", "y", "z"]);
            let t = archive.get("x").unwrap().to_tensor(DType::F32).unwrap();
            assert_eq!(t.as_f32().unwrap(), &[1.0, 2.0, 3.0, 4.0]);
            assert_eq!(archive.get("y.npy").unwrap().to_tensor(DType::I64).unwrap().as_i64().unwrap(), &[7, 8, 9]);
            assert_eq!(archive.get("z").unwrap().bytes(), &big[..]);
            let path = temp_file(&format!("a{deflate}{zip64}.npz"), &bytes);
            let member = Format::Npz { member: "z".into() };
            let t = load_as(path.clone(), member.clone(), DType::F32, &[Some(40), None]).unwrap();
            assert_eq!(t.as_f32().unwrap()[..8], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0]);
            assert_eq!(tf_runtime::data::names(&path, &member).unwrap(), ["x", "y", "z"]);
        }
    }
}

#[test]
fn npz_member_without_npy_suffix_and_empty_archive() {
    let x = npy(1, "<f8", false, &[1], &1.5f64.to_le_bytes());
    let bytes = zip(&[("weights", &x, true)], false);
    let a = npz::Archive::parse(&bytes).unwrap();
    assert_eq!(a.names(), ["weights"]);
    assert_eq!(a.get("weights").unwrap().bytes(), &1.5f64.to_le_bytes());
    let empty = zip(&[], false);
    assert!(npz::Archive::parse(&empty).unwrap().names().is_empty());
}

#[test]
fn idx_every_element_type_plain_and_gzip() {
    let u8s: Vec<u8> = (0..24).collect();
    let i16s = [-300i16, 0, 300, i16::MAX];
    let i32s = [-70000i32, 0, 1, i32::MIN];
    let f32s = [0.5f32, -1.0, 1e-30, 7.0];
    let f64s = [0.1f64, -1e200];
    // (type code, dims, big-endian data, element type, values)
    type IdxCase = (u8, Vec<u32>, Vec<u8>, ElemType, Vec<f64>);
    let files: Vec<IdxCase> = vec![
        (0x08, vec![2, 3, 4], u8s.clone(), ElemType::U8, u8s.iter().map(|&x| f64::from(x)).collect()),
        (0x09, vec![2], vec![0x80, 0x7f], ElemType::I8, vec![-128.0, 127.0]),
        (
            0x0b,
            vec![4],
            i16s.iter().flat_map(|x| x.to_be_bytes()).collect(),
            ElemType::I16,
            i16s.iter().map(|&x| f64::from(x)).collect(),
        ),
        (
            0x0c,
            vec![2, 2],
            i32s.iter().flat_map(|x| x.to_be_bytes()).collect(),
            ElemType::I32,
            i32s.iter().map(|&x| f64::from(x)).collect(),
        ),
        (
            0x0d,
            vec![4, 1],
            f32s.iter().flat_map(|x| x.to_be_bytes()).collect(),
            ElemType::F32,
            f32s.iter().map(|&x| f64::from(x)).collect(),
        ),
        (0x0e, vec![2], f64s.iter().flat_map(|x| x.to_be_bytes()).collect(), ElemType::F64, f64s.to_vec()),
        (0x08, vec![], vec![9], ElemType::U8, vec![9.0]),
        (0x08, vec![0, 28, 28], vec![], ElemType::U8, vec![]),
    ];
    for (code, shape, be, elem, values) in files {
        let plain = idx(code, &shape, &be);
        for bytes in [plain.clone(), gzip(&plain)] {
            let a = idx::parse(&bytes).unwrap_or_else(|e| panic!("{elem}: {e}"));
            let want: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
            assert_eq!((a.elem(), a.shape()), (elem, &want[..]));
            assert_eq!(a.to_tensor(DType::F64).unwrap().as_f64().unwrap(), &values[..], "{elem}");
        }
    }
}

#[test]
fn idx_gzip_labels_load_as_i32_through_load() {
    let labels: Vec<u8> = vec![5, 0, 4, 1, 9];
    let path = temp_file("labels-idx1-ubyte.gz", &gzip(&idx(0x08, &[5], &labels)));
    let t = load_as(path, Format::Idx, DType::I32, &free(1)).unwrap();
    assert_eq!(t.as_i32().unwrap(), &[5, 0, 4, 1, 9]);
    // Two concatenated gzip members are one stream.
    let whole = idx(0x08, &[5], &labels);
    let mut two = gzip(&whole[..6]);
    two.extend_from_slice(&gzip(&whole[6..]));
    assert_eq!(idx::parse(&two).unwrap().bytes(), &labels[..]);
}

#[test]
fn safetensors_every_dtype_with_f16_and_bf16_as_f32() {
    let f16 = le(&[0x3c00u16, 0xbc00, 0x7c00, 0x3555], u16::to_le_bytes); // 1, -1, inf, 0.333...
    let bf16 = le(&[0x3f80u16, 0xc000, 0x4049], u16::to_le_bytes); // 1, -2, 3.140625
    let f32s = le(&[1.5f32, -2.0], f32::to_le_bytes);
    let f64s = le(&[0.25f64], f64::to_le_bytes);
    let i32s = le(&[-5i32, 6], i32::to_le_bytes);
    let i64s = le(&[1i64 << 50], i64::to_le_bytes);
    let parts: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        ("h", "F16", "[2, 2]", f16),
        ("b", "BF16", "[3]", bf16),
        ("w", "F32", "[2]", f32s),
        ("d", "F64", "[]", f64s),
        ("i", "I32", "[1, 2]", i32s),
        ("l", "I64", "[1]", i64s),
        ("m", "BOOL", "[3]", vec![1, 0, 1]),
        ("p", "U8", "[2]", vec![0, 255]),
        ("s", "I8", "[2]", vec![0x80, 1]),
        ("e", "F32", "[0, 4]", vec![]),
    ];
    let mut data = Vec::new();
    let mut header = String::from("{\"__metadata__\": {\"format\": \"pt\", \"note\": \"caf\\u00e9 \\ud83d\\ude00\"}");
    for (name, dtype, shape, bytes) in &parts {
        let (begin, end) = (data.len(), data.len() + bytes.len());
        header += &format!(
            ", \"{name}\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}, \"data_offsets\": [{begin}, {end}]}}"
        );
        data.extend_from_slice(bytes);
    }
    header.push('}');
    let bytes = safetensors(&header, &data);
    let file = safetensors::File::parse(&bytes).unwrap();
    assert_eq!(file.names(), ["h", "b", "w", "d", "i", "l", "m", "p", "s", "e"]);
    assert_eq!(file.metadata(), &[("format".into(), "pt".into()), ("note".into(), "café 😀".into())]);
    let f32_of = |name: &str| file.get(name).unwrap().to_tensor(DType::F32).unwrap().as_f32().unwrap().to_vec();
    assert_eq!(f32_of("h"), [1.0, -1.0, f32::INFINITY, f16_to_f32(0x3555)]);
    assert_eq!(f32_of("b"), [1.0, -2.0, 3.140625]);
    assert_eq!(f32_of("d"), [0.25]);
    assert_eq!(f32_of("p"), [0.0, 255.0]);
    assert_eq!(f32_of("s"), [-128.0, 1.0]);
    assert_eq!(file.get("i").unwrap().to_tensor(DType::I64).unwrap().as_i64().unwrap(), &[-5, 6]);
    assert_eq!(file.get("l").unwrap().to_tensor(DType::F64).unwrap().as_f64().unwrap(), &[(1u64 << 50) as f64]);
    assert_eq!(file.get("m").unwrap().to_tensor(DType::Bool).unwrap().as_bool().unwrap(), &[1, 0, 1]);
    assert_eq!(file.get("e").unwrap().shape(), &[0, 4]);
    let path = temp_file("model.safetensors", &bytes);
    let t = load_as(path, Format::Safetensors { key: "h".into() }, DType::F32, &[Some(2), None]).unwrap();
    assert_eq!(t.shape(), &[2, 2]);
}

#[test]
fn f16_conversion_is_exact() {
    assert_eq!(f16_to_f32(0x0000), 0.0);
    assert!(f16_to_f32(0x8000).is_sign_negative());
    assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
    assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24));
    assert_eq!(f16_to_f32(0x0400), 2f32.powi(-14));
    assert_eq!(f16_to_f32(0x7bff), 65504.0);
    assert_eq!(f16_to_f32(0xfc00), f32::NEG_INFINITY);
    assert!(f16_to_f32(0x7e00).is_nan());
    // Every finite f16 round-trips through f32 -> f64 bits monotonically.
    let finite: Vec<f32> = (0..0x7c00u16).map(f16_to_f32).collect();
    assert!(finite.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn csv_types_headers_and_columns() {
    let a = csv::parse(b"a,b\n1,2\n3,4\n", CsvHeader::Auto).unwrap();
    assert_eq!((a.elem(), a.shape()), (ElemType::I32, &[2, 2][..]));
    let a = csv::parse(b"1, 2.5\r\n\r\n# comment\n-3,\"4\"\n", CsvHeader::Auto).unwrap();
    assert_eq!((a.elem(), a.shape()), (ElemType::F64, &[2, 2][..]));
    assert_eq!(a.to_tensor(DType::F64).unwrap().as_f64().unwrap(), &[1.0, 2.5, -3.0, 4.0]);
    let a = csv::parse(b"5000000000,1\n", CsvHeader::Absent).unwrap();
    assert_eq!(a.elem(), ElemType::I64, "integers beyond i32 make an i64 matrix");
    // A header of numbers, by flag; one column is 1-D; nan and inf are numbers.
    let a = csv::parse(b"1,2\n3,4\n", CsvHeader::Present).unwrap();
    assert_eq!(a.shape(), &[1, 2]);
    let a = csv::parse(b"x\n1.5\nnan\n-inf\n", CsvHeader::Auto).unwrap();
    assert_eq!(a.shape(), &[3]);
    let v = a.to_tensor(DType::F64).unwrap();
    assert!(v.as_f64().unwrap()[1].is_nan() && v.as_f64().unwrap()[2] == f64::NEG_INFINITY);
    // Empty: no rows at all, or a header only.
    assert_eq!(csv::parse(b"", CsvHeader::Auto).unwrap().shape(), &[0, 0]);
    assert_eq!(csv::parse(b"a,b,c\n", CsvHeader::Auto).unwrap().shape(), &[0, 3]);
}

#[test]
fn csv_through_load_with_one_column_as_rank_1_or_2() {
    let path = temp_file("col.csv", b"y\n1\n2\n3\n");
    let format = Format::Csv { header: CsvHeader::Auto };
    let t = load_as(path.clone(), format.clone(), DType::I32, &free(1)).unwrap();
    assert_eq!((t.shape(), t.as_i32().unwrap()), (&[3][..], &[1, 2, 3][..]));
    let t = load_as(path, format.clone(), DType::F32, &[None, Some(1)]).unwrap();
    assert_eq!(t.shape(), &[3, 1]);
    let path = temp_file("m.csv", b"0.5,1\n2,3\n");
    let t = load_as(path, format, DType::F32, &[Some(2), Some(2)]).unwrap();
    assert_eq!(t.as_f32().unwrap(), &[0.5, 1.0, 2.0, 3.0]);
}

#[test]
fn parse_dispatches_on_the_format() {
    let file = npy(1, "<i4", false, &[1], &3i32.to_le_bytes());
    assert_eq!(parse(&file, &Format::Npy).unwrap().bytes(), &3i32.to_le_bytes());
    let archive = zip(&[("k.npy", &file, false)], false);
    assert_eq!(parse(&archive, &Format::Npz { member: "k".into() }).unwrap().shape(), &[1]);
    let path = temp_file("read.npy", &file);
    let a = tf_runtime::data::read(&path, &Format::Npy).unwrap();
    assert_eq!((a.elem(), a.describe()), (ElemType::I32, "i32[1]".to_string()));
}
