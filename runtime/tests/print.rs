//! Printing goldens: each case in tests/print/goldens.txt holds NumPy's own `str()` of an array
//! (written by gen_goldens.py), which `format_values` must reproduce exactly; plus the header.

use tf_runtime::print::{format_tensor, format_values};
use tf_runtime::{DType, Tensor};

struct Case {
    name: String,
    dtype: DType,
    shape: Vec<usize>,
    values: Vec<f64>,
    expected: String,
}

fn parse_dtype(s: &str) -> DType {
    match s {
        "f32" => DType::F32,
        "f64" => DType::F64,
        "i32" => DType::I32,
        "i64" => DType::I64,
        "bool" => DType::Bool,
        _ => panic!("unknown dtype {s}"),
    }
}

/// Reads the cases. Integer values are kept exactly by parsing them as i64 where needed.
fn cases() -> Vec<(Case, Vec<String>)> {
    let text = include_str!("print/goldens.txt");
    let mut out = Vec::new();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    while let Some(head) = lines.next() {
        let name = head.strip_prefix("== ").expect("case header").to_string();
        let dtype = parse_dtype(lines.next().unwrap());
        let shape: Vec<usize> = lines.next().unwrap().split_whitespace().skip(1).map(|d| d.parse().unwrap()).collect();
        let spec: Vec<String> = lines.next().unwrap().split_whitespace().map(str::to_string).collect();
        let n: usize = shape.iter().product();
        let raw: Vec<String> = if spec[0] == "gen" {
            let p: Vec<i64> = spec[1..].iter().map(|x| x.parse().unwrap()).collect();
            (0..n as i64)
                .map(|i| {
                    let v = ((i * p[0]) % p[1]) as f64 / p[2] as f64 - p[3] as f64;
                    if matches!(dtype, DType::I32 | DType::I64) {
                        (v as i64).to_string()
                    } else {
                        format!("{v:?}")
                    }
                })
                .collect()
        } else {
            spec[1..].to_vec()
        };
        assert_eq!(lines.next(), Some("--"));
        let mut expected = Vec::new();
        for l in lines.by_ref() {
            if l == "==" {
                break;
            }
            expected.push(l);
        }
        let values = raw.iter().map(|v| v.parse::<f64>().unwrap()).collect();
        out.push((Case { name, dtype, shape, values, expected: expected.join("\n") }, raw));
    }
    out
}

fn tensor(case: &Case, raw: &[String]) -> Tensor {
    let s = &case.shape;
    match case.dtype {
        DType::F32 => Tensor::from_vec(s, case.values.iter().map(|&v| v as f32).collect()),
        DType::F64 => Tensor::from_vec(s, case.values.clone()),
        DType::I32 => Tensor::from_vec(s, raw.iter().map(|v| v.parse::<i32>().unwrap()).collect()),
        DType::I64 => Tensor::from_vec(s, raw.iter().map(|v| v.parse::<i64>().unwrap()).collect()),
        DType::Bool => Tensor::from_vec(s, case.values.iter().map(|&v| u8::from(v != 0.0)).collect()),
    }
    .unwrap()
}

#[test]
fn matches_numpy_goldens() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 30, "goldens not found");
    for (case, raw) in &all {
        let t = tensor(case, raw);
        let got = format_values(t.view(), t.shape());
        if got != case.expected {
            failures.push(format!("== {}\n-- expected\n{}\n-- got\n{}", case.name, case.expected, got));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), all.len(), failures.join("\n"));
}

#[test]
fn header_names_dtype_and_shape() {
    let t = Tensor::from_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    assert_eq!(format_tensor(&t), "f32[2, 3]\n[[1. 2. 3.]\n [4. 5. 6.]]");
    let s = Tensor::scalar(7i64).unwrap();
    assert_eq!(format_tensor(&s), "i64[]\n7");
}
