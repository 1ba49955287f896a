//! The loader: the only place where the compiler reads source files. It turns the user's paths
//! and the stdlib directory into a parsed `tf_check::Program`, following `use` items, so that
//! every later stage is a pure function of text.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};

use tf_base::{Code, Diagnostic, SourceMap, Span};
use tf_check::{Module, ModuleId, Program};
use tf_syntax::ast::{Ident, ItemKind};
use tf_syntax::parse_file;

use crate::order::dependency_order;
use crate::paths::{normalize, slash_path};
use tf_base::suggest;

/// Everything the loader produced. Loading never stops at broken code: parse errors and
/// unresolved `use` items are diagnostics, and the program holds every file that was found.
///
/// `program.modules` is in dependency order: the stdlib's top-level modules (and what they
/// import) first, and every module after the modules it imports, except within import cycles.
#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    pub program: Program,
    /// Parse diagnostics and unresolved imports, in loading order.
    pub diagnostics: Vec<Diagnostic>,
    /// The modules of the files the user named, in the order given (each once).
    pub user_modules: Vec<ModuleId>,
}

/// A file that could not be read at all; `tfc` exits with status 2 on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The path as it would be displayed in a diagnostic.
    pub path: String,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read `{}`: {}", self.path, self.reason)
    }
}

impl std::error::Error for LoadError {}

/// Loads the user's files from disk, everything they import, and the top level of the stdlib.
pub fn load(paths: &[PathBuf], stdlib: &Path) -> Result<Loaded, LoadError> {
    let mut loader = Loader::new(stdlib, HashMap::new());
    let mut user_modules = Vec::new();
    for path in paths {
        let display = path.to_string_lossy().into_owned();
        let id = loader.add(path.clone(), display, stem(path), false)?;
        if !user_modules.contains(&id) {
            user_modules.push(id);
        }
    }
    loader.finish(user_modules)
}

/// Like [`load`], but the user's files are given as `(name, text)` pairs instead of being read
/// from disk (unsaved editor buffers, tests). A `use` finds another in-memory file by the path
/// its name spells, then falls back to the disk and the stdlib as usual.
pub fn load_sources(files: Vec<(String, String)>, stdlib: &Path) -> Result<Loaded, LoadError> {
    let overlay: HashMap<PathBuf, String> =
        files.iter().map(|(name, text)| (normalize(Path::new(name)), text.clone())).collect();
    let mut loader = Loader::new(stdlib, overlay);
    let mut user_modules = Vec::new();
    for (name, _) in files {
        let path = PathBuf::from(&name);
        let id = loader.add(path.clone(), name, stem(&path), false)?;
        if !user_modules.contains(&id) {
            user_modules.push(id);
        }
    }
    loader.finish(user_modules)
}

/// The module name of a top-level file: its stem (`tests/ui/mlp.tf` is `mlp`).
fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

struct Loader {
    stdlib: PathBuf,
    stdlib_canonical: Option<PathBuf>,
    cwd: Option<PathBuf>,
    /// In-memory files by normalised path; they shadow the disk.
    overlay: HashMap<PathBuf, String>,
    sources: SourceMap,
    modules: Vec<Module>,
    /// Per module: the path its imports are resolved against.
    paths: Vec<PathBuf>,
    /// Canonical path to module, so that a file reached twice (or through a cycle) loads once.
    by_key: HashMap<PathBuf, ModuleId>,
    diagnostics: Vec<Diagnostic>,
    /// Modules whose `use` items have not been resolved yet.
    pending: VecDeque<ModuleId>,
}

impl Loader {
    fn new(stdlib: &Path, overlay: HashMap<PathBuf, String>) -> Loader {
        Loader {
            stdlib: normalize(stdlib),
            stdlib_canonical: std::fs::canonicalize(stdlib).ok(),
            cwd: std::env::current_dir().ok(),
            overlay,
            sources: SourceMap::new(),
            modules: Vec::new(),
            paths: Vec::new(),
            by_key: HashMap::new(),
            diagnostics: Vec::new(),
            pending: VecDeque::new(),
        }
    }

