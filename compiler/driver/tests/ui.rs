//! Golden UI tests: runs `tfc check` on every `tests/ui/**/*.tf` and compares its output with
//! the `.stderr`/`.stdout` files beside it, plus the header directives (see tests/ui/README.md).
//! `TFC_BLESS=1 cargo test -p tf-driver --test ui` rewrites the golden files.

mod support;

use std::path::Path;

use support::{files_under, line_diff, repo_root, run, stderr, stdout, tfc};

/// What a case's header comment lines ask for.
#[derive(Debug, Default)]
struct Directives {
    errors: Vec<String>,
    warnings: Vec<String>,
    check_pass: bool,
    flags: Vec<String>,
    exit: Option<i32>,
}

impl Directives {
    /// Reads the leading run of `//` lines; other comment lines there are free text.
    fn parse(text: &str) -> Result<Directives, String> {
        let mut d = Directives::default();
        for line in text.lines() {
            let Some(comment) = line.trim_start().strip_prefix("//") else {
                break;
            };
            let comment = comment.trim();
            if comment == "check-pass" {
                d.check_pass = true;
            } else if let Some(codes) = comment.strip_prefix("error:") {
                d.errors.extend(codes_in(codes)?);
            } else if let Some(codes) = comment.strip_prefix("warning:") {
                d.warnings.extend(codes_in(codes)?);
            } else if let Some(flags) = comment.strip_prefix("flags:") {
                d.flags.extend(flags.split_whitespace().map(str::to_string));
            } else if let Some(exit) = comment.strip_prefix("exit:") {
                d.exit = Some(exit.trim().parse().map_err(|_| format!("bad `exit:` directive `{comment}`"))?);
            }
        }
        if d.check_pass && !d.errors.is_empty() {
            return Err("`check-pass` and `error:` contradict each other".to_string());
        }
        Ok(d)
    }

    fn expected_exit(&self) -> i32 {
        self.exit.unwrap_or(if self.errors.is_empty() { 0 } else { 1 })
    }
}

/// `E0301, E0303` or `E0301 E0303`.
fn codes_in(list: &str) -> Result<Vec<String>, String> {
    let codes: Vec<String> = list.split([',', ' ']).filter(|c| !c.is_empty()).map(str::to_string).collect();
    match codes.iter().find(|c| !is_code(c)) {
        Some(bad) => Err(format!("`{bad}` is not a diagnostic code")),
        None => Ok(codes),
    }
}

fn is_code(text: &str) -> bool {
    text.len() == 5 && text.starts_with('E') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The distinct codes of the diagnostics of one severity in human output (`error[E0301]: ...`).
fn reported(stderr: &str, severity: &str) -> Vec<String> {
    let mut codes: Vec<String> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix(severity)?.strip_prefix('[')?.split_once("]:"))
        .map(|(code, _)| code.to_string())
        .filter(|code| is_code(code))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The same from `--message-format json` output: one object per line on stdout.
fn reported_json(stdout: &str, severity: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["severity"] == severity)
        .filter_map(|v| v["code"].as_str().map(String::from))
        .filter(|code| is_code(code))
        .collect()
}

fn sorted(mut codes: Vec<String>) -> Vec<String> {
    codes.sort();
    codes.dedup();
    codes
}

fn bless() -> bool {
    std::env::var_os("TFC_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares one output stream with its golden file, or rewrites the file when blessing.
fn compare_golden(golden: &Path, actual: &str, problems: &mut Vec<String>) {
    let expected = std::fs::read_to_string(golden).unwrap_or_default().replace("\r\n", "\n");
    if expected == actual {
        return;
    }
    if bless() {
        let written = if actual.is_empty() { std::fs::remove_file(golden) } else { std::fs::write(golden, actual) };
        if let Err(e) = written {
            problems.push(format!("cannot bless `{}`: {e}", golden.display()));
        }
        return;
    }
    let name = golden.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    problems.push(format!("{name} differs (-expected +actual):\n{}", line_diff(&expected, actual)));
}

/// Runs one case; returns its problems (empty when it passes).
fn run_case(case: &str) -> Vec<String> {
    let root = repo_root();
    let path = root.join(case);
    let source = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return vec![format!("cannot read the case: {e}")],
    };
    let directives = match Directives::parse(&source) {
        Ok(d) => d,
        Err(e) => return vec![e],
    };
    let output = run(tfc().args(["check", "--color", "never"]).args(&directives.flags).arg(case));
    let (out, err) = (stdout(&output), stderr(&output));
    let mut problems = Vec::new();
    let status = output.status.code().unwrap_or(-1);
    if status != directives.expected_exit() {
        problems.push(format!("exit status {status}, expected {}", directives.expected_exit()));
    }
    for (severity, declared) in [("error", &directives.errors), ("warning", &directives.warnings)] {
        let declared = sorted(declared.clone());
        let mut actual = reported(&err, severity);
        actual.extend(reported_json(&out, severity));
        let actual = sorted(actual);
        if declared != actual {
            problems.push(format!("{severity} codes reported: {actual:?}, declared in the header: {declared:?}"));
        }
    }
    compare_golden(&path.with_extension("stderr"), &err, &mut problems);
    compare_golden(&path.with_extension("stdout"), &out, &mut problems);
    problems
}

#[test]
fn ui() {
    let cases = files_under(&repo_root().join("tests").join("ui"), "tf");
    assert!(!cases.is_empty(), "no UI cases found under tests/ui");
    let mut failures = Vec::new();
    for case in &cases {
        let problems = run_case(case);
        if !problems.is_empty() {
            failures.push(format!("--- {case}\n{}", problems.join("\n")));
        }
    }
    let hint = if bless() { "" } else { "\n(to accept new output: TFC_BLESS=1 cargo test -p tf-driver --test ui)" };
    assert!(
        failures.is_empty(),
        "{} of {} UI cases failed:\n\n{}{hint}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn directives_parse() {
    let d = Directives::parse(
        "// error: E0301, E0303\n// flags: --print-signatures\n// exit: 1\nfn f() {}\n// error: E0000\n",
    )
    .expect("valid header");
    assert_eq!(d.errors, ["E0301", "E0303"]);
    assert_eq!(d.flags, ["--print-signatures"]);
    assert_eq!(d.expected_exit(), 1);
    assert!(Directives::parse("// check-pass\n").expect("valid").expected_exit() == 0);
    assert!(Directives::parse("// error: X1\n").is_err());
    assert!(Directives::parse("// check-pass\n// error: E0101\n").is_err());
    assert_eq!(reported("error[E0103]: x\n  error[E0999] no\nwarning[E0201]: y\n", "error"), ["E0103"]);
}

#[test]
fn line_diff_marks_changes() {
    assert_eq!(line_diff("a\nb\nc\n", "a\nx\nc\n"), " a\n-b\n+x\n c\n");
    assert_eq!(line_diff("same\n", "same\n"), "");
}
