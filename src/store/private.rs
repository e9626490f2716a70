//! The store's files are its owner's alone: the configuration (password
//! hashes), the mailbox database (everyone's mail), logs, REPL history,
//! certificates, the back-end key and service state. Everything mailsh
//! creates for a store is made 0600 (files) or 0700 (folders) whatever the
//! umask, and a store opened by this mailsh has its files tightened once.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and any missing parents, each 0700.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_all(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => set_mode(dir, DIR_MODE),
        // Made meanwhile by another process.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// `OpenOptions` that create a file 0600. The umask can only take bits
/// away, and 0600 has none it would: the file is 0600.
pub fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.mode(FILE_MODE);
    o
}

/// Opens `path` for appending, creating it 0600 (and its folder 0700).
pub fn append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_dir_all(dir)?;
    }
    options().create(true).append(true).open(path)
}

/// Writes `path` whole, through a temporary file renamed over it, 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        create_dir_all(dir)?;
    }
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    let mut f = options().create(true).write(true).truncate(true).open(&tmp)?;
    f.write_all(bytes)?;
    drop(f);
    fs::rename(&tmp, path)
}

/// Creates `path` empty and 0600 if it does not exist (for a file another
/// library will create otherwise with the umask's mode).
pub fn touch(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir_all(dir)?;
    }
    options().create(true).append(true).open(path).map(drop)
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

/// The files SQLite keeps beside a database: the file itself, its
/// write-ahead log and its shared-memory index.
pub fn sqlite_files(db: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [db.to_path_buf(), with("-wal"), with("-shm")]
}

/// Takes group and other permissions off the store's files: the database
/// and its -wal/-shm, and the state folder. When the state folder itself
/// was open to others (a store made before mailsh kept them private),
/// everything in it is tightened too; once it is 0700 nothing inside can
/// be reached by anyone else, whatever its own mode. A store the user does
/// not own cannot be changed: it is left as it is.
pub fn tighten(store_path: &Path, state_dir: &Path) {
    for f in sqlite_files(store_path) {
        tighten_one(&f, false);
    }
    let Ok(meta) = fs::symlink_metadata(state_dir) else { return };
    if !meta.is_dir() {
        return;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        tighten_tree(state_dir, 0);
        return;
    }
    // Private already: its own files still (REPL history is written by a
    // library with the umask's mode).
    let Ok(entries) = fs::read_dir(state_dir) else { return };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            tighten_one(&entry.path(), false);
        }
    }
}

fn tighten_one(path: &Path, dir: bool) {
    let Ok(meta) = fs::symlink_metadata(path) else { return };
    if meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        let owner = if dir { mode & 0o700 | 0o700 } else { mode & 0o700 };
        let _ = set_mode(path, owner);
    }
}

fn tighten_tree(dir: &Path, depth: usize) {
    tighten_one(dir, true);
    // Deeper than anything mailsh makes: someone else's tree, left alone.
    if depth > 8 {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => tighten_tree(&path, depth + 1),
            Ok(t) if t.is_file() => tighten_one(&path, false),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).expect("exists").permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_made_private() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let deep = root.path().join("a/b/c");
        create_dir_all(&deep).expect("created");
        for d in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&root.path().join(d)), 0o700, "{d}");
        }
        let log = deep.join("x.log");
        append(&log).expect("opened");
        assert_eq!(mode(&log), 0o600);
        let state = deep.join("s.state");
        write_atomic(&state, b"x").expect("written");
        assert_eq!(mode(&state), 0o600);
        assert_eq!(fs::read(&state).expect("read"), b"x");
    }

    #[test]
    fn an_open_store_is_tightened() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let db = root.path().join("config.db");
        let state = root.path().join("config.db.d");
        fs::write(&db, b"").expect("db");
        fs::create_dir_all(state.join("services")).expect("dirs");
        fs::write(state.join("services/x.log"), b"").expect("log");
        for (p, m) in [(&db, 0o644), (&state, 0o755), (&state.join("services"), 0o755)] {
            set_mode(p, m).expect("chmod");
        }
        tighten(&db, &state);
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&state), 0o700);
        assert_eq!(mode(&state.join("services")), 0o700);
        assert_eq!(mode(&state.join("services/x.log")), 0o600);
    }
}
