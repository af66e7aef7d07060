//! What verification produces: one result per checkpoint, the report around them (the JSON of
//! `entra-setup verify --json`, contracts/cli.md) and the progress events the GUI and the CLI's
//! progress display listen to.

use serde::{Deserialize, Serialize};

use crate::cause::Cause;
use crate::check::CheckId;

/// A checkpoint's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::Display)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Verified live: it holds.
    Pass,
    /// Verified live: it does not hold.
    Fail,
    /// It holds, with something the admin should know.
    Warn,
    /// Microsoft could not be asked (network, throttling, outage): neither pass nor fail.
    Unverified,
    /// Not checked, for the `reason` given.
    Skipped,
}

/// Why a checkpoint was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::Display)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SkipReason {
    /// It reads what only a signed-in administrator may read.
    NeedsSignIn,
    /// It does not apply to this setup.
    NotApplicable,
    /// A checkpoint it builds on failed.
    DependsOnFailed,
    /// An input it needs was not given.
    MissingInput,
}

/// What a checkpoint that was not checked waits for: an input or a sign-in. The core names it;
/// each front end words it (the CLI as its options, the app as its fields and buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::Display)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Needed {
    /// The Application (client) ID.
    ClientId,
    /// The client secret's value.
    ClientSecret,
    /// The redirect URI (or the product's address it is computed from).
    RedirectUri,
    /// The mailbox the integration uses.
    Mailbox,
    /// Where the test email goes.
    TestRecipient,
    /// An administrator's sign-in.
    AdminSignIn,
    /// The mailbox owner's sign-in (after the administrator's).
    MailboxOwnerSignIn,
}

/// One checkpoint's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckResult {
    /// The checkpoint.
    pub id: CheckId,
    /// The verdict.
    pub status: Status,
    /// Why (present for `fail`, `warn` and `unverified`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Why it was skipped (present for `skipped`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<SkipReason>,
    /// What was found, in plain words.
    pub message: String,
    /// What to do (for anything but `pass`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// A link to the Entra admin center page where the admin fixes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portal_link: Option<String>,
    /// What the verdict rests on: codes, ids and values Microsoft answered (never a secret).
    pub evidence: serde_json::Value,
    /// For `skipped`: the inputs or sign-ins it waits for (empty otherwise; absent in files
    /// written before it existed).
    #[serde(default)]
    pub needs: Vec<Needed>,
}

/// How many checkpoints ended in each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Summary {
    /// Passed.
    pub pass: u32,
    /// Failed.
    pub fail: u32,
    /// Passed with a warning.
    pub warn: u32,
    /// Could not be verified.
    pub unverified: u32,
    /// Not checked.
    pub skipped: u32,
}

/// The whole verification.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    /// The profile id.
    pub profile: String,
    /// The tenant GUID, once known.
    pub tenant_id: Option<String>,
    /// The application (client) ID checked.
    pub client_id: Option<String>,
    /// One result per checkpoint of the profile, in the profile's order.
    pub checks: Vec<CheckResult>,
    /// The counts.
    pub summary: Summary,
}

impl Report {
    /// Whether a check was skipped for want of a credential (the client secret): a repair that
    /// ends so has not shown that the registration works, and must not say it does.
    pub fn missing_credential(&self) -> bool {
        self.checks.iter().any(|c| {
            c.id == crate::check::CheckId::ClientSecret
                && c.status == Status::Skipped
                && c.reason == Some(SkipReason::MissingInput)
        })
    }

    /// After a sign-in that failed (`cause`, said in `why`), what the checks that needed it
    /// became: `unverified` with that cause when it was transient (a retry may work), otherwise
    /// still `skipped` with reason `needs_sign_in`, both saying why no one was signed in. The
    /// checks that ran without it keep their verdicts.
    pub fn sign_in_failed(&mut self, cause: Option<Cause>, why: &str) {
        for check in &mut self.checks {
            if check.status != Status::Skipped || check.reason != Some(SkipReason::NeedsSignIn) {
                continue;
            }
            match cause.filter(|c| c.is_transient()) {
                Some(cause) => {
                    check.status = Status::Unverified;
                    check.cause = Some(cause);
                    check.reason = None;
                    check.message =
                        format!("Not checked: the sign-in could not be completed ({why}).");
                    check.fix = Some("Try again in a moment.".into());
                }
                None => {
                    check.message = format!("Not checked: the sign-in failed ({why}).");
                }
            }
        }
        self.summary = Report::summarise(&self.checks);
    }

    /// Count the results.
    pub fn summarise(checks: &[CheckResult]) -> Summary {
        let mut summary = Summary::default();
        for check in checks {
            match check.status {
                Status::Pass => summary.pass += 1,
                Status::Fail => summary.fail += 1,
                Status::Warn => summary.warn += 1,
                Status::Unverified => summary.unverified += 1,
                Status::Skipped => summary.skipped += 1,
            }
        }
        summary
    }

    /// The result of one checkpoint, when the profile has it.
    pub fn check(&self, id: CheckId) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// Progress as checks start and end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Progress {
    /// A checkpoint's live check started.
    Started {
        /// The checkpoint.
        id: CheckId,
    },
    /// A checkpoint has its result.
    Finished {
        /// The result.
        result: CheckResult,
    },
}
