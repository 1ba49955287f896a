//! Finding the standard-library directory, so that `tfc` works from a checkout
//! (`target/debug/tfc`), from an install (`bin/` + `share/tensorforge/stdlib`) and under tests
//! (`TFC_STDLIB`) without any flag.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the search.
pub const STDLIB_ENV: &str = "TFC_STDLIB";

/// Why no stdlib directory could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StdlibError {
    /// `TFC_STDLIB` names something that is not a directory.
    BadEnv(PathBuf),
    /// The search found nothing; the places looked at, in order.
    NotFound(Vec<PathBuf>),
}

impl fmt::Display for StdlibError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StdlibError::BadEnv(path) => {
                write!(f, "{STDLIB_ENV} is set to `{}`, which is not a directory", path.display())
            }
            StdlibError::NotFound(searched) => {
                write!(f, "cannot find the standard library; set {STDLIB_ENV} to its directory")?;
                for path in searched {
                    write!(f, "\n  looked in `{}`", path.display())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StdlibError {}

/// The stdlib directory for this process: `TFC_STDLIB`, else a search from the executable.
pub fn find_stdlib() -> Result<PathBuf, StdlibError> {
    let exe = std::env::current_exe().ok();
    find_stdlib_from(std::env::var_os(STDLIB_ENV), exe.as_deref())
}

/// The search behind [`find_stdlib`], with its inputs explicit so that it can be tested.
///
/// An installed `tfc` finds `<exe_dir>/../share/tensorforge/stdlib`; one in a checkout walks up
/// from its directory to the first `stdlib/` holding `.tf` files. The `.tf` requirement keeps an
/// unrelated `stdlib` directory higher up the tree from being picked by accident.
pub fn find_stdlib_from(env: Option<OsString>, exe: Option<&Path>) -> Result<PathBuf, StdlibError> {
    if let Some(value) = env.filter(|v| !v.is_empty()) {
        let path = PathBuf::from(value);
        return if path.is_dir() { Ok(path) } else { Err(StdlibError::BadEnv(path)) };
    }
    let mut searched = Vec::new();
    if let Some(exe_dir) = exe.and_then(Path::parent) {
        let installed = exe_dir.join("..").join("share").join("tensorforge").join("stdlib");
        if installed.is_dir() {
            return Ok(installed);
        }
        searched.push(installed);
        for dir in exe_dir.ancestors() {
            let candidate = dir.join("stdlib");
            if has_tf_files(&candidate) {
                return Ok(candidate);
            }
            searched.push(candidate);
        }
    }
    Err(StdlibError::NotFound(searched))
}

fn has_tf_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| e.path().extension().is_some_and(|x| x == "tf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_wins_and_must_be_a_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let found = find_stdlib_from(Some(dir.path().as_os_str().to_owned()), None);
        assert_eq!(found, Ok(dir.path().to_path_buf()));
        let missing = dir.path().join("nope");
        let err = find_stdlib_from(Some(missing.clone().into_os_string()), None);
        assert_eq!(err, Err(StdlibError::BadEnv(missing)));
    }

    #[test]
    fn walks_up_to_a_stdlib_with_tf_files() {
        let root = tempfile::tempdir().expect("temp dir");
        let exe_dir = root.path().join("target").join("debug");
        std::fs::create_dir_all(&exe_dir).expect("mkdir");
        // An empty `stdlib/` nearer the executable is skipped.
        std::fs::create_dir_all(root.path().join("target").join("stdlib")).expect("mkdir");
        let stdlib = root.path().join("stdlib");
        std::fs::create_dir_all(&stdlib).expect("mkdir");
        std::fs::write(stdlib.join("core.tf"), "").expect("write");
        let found = find_stdlib_from(None, Some(&exe_dir.join("tfc")));
        assert_eq!(found, Ok(stdlib));
    }

    #[test]
    fn finds_the_installed_layout() {
        let root = tempfile::tempdir().expect("temp dir");
        let bin = root.path().join("bin");
        let share = root.path().join("share").join("tensorforge").join("stdlib");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(&share).expect("mkdir");
        let found = find_stdlib_from(None, Some(&bin.join("tfc"))).expect("found");
        assert_eq!(found.canonicalize().ok(), share.canonicalize().ok());
    }

    #[test]
    fn reports_where_it_looked() {
        let root = tempfile::tempdir().expect("temp dir");
        let err = find_stdlib_from(None, Some(&root.path().join("tfc"))).expect_err("nothing there");
        let text = err.to_string();
        assert!(text.contains("TFC_STDLIB"), "{text}");
        assert!(text.contains("looked in"), "{text}");
    }
}
