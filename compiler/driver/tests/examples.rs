//! The example programs are the language's showcase: each must check cleanly with
//! `--print-signatures`, and there must be at least three of them.

mod support;

use support::{files_under, repo_root, run, stderr, tfc};

/// Every example program must check cleanly and print its signatures.
#[test]
fn examples_check_clean() {
    let examples = files_under(&repo_root().join("examples"), "tf");
    assert!(examples.len() >= 3, "expected at least 3 programs under examples/, found {}", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        let output = run(tfc().args(["check", "--color", "never", "--print-signatures"]).arg(example));
        if output.status.code() != Some(0) {
            failures.push(format!("--- {example} (exit {:?})\n{}", output.status.code(), stderr(&output)));
        }
    }
    assert!(failures.is_empty(), "examples that do not check cleanly:\n\n{}", failures.join("\n\n"));
}
