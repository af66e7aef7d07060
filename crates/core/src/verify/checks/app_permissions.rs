//! `api_permissions` and `admin_consent` for application permissions, read from the `roles`
//! claim of the app's own token: no sign-in needed. A role in the token is both configured and
//! consented; a missing one is either not configured or not consented, which only a signed-in
//! administrator can tell apart.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::identity::AppToken;
use crate::portal::{self, AppPage};
use crate::verify::outcome::{fail, pass, skipped, warn};
use crate::verify::{CheckResult, Context, SkipReason};

/// The two results, when the profile needs application permissions.
pub struct AppPermissions {
    /// The `api_permissions` result.
    pub api_permissions: CheckResult,
    /// The `admin_consent` result.
    pub admin_consent: CheckResult,
}

/// Judge the token's roles against the permissions the profile needs.
pub fn judge(
    ctx: &Context,
    client_id: &str,
    token: &AppToken,
    required: &[String],
) -> AppPermissions {
    let link = Some(portal::app_registration(
        ctx.endpoints.cloud,
        client_id,
        AppPage::ApiPermissions,
    ));
    let granted = &token.claims.roles;
    let missing: Vec<&String> = required.iter().filter(|r| !granted.contains(r)).collect();
    let extra: Vec<&String> = granted.iter().filter(|g| !required.contains(g)).collect();
    let evidence = json!({ "required": required, "roles_in_token": granted });
    if missing.is_empty() {
        let api_permissions = if extra.is_empty() {
            pass(
                CheckId::ApiPermissions,
                format!(
                    "The app has the application permissions it needs: {}.",
                    list(required)
                ),
                evidence.clone(),
            )
        } else {
            warn(
                CheckId::ApiPermissions,
                Cause::ExcessPermissions,
                format!(
                    "The app has what it needs, and more than it needs: {}.",
                    list(&extra)
                ),
                evidence.clone(),
            )
            .with_link(link.clone())
        };
        let admin_consent = pass(
            CheckId::AdminConsent,
            "An administrator has granted consent: the app's own token carries its permissions.",
            evidence,
        );
        return AppPermissions {
            api_permissions,
            admin_consent,
        };
    }
    let admin_consent = fail(
        CheckId::AdminConsent,
        Cause::AdminConsentMissing,
        format!(
            "The app's token lacks {}: these application permissions are not configured, or configured but not granted admin consent.",
            list(&missing)
        ),
        evidence,
    )
    .with_link(link)
    .with_fix(format!(
        "In the app registration, open API permissions, add the Microsoft Graph application permissions {} if they are not listed, then select \"Grant admin consent\".",
        list(&missing)
    ));
    let api_permissions = skipped(
        CheckId::ApiPermissions,
        SkipReason::NeedsSignIn,
        "Whether the missing permissions are configured at all can be read only with an administrator signed in.",
    );
    AppPermissions {
        api_permissions,
        admin_consent,
    }
}

fn list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}
