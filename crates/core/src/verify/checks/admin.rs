//! The checks an administrator's sign-in unlocks, from the reads of [`super::admin_reads`]:
//! `redirect_uri` (every redirect URI of the profile), `account_type`, `api_permissions` (each
//! resource's) and `secret_expiry` from the app registration; `admin_consent` and `consent_policy` from the enterprise application, its grants,
//! the tenant's policies and users' pending requests for admin consent; `mailbox` from the user and their licences. The judgements
//! themselves are pure functions in their own modules; this one routes each read (or its failure,
//! via [`super::read_failure`]) to them.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::admin_reads::{ConsentReads, FirstReads, MailboxReads};
use super::api_permissions::{Required, judge_api_permissions_of};
use super::certificate::judge_certificate_expiry;
use super::consent::{
    ConsentPolicyInputs, Granted, OtherResource, RequestReads, judge_admin_consent_with,
    judge_consent_policy, with_pending_requests,
};
use super::mailbox::{judge_mailbox, mailbox_not_found};
use super::read_failure::{APP_READER_ROLES, POLICY_READER_ROLES, USER_READER_ROLES, read_failure};
use super::registration::{judge_account_type, judge_redirect_uris};
use super::secret_expiry::judge_secret_expiry;
use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::{ApiResource, PermissionCatalog, ReadError};
use crate::portal;
use crate::profile::{Profile, RedirectPlatform};
use crate::verify::outcome::{downstream, fail, skipped};
use crate::verify::{CheckResult, SkipReason, Status};

/// What the judgements need besides the reads.
#[derive(Debug, Clone, Copy)]
pub struct Judging<'a> {
    /// The cloud (for portal links).
    pub cloud: Cloud,
    /// The profile.
    pub profile: &'a Profile,
    /// The application (client) ID.
    pub client_id: &'a str,
    /// The redirect URI the product sends, when given.
    pub redirect_uri: Option<&'a str>,
    /// The first three characters of the secret given, when given.
    pub secret_hint: Option<&'a str>,
    /// The SHA-1 thumbprint (hex) of the certificate given, when one was.
    pub certificate_thumbprint: Option<&'a str>,
    /// The `roles` of the app's own token, when one was issued (evidence).
    pub token_roles: Option<&'a [String]>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The Graph catalogue read, or the built-in table.
pub fn catalog(reads: &FirstReads) -> PermissionCatalog {
    match &reads.graph {
        Some(Ok(graph)) => PermissionCatalog::from_graph(graph),
        _ => PermissionCatalog::builtin(),
    }
}

/// Each resource's catalogue the profile needs, Microsoft Graph first (always): the tenant's
/// service principal as read, or the built-in table.
pub fn catalogs(reads: &FirstReads, profile: &Profile) -> Vec<(ApiResource, PermissionCatalog)> {
    let mut all = vec![(ApiResource::MicrosoftGraph, catalog(reads))];
    for (resource, _) in profile.registration.all_permissions() {
        if resource == ApiResource::MicrosoftGraph {
            continue;
        }
        let read = reads.other_resources.iter().find(|(r, _)| *r == resource);
        let catalog = match read {
            Some((_, Ok(sp))) => PermissionCatalog::from_resource(resource, sp),
            _ => PermissionCatalog::builtin_for(resource),
        };
        all.push((resource, catalog));
    }
    all
}

/// `mailbox` from the user and licence reads.
pub fn mailbox_result(cloud: Cloud, reads: &MailboxReads) -> CheckResult {
    let user = match &reads.user {
        Ok(user) => user,
        Err(ReadError::NotFound(error)) => {
            return mailbox_not_found(cloud, &reads.mailbox, error.evidence());
        }
        Err(error) => {
            return read_failure(cloud, CheckId::Mailbox, error, "users", USER_READER_ROLES);
        }
    };
    match &reads.licences {
        Ok(licences) => judge_mailbox(cloud, user, licences),
        Err(error) => read_failure(
            cloud,
            CheckId::Mailbox,
            error,
            "users' licences",
            USER_READER_ROLES,
        ),
    }
}

