//! Puts a program's modules in dependency order — every module after the modules it imports,
//! the stdlib first — so that a stage walking modules in order meets a declaration before its
//! uses, whatever order the files were found in.

use tf_check::{Module, ModuleId};

/// Reorders `modules` by a depth-first post-order over their imports, starting from `roots` in
/// the order given (then any module not reached from them). Within an import cycle the order is
/// the order of discovery. Returns the old-to-new id map; `imports` are renumbered in place.
pub fn dependency_order(modules: &mut Vec<Module>, roots: &[ModuleId]) -> Vec<ModuleId> {
    let n = modules.len();
    let mut visited = vec![false; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let starts = roots.iter().map(|r| r.0 as usize).chain(0..n);
    for start in starts {
        if start >= n || visited[start] {
            continue;
        }
        visited[start] = true;
        // An explicit stack of (module, next import to visit): import chains can be long.
        let mut stack = vec![(start, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (module, next) = *top;
            match modules[module].imports.get(next) {
                Some(&(_, target)) => {
                    top.1 += 1;
                    let target = target.0 as usize;
                    if target < n && !visited[target] {
                        visited[target] = true;
                        stack.push((target, 0));
                    }
                }
                None => {
                    order.push(module);
                    stack.pop();
                }
            }
        }
    }
    let mut new_id = vec![ModuleId(0); n];
    for (position, &old) in order.iter().enumerate() {
        new_id[old] = ModuleId(position as u32);
    }
    let mut old: Vec<Option<Module>> = std::mem::take(modules).into_iter().map(Some).collect();
    for &index in &order {
        if let Some(mut module) = old[index].take() {
            for (_, target) in &mut module.imports {
                *target = new_id.get(target.0 as usize).copied().unwrap_or(*target);
            }
            modules.push(module);
        }
    }
    new_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use tf_base::{FileId, Span};
    use tf_syntax::ast::File;

    fn module(name: &str, imports: &[u32]) -> Module {
        Module {
            name: name.to_string(),
            file: FileId(0),
            ast: File::default(),
            imports: imports.iter().map(|&i| (Span::default(), ModuleId(i))).collect(),
            is_stdlib: false,
        }
    }

    fn names(modules: &[Module]) -> Vec<&str> {
        modules.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn imports_come_first() {
        // main -> a -> b, main -> b; std is a root of its own.
        let mut modules = vec![module("main", &[1, 2]), module("a", &[2]), module("b", &[]), module("std", &[])];
        let map = dependency_order(&mut modules, &[ModuleId(3), ModuleId(0)]);
        assert_eq!(names(&modules), ["std", "b", "a", "main"]);
        assert_eq!(map, [ModuleId(3), ModuleId(2), ModuleId(1), ModuleId(0)]);
        assert_eq!(modules[3].imports.iter().map(|(_, m)| m.0).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn cycles_and_unreached_modules_are_kept() {
        let mut modules = vec![module("a", &[1]), module("b", &[0, 0]), module("lonely", &[])];
        dependency_order(&mut modules, &[ModuleId(0)]);
        assert_eq!(names(&modules), ["b", "a", "lonely"]);
        assert_eq!(modules[0].imports.iter().map(|(_, m)| m.0).collect::<Vec<_>>(), [1, 1]);
    }
}
