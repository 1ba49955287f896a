//! Helpers shared by the driver's integration tests: where the repository is, how to run the
//! built `tfc`, and a small line diff for readable golden-file failures.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("..").join("..").canonicalize().unwrap_or_else(|_| manifest.join("..").join(".."))
}

/// The repository's `stdlib/`. Git does not keep empty directories, so until the stdlib has
/// files a fresh clone may lack it; an empty directory stands in then.
pub fn stdlib_dir() -> PathBuf {
    let stdlib = repo_root().join("stdlib");
    if stdlib.is_dir() {
        stdlib
    } else {
        empty_stdlib()
    }
}

/// A stdlib directory with no files, in Cargo's scratch space for integration tests.
pub fn empty_stdlib() -> PathBuf {
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("empty-stdlib");
    if let Err(e) = std::fs::create_dir_all(&empty) {
        panic!("cannot create `{}`: {e}", empty.display());
    }
    empty
}

/// `tfc` with the repository root as working directory and the repository's stdlib.
pub fn tfc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfc"));
    command.current_dir(repo_root()).env("TFC_STDLIB", stdlib_dir()).env_remove("NO_COLOR");
    command
}

pub fn run(command: &mut Command) -> Output {
    match command.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run {command:?}: {e}"),
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` (recursively) with extension `ext`, sorted, as paths relative to the
/// repository root with `/` separators. A missing directory has no files.
pub fn files_under(dir: &Path, ext: &str) -> Vec<String> {
    let root = repo_root();
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == ext) {
                let rel = path.strip_prefix(&root).unwrap_or(&path);
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// A unified-style diff of two texts by lines (longest common subsequence; inputs are small),
/// with `-` for expected and `+` for actual lines and three lines of context.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, op)| op.0 != ' ').map(|(k, _)| k).collect();
    let near_change = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= 3);
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line)) in ops.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push_str("@@ ... @@\n");
                skipped = false;
            }
            out.push_str(&format!("{tag}{line}\n"));
        } else {
            skipped = true;
        }
    }
    out
}
