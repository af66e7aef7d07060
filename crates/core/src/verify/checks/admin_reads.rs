//! The Graph reads behind the administrator's checks, in two concurrent stages.
//!
//! Stage one needs nothing but the app ID and the mailbox, so the engine runs it alongside the
//! client-credentials request: the registration, the client's service principal, the Graph
//! permission catalogue (and that of each other resource the profile lists, Office 365 Exchange
//! Online's read by its appId), both consent policies, users' pending requests for admin consent to the
//! app, the mailbox user and their licences — each only when a check of the profile needs it, all
//! at once. Stage two needs the service principal's
//! object ID: its delegated grants and app role assignments, at once (alongside the calendar
//! read). Deciding what the answers mean belongs to [`super::admin`].

use std::future::Future;

use crate::check::CheckId;
use crate::graph::applications::Application;
use crate::graph::consent_requests::PendingRequest;
use crate::graph::grants::PermissionGrant;
use crate::graph::policies::{AdminConsentRequestPolicy, AuthorizationPolicy};
use crate::graph::service_principals::{AppRoleAssignment, ResourcePermissions, ServicePrincipal};
use crate::graph::users::{LicenseDetails, User};
use crate::graph::{self, ApiResource, ReadError, Reader};
use crate::profile::Profile;

/// A read's outcome.
pub type Read<T> = Result<T, ReadError>;

/// Which stage-one reads the profile's checks need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// The app registration (redirect URI, account type, permissions, secret expiry).
    pub application: bool,
    /// The client's service principal and, later, its grants (admin consent, consent policy).
    pub consent: bool,
    /// The Graph permission catalogue (permissions and consent).
    pub catalog: bool,
    /// The consent policies.
    pub policies: bool,
    /// Users' pending requests for admin consent to the app, and the workflow's reviewers
    /// (admin consent).
    pub requests: bool,
    /// The mailbox to read, when the mailbox check applies and one was given.
    pub mailbox: Option<String>,
    /// Resources besides Microsoft Graph whose permission catalogue (and service principal) to
    /// read: those the profile lists permissions of, when the catalogue is read.
    pub other_resources: Vec<ApiResource>,
}

