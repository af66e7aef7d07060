//! The reminders file, `reminders.json` in the config folder: read whole, changed under an
//! exclusive lock on `reminders.lock` (so two processes adding at once lose nothing), written
//! atomically (temporary file, flush, rename).
//!
//! A rewrite keeps what it does not know: fields of the file and of each reminder that this
//! version does not read (written by a newer version, or by hand) are written back as they
//! were. A damaged file, or one of another format or version, is refused and never rewritten.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Reminder;
use crate::atomic_file;
use crate::credentials::CredentialType;
use crate::paths::AppPaths;
use crate::validate::canonical_id;

const FORMAT: &str = "entra-setup-reminders";
const VERSION: u32 = 1;

/// What went wrong with the reminders file.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file or its lock could not be read or written.
    #[error("reminders file {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a reminders file this version reads.
    #[error("reminders file {path} is not readable: {problem}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
}

/// The file's contents.
#[derive(Debug, Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    secrets: Vec<Entry>,
    /// The file's fields this version does not read, kept as they are.
    #[serde(flatten)]
    unknown: serde_json::Map<String, serde_json::Value>,
}

/// One reminder as in the file.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    reminder: Reminder,
    /// The reminder's fields this version does not read, kept as they are.
    #[serde(flatten)]
    unknown: serde_json::Map<String, serde_json::Value>,
}

/// The key a reminder is kept under when the secret's ID could not be read (no administrator
/// signed in) but the admin gave its expiry: one per client, replaced as soon as a reminder with
/// the real ID is recorded for that client.
pub fn unread_key_id(client_id: &str) -> String {
    format!("unread-secret-of-{}", canonical_id(client_id))
}

/// The registry of secrets to be reminded of.
#[derive(Debug, Clone)]
pub struct Registry {
    file: PathBuf,
    lock: PathBuf,
}

/// `Registry::$name`: remember a credential of `$kind` until it expires, its IDs spelled one way
/// ([`Registry::record`] keeps it); every kind takes the same arguments.
macro_rules! recorder {
    ($name:ident, $kind:expr, $doc:literal) => {
        #[doc = $doc]
        pub fn $name(
            &self,
            tenant: &str,
            client_id: &str,
            key_id: &str,
            expires: DateTime<Utc>,
            name: Option<&str>,
            source: &str,
        ) -> Result<Reminder, RegistryError> {
            self.record(Reminder {
                tenant: canonical_id(tenant),
                client_id: canonical_id(client_id),
                key_id: canonical_id(key_id),
                kind: $kind,
                expires,
                name: name.map(str::to_string),
                source: Some(source.to_string()),
            })
        }
    };
}

impl Registry {
    /// The registry in the program's config folder.
    pub fn new(paths: &AppPaths) -> Registry {
        Registry::at(paths.config_dir())
    }

    /// The registry in `dir`.
    pub fn at(dir: &Path) -> Registry {
        Registry {
            file: dir.join("reminders.json"),
            lock: dir.join("reminders.lock"),
        }
    }

    /// Where the reminders are kept.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Every reminder, in the order they were added.
    pub fn list(&self) -> Result<Vec<Reminder>, RegistryError> {
        self.read()
    }

    /// Add a reminder, or replace the one with the same key id; returns the list after.
    pub fn add(&self, mut reminder: Reminder) -> Result<Vec<Reminder>, RegistryError> {
        // One spelling of each ID (braces, dashes, case), so one secret is one reminder.
        reminder.tenant = canonical_id(&reminder.tenant);
        reminder.client_id = canonical_id(&reminder.client_id);
        reminder.key_id = canonical_id(&reminder.key_id);
        self.change(|list| {
            let key = reminder.key_id.clone();
            match list.iter_mut().find(|r| canonical_id(&r.key_id) == key) {
                Some(existing) => *existing = reminder,
                None => list.push(reminder),
            }
        })
    }

    /// Remove the reminder of a key id; whether there was one.
    pub fn remove(&self, key_id: &str) -> Result<bool, RegistryError> {
        let mut removed = false;
        self.change(|list| {
            let before = list.len();
            let key = canonical_id(key_id);
            list.retain(|r| canonical_id(&r.key_id) != key);
            removed = list.len() != before;
        })?;
        Ok(removed)
    }

