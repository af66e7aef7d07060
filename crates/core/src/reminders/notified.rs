//! Which stage of each secret the desktop app has already announced, so each of the lead days
//! (30, 14, 7, 1) and the expiry is announced once, however often the app checks and however
//! often it restarts. Kept in `notified.json` in the config folder, written atomically.
//!
//! [`Notified::announce`] decides, with [`super::stage_reached`], what to announce now and
//! remembers it; the front end only shows what it is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{RegistryError, Reminder, Stage, days_left, stage, stage_reached};
use crate::atomic_file;

/// What one secret has been told so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Told {
    /// The stage last announced.
    stage: Option<Stage>,
    /// When it was last checked.
    checked: DateTime<Utc>,
}

/// One announcement to make.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Announcement {
    /// The secret.
    pub reminder: Reminder,
    /// The stage it reached.
    pub stage: Stage,
    /// Whole days left (negative once expired).
    pub days_left: i64,
    /// A title for the notification.
    pub title: String,
    /// The sentence to show.
    pub body: String,
}

/// The announced stages, on disk.
#[derive(Debug, Clone)]
pub struct Notified {
    file: PathBuf,
}

impl Notified {
    /// The file in `dir` (the config folder).
    pub fn at(dir: &Path) -> Notified {
        Notified {
            file: dir.join("notified.json"),
        }
    }

    fn read(&self) -> BTreeMap<String, Told> {
        std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// What to announce at `now` for `reminders`, each stage once; remembers what it returns.
    pub fn announce(
        &self,
        reminders: &[Reminder],
        now: DateTime<Utc>,
    ) -> Result<Vec<Announcement>, RegistryError> {
        let mut told = self.read();
        let mut out = Vec::new();
        for reminder in reminders {
            let key = reminder.key_id.to_ascii_lowercase();
            let before = told.get(&key).cloned();
            let since = before
                .as_ref()
                .map_or(DateTime::<Utc>::MIN_UTC, |t| t.checked);
            let last = before.as_ref().and_then(|t| t.stage);
            let reached = stage_reached(reminder.expires, since, now)
                .or_else(|| {
                    // A secret already within a stage the first time it is seen is announced too.
                    let now_stage = stage(reminder.expires, now);
                    (before.is_none() && now_stage != Stage::Later).then_some(now_stage)
                })
                .filter(|s| Some(*s) != last);
            if let Some(reached) = reached {
                out.push(announcement(reminder, reached, now));
            }
            told.insert(
                key,
                Told {
                    stage: reached.or(last),
                    checked: now,
                },
            );
        }
        told.retain(|key, _| reminders.iter().any(|r| r.key_id.eq_ignore_ascii_case(key)));
        let text = serde_json::to_vec_pretty(&told).map_err(|e| RegistryError::Unreadable {
            path: self.file.clone(),
            problem: e.to_string(),
        })?;
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(|source| RegistryError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        atomic_file::write(&self.file, &text).map_err(|source| RegistryError::Io {
            path: self.file.clone(),
            source,
        })?;
        Ok(out)
    }
}

/// The words of an announcement.
fn announcement(reminder: &Reminder, stage: Stage, now: DateTime<Utc>) -> Announcement {
    let name = reminder
        .name
        .clone()
        .unwrap_or_else(|| format!("app {}", reminder.client_id));
    let left = days_left(reminder.expires, now);
    let date = reminder.expires.format("%Y-%m-%d");
    let (title, body) = match stage {
        Stage::Expired => (
            "A client secret has expired".to_string(),
            format!(
                "The client secret of {name} expired on {date}: the integration cannot sign in until a new secret is made and put into the product."
            ),
        ),
        _ => (
            format!(
                "A client secret expires in {left} day{}",
                if left == 1 { "" } else { "s" }
            ),
            format!(
                "The client secret of {name} expires on {date}. Make a new one and put it into the product before then."
            ),
        ),
    };
    Announcement {
        reminder: reminder.clone(),
        stage,
        days_left: left,
        title,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::tests::at;

    fn reminder(expires: DateTime<Utc>) -> Reminder {
        Reminder {
            name: Some("Axero".into()),
            ..crate::reminders::tests::reminder("K1", expires)
        }
    }

    #[test]
    fn each_stage_is_announced_once_across_restarts() {
        let dir = tempfile::tempdir().expect("dir");
        let list = vec![reminder(at(20))];
        let first = Notified::at(dir.path())
            .announce(&list, at(15))
            .expect("announce");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].stage, Stage::Due { lead_days: 7 });
        assert!(first[0].body.contains("Axero"), "{}", first[0].body);
        // Again the same day, and after a restart: nothing new.
        assert!(
            Notified::at(dir.path())
                .announce(&list, at(15))
                .expect("again")
                .is_empty()
        );
        assert!(
            Notified::at(dir.path())
                .announce(&list, at(16))
                .expect("next")
                .is_empty()
        );
        let day = Notified::at(dir.path())
            .announce(&list, at(19) + chrono::Duration::hours(1))
            .expect("day");
        assert_eq!(day[0].stage, Stage::Due { lead_days: 1 });
        let gone = Notified::at(dir.path())
            .announce(&list, at(21))
            .expect("gone");
        assert_eq!(gone[0].stage, Stage::Expired);
        assert!(gone[0].title.contains("expired"));
        assert!(
            Notified::at(dir.path())
                .announce(&list, at(25))
                .expect("later")
                .is_empty()
        );
    }

    #[test]
    fn a_far_secret_is_not_announced_until_its_first_lead_day() {
        let dir = tempfile::tempdir().expect("dir");
        let list = vec![reminder(at(1) + chrono::Duration::days(60))];
        let notified = Notified::at(dir.path());
        assert!(notified.announce(&list, at(1)).expect("far").is_empty());
        let month = notified
            .announce(&list, at(1) + chrono::Duration::days(31))
            .expect("month");
        assert_eq!(month[0].stage, Stage::Due { lead_days: 30 });
    }
}
