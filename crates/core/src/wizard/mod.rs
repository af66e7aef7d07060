//! The guided setup: the step plan a profile becomes, the wizard's state (which profile, which
//! step, what the admin entered, what each live check found) and its persistence, so that the
//! admin never loses their place — after a crash or a restart the wizard opens on the same step.
//!
//! The state deliberately holds no secret value, no private key and no token: those live only in
//! the memory of the front end that runs the wizard (a certificate's key also in the OS
//! keychain), and the secret step asks for the secret again after a restart. Which checks a step runs, what it says and where it links come from here; front ends
//! only show them.
//!
//! - [`plan`] — the steps of a profile, in order, with their checks, instructions and warnings.
//! - [`state`] — [`WizardState`]: profile, step, inputs, the latest result of every check.
//! - [`store`] — load and save the state atomically (temporary file, fsync, rename).
//! - [`run`] — a step's live checks through the verification engine.
//! - [`credential`] — a client secret or, where the product takes one, a certificate.
//! - [`readiness`] — whether a step has what its checks need, and what is still missing.
//! - [`sign_in`] — the administrator's and the mailbox owner's sign-ins, one at a time.
//! - [`permissions`] — the permission table of the permissions step.
//! - [`consent_requests`] — users' pending requests for admin consent, on the permissions step.
//! - [`export`] — the export panel's inputs and the bundle request made from the wizard.
//! - [`resume`] — the wizard as a configuration bundle left it.
//! - [`powershell`] — the Exchange Online PowerShell the admin may run to fix what Graph cannot.

pub mod consent_requests;
pub mod credential;
pub mod export;
pub mod permissions;
pub mod plan;
pub mod powershell;
pub mod readiness;
pub mod resume;
pub mod run;
pub mod sign_in;
pub mod state;
pub mod store;

pub use consent_requests::{PendingConsentRequests, pending_consent_requests};
pub use permissions::{PermissionRow, permission_rows};
pub use plan::{StepPlan, plan, step_of};
pub use readiness::{Need, Readiness, readiness};
pub use state::{InputField, WizardInputs, WizardState};
pub use store::{Loaded, SetAside, WizardStore, WizardStoreError};
