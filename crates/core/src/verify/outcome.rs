//! Building check results: the message says what was found, the fix comes from the cause's
//! description (`diagnose::describe`) unless the check knows better, and transient faults become
//! `unverified` with a retry hint.

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::diagnose::describe;
use crate::http::Unavailable;

use super::report::{CheckResult, Needed, SkipReason, Status};

/// A passing result.
pub fn pass(id: CheckId, message: impl Into<String>, evidence: Value) -> CheckResult {
    CheckResult {
        id,
        status: Status::Pass,
        cause: None,
        reason: None,
        message: message.into(),
        fix: None,
        portal_link: None,
        evidence,
        needs: Vec::new(),
    }
}

/// A failing (or, with `Status::Warn`, warning) result for `cause`; the fix is the cause's.
pub fn verdict(
    id: CheckId,
    status: Status,
    cause: Cause,
    message: impl Into<String>,
    evidence: Value,
) -> CheckResult {
    CheckResult {
        id,
        status,
        cause: Some(cause),
        reason: None,
        message: message.into(),
        fix: Some(describe(cause).fix.to_string()),
        portal_link: None,
        evidence,
        needs: Vec::new(),
    }
}

/// A failing result for `cause`.
pub fn fail(id: CheckId, cause: Cause, message: impl Into<String>, evidence: Value) -> CheckResult {
    verdict(id, Status::Fail, cause, message, evidence)
}

/// A warning for `cause`.
pub fn warn(id: CheckId, cause: Cause, message: impl Into<String>, evidence: Value) -> CheckResult {
    verdict(id, Status::Warn, cause, message, evidence)
}

/// Microsoft could not be asked.
pub fn unverified(id: CheckId, fault: &Unavailable) -> CheckResult {
    let wait = fault
        .retry_after
        .map(|d| {
            format!(
                " Microsoft asked to wait {:.1} s before trying again.",
                d.as_secs_f64()
            )
        })
        .unwrap_or_default();
    CheckResult {
        id,
        status: Status::Unverified,
        cause: Some(fault.cause),
        reason: None,
        message: format!("Could not check: {}.{wait}", fault.detail),
        fix: Some(format!("{} Then check again.", describe(fault.cause).fix)),
        portal_link: None,
        evidence: json!({ "detail": fault.detail, "retry_after_seconds": fault.retry_after.map(|d| d.as_secs_f64()) }),
        needs: Vec::new(),
    }
}

/// Not checked.
pub fn skipped(id: CheckId, reason: SkipReason, message: impl Into<String>) -> CheckResult {
    CheckResult {
        id,
        status: Status::Skipped,
        cause: None,
        reason: Some(reason),
        message: message.into(),
        fix: None,
        portal_link: None,
        evidence: Value::Null,
        needs: Vec::new(),
    }
}

/// What the checks that build on `upstream` become when it did not pass: unverified with the
/// same cause when it could not be verified, skipped otherwise.
pub fn downstream(id: CheckId, upstream: &CheckResult) -> CheckResult {
    match upstream.status {
        Status::Unverified => CheckResult {
            id,
            message: format!(
                "Could not check because {} could not be checked.",
                upstream.id
            ),
            evidence: json!({ "blocked_by": upstream.id }),
            ..upstream.clone()
        },
        Status::Skipped => skipped(
            id,
            upstream.reason.unwrap_or(SkipReason::MissingInput),
            format!("Not checked: it needs {} first.", upstream.id),
        )
        .with_needs(&upstream.needs),
        Status::Pass | Status::Warn | Status::Fail => skipped(
            id,
            SkipReason::DependsOnFailed,
            format!("Not checked because {} failed.", upstream.id),
        ),
    }
}

impl CheckResult {
    /// Add the Entra admin center page where the admin fixes this.
    pub fn with_link(mut self, link: Option<String>) -> Self {
        self.portal_link = link;
        self
    }

    /// Replace the generic fix with one that names the exact values.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Say what a skipped check waits for.
    pub fn with_needs(mut self, needs: &[Needed]) -> Self {
        self.needs = needs.to_vec();
        self
    }

    /// Whether later checks may build on this one.
    pub fn holds(&self) -> bool {
        matches!(self.status, Status::Pass | Status::Warn)
    }
}
