//! `admin_consent` and `consent_policy`, from what an administrator can read.
//!
//! `admin_consent`: delegated permissions are consented for everyone by an `AllPrincipals`
//! oauth2PermissionGrant of the client's service principal on the Microsoft Graph resource,
//! whose space-separated `scope` must hold every required delegated permission (`openid` and
//! `offline_access` too, when required); application permissions by one app role assignment
//! each. No service principal at all means nobody ever consented (no enterprise app yet). For a
//! vendor's app (profile kind `vendor_consent`) the profile cannot know what the vendor asks
//! for: any organisation-wide grant or assignment counts as approval, and the evidence lists them.
//!
//! `consent_policy`: the tenant's `permissionGrantPoliciesAssigned` (reference/microsoft-wire.md
//! §4.4: `…microsoft-user-default-legacy` = users may consent to any app, `…-low` = only to
//! low-impact permissions of verified publishers, none = no user consent) and whether users may
//! request admin approval (`adminConsentRequestPolicy.isEnabled`). It fails with
//! `user_consent_blocked` when users must consent themselves (nothing is consented for the
//! organisation) and may not; it warns `admin_consent_workflow_disabled` when users may not
//! consent to everything and cannot ask for approval either. With user consent to any app, the
//! request workflow never comes into play and is not warned about.

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::grants::PermissionGrant;
use crate::graph::policies::AuthorizationPolicy;
use crate::graph::service_principals::{AppRoleAssignment, ServicePrincipal};
use crate::graph::{PermissionCatalog, PermissionKind};
use crate::portal::{self, AppPage};
use crate::profile::{Permissions, ProfileKind};
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass, warn};

/// Delegated permissions the `low` user-consent setting lets users grant (Microsoft's default
/// classification of low impact).
pub const LOW_IMPACT: &[&str] = &["openid", "profile", "email", "offline_access", "User.Read"];

/// What the client's enterprise application holds.
#[derive(Debug, Clone, Copy)]
pub struct Granted<'a> {
    /// The client's service principal.
    pub service_principal: &'a ServicePrincipal,
    /// Its delegated permission grants.
    pub grants: &'a [PermissionGrant],
    /// Its app role assignments.
    pub assignments: &'a [AppRoleAssignment],
    /// The Microsoft Graph service principal's object ID, when known.
    pub graph_sp_id: Option<&'a str>,
}