    /// Follows the user files' imports, then adds the stdlib and follows its imports, and puts
    /// the modules in dependency order (stdlib first). File ids stay in loading order, so the
    /// user's files come first in the source map and in sorted diagnostics.
    fn finish(mut self, user_modules: Vec<ModuleId>) -> Result<Loaded, LoadError> {
        self.resolve_pending()?;
        let mut stdlib_modules = Vec::new();
        for path in self.stdlib_files()? {
            let display = self.display_name(&path);
            stdlib_modules.push(self.add(path.clone(), display, stem(&path), true)?);
        }
        self.resolve_pending()?;
        let roots: Vec<ModuleId> = stdlib_modules.into_iter().chain(user_modules.iter().copied()).collect();
        let new_id = dependency_order(&mut self.modules, &roots);
        let user_modules = user_modules.into_iter().map(|m| new_id[m.0 as usize]).collect();
        Ok(Loaded {
            sources: self.sources,
            program: Program { modules: self.modules },
            diagnostics: self.diagnostics,
            user_modules,
        })
    }

    /// The `.tf` files at the top level of the stdlib directory, sorted by name so that file ids
    /// (and so diagnostic order) do not depend on the directory's listing order.
    fn stdlib_files(&self) -> Result<Vec<PathBuf>, LoadError> {
        let entries = std::fs::read_dir(&self.stdlib)
            .map_err(|e| LoadError { path: self.stdlib.to_string_lossy().into_owned(), reason: e.to_string() })?;
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        files.sort();
        Ok(files)
    }

    /// Loads and parses one file unless it is loaded already; returns its module either way.
    fn add(&mut self, path: PathBuf, display: String, name: String, is_stdlib: bool) -> Result<ModuleId, LoadError> {
        let key = self.key(&path);
        if let Some(&id) = self.by_key.get(&key) {
            // A stdlib file first reached through a `use` still becomes visible everywhere.
            self.modules[id.0 as usize].is_stdlib |= is_stdlib;
            return Ok(id);
        }
        let text = self.read(&path, &display)?;
        let file = self.sources.add(display, text);
        let parsed = parse_file(file, &self.sources.get(file).text);
        self.diagnostics.extend(parsed.diagnostics);
        let id = ModuleId(self.modules.len() as u32);
        self.modules.push(Module { name, file, ast: parsed.file, imports: Vec::new(), is_stdlib });
        self.paths.push(path);
        self.by_key.insert(key, id);
        self.pending.push_back(id);
        Ok(id)
    }

