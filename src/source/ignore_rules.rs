//! The ignore files of a walked tree, read safely: `.ignore` and `.gitignore` in every
//! directory (and in the directories above the walked root), `.git/info/exclude` of each
//! repository, and git's global excludes file, with the precedence the `ignore` crate
//! gives them (`.ignore` over `.gitignore` over `info/exclude` over the global file, the
//! nearest directory first, and no `.gitignore` from above a repository's root).
//!
//! The `ignore` crate would open these files itself, and a FIFO named `.gitignore` blocks
//! it forever while a `.gitignore` linked to `/dev/zero` eats memory until the process
//! aborts. Here they are read through [`crate::aux_file`] (regular files only, with a
//! cap); one that cannot be read is skipped with a warning, so its directory is scanned
//! as if it had no ignore file, which errs on the side of scanning more.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::aux_file::{self, AuxError, SMALL_FILE_LIMIT};

use super::Note;

/// The ignore files of one directory, and its parent's.
struct DirRules {
    parent: Option<Arc<DirRules>>,
    ignore: Gitignore,
    gitignore: Gitignore,
    exclude: Gitignore,
    /// The directory holds a `.git`: it is a repository's root.
    has_git: bool,
}

/// Decides which entries of a walk the ignore files exclude. Shared by the walk's threads.
pub struct IgnoreRules {
    /// The walked root, absolute.
    root: PathBuf,
    /// As the walk names the root (what entries' paths start with).
    walk_root: PathBuf,
    global: Gitignore,
    dirs: Mutex<HashMap<PathBuf, Arc<DirRules>>>,
    notes: Mutex<Vec<Note>>,
}

impl IgnoreRules {
    /// The rules for a walk of `walk_root` (a directory).
    pub fn new(walk_root: &Path) -> IgnoreRules {
        let root = std::path::absolute(walk_root).unwrap_or_else(|_| walk_root.to_path_buf());
        let rules = IgnoreRules {
            root: normalize(&root),
            walk_root: walk_root.to_path_buf(),
            global: Gitignore::empty(),
            dirs: Mutex::new(HashMap::new()),
            notes: Mutex::new(Vec::new()),
        };
        let global = match ignore::gitignore::gitconfig_excludes_path() {
            Some(path) => rules.build(Path::new(""), &[path]),
            None => Gitignore::empty(),
        };
        IgnoreRules { global, ..rules }
    }

