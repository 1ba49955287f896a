//! The whole front end as one call: load, parse, check, and merge every stage's diagnostics
//! into the single ordered list that the renderers print.

use std::path::{Path, PathBuf};

use tf_base::{Diagnostic, SourceMap};
use tf_check::{Checked, ModuleId, Program};

use crate::load::{load, load_sources, LoadError, Loaded};

/// The result of checking a program.
#[derive(Debug)]
pub struct Compiled {
    pub sources: SourceMap,
    pub program: Program,
    /// Every diagnostic of every stage, sorted by file, then position; at one position, syntax
    /// and module diagnostics come before the checker's.
    pub diagnostics: Vec<Diagnostic>,
    /// The checker's other results; its `diagnostics` have been moved into [`Self::diagnostics`].
    pub checked: Checked,
    /// The modules of the files the user named.
    pub user_modules: Vec<ModuleId>,
}

impl Compiled {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The display name of a module's file.
    pub fn module_file_name(&self, module: ModuleId) -> Option<&str> {
        let module = self.program.modules.get(module.0 as usize)?;
        Some(self.sources.get(module.file).name.as_str())
    }
}

/// Loads `paths` from disk (with their imports and the stdlib at `stdlib`) and checks them.
pub fn check_files(paths: &[PathBuf], stdlib: &Path) -> Result<Compiled, LoadError> {
    load(paths, stdlib).map(check_loaded)
}

/// Like [`check_files`] for in-memory `(name, text)` files; the stdlib is still read from disk.
pub fn check_sources(files: Vec<(String, String)>, stdlib: &Path) -> Result<Compiled, LoadError> {
    load_sources(files, stdlib).map(check_loaded)
}

/// Runs the checker over an already loaded program.
pub fn check_loaded(loaded: Loaded) -> Compiled {
    let mut checked = tf_check::check(&loaded.program);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.append(&mut checked.diagnostics);
    // A stable sort keeps the loader's diagnostics ahead of the checker's at equal positions.
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.primary.span.end));
    Compiled {
        sources: loaded.sources,
        program: loaded.program,
        diagnostics,
        checked,
        user_modules: loaded.user_modules,
    }
}