impl Wanted {
    /// What `profile`'s checks need, given the mailbox input.
    pub fn for_profile(profile: &Profile, mailbox: Option<&str>) -> Wanted {
        let applies = |id: CheckId| profile.checks.contains(&id);
        let consent = applies(CheckId::AdminConsent) || applies(CheckId::ConsentPolicy);
        Wanted {
            application: [
                CheckId::RedirectUri,
                CheckId::AccountType,
                CheckId::ApiPermissions,
                CheckId::SecretExpiry,
                CheckId::CertificateExpiry,
            ]
            .into_iter()
            .any(applies),
            consent,
            catalog: consent || applies(CheckId::ApiPermissions),
            policies: applies(CheckId::ConsentPolicy),
            requests: applies(CheckId::AdminConsent),
            mailbox: mailbox
                .filter(|_| applies(CheckId::Mailbox))
                .map(|m| m.trim().to_string()),
            other_resources: if consent || applies(CheckId::ApiPermissions) {
                profile
                    .registration
                    .all_permissions()
                    .into_iter()
                    .map(|(resource, _)| resource)
                    .filter(|r| *r != ApiResource::MicrosoftGraph)
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The checks these reads decide.
    pub fn checks(&self) -> Vec<CheckId> {
        let mut ids = Vec::new();
        if self.application {
            ids.extend([
                CheckId::RedirectUri,
                CheckId::AccountType,
                CheckId::ApiPermissions,
                CheckId::SecretExpiry,
                CheckId::CertificateExpiry,
            ]);
        }
        if self.consent {
            ids.extend([CheckId::AdminConsent, CheckId::ConsentPolicy]);
        }
        if self.mailbox.is_some() {
            ids.push(CheckId::Mailbox);
        }
        ids
    }
}

/// What stage one read (`None`: not needed).
#[derive(Debug, Default)]
pub struct FirstReads {
    /// The app registration.
    pub application: Option<Read<Application>>,
    /// The client's service principal.
    pub service_principal: Option<Read<ServicePrincipal>>,
    /// The Graph service principal's permission catalogue.
    pub graph: Option<Read<ResourcePermissions>>,
    /// The other resources' service principals with their catalogues (Office 365 Exchange Online,
    /// read by its appId), for the resources [`Wanted::other_resources`] names.
    pub other_resources: Vec<(ApiResource, Read<ResourcePermissions>)>,
    /// The authorization policy.
    pub authorization: Option<Read<AuthorizationPolicy>>,
    /// The admin consent request policy.
    pub consent_requests: Option<Read<AdminConsentRequestPolicy>>,
    /// Users' requests for admin consent to the app that wait for a reviewer.
    pub pending_requests: Option<Read<Vec<PendingRequest>>>,
    /// The mailbox: its name, the user, their licences.
    pub mailbox: Option<MailboxReads>,
}

/// The mailbox reads.
#[derive(Debug)]
pub struct MailboxReads {
    /// The mailbox as given.
    pub mailbox: String,
    /// The user.
    pub user: Read<User>,
    /// Their licences.
    pub licences: Read<Vec<LicenseDetails>>,
}

/// What stage two read.
#[derive(Debug)]
pub struct ConsentReads {
    /// Delegated grants of the client's service principal.
    pub grants: Read<Vec<PermissionGrant>>,
    /// Its app role assignments.
    pub assignments: Read<Vec<AppRoleAssignment>>,
}

async fn when<F: Future>(needed: bool, read: F) -> Option<F::Output> {
    if needed { Some(read.await) } else { None }
}

/// Stage one: every read that needs only the app ID (`None` when no app ID was given).
pub async fn first_reads(reader: &Reader<'_>, app_id: Option<&str>, wanted: &Wanted) -> FirstReads {
    let app_id = app_id.unwrap_or_default();
    let with_app = !app_id.is_empty();
    let mailbox = wanted.mailbox.as_deref().unwrap_or_default();
    let (
        application,
        service_principal,
        graph,
        authorization,
        consent_requests,
        pending_requests,
        user,
        licences,
        exchange_online,
    ) = tokio::join!(
        when(
            wanted.application && with_app,
            graph::application_by_app_id(reader, app_id)
        ),
        when(
            wanted.consent && with_app,
            graph::service_principal_by_app_id(reader, app_id)
        ),
        when(wanted.catalog && with_app, graph::graph_permissions(reader)),
        when(wanted.policies, graph::authorization_policy(reader)),
        when(
            wanted.policies || (wanted.requests && with_app),
            graph::admin_consent_request_policy(reader)
        ),
        when(
            wanted.requests && with_app,
            graph::pending_consent_requests(reader, app_id)
        ),
        when(!mailbox.is_empty(), graph::user(reader, mailbox)),
        when(!mailbox.is_empty(), graph::license_details(reader, mailbox)),
        when(
            with_app
                && wanted
                    .other_resources
                    .contains(&ApiResource::ExchangeOnline),
            graph::service_principals::resource_permissions(reader, ApiResource::ExchangeOnline)
        ),
    );
    let other_resources = exchange_online
        .map(|read| (ApiResource::ExchangeOnline, read))
        .into_iter()
        .collect();
    let mailbox = match (user, licences) {
        (Some(user), Some(licences)) => Some(MailboxReads {
            mailbox: mailbox.to_string(),
            user,
            licences,
        }),
        _ => None,
    };
    FirstReads {
        application,
        service_principal,
        graph,
        authorization,
        consent_requests,
        pending_requests,
        mailbox,
        other_resources,
    }
}

/// Stage two: the grants and assignments of the client's service principal `sp_id`.
pub async fn consent_reads(reader: &Reader<'_>, sp_id: &str) -> ConsentReads {
    let (grants, assignments) = tokio::join!(
        graph::grants_for_client(reader, sp_id),
        graph::app_role_assignments(reader, sp_id),
    );
    ConsentReads {
        grants,
        assignments,
    }
}
