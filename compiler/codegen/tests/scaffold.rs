//! The compile API: LLVM IR with one function per IR function carrying the host CPU's name and
//! features, assembly that uses AVX2 registers for a simple loop (the CPU features reached the
//! backend), an object file, and the verifier's refusal of a broken module.

mod common;
use common::*;
use tf_codegen::CodegenError;
use tf_ir::*;

fn add_module(dtype: DType) -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(dtype, vec![n]);
        let x = b.param(r, t.clone(), None);
        let y = b.param(r, t, None);
        let s = b.op1(r, OpKind::Binary(BinaryOp::Add), vec![x, y]).unwrap();
        let p = b.op1(r, OpKind::Binary(BinaryOp::Mul), vec![s, y]).unwrap();
        vec![p]
    })
}

#[test]
fn every_function_is_lowered_with_the_host_cpu() {
    let mut m = add_module(DType::F32);
    let mut g = m.functions[0].clone();
    g.name = "g".into();
    m.functions.push(g);
    let compiled = tf_codegen::compile(&m).unwrap();
    assert_eq!(compiled.symbols, vec!["tf.0.f".to_string(), "tf.1.g".to_string()]);
    for s in &compiled.symbols {
        assert!(compiled.llvm_ir.contains(&format!("@{s}(")), "{s} missing");
    }
    let (cpu, features) = tf_codegen::host_cpu();
    assert!(compiled.llvm_ir.contains(&format!("\"target-cpu\"=\"{cpu}\"")));
    assert!(compiled.llvm_ir.contains(&format!("\"target-features\"=\"{features}\"")));
    assert_eq!(tf_codegen::emit_llvm_ir(&m).unwrap(), compiled.llvm_ir);
}

#[test]
fn assembly_uses_the_host_vector_width() {
    let (_, features) = tf_codegen::host_cpu();
    let asm = tf_codegen::emit_asm(&add_module(DType::F32)).unwrap();
    assert!(asm.contains("tf.0.f"));
    if features.contains("+avx2") {
        // The loop is vectorised 8 floats at a time in ymm registers.
        assert!(asm.contains("%ymm"), "no AVX registers in:\n{asm}");
        assert!(asm.contains("vaddps") && asm.contains("vmulps"), "no packed arithmetic in:\n{asm}");
    } else {
        assert!(asm.contains("addps"), "{asm}");
    }
}

#[test]
fn object_files_link_into_shared_libraries() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("tf-codegen-test-{}.o", std::process::id()));
    let lib = dir.join(format!("libtf-codegen-test-{}.so", std::process::id()));
    tf_codegen::emit_object(&add_module(DType::F64), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    // Position-independent: `cc -shared` accepts it (the runtime's symbols stay undefined).
    if let Ok(status) = std::process::Command::new("cc").arg("-shared").arg(&path).arg("-o").arg(&lib).status() {
        assert!(status.success());
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&lib);
}

#[test]
fn broken_modules_are_refused() {
    let mut m = add_module(DType::F32);
    // Yield a value that does not exist.
    let body = m.functions[0].body;
    m.functions[0].regions[body.index()].yields = vec![ValueId::new(999)];
    assert!(matches!(tf_codegen::compile(&m), Err(CodegenError::Invalid(_))));
}
