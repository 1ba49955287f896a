//! Whole programs from source: `examples/` and `tests/run/` programs that need no data files,
//! lowered by the front end (with autodiff), run from `main` on the interpreter and on the JIT;
//! the printed output must agree (numbers within float tolerance: float matmul sums in another
//! order), and a program that fails must fail with the same kind at the same span.

mod common;
use std::path::{Path, PathBuf};

use common::*;
use tf_ir::Module;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lower(file: &str) -> Module {
    let loaded = tf_driver::load(&[root().join(file)], &root().join("stdlib")).unwrap();
    let mut m = tf_driver::compile::lower_loaded(&loaded).unwrap_or_else(|d| panic!("{file}: {d:?}"));
    // Function 0 is what the harness runs.
    let main = m.main.unwrap();
    m.functions.swap(0, main.index());
    fix_calls(&mut m, main.index());
    m
}

/// After swapping functions 0 and `other`, calls must follow.
fn fix_calls(m: &mut Module, other: usize) {
    for f in &mut m.functions {
        for op in &mut f.ops {
            if let tf_ir::OpKind::Call(g) = &mut op.kind {
                if g.index() == 0 {
                    *g = tf_ir::FuncId::new(other);
                } else if g.index() == other {
                    *g = tf_ir::FuncId::new(0);
                }
            }
        }
    }
}

/// Output lines agree when equal, or when their numbers agree within `1e-4` relative.
fn same_output(a: &str, b: &str) -> bool {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || "[](),:=".contains(c))
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    let (wa, wb) = (split(a), split(b));
    wa.len() == wb.len()
        && wa.iter().zip(&wb).all(|(x, y)| match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(p), Ok(q)) => (p - q).abs() <= 1e-4 * q.abs().max(1e-3),
            _ => x == y,
        })
}

fn run_both(file: &str) -> (Result<(), tf_interp::RunError>, String, Result<(), tf_codegen::JitError>, String) {
    let m = lower(file);
    let mut host = TestHost::default();
    let want = tf_interp::run(&m, tf_ir::FuncId::new(0), vec![], &mut host).map(drop);
    let want_out: String = host.lines.iter().map(|l| format!("{l}\n")).collect();
    let (got, got_out) =
        tf_runtime::output::capture(|| tf_codegen::run_jit(&m, tf_ir::FuncId::new(0), vec![]).map(drop));
    (want, want_out, got, got_out)
}

#[test]
fn programs_print_what_the_interpreter_prints() {
    for file in [
        "examples/regression/linear.tf",
        "tests/run/prints_and_control_flow.tf",
        "tests/run/gradients.tf",
        "tests/run/vjp_and_jvp.tf",
    ] {
        let (want, want_out, got, got_out) = run_both(file);
        want.unwrap_or_else(|e| panic!("{file}: interpreter: {e}"));
        got.unwrap_or_else(|e| panic!("{file}: jit: {e}"));
        assert!(same_output(&got_out, &want_out), "{file}:\njit:\n{got_out}\ninterpreter:\n{want_out}");
    }
}

#[test]
fn a_failing_program_fails_at_the_same_place() {
    let (want, want_out, got, got_out) = run_both("tests/run/runtime_index_error.tf");
    let (want, got) = (want.unwrap_err(), got.unwrap_err());
    assert_eq!(format!("{:?}", want.kind), format!("{:?}", got.kind));
    assert_eq!(want.span, got.span);
    assert_eq!(want.message, got.message);
    assert_eq!(want_out, got_out);
}
