//! Files written by real NumPy and the safetensors package (`tests/data/make_fixtures.py`; the
//! outputs are committed, so these tests need no Python). Every array of shape (2, 3) holds
//! SIGNED, UNSIGNED, FLOATS or BOOLS below, by kind.

mod data_support;

use data_support::*;
use tf_runtime::data::{idx, names, npy, npz, read, safetensors, CsvHeader, ElemType, Format};
use tf_runtime::DType;

const UNSIGNED: [f64; 6] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
const SIGNED: [f64; 6] = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0];
const FLOATS: [f64; 6] = [-1.5, -0.5, 0.0, 0.5, 1.5, 2.5];
const BOOLS: [f64; 6] = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0];

fn expected(elem: ElemType) -> [f64; 6] {
    match elem {
        ElemType::Bool => BOOLS,
        ElemType::U8 | ElemType::U16 | ElemType::U32 | ElemType::U64 => UNSIGNED,
        e if e.is_float() => FLOATS,
        _ => SIGNED,
    }
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn stored_npz_holds_every_dtype_in_both_byte_orders() {
    let file = bytes("dtypes.npz");
    let archive = npz::Archive::parse(&file).unwrap();
    let table = [
        ("le_f2", ElemType::F16),
        ("le_f4", ElemType::F32),
        ("le_f8", ElemType::F64),
        ("le_i4", ElemType::I32),
        ("le_i8", ElemType::I64),
        ("le_b1", ElemType::Bool),
        ("le_u1", ElemType::U8),
        ("le_i1", ElemType::I8),
        ("le_i2", ElemType::I16),
        ("le_u2", ElemType::U16),
        ("le_u4", ElemType::U32),
        ("le_u8", ElemType::U64),
        ("be_f4", ElemType::F32),
        ("be_f8", ElemType::F64),
        ("be_i2", ElemType::I16),
        ("be_i8", ElemType::I64),
        ("be_u4", ElemType::U32),
    ];
    for (name, elem) in table {
        let a = archive.get(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((a.elem(), a.shape()), (elem, &[2, 3][..]), "{name}");
        let t = a.to_tensor(DType::F64).unwrap();
        assert_eq!(t.as_f64().unwrap(), &expected(elem), "{name}");
    }
    let mut all = archive.names();
    all.sort();
    assert_eq!(all.len(), table.len() + 4);
}

#[test]
fn stored_npz_fortran_scalar_and_empty() {
    let file = bytes("dtypes.npz");
    let archive = npz::Archive::parse(&file).unwrap();
    let t = archive.get("fortran_f8").unwrap().to_tensor(DType::F64).unwrap();
    assert_eq!(t.shape(), &[2, 3, 4]);
    assert_eq!(t.as_f64().unwrap(), &(0..24).map(f64::from).collect::<Vec<_>>()[..]);
    let t = archive.get("fortran_be_i4").unwrap().to_tensor(DType::I32).unwrap();
    assert_eq!((t.shape(), t.as_i32().unwrap()), (&[3, 2][..], &[0, 1, 2, 3, 4, 5][..]));
    let a = archive.get("scalar").unwrap();
    assert_eq!((a.describe(), a.bytes()), ("f64[]".to_string(), &3.5f64.to_le_bytes()[..]));
    assert_eq!(archive.get("empty").unwrap().describe(), "f32[0, 3]");
}

#[test]
fn compressed_npz_loads_by_member_name() {
    let path = fixture("compressed.npz");
    let format = |m: &str| Format::Npz { member: m.into() };
    assert_eq!(names(&path, &format("x")).unwrap(), ["x", "y"]);
    let x = load_as(path.clone(), format("x"), DType::F32, &[None, Some(3), Some(4)]).unwrap();
    assert_eq!(x.as_f32().unwrap(), &(0..24).map(|i| i as f32 / 4.0).collect::<Vec<_>>()[..]);
    let y = load_as(path, format("y"), DType::I64, &free(1)).unwrap();
    assert_eq!(y.as_i64().unwrap(), &[7, 0]);
}

#[test]
fn npy_files_of_every_version_order_and_rank() {
    let f4 = read(&fixture("f4.npy"), &Format::Npy).unwrap();
    assert_eq!(f4.to_tensor(DType::F64).unwrap().as_f64().unwrap(), &FLOATS);
    for name in ["v2_i4.npy", "v3_i4.npy"] {
        let t = load_as(fixture(name), Format::Npy, DType::I32, &[Some(2), Some(3)]).unwrap();
        assert_eq!(t.as_i32().unwrap(), &[-3, -2, -1, 0, 1, 2], "{name}");
    }
    assert!(npy::header(&bytes("fortran_f8.npy")).unwrap().fortran_order);
    let t = load_as(fixture("fortran_f8.npy"), Format::Npy, DType::F32, &free(3)).unwrap();
    assert_eq!(t.as_f32().unwrap(), &(0..24).map(|i| i as f32).collect::<Vec<_>>()[..]);
    let t = load_as(fixture("scalar.npy"), Format::Npy, DType::F64, &[]).unwrap();
    assert_eq!(t.as_f64().unwrap(), &[3.5]);
    let t = load_as(fixture("empty.npy"), Format::Npy, DType::F32, &[None, Some(3)]).unwrap();
    assert_eq!((t.shape(), t.len()), (&[0, 3][..], 0));
}

#[test]
fn idx_files_plain_and_gzip() {
    let plain = idx::parse(&bytes("images-idx3-ubyte")).unwrap().into_owned();
    let gz_bytes = bytes("images-idx3-ubyte.gz");
    let gz = idx::parse(&gz_bytes).unwrap();
    assert_eq!(plain, gz);
    assert_eq!(plain.describe(), "u8[2, 3, 4]");
    let t = load_as(fixture("images-idx3-ubyte.gz"), Format::Idx, DType::F32, &[None, Some(3), Some(4)]).unwrap();
    assert_eq!(t.as_f32().unwrap(), &(0..24).map(|i| (i * 10) as f32).collect::<Vec<_>>()[..]);
    let t = load_as(fixture("i16-idx2"), Format::Idx, DType::I32, &free(2)).unwrap();
    assert_eq!(t.as_i32().unwrap(), &[-3, -2, -1, 0, 1, 2]);
    let t = load_as(fixture("f64-idx1"), Format::Idx, DType::F64, &[Some(6)]).unwrap();
    assert_eq!(t.as_f64().unwrap(), &FLOATS);
}

#[test]
fn csv_files_from_savetxt() {
    let auto = Format::Csv { header: CsvHeader::Auto };
    let t = load_as(fixture("header.csv"), auto.clone(), DType::F64, &[None, Some(3)]).unwrap();
    assert_eq!(t.as_f64().unwrap(), &[1.0, 2.5, -3.0, 4e10, 0.125, 6.0]);
    let t = load_as(fixture("header.csv"), Format::Csv { header: CsvHeader::Present }, DType::F32, &free(2)).unwrap();
    assert_eq!(t.shape(), &[2, 3]);
    let t = load_as(fixture("ints.csv"), auto.clone(), DType::I32, &[Some(3), Some(2)]).unwrap();
    assert_eq!(t.as_i32().unwrap(), &[1, 2, 3, 4, 5, 6]);
    let t = load_as(fixture("column.csv"), auto, DType::F32, &free(1)).unwrap();
    assert_eq!(t.as_f32().unwrap(), &[0.5, 1.5, 2.5]);
}

#[test]
fn safetensors_file_from_the_safetensors_package() {
    let file = bytes("model.safetensors");
    let st = safetensors::File::parse(&file).unwrap();
    assert_eq!(st.metadata(), &[("format".to_string(), "np".to_string())]);
    let mut names = st.names();
    names.sort();
    assert_eq!(names, ["bool", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "scalar", "u16", "u8"]);
    for name in ["bool", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "u16", "u8"] {
        let a = st.get(name).unwrap();
        assert_eq!((a.elem().name(), a.shape()), (name, &[2, 3][..]));
        assert_eq!(a.to_tensor(DType::F64).unwrap().as_f64().unwrap(), &expected(a.elem()), "{name}");
    }
    let t =
        load_as(fixture("model.safetensors"), Format::Safetensors { key: "f16".into() }, DType::F32, &free(2)).unwrap();
    assert_eq!(t.as_f32().unwrap(), &[-1.5, -0.5, 0.0, 0.5, 1.5, 2.5]);
    let t =
        load_as(fixture("model.safetensors"), Format::Safetensors { key: "scalar".into() }, DType::F32, &[]).unwrap();
    assert_eq!(t.as_f32().unwrap(), &[3.5]);
}