    recorder!(
        record_secret,
        CredentialType::Secret,
        "The one function every command that makes or exports a secret calls (`register`, \
         `bundle export`, secret rotation): remember it until it expires."
    );

    recorder!(
        record_certificate,
        CredentialType::Certificate,
        "Remember a certificate until it expires (`register --credential certificate`, its \
         rotation), as [`Registry::record_secret`] does a secret."
    );

    /// Remember `reminder` until its credential expires. Once a secret's ID is known, the
    /// reminder kept while it was not stands for it no more.
    fn record(&self, reminder: Reminder) -> Result<Reminder, RegistryError> {
        self.add(reminder.clone())?;
        let unread = unread_key_id(&reminder.client_id);
        if reminder.kind.is_secret() && reminder.key_id != unread {
            self.remove(&unread)?;
        }
        Ok(reminder)
    }

    /// The reminder of the newest-expiring secret of a client, if any.
    pub fn latest_for_client(&self, client_id: &str) -> Result<Option<Reminder>, RegistryError> {
        Ok(self
            .read()?
            .into_iter()
            .filter(|r| r.kind.is_secret() && canonical_id(&r.client_id) == canonical_id(client_id))
            .max_by_key(|r| r.expires))
    }

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> RegistryError {
        let path = path.to_path_buf();
        move |source| RegistryError::Io {
            path: path.clone(),
            source,
        }
    }