const REGISTRATION_CHECKS: [CheckId; 5] = [
    CheckId::RedirectUri,
    CheckId::AccountType,
    CheckId::ApiPermissions,
    CheckId::SecretExpiry,
    CheckId::CertificateExpiry,
];

/// `redirect_uri`, `account_type`, `api_permissions`, `secret_expiry` and `certificate_expiry`
/// from the registration (the engine keeps those of the checks that apply).
pub fn registration_results(j: &Judging<'_>, reads: &FirstReads) -> Vec<CheckResult> {
    let Some(read) = &reads.application else {
        return Vec::new();
    };
    let app = match read {
        Ok(app) => app,
        Err(ReadError::NotFound(error)) => {
            return REGISTRATION_CHECKS
                .into_iter()
                .map(|id| {
                    fail(
                        id,
                        Cause::ClientIdNotFound,
                        format!(
                            "This tenant has no app registration {}: it may be another tenant's app, which only that tenant can change.",
                            j.client_id
                        ),
                        error.evidence(),
                    )
                    .with_link(Some(portal::app_registrations(j.cloud)))
                })
                .collect();
        }
        Err(error) => {
            return REGISTRATION_CHECKS
                .into_iter()
                .map(|id| read_failure(j.cloud, id, error, "app registrations", APP_READER_ROLES))
                .collect();
        }
    };
    let registration = &j.profile.registration;
    let redirect = match j.redirect_uri {
        Some(uri) => {
            let mut expected = j.profile.redirect_uris_from(uri);
            if expected.is_empty() {
                // A custom profile without a redirect template: the URI given, under Web.
                expected.push((RedirectPlatform::Web, uri.to_string()));
            }
            judge_redirect_uris(j.cloud, app, &expected)
        }
        None => skipped(
            CheckId::RedirectUri,
            SkipReason::MissingInput,
            "No redirect URI was given.",
        )
        .with_needs(&[crate::verify::Needed::RedirectUri]),
    };
    vec![
        redirect,
        judge_account_type(j.cloud, app, &registration.account_types),
        {
            let catalogs = catalogs(reads, j.profile);
            let required: Vec<Required<'_>> = catalogs
                .iter()
                .map(|(resource, catalog)| Required {
                    resource: *resource,
                    permissions: registration.permissions_of(*resource),
                    catalog,
                })
                .collect();
            judge_api_permissions_of(j.cloud, app, &required, j.token_roles)
        },
        judge_secret_expiry(j.cloud, app, j.secret_hint, j.now),
        judge_certificate_expiry(j.cloud, app, j.certificate_thumbprint, j.now),
    ]
}

/// The service principal's object ID, when stage one found it (stage two reads its grants).
pub fn service_principal_id(reads: &FirstReads) -> Option<&str> {
    match &reads.service_principal {
        Some(Ok(sp)) => Some(&sp.id),
        _ => None,
    }
}

/// `admin_consent` and `consent_policy`; `second` holds stage two's reads when it ran.
pub fn consent_results(
    j: &Judging<'_>,
    reads: &FirstReads,
    second: Option<&ConsentReads>,
) -> Vec<CheckResult> {
    let Some(sp_read) = &reads.service_principal else {
        return Vec::new();
    };
    let admin_consent = admin_consent_result(j, reads, sp_read, second);
    let policy = consent_policy_result(j, reads, &admin_consent);
    let admin_consent = match &reads.pending_requests {
        Some(requests) => with_pending_requests(
            admin_consent,
            j.cloud,
            j.profile.kind,
            RequestReads {
                requests,
                reviewers: match &reads.consent_requests {
                    Some(Ok(workflow)) if workflow.is_enabled => Some(&workflow.reviewers),
                    _ => None,
                },
            },
        ),
        None => admin_consent,
    };
    vec![admin_consent, policy]
}

