//! The `tfc` command line as users and scripts see it: exit statuses, messages for files that
//! cannot be read, `tfc explain`, and the JSON message format.

mod support;

use std::path::Path;

use support::{run, stderr, stdout, tfc};
use tf_base::Code;
use tf_driver::cli::{explain, ExplainArgs};

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a temp file");
    path.to_string_lossy().into_owned()
}

#[test]
fn clean_program_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "ok.tf", "fn twice(x: f32[3]) -> f32[3] {\n    x\n}\n");
    let output = run(tfc().args(["check", "--color", "never", &file]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn errors_exit_1_with_a_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.tf", "fn f() {\n    let x = *\n}\n");
    let output = run(tfc().args(["check", "--color", "never", &file]));
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with("error[E0103]: "), "{err}");
    assert!(err.ends_with("error: 1 error reported\n"), "{err}");
    assert!(!err.contains('\x1b'), "colour with --color never: {err}");
}

#[test]
fn color_always_colours() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.tf", "fn f() {\n    let x = *\n}\n");
    let output = run(tfc().args(["check", "--color", "always", &file]));
    assert!(stderr(&output).contains("\x1b["), "{}", stderr(&output));
    // Not a terminal, so `auto` means no colour.
    let output = run(tfc().args(["check", &file]));
    assert!(!stderr(&output).contains('\x1b'), "{}", stderr(&output));
}

#[test]
fn missing_file_exits_2_naming_it() {
    let output = run(tfc().args(["check", "no/such/file.tf"]));
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.starts_with("error: cannot read `no/such/file.tf`: "), "{err}");
}

#[test]
fn non_utf8_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.tf");
    std::fs::write(&path, b"fn f() { \"caf\xe9\" }\n").expect("write");
    let output = run(tfc().arg("check").arg(&path));
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("latin1.tf") && err.contains("UTF-8"), "{err}");
}

#[test]
fn missing_import_is_a_diagnostic_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "layers_zz.tf", "fn relu_zz() {}\n");
    let main = write(dir.path(), "main.tf", "use layres_zz\n");
    let output = run(tfc().args(["check", "--color", "never", &main]));
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error[E0203]: module `layres_zz` not found"), "{err}");
    assert!(err.contains("did you mean `layers_zz`?"), "{err}");
    assert!(err.contains("<stdlib>/layres_zz.tf"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["check", "--no-such-flag", "x.tf"][..], &["check"], &["frobnicate"], &[], &["explain"]] {
        let output = run(tfc().args(args));
        assert_eq!(output.status.code(), Some(2), "tfc {args:?}: {}", stderr(&output));
    }
    let output = run(tfc().args(["check", "--color", "sometimes", "x.tf"]));
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn version_works() {
    let output = run(tfc().arg("--version"));
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("tfc "), "{}", stdout(&output));
}

#[test]
fn explain_every_code() {
    for &code in Code::ALL {
        for spelling in [code.as_str().to_string(), code.as_str().to_lowercase()] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let args = ExplainArgs { code: Some(spelling), list: false };
            let status = explain(&args, &mut out, &mut err).expect("write to a Vec");
            assert_eq!(status, 0);
            let text = String::from_utf8(out).expect("utf-8");
            let head = format!("{}: {}\n\n", code.as_str(), code.title());
            assert!(text.starts_with(&head), "{text}");
            assert!(text.contains(code.explanation()), "{text}");
        }
    }
    let output = run(tfc().args(["explain", "E0301"]));
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("E0301: "), "{}", stdout(&output));
}

#[test]
fn explain_unknown_code_exits_2() {
    let output = run(tfc().args(["explain", "E9999"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("E9999"), "{}", stderr(&output));
}

#[test]
fn explain_list_has_every_code() {
    let output = run(tfc().args(["explain", "--list"]));
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), Code::ALL.len());
    for code in Code::ALL {
        assert!(text.contains(&format!("{}  {}", code.as_str(), code.title())), "{text}");
    }
}

#[test]
fn json_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.tf", "fn f() {\n    let x = *\n    let s = \"é\" $ 4\n}\n");
    let output = run(tfc().args(["check", "--message-format", "json", &file]));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "", "JSON mode keeps stderr for failures");
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let first = &lines[0];
    assert_eq!(first["code"], "E0103");
    assert_eq!(first["severity"], "error");
    assert!(first["message"].is_string());
    assert!(first["file"].as_str().is_some_and(|f| f.ends_with("bad.tf")));
    assert_eq!(first["span"]["start"], 21);
    assert_eq!(first["span"]["end"], 22);
    assert_eq!(first["range"]["start"]["line"], 2);
    assert_eq!(first["range"]["start"]["column"], 13);
    assert_eq!(first["range"]["end"]["column"], 14);
    assert_eq!(first["labels"][0]["primary"], true);
    assert!(first["notes"].is_array());
    assert!(first["help"].is_null());
    // Columns count characters: `é` is two bytes but one column.
    let second = &lines[1];
    assert_eq!(second["code"], "E0101");
    assert_eq!(second["range"]["start"]["line"], 3);
    assert_eq!(second["range"]["start"]["column"], 17);
}

/// `tfc build` writes LLVM IR, host assembly (vectorised: AVX registers) and an ELF object.
#[test]
fn build_emits_llvm_ir_assembly_and_objects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let example = root.join("examples/regression/linear.tf");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tfc"))
            .env("TFC_STDLIB", root.join("stdlib"))
            .args(args)
            .arg(&example)
            .output()
            .expect("run tfc")
    };
    let ir = run(&["build", "--emit", "llvm-ir"]);
    assert!(ir.status.success());
    assert!(String::from_utf8_lossy(&ir.stdout).contains("define "));
    let asm = run(&["build", "--emit", "asm"]);
    assert!(asm.status.success());
    assert!(String::from_utf8_lossy(&asm.stdout).contains("%ymm"), "no 256-bit vector code");
    let dir = std::env::temp_dir().join(format!("tfc-obj-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let obj = dir.join("linear.o");
    let built = run(&["build", "--emit", "obj", "-o", obj.to_str().expect("utf-8 path")]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let bytes = std::fs::read(&obj).expect("object written");
    assert_eq!(&bytes[..4], b"\x7fELF");
    let _ = std::fs::remove_dir_all(&dir);
}
