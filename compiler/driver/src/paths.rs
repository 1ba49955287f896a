//! Lexical path helpers shared by the loader: comparing paths that were spelt differently
//! (`./a/../b.tf` and `b.tf`) and printing them the same way on every platform.

use std::path::{Component, Path, PathBuf};

/// Removes `.` components and resolves `..` against a preceding normal component, without
/// touching the file system (so it also works for in-memory files). An empty result is `.`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The path with `/` separators, so that golden test output is the same on Windows.
pub fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize(Path::new("./a/./b.tf")), PathBuf::from("a/b.tf"));
        assert_eq!(normalize(Path::new("a/../b.tf")), PathBuf::from("b.tf"));
        assert_eq!(normalize(Path::new("../b.tf")), PathBuf::from("../b.tf"));
        assert_eq!(normalize(Path::new("")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("/x/y/../z")), PathBuf::from("/x/z"));
    }
}
