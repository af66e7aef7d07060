//! What the wizard screens show, assembled from the core's state and plan and the shell's
//! memory: the steps with their portal links, the inputs and their offline issues, the latest
//! results, the permission table, the PowerShell, who is signed in, and whether a secret is held
//! (never its value), with the session it belongs to so that the UI can drop an answer about a
//! setup it no longer shows.

use entra_setup_core::credentials::CredentialType;
use entra_setup_core::fix::{self, LifetimeChoice};
use entra_setup_core::identity::{SignInClientError, SignInClientSource};
use entra_setup_core::profile::{Profile, ProfileKind, WizardStep};
use entra_setup_core::validate::InputIssue;
use entra_setup_core::verify::CheckResult;
use entra_setup_core::wizard::credential::{self, CertificateShown};
use entra_setup_core::wizard::plan::portal_link;
use entra_setup_core::wizard::{
    self, InputField, PendingConsentRequests, PermissionRow, Readiness, StepPlan, WizardInputs,
    powershell, state,
};
use serde::Serialize;

use crate::demo::DemoScenario;
use crate::state::{AppState, Memory, Session};

/// One step as shown.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct StepView {
    /// The core's plan of the step.
    #[serde(flatten)]
    pub plan: StepPlan,
    /// The Entra admin center page where it is done.
    pub portal_link: Option<String>,
    /// Whether its checks have what they need (entering it verifies at once), and what is missing.
    pub readiness: Readiness,
}

/// The secret the wizard holds, as shown.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SecretView {
    /// Whether a secret value is held in memory (pasted or created in this run).
    pub held: bool,
    /// The offline issues of the pasted value.
    pub issues: Vec<InputIssue>,
    /// For a secret the wizard created: its first characters.
    pub created_hint: Option<String>,
    /// For a secret the wizard created: when it expires (RFC 3339).
    pub created_expires: Option<String>,
    /// Whether the created value may still be revealed (once).
    pub can_reveal: bool,
    /// The lifetime offered by default, in days.
    pub default_days: u32,
    /// The longest lifetime the profile allows, in days.
    pub max_days: u32,
    /// The lifetimes to offer, as the Entra admin center offers them, within the profile's limit
    /// (a custom end date is offered beside them).
    pub choices: Vec<LifetimeChoice>,
    /// The profile's advice on the secret.
    pub advice: String,
    /// Whether the secret's expiry is known (read live, made here, or remembered), so an export
    /// can make its calendar and reminder; when not, the export panel asks for it. Always with a
    /// certificate, which carries its own end date.
    pub expiry_known: bool,
    /// The credentials the admin may choose between (`secret`, `certificate`); empty when the
    /// product takes only a client secret (no choice is shown).
    pub credentials: Vec<CredentialType>,
    /// The credential the app proves itself with.
    pub credential: CredentialType,
    /// The certificate held for this setup (made here or read from the OS keychain): its
    /// thumbprint and end date, never its key.
    pub certificate: Option<CertificateShown>,
}

/// Everything the wizard screens show.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WizardView {
    /// The session the view belongs to (a new one whenever a wizard starts, opens from a bundle
    /// or is resumed at launch).
    pub session: String,
    /// The profile id.
    pub profile: String,
    /// The profile's title.
    pub title: String,
    /// The product.
    pub product: String,
    /// The kind of integration.
    pub kind: ProfileKind,
    /// The steps, in order.
    pub steps: Vec<StepView>,
    /// The step on screen.
    pub step: WizardStep,
    /// What the admin entered.
    pub inputs: WizardInputs,
    /// The offline issues of every input, errors first.
    pub issues: Vec<InputIssue>,
    /// The redirect URI computed from the site URL.
    pub redirect_uri: Option<String>,
    /// The delegated scopes the product asks for, space-separated.
    pub scopes: String,
    /// The admin-consent link for the tenant and client ID, once both are known.
    pub admin_consent_link: Option<String>,
    /// The latest result of each check.
    pub results: Vec<CheckResult>,
    /// The permissions step's table.
    pub permissions: Vec<PermissionRow>,
    /// Users' requests for admin consent that wait for a reviewer, once the check has read them.
    pub consent_requests: Option<PendingConsentRequests>,
    /// The PowerShell for the mailbox or calendar step.
    pub powershell: Option<String>,
    /// The client secret.
    pub secret: SecretView,
    /// The signed-in administrator.
    pub admin: Option<String>,
    /// The signed-in mailbox owner.
    pub mailbox_owner: Option<String>,
    /// The demo tenant's scenario, when rehearsing.
    pub demo: Option<DemoScenario>,
    /// The public client people sign in with, and where that choice came from.
    pub sign_in_client: SignInClientView,
}

/// The public client people sign in with (as the CLI resolves it), for the sign-in step.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SignInClientView {
    /// Its application (client) ID; `None` when the configured value cannot be used.
    pub client_id: Option<String>,
    /// Where it came from, in words, or what is wrong with the configured value.
    pub origin: String,
    /// Whether it is Microsoft Graph Command Line Tools because nothing is set.
    pub is_default: bool,
    /// Whether `ENTRA_SETUP_SIGN_IN_CLIENT` decides it (a value kept here would not be used).
    pub from_environment: bool,
    /// The `config.toml` a value chosen here is kept in.
    pub config_file: String,
}

