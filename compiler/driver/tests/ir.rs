//! Golden IR tests: each `tests/ir/*.tf` is compiled with `tfc build --emit ir` and its output
//! compared with the `.ir` file beside it. `TFC_BLESS=1` rewrites the `.ir` files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

#[test]
fn ir_goldens() {
    let root = repo_root();
    let dir = root.join("tests/ir");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/ir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no IR cases in tests/ir");
    let bless = std::env::var_os("TFC_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let rel = case.strip_prefix(&root).expect("case under the root");
        let output = Command::new(env!("CARGO_BIN_EXE_tfc"))
            .current_dir(&root)
            .env("TFC_STDLIB", root.join("stdlib"))
            .args(["build", "--emit", "ir", "--color", "never"])
            .arg(rel)
            .output()
            .expect("run tfc");
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            failures.push(format!("{}: tfc build failed:\n{stderr}", rel.display()));
            continue;
        }
        let actual = String::from_utf8_lossy(&output.stdout).into_owned();
        let golden = case.with_extension("ir");
        if bless {
            std::fs::write(&golden, &actual).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{} differs from {}:\n--- expected\n{expected}\n--- actual\n{actual}",
                rel.display(),
                golden.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} IR cases failed (TFC_BLESS=1 to accept):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
