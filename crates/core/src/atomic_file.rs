//! Writing a file so that a crash leaves either the old file or the whole new one: the bytes
//! go to a temporary file in the same folder (`NAME.tmp-XXXX`), are flushed to disk, and the
//! temporary file is renamed over the target; the folder is synced too where the platform
//! allows it.

use std::io::Write;
use std::path::Path;

/// The prefix of temporary files next to `target` (`FILE.zip.tmp-`), so leftovers from a crash
/// can be recognised and removed.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}.tmp-")
}

/// A temporary file next to `target`, to be filled and then [`commit`]ted.
pub fn temp_beside(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .tempfile_in(dir)
}

/// Flush `file` to disk and rename it to `target`.
pub fn commit(file: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    sync_dir(target);
    Ok(())
}

/// Write `bytes` to `target` atomically.
pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = temp_beside(target)?;
    file.write_all(bytes)?;
    commit(file, target)
}

/// Remove temporary files a crash left next to `target`; how many were removed.
pub fn remove_leftovers(target: &Path) -> usize {
    let prefix = temp_prefix(target);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Make the rename itself durable (Unix); a no-op where folders cannot be opened.
fn sync_dir(target: &Path) {
    #[cfg(unix)]
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = target;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("state.json");
        write(&target, b"one").expect("write");
        write(&target, b"two").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[test]
    fn leftovers_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("b.zip");
        let file = temp_beside(&target).expect("temp");
        let (_, path) = file.keep().expect("keep");
        assert!(
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("b.zip.tmp-")
        );
        assert_eq!(remove_leftovers(&target), 1);
        assert!(!path.exists());
    }
}