/// The sign-in client of `app`, for the view.
pub fn sign_in_client_view(app: &AppState) -> SignInClientView {
    let config_file = app.config_file().display().to_string();
    match app.sign_in_client() {
        Ok(client) => SignInClientView {
            origin: client.origin(),
            is_default: client.source == SignInClientSource::MicrosoftGraphCommandLineTools,
            from_environment: client.source == SignInClientSource::Environment,
            client_id: Some(client.client_id),
            config_file,
        },
        Err(error) => SignInClientView {
            client_id: None,
            origin: error.to_string(),
            is_default: false,
            from_environment: matches!(&error, SignInClientError::NotAClientId { origin, .. } if origin.contains("environment")),
            config_file,
        },
    }
}

/// Build the view of `session` for `profile` (as the wizard runs it: with the certificate's
/// checks when a certificate is chosen).
pub async fn build(app: &AppState, profile: &Profile, session: &Session) -> WizardView {
    let endpoints = app.endpoints().await;
    let now = app.safekeeping.now();
    let cloud = endpoints.cloud;
    let (state, memory) = (&session.wizard, &session.memory);
    let chosen = credential::chosen(profile, state);
    let held = match chosen {
        CredentialType::Certificate => memory.certificate.is_some(),
        CredentialType::Secret => memory.secret.is_some(),
    };
    let profile = &credential::profile_for(profile, state);
    let client_id = (!state.inputs.client_id.is_empty()).then_some(state.inputs.client_id.as_str());
    let steps = wizard::plan(profile)
        .into_iter()
        .map(|plan| StepView {
            portal_link: portal_link(plan.step, cloud, client_id),
            readiness: wizard::readiness(state, plan.step, held),
            plan,
        })
        .collect();
    let mut issues = Vec::new();
    for field in [
        InputField::SiteUrl,
        InputField::Tenant,
        InputField::ClientId,
    ] {
        issues.extend(state::input_issues(
            profile,
            field,
            state.inputs.get(field),
            state.demo.is_some(),
        ));
    }
    let admin_consent_link = client_id.and_then(|client_id| {
        fix::setup_admin_consent_url(
            &endpoints,
            &state.inputs.tenant,
            client_id,
            state.redirect_uri(profile).as_deref(),
        )
        .ok()
        .map(String::from)
    });
    let powershell = powershell::for_profile(
        profile,
        powershell::AppFacts::from_results(profile, client_id, &state.results),
        &state.inputs.mailbox,
    );
    WizardView {
        session: session.id.to_string(),
        profile: profile.id.clone(),
        title: profile.title.clone(),
        product: profile.product.clone(),
        kind: profile.kind,
        steps,
        step: state.step,
        inputs: state.inputs.clone(),
        issues,
        redirect_uri: state.redirect_uri(profile),
        scopes: profile.registration.permissions.delegated.join(" "),
        admin_consent_link,
        results: state.results.clone(),
        permissions: wizard::permission_rows(profile, &state.results),
        consent_requests: wizard::pending_consent_requests(&state.results, cloud),
        powershell,
        secret: secret_view(app, profile, state, memory, now),
        admin: memory.admin.as_ref().map(|(_, upn)| upn.clone()),
        mailbox_owner: memory.mailbox.as_ref().map(|(_, upn)| upn.clone()),
        demo: state.demo.as_deref().and_then(crate::demo::describe),
        sign_in_client: sign_in_client_view(app),
    }
}

/// Whether the client secret's expiry is known (read live, made here, or remembered).
fn secret_expiry_known(app: &AppState, state: &wizard::WizardState) -> bool {
    let keep = &app.safekeeping;
    let known = keep
        .registry()
        .latest_for_client(&state.inputs.client_id)
        .ok()
        .flatten();
    let made = keep.made();
    wizard::export::secret_facts(
        state,
        made.as_ref(),
        known.as_ref(),
        None,
        None,
        None,
        false,
    )
    .expires
    .is_some()
}

/// The credential step as shown: the secret held (never its value), the credential chosen and
/// the choices offered, and the certificate held (its thumbprint and end date).
fn secret_view(
    app: &AppState,
    profile: &Profile,
    state: &wizard::WizardState,
    memory: &Memory,
    now: chrono::DateTime<chrono::Utc>,
) -> SecretView {
    let chosen = credential::chosen(profile, state);
    let issues = match (&memory.secret, &memory.created) {
        (Some(secret), None) => state::secret_issues(secret.expose()),
        _ => Vec::new(),
    };
    SecretView {
        held: memory.secret.is_some(),
        issues,
        created_hint: memory.created.as_ref().map(|c| c.hint.clone()),
        created_expires: memory.created.as_ref().map(|c| c.expires.to_rfc3339()),
        can_reveal: memory.created.as_ref().is_some_and(|c| !c.revealed),
        default_days: profile.secret.default_days,
        max_days: profile.secret.max_days,
        choices: fix::lifetime_choices(profile),
        advice: profile.secret.advice.clone(),
        // A certificate carries its own end date.
        expiry_known: chosen == CredentialType::Certificate || secret_expiry_known(app, state),
        credentials: credential::offered(profile),
        credential: chosen,
        certificate: memory
            .certificate
            .as_ref()
            .map(|c| credential::shown(c, memory.certificate_made, now)),
    }
}
