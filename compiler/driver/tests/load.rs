//! The loader against real directory trees: import resolution (local, then stdlib), loading each
//! file once, cycles, the stdlib's top level, and the errors for unreadable files.

use std::path::{Path, PathBuf};

use tf_base::Code;
use tf_driver::{check_sources, load, load_sources, Loaded};

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// A project dir and a stdlib dir inside one temp dir.
fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let project = root.path().join("project");
    let stdlib = root.path().join("stdlib");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::create_dir_all(&stdlib).expect("mkdir");
    for (name, text) in files {
        write(&root.path().join(name), text);
    }
    (root, project, stdlib)
}

fn module_names(loaded: &Loaded) -> Vec<(String, bool)> {
    loaded.program.modules.iter().map(|m| (m.name.clone(), m.is_stdlib)).collect()
}

fn imported<'a>(loaded: &'a Loaded, module: &tf_check::Module) -> Vec<&'a str> {
    module.imports.iter().map(|(_, m)| loaded.program.modules[m.0 as usize].name.as_str()).collect()
}

fn file_names(loaded: &Loaded) -> Vec<String> {
    loaded.sources.iter().map(|(_, f)| f.name.clone()).collect()
}

#[test]
fn resolves_locally_then_in_the_stdlib() {
    let (_root, project, stdlib) = tree(&[
        ("project/main.tf", "use nn.layers\nuse optim\n"),
        ("project/nn/layers.tf", "use helpers\n"),
        ("project/nn/helpers.tf", ""),
        ("stdlib/optim.tf", ""),
        ("stdlib/core.tf", ""),
        ("stdlib/nested/deep.tf", ""),
    ]);
    let loaded = load(&[project.join("main.tf")], &stdlib).expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    // Dependency order: the stdlib first, then every module after what it imports.
    assert_eq!(
        module_names(&loaded),
        [
            ("core".to_string(), true),
            ("optim".to_string(), true),
            ("helpers".to_string(), false),
            ("nn.layers".to_string(), false),
            ("main".to_string(), false),
        ]
    );
    // Files stay in loading order: the user's first.
    let names = file_names(&loaded);
    assert!(names[0].ends_with("project/main.tf"), "{names:?}");
    assert!(names[1].ends_with("project/nn/layers.tf"), "{names:?}");
    assert_eq!(names[2], "<stdlib>/optim.tf");
    assert_eq!(names[4], "<stdlib>/core.tf");
    let main = &loaded.program.modules[4];
    assert_eq!(imported(&loaded, main), ["nn.layers", "optim"]);
    assert_eq!(loaded.user_modules, [tf_check::ModuleId(4)]);
}

#[test]
fn each_file_loads_once_and_cycles_terminate() {
    let (_root, project, stdlib) =
        tree(&[("project/a.tf", "use b\nuse a\n"), ("project/b.tf", "use a\nuse c\n"), ("project/c.tf", "use b\n")]);
    let paths = [project.join("a.tf"), project.join("./b.tf"), project.join("a.tf")];
    let loaded = load(&paths, &stdlib).expect("loads");
    assert_eq!(loaded.program.modules.len(), 3);
    let users: Vec<&str> =
        loaded.user_modules.iter().map(|m| loaded.program.modules[m.0 as usize].name.as_str()).collect();
    assert_eq!(users, ["a", "b"]);
    let a = &loaded.program.modules[loaded.user_modules[0].0 as usize];
    assert_eq!(imported(&loaded, a), ["b", "a"]);
}

#[test]
fn unresolved_use_is_a_diagnostic() {
    let (_root, project, stdlib) =
        tree(&[("project/main.tf", "use nn.layres\nuse zzz\n"), ("project/nn/layers.tf", "")]);
    let loaded = load(&[project.join("main.tf")], &stdlib).expect("loads");
    assert_eq!(loaded.diagnostics.len(), 2, "{:#?}", loaded.diagnostics);
    let first = &loaded.diagnostics[0];
    assert_eq!(first.code, Code::ModuleNotFound);
    assert_eq!(first.message, "module `nn.layres` not found");
    assert_eq!(loaded.sources.snippet(first.primary.span), "nn.layres");
    assert_eq!(first.help.as_deref(), Some("did you mean `nn.layers`?"));
    assert!(first.notes[0].contains("<stdlib>/nn/layres.tf"), "{:?}", first.notes);
    assert!(loaded.diagnostics[1].help.is_none());
}

#[test]
fn suggestions_come_from_the_stdlib_too() {
    let (_root, project, stdlib) = tree(&[("project/main.tf", "use optmi\n"), ("stdlib/optim.tf", "")]);
    let loaded = load(&[project.join("main.tf")], &stdlib).expect("loads");
    assert_eq!(loaded.diagnostics[0].help.as_deref(), Some("did you mean `optim`?"));
}

#[test]
fn unreadable_files_are_errors() {
    let (_root, project, stdlib) = tree(&[("project/main.tf", "use bad\n")]);
    let missing = load(&[project.join("nope.tf")], &stdlib).expect_err("missing file");
    assert!(missing.path.ends_with("nope.tf"), "{missing}");
    std::fs::write(project.join("bad.tf"), b"\xff\xfe").expect("write");
    let not_utf8 = load(&[project.join("main.tf")], &stdlib).expect_err("bad import");
    assert!(not_utf8.to_string().contains("bad.tf"), "{not_utf8}");
    assert!(not_utf8.to_string().contains("UTF-8"), "{not_utf8}");
    std::fs::remove_file(project.join("bad.tf")).expect("remove");
    let no_stdlib = load(&[project.join("main.tf")], &project.join("missing")).expect_err("no stdlib");
    assert!(no_stdlib.to_string().contains("missing"), "{no_stdlib}");
}

#[test]
fn in_memory_files_import_each_other() {
    let (_root, _project, stdlib) = tree(&[("stdlib/core.tf", "")]);
    let files = vec![
        ("main.tf".to_string(), "use lib.util\nfn main() {}\n".to_string()),
        ("lib/util.tf".to_string(), "fn helper() {}\n".to_string()),
    ];
    let loaded = load_sources(files, &stdlib).expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.program.modules.len(), 3);
    assert_eq!(loaded.user_modules.len(), 2);
    let main = &loaded.program.modules[loaded.user_modules[0].0 as usize];
    assert_eq!(main.name, "main");
    // `lib/util.tf` was named by the user too, so it keeps its file-stem module name.
    assert_eq!(imported(&loaded, main), ["util"]);
}

#[test]
fn diagnostics_are_sorted_by_file_then_position() {
    let (_root, _project, stdlib) = tree(&[]);
    let files = vec![
        ("a.tf".to_string(), "fn f() {\n  let x = *\n}\nuse missing\n".to_string()),
        ("b.tf".to_string(), "use gone\nfn g( {\n}\n".to_string()),
    ];
    let compiled = check_sources(files, &stdlib).expect("loads");
    let keys: Vec<(u32, u32)> =
        compiled.diagnostics.iter().map(|d| (d.primary.span.file.0, d.primary.span.start)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 4, "{:#?}", compiled.diagnostics);
}