    /// Read-modify-write under the exclusive lock.
    fn change(
        &self,
        edit: impl FnOnce(&mut Vec<Reminder>),
    ) -> Result<Vec<Reminder>, RegistryError> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(self.io(dir))?;
        }
        let lock_file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&self.lock)
            .map_err(self.io(&self.lock))?;
        let mut lock = fd_lock::RwLock::new(lock_file);
        let _guard = lock.write().map_err(self.io(&self.lock))?;
        let mut document = self.read_document()?.unwrap_or_else(|| Document {
            format: FORMAT.into(),
            version: VERSION,
            secrets: Vec::new(),
            unknown: serde_json::Map::new(),
        });
        let mut before = std::mem::take(&mut document.secrets);
        let mut list: Vec<Reminder> = before.iter().map(|e| e.reminder.clone()).collect();
        edit(&mut list);
        // Each reminder after the edit keeps the unknown fields of the one of its key id before.
        document.secrets = list
            .iter()
            .map(|reminder| {
                let key = canonical_id(&reminder.key_id);
                let unknown = before
                    .iter()
                    .position(|e| canonical_id(&e.reminder.key_id) == key)
                    .map(|at| before.remove(at).unknown)
                    .unwrap_or_default();
                Entry {
                    reminder: reminder.clone(),
                    unknown,
                }
            })
            .collect();
        let text =
            serde_json::to_string_pretty(&document).map_err(|e| RegistryError::Unreadable {
                path: self.file.clone(),
                problem: e.to_string(),
            })?;
        atomic_file::write(&self.file, text.as_bytes()).map_err(self.io(&self.file))?;
        Ok(list)
    }

    /// The list as on disk (empty when there is no file yet). Writers rename whole files into
    /// place, so a reader never sees half a file and needs no lock.
    fn read(&self) -> Result<Vec<Reminder>, RegistryError> {
        Ok(self
            .read_document()?
            .map(|document| document.secrets.into_iter().map(|e| e.reminder).collect())
            .unwrap_or_default())
    }

    /// The file as on disk, `None` when there is none yet.
    fn read_document(&self) -> Result<Option<Document>, RegistryError> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(&self.file)(e)),
        };
        let unreadable = |problem: String| RegistryError::Unreadable {
            path: self.file.clone(),
            problem,
        };
        // A byte-order mark (a file saved by Notepad) is not part of the JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let document: Document =
            serde_json::from_str(text).map_err(|e| unreadable(e.to_string()))?;
        if document.format != FORMAT || document.version != VERSION {
            return Err(unreadable(format!(
                "format '{}' version {}, this version reads '{FORMAT}' version {VERSION}",
                document.format, document.version
            )));
        }
        Ok(Some(document))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn expires() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn a_byte_order_mark_is_read_past_and_a_damaged_file_is_never_rewritten() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        registry
            .record_secret("t", "c", "k1", expires(), None, "add")
            .expect("record");
        let file = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "json"))
            .expect("the reminders file");
        let text = std::fs::read_to_string(&file).expect("read");
        std::fs::write(&file, format!("\u{feff}{text}")).expect("bom");
        assert_eq!(registry.list().expect("read past the BOM").len(), 1);

        std::fs::write(&file, "{\"format\": ").expect("damage");
        let error = registry.list().expect_err("damaged");
        assert!(matches!(error, RegistryError::Unreadable { .. }), "{error}");
        assert!(
            registry
                .record_secret("t", "c", "k2", expires(), None, "add")
                .is_err(),
            "a damaged file is not replaced by a new one"
        );
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            "{\"format\": "
        );
    }

    #[test]
    fn one_secret_spelled_three_ways_is_one_reminder() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        for key in [
            "dddddddd-0000-0000-0000-000000000001",
            "{DDDDDDDD-0000-0000-0000-000000000001}",
            "dddddddd000000000000000000000001",
        ] {
            registry
                .record_secret(
                    "t",
                    "{BBBBBBBB-0000-0000-0000-000000000001}",
                    key,
                    expires(),
                    None,
                    "add",
                )
                .expect("record");
        }
        let list = registry.list().expect("list");
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].client_id, "bbbbbbbb-0000-0000-0000-000000000001");
        assert!(
            registry
                .latest_for_client("BBBBBBBB000000000000000000000001")
                .expect("latest")
                .is_some()
        );
        assert!(
            registry
                .remove("{dddddddd-0000-0000-0000-000000000001}")
                .expect("remove")
        );
        assert!(registry.list().expect("list").is_empty());
    }

    #[test]
    fn records_replaces_and_removes() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        assert!(registry.list().expect("empty").is_empty());
        registry
            .record_secret("T", "C", "K1", expires(), Some("App"), "register")
            .expect("record");
        registry
            .record_secret("t", "c", "k1", expires(), None, "bundle export")
            .expect("again");
        registry
            .record_secret(
                "t",
                "c",
                "k2",
                expires() + chrono::Duration::days(1),
                None,
                "add",
            )
            .expect("second");
        let list = registry.list().expect("list");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].source.as_deref(), Some("bundle export"));
        assert_eq!(
            registry
                .latest_for_client("C")
                .expect("latest")
                .expect("one")
                .key_id,
            "k2"
        );
        assert!(registry.remove("K1").expect("remove"));
        assert!(!registry.remove("k1").expect("remove again"));
        assert_eq!(registry.list().expect("list").len(), 1);
    }

    /// A registry in a folder of its own whose file holds `text`.
    fn registry_holding(text: &str) -> (tempfile::TempDir, Registry) {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        std::fs::write(registry.path(), text).expect("write");
        (dir, registry)
    }

    #[test]
    fn refuses_a_file_of_another_format() {
        let (_dir, registry) = registry_holding(r#"{"format":"other","version":1,"secrets":[]}"#);
        let error = registry.list().expect_err("refused");
        assert!(error.to_string().contains("other"), "{error}");
    }

    #[test]
    fn threads_adding_at_once_lose_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        std::thread::scope(|scope| {
            for i in 0..8 {
                let registry = registry.clone();
                scope.spawn(move || {
                    registry
                        .record_secret("t", "c", &format!("k{i}"), expires(), None, "add")
                        .expect("record");
                });
            }
        });
        assert_eq!(registry.list().expect("list").len(), 8);
    }

    #[test]
    fn certificates_are_reminded_of_beside_secrets_and_old_files_read_as_secrets() {
        let (_dir, registry) = registry_holding(
            r#"{"format": "entra-setup-reminders", "version": 1, "secrets": [
                  {"tenant": "t", "client_id": "c", "key_id": "k1",
                   "expires": "2027-03-01T00:00:00Z"}]}"#,
        );
        registry
            .record_certificate("t", "c", "k2", expires(), Some("Intranet"), "register")
            .expect("certificate");
        let list = registry.list().expect("list");
        let kinds: Vec<(&str, CredentialType)> =
            list.iter().map(|r| (r.key_id.as_str(), r.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("k1", CredentialType::Secret),
                ("k2", CredentialType::Certificate)
            ]
        );
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(registry.path()).expect("read"))
                .expect("json");
        assert_eq!(file["secrets"][1]["kind"], "certificate", "{file}");
        // The newest secret of a client is a secret, never its certificate.
        assert_eq!(
            registry
                .latest_for_client("c")
                .expect("read")
                .map(|r| r.key_id),
            Some("k1".to_string())
        );
    }

    #[test]
    fn fields_it_does_not_know_are_kept_when_it_rewrites_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        std::fs::write(
            registry.path(),
            r#"{"format": "entra-setup-reminders", "version": 1,
                "written_by": {"program": "a newer version", "at": [1, 2]},
                "secrets": [
                  {"tenant": "t", "client_id": "c", "key_id": "k1",
                   "expires": "2027-03-01T00:00:00Z", "name": "Old name",
                   "owner": "it-team@contoso.com", "tags": ["calendar", {"x": null}]},
                  {"tenant": "t", "client_id": "c", "key_id": "k2",
                   "expires": "2027-03-02T00:00:00Z", "notes": "keep me"}
                ]}"#,
        )
        .expect("write");
        let on_disk = || -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(registry.path()).expect("read"))
                .expect("json")
        };

        registry
            .record_secret("t", "c", "k3", expires(), None, "add")
            .expect("add");
        registry
            .record_secret("t", "c", "K1", expires(), None, "rotate")
            .expect("replace");
        assert!(registry.remove("k2").expect("remove"));

        let file = on_disk();
        assert_eq!(
            file["written_by"],
            serde_json::json!({"program": "a newer version", "at": [1, 2]}),
            "{file}"
        );
        let secrets = file["secrets"].as_array().expect("secrets");
        assert_eq!(secrets.len(), 2, "{file}");
        let k1 = &secrets[0];
        assert_eq!(k1["key_id"], "k1");
        assert_eq!(k1["owner"], "it-team@contoso.com", "{file}");
        assert_eq!(k1["tags"], serde_json::json!(["calendar", {"x": null}]));
        assert_eq!(k1["source"], "rotate", "known fields take the new values");
        assert!(
            k1.get("name").is_none(),
            "a known field cleared is not brought back"
        );
        assert_eq!(secrets[1]["key_id"], "k3");
        assert_eq!(
            secrets[1].as_object().expect("object").len(),
            6,
            "a new reminder has no borrowed fields (tenant, client_id, key_id, kind, expires, source): {}",
            secrets[1]
        );
        assert_eq!(registry.list().expect("list").len(), 2);
    }

    #[test]
    fn a_reminder_with_the_real_id_replaces_the_unread_one_of_its_client() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        let expires = Utc::now() + chrono::Duration::days(60);
        let client = "aaaaaaaa-0000-0000-0000-000000000001";
        let unread = unread_key_id(client);
        registry
            .record_secret("t", client, &unread, expires, None, "bundle export")
            .expect("unread");
        registry
            .record_secret(
                "t",
                "another-client",
                &unread_key_id("another-client"),
                expires,
                None,
                "bundle export",
            )
            .expect("another client's");
        assert_eq!(registry.list().expect("list").len(), 2);
        registry
            .record_secret(
                "t",
                client,
                "bbbbbbbb-0000-0000-0000-000000000002",
                expires,
                None,
                "scan",
            )
            .expect("real");
        let keys: Vec<String> = registry
            .list()
            .expect("list")
            .into_iter()
            .map(|r| r.key_id)
            .collect();
        assert!(!keys.contains(&unread), "{keys:?}");
        assert!(keys.contains(&"bbbbbbbb-0000-0000-0000-000000000002".to_string()));
        assert!(
            keys.contains(&unread_key_id("another-client")),
            "other clients keep theirs"
        );
    }
}
