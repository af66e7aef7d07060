//! Writing a file so that a crash leaves either the old file or the whole new one: the bytes
//! go to a temporary file in the same folder (`NAME.tmp-XXXX`), are flushed to disk, and the
//! temporary file is renamed over the target; the folder is synced too where the platform
//! allows it.
//!
//! Every writer holds an exclusive advisory lock on its temporary file from the moment it is
//! made until it is renamed (std's `File::lock`: `flock` on Unix, `LockFileEx` on Windows). The
//! next write of the same file removes the temporary files a crash left behind — the operating
//! system released their locks with the crashed process — but never one a live writer still
//! holds, so any number of writers may write one file at once: each renames a whole file into
//! place and the last rename wins. Where the file system cannot lock, nothing is removed.
//!
//! This module does not decide what two writers' contents should be merged into: callers that
//! read, change and write (the reminders file) hold a lock of their own across all three.

use std::fs::{File, TryLockError};
use std::io::Write;
use std::path::Path;

/// How often a temporary file removed between its making and its locking is made again.
const MAKE_ATTEMPTS: usize = 8;

/// The prefix of temporary files next to `target` (`FILE.zip.tmp-`), so leftovers from a crash
/// can be recognised and removed.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}.tmp-")
}

/// The folder `target` is in (`.` for a bare file name).
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A temporary file next to `target`, locked by this writer until it is [`commit`]ted or
/// dropped, to be filled and then [`commit`]ted. Temporary files that crashed writes of
/// `target` left behind are removed first; those of writers still at work are left alone.
pub fn temp_beside(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    remove_leftovers(target);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let file = tempfile::Builder::new()
            .prefix(&temp_prefix(target))
            .tempfile_in(folder_of(target))?;
        // Until the lock is taken another writer may take the file for a crash's leftover and
        // remove it (it locks before it removes, so once ours is taken that cannot happen):
        // the file still being at its path once locked proves it is ours.
        match file.as_file().lock() {
            Ok(()) if is_at(file.as_file(), file.path()) => return Ok(file),
            Ok(()) if attempt < MAKE_ATTEMPTS => continue,
            Ok(()) => {
                return Err(std::io::Error::other(format!(
                    "temporary files beside {} keep disappearing",
                    target.display()
                )));
            }
            // A file system without locks: nobody can remove it either (see remove_leftovers).
            Err(_) => return Ok(file),
        }
    }
}

/// Flush `file` to disk and rename it to `target`; the lock is released after the rename.
pub fn commit(file: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    file.as_file().sync_all()?;
    let renamed = file.persist(target).map_err(|e| e.error)?;
    sync_dir(target);
    drop(renamed);
    Ok(())
}

/// Write `bytes` to `target` atomically.
pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = temp_beside(target)?;
    file.write_all(bytes)?;
    commit(file, target)
}

/// Remove the temporary files crashed writes left next to `target`: those no writer holds
/// locked. A temporary file a live writer holds is never removed. Returns how many were.
pub fn remove_leftovers(target: &Path) -> usize {
    let prefix = temp_prefix(target);
    let Ok(entries) = std::fs::read_dir(folder_of(target)) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| remove_if_abandoned(&e.path()))
        .count()
}

/// Remove `path` when no one holds it locked: lock it, check the path still names the file
/// locked (a writer may have renamed it away meanwhile), remove it, then let the lock go.
fn remove_if_abandoned(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => is_at(&file, path) && std::fs::remove_file(path).is_ok(),
        // A live writer holds it, or locks cannot be taken here: leave it.
        Err(TryLockError::WouldBlock | TryLockError::Error(_)) => false,
    }
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Whether `path` still names the file `file` has open (where file identities are not at
/// hand, whether it is still there: temporary names are random, so it is not another's).
#[cfg(not(unix))]
fn is_at(file: &File, path: &Path) -> bool {
    let _ = file;
    path.exists()
}

/// Make the rename itself durable (Unix); a no-op where folders cannot be opened.
fn sync_dir(target: &Path) {
    #[cfg(unix)]
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = File::open(dir)
    {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = target;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A temporary file as a crashed writer leaves it: there, and locked by no one.
    fn crashed_leftover(target: &Path) -> std::path::PathBuf {
        let (file, path) = temp_beside(target).expect("temp").keep().expect("keep");
        drop(file);
        path
    }

    #[test]
    fn writes_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("state.json");
        write(&target, b"one").expect("write");
        write(&target, b"two").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"two");
        assert_eq!(names(dir.path()), vec!["state.json"]);
    }

    #[test]
    fn leftovers_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("b.zip");
        let path = crashed_leftover(&target);
        assert!(
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("b.zip.tmp-")
        );
        assert_eq!(remove_leftovers(&target), 1);
        assert!(!path.exists());
    }

    #[test]
    fn the_next_write_removes_a_crashed_writers_file_but_not_a_live_writers() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("reminders.json");
        let crashed = crashed_leftover(&target);
        let live = temp_beside(&target).expect("a writer at work");
        let other = dir.path().join("other.json.tmp-abc");
        std::fs::write(&other, b"another file's").expect("write");

        write(&target, b"next").expect("the next write");
        assert!(!crashed.exists(), "the crash's leftover is removed");
        assert!(live.path().exists(), "the live writer's file is kept");
        assert!(
            other.exists(),
            "another file's temporary files are not touched"
        );
        assert_eq!(remove_leftovers(&target), 0, "still held");

        let mut live = live;
        live.write_all(b"live").expect("the live writer goes on");
        commit(live, &target).expect("and renames its whole file");
        assert_eq!(std::fs::read(&target).expect("read"), b"live");
        assert_eq!(
            names(dir.path()),
            vec!["other.json.tmp-abc", "reminders.json"]
        );
    }

    #[test]
    fn writers_at_once_all_succeed_and_one_whole_file_wins() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("state.json");
        let contents: Vec<Vec<u8>> = (0..64)
            .map(|i| format!("writer {i} ").repeat(2000).into_bytes())
            .collect();
        let failures = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for bytes in &contents {
                let (target, failures) = (&target, &failures);
                scope.spawn(move || {
                    if write(target, bytes).is_err() {
                        failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                });
            }
        });
        assert_eq!(failures.into_inner(), 0);
        let written = std::fs::read(&target).expect("read");
        assert!(contents.contains(&written), "a whole file of one writer");
        assert_eq!(names(dir.path()), vec!["state.json"]);
    }
}
