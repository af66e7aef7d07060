//! `register` for a vendor's multi-tenant app (profile kind `vendor_consent`): nothing is
//! registered here — the app lives in the vendor's tenant — so "registering" it means having an
//! administrator approve it for the organisation.
//!
//! The order: a verification first ([`readiness`]) says whether the tenant answers, whether the
//! app is already approved (then nothing changes) and whether anything else stands in the way.
//! Otherwise [`approve_vendor_app`] makes the tenant's admin-consent link
//! ([`super::tenant_admin_consent_url`]: the tenant's GUID, never `common`), hands it to the
//! caller to show and open, and waits ([`super::wait_for_approval`]) until Graph shows the
//! approval: a service principal for the app with an `AllPrincipals` grant or app role
//! assignments.
//!
//! Why waiting by polling: the approval is the administrator's own decision on Microsoft's
//! consent screen, which is interactive by design and cannot be clicked for them; and when they
//! accept, Microsoft redirects to the *vendor's* redirect URI, which this program cannot receive.
//! What it can do honestly is watch the directory until the approval appears, within a bounded
//! wait. Before the approval Microsoft answers AADSTS700016 for a vendor's app exactly as for an
//! app that does not exist, so the app's existence is proven by the consent screen (which names
//! the app and its publisher) and, afterwards, by the verification.
//!
//! Deliberately not done: tenant-wide consent settings (user consent, admin consent requests)
//! are never changed here; the verification's `consent_policy` result explains them.

use url::Url;

use super::{ApprovalWait, Change, ChangeKind, FixError, RepairSession, wait_for_approval};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::verify::{Report, Status};

/// What the verification before the approval says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// The app is approved for the organisation already: nothing to change.
    AlreadyApproved,
    /// The tenant answers and the app is not approved yet: the approval can be asked for.
    NeedsApproval,
    /// Something else stands in the way (the tenant, a disabled app, Microsoft unavailable):
    /// the verification's report says what.
    Blocked,
}

/// Read the verification of the `vendor-app-consent` checks.
pub fn readiness(report: &Report) -> Readiness {
    let result = |id: CheckId| report.checks.iter().find(|c| c.id == id);
    if result(CheckId::Tenant).is_none_or(|t| t.status != Status::Pass) {
        return Readiness::Blocked;
    }
    if let Some(client) = result(CheckId::ClientId) {
        let unapproved_here =
            client.status == Status::Fail && client.cause == Some(Cause::ClientIdNotFound);
        if client.status != Status::Pass && !unapproved_here {
            return Readiness::Blocked;
        }
    }
    match result(CheckId::AdminConsent) {
        Some(c) if c.status == Status::Pass => Readiness::AlreadyApproved,
        Some(c) if c.status == Status::Fail && c.cause == Some(Cause::AdminConsentMissing) => {
            Readiness::NeedsApproval
        }
        _ => Readiness::Blocked,
    }
}

/// What [`approve_vendor_app`] did.
#[derive(Debug, Clone)]
pub struct VendorApproval {
    /// The vendor app's application (client) ID.
    pub client_id: String,
    /// The app's service principal (enterprise application) in this tenant.
    pub service_principal_id: String,
    /// Its display name, as the tenant shows it.
    pub display_name: Option<String>,
    /// The admin-consent link that was shown.
    pub admin_consent_url: String,
    /// The approval, as one change.
    pub changes: Vec<Change>,
}

/// Show the tenant's admin-consent link for the vendor's app `client_id` through `show_link`,
/// then wait until the approval is visible. `tenant_id` is the tenant's GUID (the verification
/// found it); `redirect_uri` one of the vendor app's own, when known.
pub async fn approve_vendor_app(
    session: &RepairSession<'_>,
    tenant_id: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
    wait: ApprovalWait,
    show_link: &(dyn Fn(&Url) + Send + Sync),
) -> Result<VendorApproval, FixError> {
    let link =
        super::tenant_admin_consent_url(&session.ctx.endpoints, tenant_id, client_id, redirect_uri)
            .map_err(FixError::ConsentLink)?;
    show_link(&link);
    let seen = wait_for_approval(session, client_id, wait).await?;
    let name = seen
        .service_principal
        .display_name
        .clone()
        .filter(|n| !n.trim().is_empty());
    let what = match &name {
        Some(name) => format!("the vendor's app {name} ({client_id})"),
        None => format!("the vendor's app {client_id}"),
    };
    let mut held = Vec::new();
    if !seen.delegated_scopes.is_empty() {
        held.push(format!("delegated {}", seen.delegated_scopes.join(" ")));
    }
    if seen.app_roles > 0 {
        held.push(format!("{} application permission(s)", seen.app_roles));
    }
    let held = if held.is_empty() {
        String::new()
    } else {
        format!(": {}", held.join("; "))
    };
    Ok(VendorApproval {
        client_id: client_id.to_string(),
        service_principal_id: seen.service_principal.id.clone(),
        display_name: name,
        admin_consent_url: link.to_string(),
        changes: vec![Change::new(
            ChangeKind::AdminConsentGranted,
            format!("approved {what} for the organisation{held}"),
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::outcome::{fail, pass, unverified};
    use serde_json::json;

    fn report(checks: Vec<crate::verify::CheckResult>) -> Report {
        Report {
            profile: "vendor-app-consent".into(),
            tenant_id: Some("11111111-2222-3333-4444-555555555555".into()),
            client_id: Some("ffffffff-0000-0000-0000-000000000001".into()),
            summary: Report::summarise(&checks),
            checks,
        }
    }

    fn tenant_ok() -> crate::verify::CheckResult {
        pass(CheckId::Tenant, "found", json!({}))
    }

    fn client_id_not_found() -> crate::verify::CheckResult {
        fail(
            CheckId::ClientId,
            Cause::ClientIdNotFound,
            "not here",
            json!({}),
        )
    }

    fn no_consent() -> crate::verify::CheckResult {
        fail(
            CheckId::AdminConsent,
            Cause::AdminConsentMissing,
            "none",
            json!({}),
        )
    }

    #[test]
    fn an_unapproved_app_needs_approval() {
        let r = report(vec![tenant_ok(), client_id_not_found(), no_consent()]);
        assert_eq!(readiness(&r), Readiness::NeedsApproval);
    }

    #[test]
    fn an_approved_app_needs_nothing() {
        let r = report(vec![
            tenant_ok(),
            pass(CheckId::ClientId, "found", json!({})),
            pass(CheckId::AdminConsent, "approved", json!({})),
        ]);
        assert_eq!(readiness(&r), Readiness::AlreadyApproved);
    }

    #[test]
    fn a_disabled_app_or_an_outage_blocks() {
        let disabled = report(vec![
            tenant_ok(),
            fail(CheckId::ClientId, Cause::AppDisabled, "off", json!({})),
            no_consent(),
        ]);
        assert_eq!(readiness(&disabled), Readiness::Blocked);
        let outage = report(vec![
            tenant_ok(),
            client_id_not_found(),
            unverified(
                CheckId::AdminConsent,
                &crate::http::Unavailable {
                    cause: Cause::ServiceUnavailable,
                    detail: "503".into(),
                    retry_after: None,
                },
            ),
        ]);
        assert_eq!(readiness(&outage), Readiness::Blocked);
        let no_tenant = report(vec![fail(
            CheckId::Tenant,
            Cause::TenantNotFound,
            "no",
            json!({}),
        )]);
        assert_eq!(readiness(&no_tenant), Readiness::Blocked);
    }
}