impl Granted<'_> {
    fn on_graph(&self, resource_id: &str) -> bool {
        self.graph_sp_id
            .is_some_and(|g| g.eq_ignore_ascii_case(resource_id))
    }

    /// Delegated permissions consented for everyone on Graph.
    fn admin_scopes(&self) -> Vec<&str> {
        self.grants
            .iter()
            .filter(|g| g.is_admin_consent() && self.on_graph(&g.resource_id))
            .flat_map(PermissionGrant::scopes)
            .collect()
    }

    /// Application permissions granted on Graph, by name.
    fn roles(&self, catalog: &PermissionCatalog) -> Vec<String> {
        self.assignments
            .iter()
            .filter(|a| self.on_graph(&a.resource_id))
            .map(|a| {
                catalog
                    .name_of(PermissionKind::Role, &a.app_role_id)
                    .map_or_else(|| a.app_role_id.clone(), str::to_string)
            })
            .collect()
    }

    fn evidence(&self, catalog: &PermissionCatalog) -> Value {
        let resource = |id: &str| {
            if self.on_graph(id) {
                "Microsoft Graph".to_string()
            } else {
                id.to_string()
            }
        };
        json!({
            "service_principal_id": self.service_principal.id,
            "grants": self.grants.iter().map(|g| json!({
                "consent_type": g.consent_type,
                "resource": resource(&g.resource_id),
                "scope": g.scope,
            })).collect::<Vec<_>>(),
            "app_role_assignments": self.assignments.iter().map(|a| json!({
                "resource": resource(&a.resource_id),
                "app_role": if self.on_graph(&a.resource_id) {
                    catalog.name_of(PermissionKind::Role, &a.app_role_id).map(str::to_string)
                } else { None }.unwrap_or_else(|| a.app_role_id.clone()),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Judge admin consent; `granted` is `None` when the tenant has no service principal for the app.
pub fn judge_admin_consent(
    cloud: Cloud,
    client_id: &str,
    kind: ProfileKind,
    required: &Permissions,
    granted: Option<Granted<'_>>,
    catalog: &PermissionCatalog,
    token_roles: Option<&[String]>,
) -> CheckResult {
    let vendor = kind == ProfileKind::VendorConsent;
    let Some(granted) = granted else {
        let (message, link) = if vendor {
            (
                format!(
                    "The vendor's app {client_id} has never been approved in this organisation: it has no enterprise application here yet."
                ),
                portal::admin_consent_requests(cloud),
            )
        } else {
            (
                format!(
                    "Nobody has consented to the app {client_id}: the tenant has no enterprise application (service principal) for it yet."
                ),
                portal::app_registration(cloud, client_id, AppPage::ApiPermissions),
            )
        };
        let mut evidence = json!({ "service_principal": null });
        if let Some(roles) = token_roles {
            evidence["roles_in_token"] = json!(roles);
        }
        return fail(
            CheckId::AdminConsent,
            Cause::AdminConsentMissing,
            message,
            evidence,
        )
        .with_link(Some(link));
    };
    let link = Some(portal::enterprise_app_permissions(
        cloud,
        &granted.service_principal.id,
        client_id,
    ));
    let mut evidence = granted.evidence(catalog);
    if let Some(roles) = token_roles {
        evidence["roles_in_token"] = json!(roles);
    }
    if vendor || (required.delegated.is_empty() && required.application.is_empty()) {
        let any = granted.grants.iter().any(PermissionGrant::is_admin_consent)
            || !granted.assignments.is_empty();
        return if any {
            pass(
                CheckId::AdminConsent,
                "An administrator has approved the app for the organisation (see the grants in the evidence).",
                evidence,
            )
        } else if vendor {
            fail(
                CheckId::AdminConsent,
                Cause::AdminConsentMissing,
                "The vendor's app is known here, but nobody has approved it for the organisation: it holds no organisation-wide grant.",
                evidence,
            )
            .with_link(link)
        } else {
            pass(
                CheckId::AdminConsent,
                "The product needs no permissions, so there is nothing to consent to.",
                evidence,
            )
        };
    }
    let scopes = granted.admin_scopes();
    let roles = granted.roles(catalog);
    let missing: Vec<String> = required
        .delegated
        .iter()
        .filter(|n| !scopes.iter().any(|s| s.eq_ignore_ascii_case(n)))
        .map(|n| format!("{n} (delegated)"))
        .chain(
            required
                .application
                .iter()
                .filter(|n| !roles.iter().any(|r| r.eq_ignore_ascii_case(n)))
                .map(|n| format!("{n} (application)")),
        )
        .collect();
    if missing.is_empty() {
        return pass(
            CheckId::AdminConsent,
            "An administrator has granted consent for the organisation to every permission the product needs.",
            evidence,
        );
    }
    fail(
        CheckId::AdminConsent,
        Cause::AdminConsentMissing,
        format!(
            "Admin consent for the organisation is missing for {}.",
            missing.join(", ")
        ),
        evidence,
    )
    .with_link(link)
    .with_fix(format!(
        "In the app registration, open API permissions and select \"Grant admin consent\" (a Global Administrator or Privileged Role Administrator for application permissions); it covers {}.",
        missing.join(", ")
    ))
}

/// Who may consent to apps, as the authorization policy says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserConsent {
    /// `…microsoft-user-default-legacy`: to any app.
    AnyApp,
    /// `…microsoft-user-default-low`: only low-impact permissions of verified publishers.
    LowImpact,
    /// Another permission-grant policy of the tenant's own.
    Custom(Vec<String>),
    /// No `ManagePermissionGrantsForSelf` policy: users may not consent.
    NotAllowed,
}

/// Classify `permissionGrantPoliciesAssigned` (the Teams `…ForOwnedResource…` ones do not count).
pub fn classify(policies: &[String]) -> UserConsent {
    let own: Vec<&String> = policies
        .iter()
        .filter(|p| p.starts_with("ManagePermissionGrantsForSelf."))
        .collect();
    if own
        .iter()
        .any(|p| p.ends_with(".microsoft-user-default-legacy"))
    {
        UserConsent::AnyApp
    } else if own
        .iter()
        .any(|p| p.ends_with(".microsoft-user-default-low"))
    {
        UserConsent::LowImpact
    } else if own.is_empty() {
        UserConsent::NotAllowed
    } else {
        UserConsent::Custom(own.into_iter().cloned().collect())
    }
}

/// Judge the tenant's consent settings for this product; `admin_consented` tells whether the app
/// already holds consent for the organisation, `workflow` whether users may request approval
/// (`None` when it could not be read).
pub fn judge_consent_policy(
    cloud: Cloud,
    kind: ProfileKind,
    required_delegated: &[String],
    admin_consented: bool,
    policy: &AuthorizationPolicy,
    workflow: Option<bool>,
) -> CheckResult {
    let assigned = &policy
        .default_user_role_permissions
        .permission_grant_policies_assigned;
    let setting = classify(assigned);
    let evidence = json!({
        "permission_grant_policies_assigned": assigned,
        "admin_consent_request_enabled": workflow,
        "admin_consented": admin_consented,
    });
    let needs_user_consent = match kind {
        ProfileKind::VendorConsent => !admin_consented,
        ProfileKind::DelegatedWeb | ProfileKind::Custom => {
            !required_delegated.is_empty() && !admin_consented
        }
        ProfileKind::AppOnly => false,
    };
    let all_low = required_delegated
        .iter()
        .all(|n| LOW_IMPACT.iter().any(|l| l.eq_ignore_ascii_case(n)));
    let no_requests = if workflow == Some(false) {
        " Users cannot request an administrator's approval either (admin consent requests are off)."
    } else {
        ""
    };
    let consent_link = Some(portal::user_consent_settings(cloud));
    let blocked_fix = "Grant admin consent for the organisation (API permissions > Grant admin consent, or the app's admin-consent link), so users need not consent; or allow user consent under Enterprise apps > Consent and permissions > User consent settings.";
    if needs_user_consent {
        let verdict = match (&setting, kind) {
            (UserConsent::NotAllowed, _) => Some((
                true,
                format!(
                    "Users may not consent to apps in this tenant, and the app has no admin consent, so users cannot connect.{no_requests}"
                ),
            )),
            (UserConsent::LowImpact, ProfileKind::VendorConsent) => Some((
                false,
                format!(
                    "Users may consent only to low-impact permissions of verified publishers; the vendor's app has no admin consent and likely asks for more.{no_requests}"
                ),
            )),
            (UserConsent::LowImpact, _) if !all_low => Some((
                true,
                format!(
                    "Users may consent only to low-impact permissions ({}), but the product needs {} and has no admin consent.{no_requests}",
                    LOW_IMPACT.join(", "),
                    required_delegated.join(", ")
                ),
            )),
            _ => None,
        };
        if let Some((failing, message)) = verdict {
            let result = if failing {
                fail(
                    CheckId::ConsentPolicy,
                    Cause::UserConsentBlocked,
                    message,
                    evidence,
                )
            } else {
                warn(
                    CheckId::ConsentPolicy,
                    Cause::UserConsentBlocked,
                    message,
                    evidence,
                )
            };
            return result.with_link(consent_link).with_fix(blocked_fix);
        }
    }
    if setting != UserConsent::AnyApp && workflow == Some(false) {
        return warn(
            CheckId::ConsentPolicy,
            Cause::AdminConsentWorkflowDisabled,
            "Users may not consent to every app and cannot request an administrator's approval: whoever hits an approval screen has no way forward.",
            evidence,
        )
        .with_link(Some(portal::admin_consent_settings(cloud)));
    }
    let message = match (&setting, needs_user_consent) {
        (_, false) => "Users need not consent: the app is approved for the organisation (or needs no user consent). The tenant's consent settings do not get in the way.".to_string(),
        (UserConsent::AnyApp, true) => "Users may consent to apps themselves, so each user can accept the permissions when connecting.".to_string(),
        (UserConsent::LowImpact, true) => "Users may consent to low-impact permissions, which is all the product asks for.".to_string(),
        (UserConsent::Custom(ids), true) => format!(
            "Users may consent under the tenant's own policies ({}); whether they cover this app is not judged here.",
            ids.join(", ")
        ),
        (UserConsent::NotAllowed, true) => "Users may not consent to apps.".to_string(),
    };
    pass(CheckId::ConsentPolicy, message, evidence)
}

#[cfg(test)]
mod tests;