    fn read(&self, path: &Path, display: &str) -> Result<String, LoadError> {
        if let Some(text) = self.overlay.get(&normalize(path)) {
            return Ok(text.clone());
        }
        let error = |reason: String| LoadError { path: display.to_string(), reason };
        let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| {
            error(format!("the file is not valid UTF-8 (bad byte at offset {})", e.utf8_error().valid_up_to()))
        })
    }

    fn exists(&self, path: &Path) -> bool {
        self.overlay.contains_key(&normalize(path)) || path.is_file()
    }

    /// The identity of a file: its canonical path on disk, or its normalised in-memory name.
    fn key(&self, path: &Path) -> PathBuf {
        let normal = normalize(path);
        if self.overlay.contains_key(&normal) {
            return normal;
        }
        std::fs::canonicalize(path).unwrap_or(normal)
    }

    fn resolve_pending(&mut self) -> Result<(), LoadError> {
        while let Some(id) = self.pending.pop_front() {
            let uses: Vec<(Span, Vec<Ident>)> = self.modules[id.0 as usize]
                .ast
                .items
                .iter()
                .filter_map(|item| match &item.kind {
                    ItemKind::Use(u) if !u.path.is_empty() => Some((item.span, u.path.clone())),
                    _ => None,
                })
                .collect();
            for (item_span, path) in uses {
                if let Some(target) = self.resolve(id, &path)? {
                    self.modules[id.0 as usize].imports.push((item_span, target));
                }
            }
        }
        Ok(())
    }

    /// `use a.b` from `dir/m.tf`: `dir/a/b.tf`, else `<stdlib>/a/b.tf`, else a diagnostic.
    fn resolve(&mut self, importer: ModuleId, path: &[Ident]) -> Result<Option<ModuleId>, LoadError> {
        let dotted = path.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(".");
        let relative: PathBuf = path.iter().map(|i| i.name.as_str()).collect::<PathBuf>().with_extension("tf");
        let importer_path = self.paths[importer.0 as usize].clone();
        let local = importer_path.parent().unwrap_or(Path::new("")).join(&relative);
        let in_stdlib = self.stdlib.join(&relative);
        for candidate in [&local, &in_stdlib] {
            if self.exists(candidate) {
                let display = self.display_name(candidate);
                return self.add(candidate.clone(), display, dotted, false).map(Some);
            }
        }
        let first = path[0].span;
        let last = path[path.len() - 1].span;
        let mut diagnostic =
            Diagnostic::error(Code::ModuleNotFound, first.to(last), format!("module `{dotted}` not found"))
                .with_label("no file for this module")
                .with_note(format!(
                    "looked for `{}` and `{}`",
                    self.display_name(&local),
                    self.display_name(&in_stdlib)
                ));
        if let Some(better) = self.suggest_module(&importer_path, path, &local, &in_stdlib) {
            diagnostic = diagnostic.with_help(format!("did you mean `{better}`?"));
        }
        self.diagnostics.push(diagnostic);
        Ok(None)
    }

    /// A dotted module name, spelt like `path`, for a `.tf` file beside where it was looked for.
    fn suggest_module(&self, importer: &Path, path: &[Ident], local: &Path, in_stdlib: &Path) -> Option<String> {
        let wanted = &path[path.len() - 1].name;
        let importer_key = self.key(importer);
        let mut stems: Vec<String> = Vec::new();
        for dir in [local.parent(), in_stdlib.parent()].into_iter().flatten() {
            let mut here: Vec<String> =
                self.tf_files_in(dir).into_iter().filter(|p| self.key(p) != importer_key).map(|p| stem(&p)).collect();
            here.sort();
            for s in here {
                if !stems.contains(&s) {
                    stems.push(s);
                }
            }
        }
        let best = suggest::closest(wanted, stems.iter().map(String::as_str))?;
        let prefix: Vec<&str> = path[..path.len() - 1].iter().map(|i| i.name.as_str()).collect();
        Some(prefix.into_iter().chain([best]).collect::<Vec<_>>().join("."))
    }

    fn tf_files_in(&self, dir: &Path) -> Vec<PathBuf> {
        let is_tf = |p: &Path| p.extension().is_some_and(|x| x == "tf");
        let normal_dir = normalize(dir);
        let mut files: Vec<PathBuf> = self
            .overlay
            .keys()
            .filter(|p| is_tf(p) && p.parent().map(normalize) == Some(normal_dir.clone()))
            .cloned()
            .collect();
        if let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| is_tf(p) && p.is_file()));
        }
        files
    }

    /// How an imported or stdlib file is shown: `<stdlib>/nn/rnn.tf` inside the stdlib (so that
    /// output does not depend on where it is installed), else relative to the current directory
    /// when possible.
    fn display_name(&self, path: &Path) -> String {
        let normal = normalize(path);
        if let Ok(rel) = normal.strip_prefix(&self.stdlib) {
            return format!("<stdlib>/{}", slash_path(rel));
        }
        let canonical = std::fs::canonicalize(path).ok();
        if let (Some(canonical), Some(root)) = (&canonical, &self.stdlib_canonical) {
            if let Ok(rel) = canonical.strip_prefix(root) {
                return format!("<stdlib>/{}", slash_path(rel));
            }
        }
        if normal.is_absolute() {
            if let Some(rel) = self.cwd.as_ref().and_then(|cwd| normal.strip_prefix(cwd).ok()) {
                return slash_path(rel);
            }
        }
        slash_path(&normal)
    }
}