    /// Whether the walk should skip `path` (a path the walk produced, under the root).
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(relative) = path.strip_prefix(&self.walk_root) else {
            return false;
        };
        if relative.as_os_str().is_empty() {
            return false;
        }
        let absolute = self.root.join(relative);
        let Some(parent) = absolute.parent() else {
            return false;
        };
        let rules = self.dir_rules(parent);
        self.decide(&rules, &absolute, is_dir)
    }

    /// Warnings about ignore files that could not be read, sorted and deduplicated.
    pub fn notes(&self) -> Vec<Note> {
        let mut notes = self
            .notes
            .lock()
            .map(|notes| notes.clone())
            .unwrap_or_default();
        notes.sort_by(|a, b| a.subject.cmp(&b.subject));
        notes.dedup();
        notes
    }

    fn decide(&self, rules: &DirRules, path: &Path, is_dir: bool) -> bool {
        let (mut ignore, mut git, mut exclude) = (Match::None, Match::None, Match::None);
        let mut saw_git = false;
        let mut current = Some(rules);
        while let Some(dir) = current {
            if ignore.is_none() {
                ignore = dir.ignore.matched(path, is_dir).map(|_| ());
            }
            if !saw_git && git.is_none() {
                git = dir.gitignore.matched(path, is_dir).map(|_| ());
            }
            if !saw_git && exclude.is_none() {
                exclude = dir.exclude.matched(path, is_dir).map(|_| ());
            }
            saw_git |= dir.has_git;
            current = dir.parent.as_deref();
        }
        let global = self.global.matched(path, is_dir).map(|_| ());
        ignore.or(git).or(exclude).or(global).is_ignore()
    }

    /// The rules in force in `dir` (absolute), built once per directory.
    fn dir_rules(&self, dir: &Path) -> Arc<DirRules> {
        if let Some(rules) = self
            .dirs
            .lock()
            .ok()
            .and_then(|dirs| dirs.get(dir).cloned())
        {
            return rules;
        }
        // The root's ancestors count too (as `git` and the `ignore` crate read them);
        // above the filesystem root there is nothing.
        let parent = dir.parent().map(|parent| self.dir_rules(parent));
        let has_git = dir.join(".git").exists();
        let exclude = match has_git.then(|| info_exclude(dir)).flatten() {
            Some(exclude) => self.build(dir, &[exclude]),
            None => Gitignore::empty(),
        };
        let rules = Arc::new(DirRules {
            parent,
            ignore: self.build(dir, &[dir.join(".ignore")]),
            gitignore: self.build(dir, &[dir.join(".gitignore")]),
            exclude,
            has_git,
        });
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.insert(dir.to_path_buf(), rules.clone());
        }
        rules
    }

    /// A matcher rooted at `dir` from the files that exist and can be read.
    fn build(&self, dir: &Path, files: &[PathBuf]) -> Gitignore {
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        for file in files {
            let text = match aux_file::read(file, SMALL_FILE_LIMIT) {
                Ok(text) => text,
                Err(AuxError::NotFound) => continue,
                Err(error) => {
                    self.note(file, &error);
                    continue;
                }
            };
            for line in String::from_utf8_lossy(&text).lines() {
                // A malformed glob is skipped, as git and the `ignore` crate skip it.
                let _ = builder.add_line(Some(file.clone()), line);
            }
            any = true;
        }
        if !any {
            return Gitignore::empty();
        }
        builder.build().unwrap_or_else(|_| Gitignore::empty())
    }

    fn note(&self, file: &Path, error: &AuxError) {
        let subject = self.display(file);
        let note = Note::warning(
            subject,
            format!("{error}; not read as an ignore file, so what it lists is scanned"),
        );
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(note);
        }
    }

    /// A path under the root as the walk names it; others as they are.
    fn display(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) => super::files::display_of(&self.walk_root.join(relative)),
            Err(_) => path.display().to_string(),
        }
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system (symlinks are not resolved,
/// as the walk does not resolve them either).
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// The `info/exclude` file of the repository whose work tree is `dir`: in `.git/`, or,
/// for a linked worktree or a submodule (where `.git` is a file saying `gitdir: PATH`), in
/// the repository that file names (its common directory, for a worktree).
fn info_exclude(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git.join("info/exclude"));
    }
    let pointer =
        crate::aux_file::read_to_string(&dot_git, crate::aux_file::SMALL_FILE_LIMIT).ok()?;
    let git_dir = dir.join(pointer.lines().next()?.strip_prefix("gitdir:")?.trim());
    let common = match crate::aux_file::read_to_string(
        &git_dir.join("commondir"),
        crate::aux_file::SMALL_FILE_LIMIT,
    ) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir,
    };
    Some(common.join("info/exclude"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        dir
    }

    #[test]
    fn nearer_files_win_and_ignore_beats_gitignore() {
        let dir = tree(&[
            (".gitignore", "*.log\nbuild/\n"),
            ("sub/.gitignore", "!keep.log\n"),
            ("sub/.ignore", "secret.txt\n"),
            (".ignore", "!sub/secret.txt\n"),
        ]);
        let root = dir.path();
        let rules = IgnoreRules::new(root);
        assert!(rules.is_ignored(&root.join("a.log"), false));
        assert!(rules.is_ignored(&root.join("build"), true));
        assert!(!rules.is_ignored(&root.join("build"), false));
        assert!(!rules.is_ignored(&root.join("sub/keep.log"), false));
        assert!(rules.is_ignored(&root.join("sub/other.log"), false));
        assert!(rules.is_ignored(&root.join("sub/secret.txt"), false));
        assert!(!rules.is_ignored(&root.join("main.rs"), false));
        assert!(rules.notes().is_empty());
    }

    #[test]
    fn gitignore_above_a_repository_root_does_not_apply_inside_it() {
        let dir = tree(&[(".gitignore", "*.yml\n"), ("repo/.git/HEAD", "x")]);
        let root = dir.path();
        let rules = IgnoreRules::new(root);
        assert!(rules.is_ignored(&root.join("a.yml"), false));
        assert!(!rules.is_ignored(&root.join("repo/a.yml"), false));
    }

    #[test]
    fn a_linked_worktree_reads_the_exclude_file_of_its_common_directory() {
        let dir = tree(&[
            ("main/.git/info/exclude", "local.txt\n"),
            ("main/.git/worktrees/wt/commondir", "../..\n"),
            ("wt/.git", "gitdir: ../main/.git/worktrees/wt\n"),
        ]);
        let worktree = dir.path().join("wt");
        let exclude = info_exclude(&worktree).unwrap();
        assert_eq!(
            std::fs::read_to_string(exclude).unwrap(),
            "local.txt\n",
            "the common directory's exclude file"
        );
        let rules = IgnoreRules::new(&worktree);
        assert!(rules.is_ignored(&worktree.join("local.txt"), false));
        assert!(rules.notes().is_empty(), "no `not a directory` warning");
    }

    #[test]
    fn info_exclude_applies_in_its_repository() {
        let dir = tree(&[(".git/info/exclude", "local.txt\n")]);
        let root = dir.path();
        let rules = IgnoreRules::new(root);
        assert!(rules.is_ignored(&root.join("local.txt"), false));
        assert!(rules.is_ignored(&root.join("sub/local.txt"), false));
    }

    #[test]
    fn a_directory_named_gitignore_is_skipped_with_a_warning() {
        let dir = tree(&[(".gitignore/x", "")]);
        let root = dir.path();
        let rules = IgnoreRules::new(root);
        assert!(!rules.is_ignored(&root.join("a.txt"), false));
        let notes = rules.notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].subject.ends_with(".gitignore"), "{notes:?}");
        assert!(notes[0].message.contains("directory"), "{notes:?}");
    }

    #[test]
    fn a_relative_walk_root_works() {
        let dir = tree(&[(".gitignore", "*.log\n")]);
        let cwd = std::env::current_dir().unwrap();
        let relative = pathdiff(dir.path(), &cwd);
        let rules = IgnoreRules::new(&relative);
        assert!(rules.is_ignored(&relative.join("a.log"), false));
        assert!(!rules.is_ignored(&relative.join("a.txt"), false));
    }

    /// `path` relative to `base`, through `..` components.
    fn pathdiff(path: &Path, base: &Path) -> PathBuf {
        let ups = base.components().count() - 1;
        let mut relative = PathBuf::new();
        for _ in 0..ups {
            relative.push("..");
        }
        relative.join(path.strip_prefix("/").unwrap())
    }
}
