//! `admin_consent` and `consent_policy`, from what an administrator can read.
//!
//! `admin_consent`: delegated permissions are consented for everyone by an `AllPrincipals`
//! oauth2PermissionGrant of the client's service principal on the Microsoft Graph resource,
//! whose space-separated `scope` must hold every required delegated permission (`openid` and
//! `offline_access` too, when required); application permissions by one app role assignment
//! each. Another resource's permissions (Office 365 Exchange Online's) are judged the same way on
//! that resource's service principal ([`OtherResource`]). No service principal at all means
//! nobody ever consented (no enterprise app yet). For a
//! vendor's app (profile kind `vendor_consent`) the profile cannot know what the vendor asks
//! for: any organisation-wide grant or assignment counts as approval, and the evidence lists them.
//! Users' pending requests for admin consent are added by [`requests`].
//!
//! `consent_policy`: the tenant's `permissionGrantPoliciesAssigned`, each user-consent policy read
//! and judged for the product's delegated permissions by [`policies`] (Microsoft's built-in
//! `…-legacy`, `…-low`, `…-recommended` and mail-client policies, spelled in any letter case, or
//! the tenant's own), and whether users may request admin approval
//! (`adminConsentRequestPolicy.isEnabled`). When users must consent themselves (nothing is
//! consented for the organisation): a pass when one policy lets them grant everything asked; a
//! `consent_policy_unrecognised` warning naming the tenant's own policies when only those could;
//! a `user_consent_blocked` warning when it cannot be known otherwise (a vendor's app, whose
//! permissions are not known here); a `user_consent_blocked` failure when no policy lets them.
//! For a vendor's app it warns `admin_consent_workflow_disabled` when users may not consent to
//! everything and cannot ask for approval either (the vendor may ask for more later). With user
//! consent to any app, the request workflow never comes into play and is not warned about.

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::grants::PermissionGrant;
use crate::graph::policies::AuthorizationPolicy;
use crate::graph::service_principals::{AppRoleAssignment, ServicePrincipal};
use crate::graph::{ApiResource, PermissionCatalog, PermissionKind};
use crate::portal::{self, AppPage};
use crate::profile::{Permissions, ProfileKind};
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass, warn};

mod policies;
mod requests;

pub use policies::{
    Asking, KEPT_FOR_ADMINISTRATORS, LOW_IMPACT, MAIL_CLIENT_APPS, UserConsentPolicy, Verdict,
    user_consent_policies, verdict,
};
pub use requests::{ConsentRequestEntry, RequestReads, with_pending_requests};

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

/// Another resource's permissions the product needs (Office 365 Exchange Online's), judged
/// against the grants and assignments on that resource's service principal.
#[derive(Debug, Clone, Copy)]
pub struct OtherResource<'a> {
    /// The resource.
    pub resource: ApiResource,
    /// Its permissions the product needs.
    pub required: &'a Permissions,
    /// Its service principal's object ID in the tenant; `None` when the tenant has none (nothing
    /// can be consented on it).
    pub sp_id: Option<&'a str>,
    /// Its catalogue (app role GUIDs to names).
    pub catalog: &'a PermissionCatalog,
}

impl OtherResource<'_> {
    fn on(&self, resource_id: &str) -> bool {
        self.sp_id
            .is_some_and(|id| id.eq_ignore_ascii_case(resource_id))
    }

    /// Delegated permissions consented for everyone on this resource.
    fn admin_scopes<'g>(&self, granted: &Granted<'g>) -> Vec<&'g str> {
        granted
            .grants
            .iter()
            .filter(|g| g.is_admin_consent() && self.on(&g.resource_id))
            .flat_map(PermissionGrant::scopes)
            .collect()
    }

    /// Application permissions granted on this resource, by name.
    fn roles(&self, granted: &Granted<'_>) -> Vec<String> {
        granted
            .assignments
            .iter()
            .filter(|a| self.on(&a.resource_id))
            .map(|a| {
                self.catalog
                    .name_of(PermissionKind::Role, &a.app_role_id)
                    .map_or_else(|| a.app_role_id.clone(), str::to_string)
            })
            .collect()
    }

    fn label(&self, name: &str, kind: PermissionKind) -> String {
        format!(
            "{name} ({}, {})",
            self.resource.display_name(),
            kind.label()
        )
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
    judge_admin_consent_with(
        cloud,
        client_id,
        kind,
        required,
        granted,
        catalog,
        token_roles,
        &[],
    )
}