fn admin_consent_result(
    j: &Judging<'_>,
    reads: &FirstReads,
    sp_read: &Result<crate::graph::service_principals::ServicePrincipal, ReadError>,
    second: Option<&ConsentReads>,
) -> CheckResult {
    let id = CheckId::AdminConsent;
    let catalog = catalog(reads);
    let permissions = &j.profile.registration.permissions;
    let catalogs = catalogs(reads, j.profile);
    let mut others = Vec::new();
    for (resource, other_catalog) in catalogs.iter().skip(1) {
        let sp_id = match reads.other_resources.iter().find(|(r, _)| r == resource) {
            Some((_, Ok(sp))) => Some(sp.id.as_str()),
            // No such service principal in the tenant: nothing can be consented on it.
            Some((_, Err(ReadError::NotFound(_)))) | None => None,
            Some((_, Err(error))) => {
                return read_failure(
                    j.cloud,
                    id,
                    error,
                    "the Office 365 Exchange Online service principal",
                    APP_READER_ROLES,
                );
            }
        };
        others.push(OtherResource {
            resource: *resource,
            required: j.profile.registration.permissions_of(*resource),
            sp_id,
            catalog: other_catalog,
        });
    }
    let judge = |granted| {
        judge_admin_consent_with(
            j.cloud,
            j.client_id,
            j.profile.kind,
            permissions,
            granted,
            &catalog,
            j.token_roles,
            &others,
        )
    };
    let sp = match sp_read {
        Ok(sp) => sp,
        Err(ReadError::NotFound(_)) => return judge(None),
        Err(error) => {
            return read_failure(
                j.cloud,
                id,
                error,
                "enterprise applications",
                APP_READER_ROLES,
            );
        }
    };
    let Some(second) = second else {
        return read_failure(
            j.cloud,
            id,
            &ReadError::Unavailable(crate::http::Unavailable {
                cause: Cause::NetworkError,
                detail: "the grants were not read".into(),
                retry_after: None,
            }),
            "grants",
            APP_READER_ROLES,
        );
    };
    let grants = match &second.grants {
        Ok(grants) => grants,
        Err(error) => {
            return read_failure(
                j.cloud,
                id,
                error,
                "delegated permission grants",
                APP_READER_ROLES,
            );
        }
    };
    let assignments = match &second.assignments {
        Ok(assignments) => assignments,
        Err(error) => {
            return read_failure(j.cloud, id, error, "app role assignments", APP_READER_ROLES);
        }
    };
    let needs_graph = !permissions.delegated.is_empty() || !permissions.application.is_empty();
    let graph_sp_id = match &reads.graph {
        Some(Ok(graph)) => Some(graph.id.as_str()),
        Some(Err(error)) if needs_graph => {
            return read_failure(
                j.cloud,
                id,
                error,
                "the Microsoft Graph service principal",
                APP_READER_ROLES,
            );
        }
        _ => None,
    };
    judge(Some(Granted {
        service_principal: sp,
        grants,
        assignments,
        graph_sp_id,
    }))
}

fn consent_policy_result(
    j: &Judging<'_>,
    reads: &FirstReads,
    admin_consent: &CheckResult,
) -> CheckResult {
    let id = CheckId::ConsentPolicy;
    let policy = match &reads.authorization {
        Some(Ok(policy)) => policy,
        Some(Err(error)) => {
            return read_failure(
                j.cloud,
                id,
                error,
                "the authorization policy",
                POLICY_READER_ROLES,
            );
        }
        None => {
            return skipped(
                id,
                SkipReason::NotApplicable,
                "The consent policies were not read.",
            );
        }
    };
    let admin_consented = match (admin_consent.status, admin_consent.cause) {
        (Status::Pass | Status::Warn, _) => true,
        (Status::Fail, Some(Cause::AdminConsentMissing)) => false,
        _ => return downstream(id, admin_consent),
    };
    let workflow = match &reads.consent_requests {
        Some(Ok(p)) => Some(p.is_enabled),
        _ => None,
    };
    let catalog = catalog(reads);
    let mut result = judge_consent_policy(
        &ConsentPolicyInputs {
            cloud: j.cloud,
            kind: j.profile.kind,
            client_id: j.client_id,
            required_delegated: &j.profile.registration.permissions.delegated,
            admin_consented,
            catalog: &catalog,
        },
        policy,
        workflow,
    );
    if let Some(Err(error)) = &reads.consent_requests {
        result.evidence["admin_consent_request_policy_error"] = json!(error.to_string());
    }
    result
}