/// [`judge_admin_consent`] with other resources' permissions besides Microsoft Graph's
/// (`required`): each is consented by an `AllPrincipals` grant and app role assignments on its
/// own service principal.
#[allow(clippy::too_many_arguments)]
pub fn judge_admin_consent_with(
    cloud: Cloud,
    client_id: &str,
    kind: ProfileKind,
    required: &Permissions,
    granted: Option<Granted<'_>>,
    catalog: &PermissionCatalog,
    token_roles: Option<&[String]>,
    others: &[OtherResource<'_>],
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
    let others: Vec<&OtherResource<'_>> =
        others.iter().filter(|o| !o.required.is_empty()).collect();
    if !others.is_empty() {
        let resources: serde_json::Map<String, Value> = others
            .iter()
            .map(|o| {
                (
                    o.resource.display_name().to_string(),
                    json!({
                        "service_principal_id": o.sp_id,
                        "admin_consented_scopes": o.admin_scopes(&granted),
                        "app_roles": o.roles(&granted),
                    }),
                )
            })
            .collect();
        evidence["resources"] = Value::Object(resources);
    }
    if vendor || (required.is_empty() && others.is_empty()) {
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
        .chain(others.iter().flat_map(|other| {
            let scopes = other.admin_scopes(&granted);
            let roles = other.roles(&granted);
            other
                .required
                .delegated
                .iter()
                .filter(move |n| !scopes.iter().any(|s| s.eq_ignore_ascii_case(n)))
                .map(|n| other.label(n, PermissionKind::Scope))
                .chain(
                    other
                        .required
                        .application
                        .iter()
                        .filter(move |n| !roles.iter().any(|r| r.eq_ignore_ascii_case(n)))
                        .map(|n| other.label(n, PermissionKind::Role)),
                )
                .collect::<Vec<_>>()
        }))
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

/// What the consent-policy judgement needs besides the tenant's settings.
#[derive(Debug, Clone, Copy)]
pub struct ConsentPolicyInputs<'a> {
    /// The cloud (for portal links).
    pub cloud: Cloud,
    /// The profile's kind.
    pub kind: ProfileKind,
    /// The app's client ID.
    pub client_id: &'a str,
    /// The delegated permissions the product needs.
    pub required_delegated: &'a [String],
    /// Whether the app already holds consent for the organisation.
    pub admin_consented: bool,
    /// The Graph permission catalogue (which permissions only an administrator may grant).
    pub catalog: &'a PermissionCatalog,
}

fn verdict_json(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::Allows => json!({ "verdict": "allows" }),
        Verdict::Blocks(why) => json!({ "verdict": "blocks", "why": why }),
        Verdict::Unknown(why) => json!({ "verdict": "unknown", "why": why }),
    }
}

/// Why a pass: what the policy that lets users consent says.
fn allowed_message(policy: &UserConsentPolicy, required_delegated: &[String]) -> String {
    match policy {
        UserConsentPolicy::Legacy => "Users may consent to apps themselves (\"Allow user consent for apps\"), so each user can accept the permissions when connecting.".into(),
        UserConsentPolicy::LowImpact => "Users may consent to low-impact permissions, which is all the product asks for.".into(),
        UserConsentPolicy::MicrosoftManaged => format!(
            "Under Microsoft's managed setting (\"Let Microsoft manage your consent settings\") users may grant {} themselves: none of them is among the permissions Microsoft keeps for administrators. Microsoft updates that list, and may still ask for an administrator's approval of an app it considers risky.",
            required_delegated.join(", ")
        ),
        UserConsentPolicy::MailClients => "Microsoft's mail-client policy lets users approve this mail app themselves.".into(),
        UserConsentPolicy::Custom(id) => format!("The tenant's own policy {id} lets users consent."),
    }
}

/// Judge the tenant's consent settings for this product: `policy` is the authorization policy,
/// `workflow` whether users may request approval (`None` when it could not be read).
pub fn judge_consent_policy(
    inputs: &ConsentPolicyInputs<'_>,
    policy: &AuthorizationPolicy,
    workflow: Option<bool>,
) -> CheckResult {
    let ConsentPolicyInputs {
        cloud,
        kind,
        client_id,
        required_delegated,
        admin_consented,
        catalog,
    } = *inputs;
    let assigned = &policy
        .default_user_role_permissions
        .permission_grant_policies_assigned;
    let asking = Asking {
        delegated: (kind != ProfileKind::VendorConsent).then_some(required_delegated),
        client_id,
        catalog,
    };
    let judged: Vec<(String, UserConsentPolicy, Verdict)> = user_consent_policies(assigned)
        .into_iter()
        .map(|(id, p)| {
            let verdict = verdict(&p, &asking);
            (id, p, verdict)
        })
        .collect();
    let evidence = json!({
        "permission_grant_policies_assigned": assigned,
        "user_consent_policies": judged.iter().map(|(id, p, v)| {
            let mut entry = verdict_json(v);
            entry["id"] = json!(id);
            entry["reads_as"] = json!(p.label());
            entry
        }).collect::<Vec<_>>(),
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
    let no_requests = if workflow == Some(false) {
        " Users cannot request an administrator's approval either (admin consent requests are off)."
    } else {
        ""
    };
    let consent_link = Some(portal::user_consent_settings(cloud));
    // Where the way out is: the app's own Grant admin consent button, or for a vendor's app the
    // tenant's consent settings.
    let blocked_link = if kind == ProfileKind::VendorConsent {
        consent_link.clone()
    } else {
        Some(portal::app_registration(
            cloud,
            client_id,
            AppPage::ApiPermissions,
        ))
    };
    let blocked_fix = if kind == ProfileKind::VendorConsent {
        "Approve the vendor's app for the organisation (its admin-consent link, or Review permissions and consent under Enterprise apps), so users need not consent; or let users ask for approval under Enterprise apps > Consent and permissions > Admin consent settings. Relaxing User consent settings works too, but lets users approve other apps as well."
    } else {
        "Grant admin consent for the organisation (the app registration's API permissions > Grant admin consent, or the app's admin-consent link), so users need not consent themselves. Relaxing Enterprise apps > Consent and permissions > User consent settings works too, but lets users approve other apps as well."
    };
    if needs_user_consent {
        if let Some((_, allowing, _)) = judged.iter().find(|(_, _, v)| *v == Verdict::Allows) {
            return pass(
                CheckId::ConsentPolicy,
                allowed_message(allowing, required_delegated),
                evidence,
            );
        }
        let custom: Vec<&str> = judged
            .iter()
            .filter(|(_, p, _)| matches!(p, UserConsentPolicy::Custom(_)))
            .map(|(id, _, _)| id.as_str())
            .collect();
        if !custom.is_empty() {
            let asked = if kind == ProfileKind::VendorConsent {
                "the vendor's app".to_string()
            } else {
                required_delegated.join(", ")
            };
            return warn(
                CheckId::ConsentPolicy,
                Cause::ConsentPolicyUnrecognised,
                format!(
                    "Users consent under the tenant's own policy {}, which the wizard cannot read: whether users may grant {asked} themselves is not known. The app has no admin consent, so if the policy does not cover it, users will be asked for an administrator's approval.{no_requests}",
                    custom.join(", ")
                ),
                evidence,
            )
            .with_link(consent_link)
            .with_fix(format!(
                "Check what {} includes and excludes (Graph: GET /policies/permissionGrantPolicies/{{id}}/includes and /excludes), or grant admin consent for the organisation so the policy does not matter.",
                custom.join(", ")
            ));
        }
        let unknown: Vec<&str> = judged
            .iter()
            .filter_map(|(_, _, v)| match v {
                Verdict::Unknown(why) => Some(why.as_str()),
                _ => None,
            })
            .collect();
        if let Some(why) = unknown.first() {
            return warn(
                CheckId::ConsentPolicy,
                Cause::UserConsentBlocked,
                format!(
                    "Users may not be able to approve the app themselves: {why}. The app has no admin consent.{no_requests}"
                ),
                evidence,
            )
            .with_link(blocked_link)
            .with_fix(blocked_fix);
        }
        let mut reasons: Vec<&str> = judged
            .iter()
            .filter(|(_, p, _)| *p != UserConsentPolicy::MailClients)
            .filter_map(|(_, _, v)| match v {
                Verdict::Blocks(why) => Some(why.as_str()),
                _ => None,
            })
            .collect();
        if reasons.is_empty() {
            reasons = judged
                .iter()
                .filter_map(|(_, _, v)| match v {
                    Verdict::Blocks(why) => Some(why.as_str()),
                    _ => None,
                })
                .collect();
        }
        let message = if reasons.is_empty() {
            format!(
                "Users may not consent to apps in this tenant, and the app has no admin consent, so users cannot connect.{no_requests}"
            )
        } else {
            format!(
                "Users cannot approve what the app asks for themselves: {}. The app has no admin consent, so users cannot connect.{no_requests}",
                reasons.join("; ")
            )
        };
        return fail(
            CheckId::ConsentPolicy,
            Cause::UserConsentBlocked,
            message,
            evidence,
        )
        .with_link(blocked_link)
        .with_fix(blocked_fix);
    }
    // A vendor may ask for more later (incremental consent), which users may then not grant and
    // cannot ask for; an own registration's permissions are all granted once consented.
    let any_app = judged
        .iter()
        .any(|(_, p, _)| *p == UserConsentPolicy::Legacy);
    if kind == ProfileKind::VendorConsent && !any_app && workflow == Some(false) {
        return warn(
            CheckId::ConsentPolicy,
            Cause::AdminConsentWorkflowDisabled,
            "Users may not consent to every app and cannot request an administrator's approval: whoever hits an approval screen has no way forward.",
            evidence,
        )
        .with_link(Some(portal::admin_consent_settings(cloud)));
    }
    pass(
        CheckId::ConsentPolicy,
        "Users need not consent: the app is approved for the organisation (or needs no user consent). The tenant's consent settings do not get in the way.",
        evidence,
    )
}

#[cfg(test)]
mod tests;
