//! One `#[tauri::command]` per operation. Each is a few lines that call the core through
//! [`AppState`] and turn its errors into [`IpcError`]; no decisions are made here.
//!
//! A command that waits on Microsoft (a check, a sign-in, a repair) takes the wizard's
//! [`Session`] when it starts and records what it found only into that session
//! ([`AppState::record`]); checks and sign-ins also end at once when the session does
//! ([`Session::unless_ended`]). Their bodies are plain functions over [`AppState`]
//! ([`check_step`], [`sign_in_administrator`], [`sign_in_mailbox_owner`], [`repair`]) so that
//! they run, and are tested, without a webview.
//!
//! A new command goes in three places: here, `with_ipc_commands!` in `lib.rs`, and `build.rs` (which
//! generates its permission); `tests/commands.rs` fails when they disagree.

use entra_setup_core::credentials::CredentialType;
use entra_setup_core::diagnose::{Finding, diagnose_for};
use entra_setup_core::fix::{self, Patience, RegistrationInputs, RepairSession, SecretRequest};
use entra_setup_core::identity::{
    DEFAULT_SIGN_IN_CLIENT, DevicePrompt, SignInClientError, save_sign_in_client,
};
use entra_setup_core::profile::{Profile, ProfileSummary, WizardStep};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{Context, Progress, ProgressSink};
use entra_setup_core::wizard::sign_in::PromptSink;
use entra_setup_core::wizard::{self, InputField, WizardState};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::demo::{self, DemoScenario, DemoTenant};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::{AppState, CreatedSecret, Memory, Session};
use crate::view::{self, WizardView};

pub mod bundle;
pub mod certificate;
pub mod keychain;
pub mod reminders;
pub mod settings;
pub mod support;

type State<'a> = tauri::State<'a, AppState>;

/// The shipped and the admin's own integration profiles, for the start screen.
#[tauri::command]
#[specta::specta]
pub fn list_profiles(state: State<'_>) -> Result<Vec<ProfileSummary>, IpcError> {
    Ok(state.profile_summaries()?)
}

/// The demo tenant's scenarios, for its picker.
#[tauri::command]
#[specta::specta]
pub fn demo_scenarios() -> Result<Vec<DemoScenario>, IpcError> {
    Ok(demo::scenarios())
}

/// The view of `session`.
pub(crate) async fn current_view(
    state: &AppState,
    session: &Session,
) -> Result<WizardView, IpcError> {
    let profile = state.profile(&session.wizard.profile)?;
    Ok(view::build(state, &profile, session).await)
}

/// Run the demo tenant with `scenario` (started, switched or stopped); `fresh` plays it from
/// its beginning even when it is playing already (a new rehearsal).
pub(crate) async fn ensure_demo(
    state: &AppState,
    scenario: Option<&str>,
    fresh: bool,
) -> Result<(), IpcError> {
    // The demo tenant knows the client the app signs in with, so a rehearsal signs in as a
    // real tenant would.
    let client = state
        .sign_in_client()
        .map(|c| c.client_id)
        .unwrap_or_else(|_| DEFAULT_SIGN_IN_CLIENT.to_string());
    let mut demo = state.demo.lock().await;
    let outcome = match (demo.as_mut(), scenario) {
        (Some(running), Some(name)) if fresh || running.scenario() != name => {
            tracing::info!(scenario = name, "demo tenant: playing a scenario");
            running.switch(name, &client)
        }
        (Some(_), Some(_)) => Ok(()),
        (None, Some(name)) => DemoTenant::start(name, &client).await.map(|started| {
            tracing::info!(scenario = name, "demo tenant started on loopback");
            *demo = Some(started);
        }),
        (running, None) => {
            if running.is_some() {
                tracing::info!("demo tenant stopped");
            }
            *demo = None;
            Ok(())
        }
    };
    if let Err(e) = &outcome {
        tracing::warn!(scenario, "demo tenant: {}", e.message);
    }
    outcome
}

/// The setup under way, if any, on the step it was left on; and saved progress that could not
/// be used (set aside, not deleted), said once.
#[tauri::command]
#[specta::specta]
pub async fn wizard_resume(state: State<'_>) -> Result<Resumed, IpcError> {
    let set_aside = state.take_set_aside().await?.map(|aside| {
        format!(
            "Your saved progress could not be used: {}. It is kept as {}; start the setup again below.",
            aside.reason,
            aside.path.display()
        )
    });
    let Some(session) = state.session().await? else {
        return Ok(Resumed {
            view: None,
            set_aside,
        });
    };
    ensure_demo(&state, session.wizard.demo.as_deref(), false).await?;
    Ok(Resumed {
        view: Some(current_view(&state, &session).await?),
        set_aside,
    })
}

/// What the app finds at launch.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Resumed {
    /// The setup under way, on the step it was left on.
    pub view: Option<WizardView>,
    /// When saved progress could not be used: why, and where it is kept now.
    pub set_aside: Option<String>,
}

/// Start setting up `profile`, against Microsoft or (with `demo`) the demo tenant's scenario.
#[tauri::command]
#[specta::specta]
pub async fn wizard_start(
    state: State<'_>,
    profile: String,
    demo: Option<String>,
) -> Result<WizardView, IpcError> {
    let found = state.profile(&profile)?;
    ensure_demo(&state, demo.as_deref(), true).await?;
    let session = state.start(WizardState::new(&found, demo)).await?;
    current_view(&state, &session).await
}

/// Leave the setup: forget its progress, its secret and its sign-ins, and end what still runs
/// in it.
#[tauri::command]
#[specta::specta]
pub async fn wizard_close(state: State<'_>) -> Result<(), IpcError> {
    state.close().await?;
    ensure_demo(&state, None, false).await
}

/// Set one input; the view carries its offline issues.
#[tauri::command]
#[specta::specta]
pub async fn wizard_set_input(
    state: State<'_>,
    field: InputField,
    value: String,
) -> Result<WizardView, IpcError> {
    let session = state.update(|w, _| w.set_input(field, &value)).await?;
    current_view(&state, &session).await
}

/// Go to `step`.
#[tauri::command]
#[specta::specta]
pub async fn wizard_go(state: State<'_>, step: WizardStep) -> Result<WizardView, IpcError> {
    let session = state.current().await?;
    let profile = state.profile(&session.wizard.profile)?;
    let mut known = true;
    let session = state
        .record(session.id, |w, _| known = w.go(&profile, step))
        .await?;
    if !known {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            format!("step: this integration has no {step:?} step"),
        ));
    }
    current_view(&state, &session).await
}

/// Verify `step`'s checks live; each check's start and result go to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn wizard_check(
    state: State<'_>,
    step: WizardStep,
    on_progress: Channel<Progress>,
) -> Result<WizardView, IpcError> {
    check_step(&state, step, &|p| {
        let _ = on_progress.send(p);
    })
    .await
}

/// The body of [`wizard_check`]: `step`'s checks in the session under way, ended at once when
/// the session ends, their results recorded only into that session.
pub async fn check_step(
    state: &AppState,
    step: WizardStep,
    progress: ProgressSink<'_>,
) -> Result<WizardView, IpcError> {
    let session = state.current().await?;
    let profile = state.profile(&session.wizard.profile)?;
    let inputs = session.wizard.verify_inputs(
        &profile,
        session.memory.secret.clone(),
        session.memory.sessions(),
    );
    let ctx = state.context().await?;
    let results = session
        .unless_ended(wizard::run::verify_step_as_chosen(
            &profile,
            &session.wizard,
            step,
            &inputs,
            session.memory.certificate.as_ref(),
            &ctx,
            progress,
        ))
        .await?;
    let session = state.record(session.id, |w, _| w.record(&results)).await?;
    current_view(state, &session).await
}

/// A device code to show, with whom it is for.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SignInPrompt {
    /// The code to enter.
    pub user_code: String,
    /// Where to enter it.
    pub verification_uri: String,
    /// Minutes it stays valid.
    pub expires_in_minutes: u32,
}

fn prompt_sink(channel: &Channel<SignInPrompt>) -> impl Fn(&DevicePrompt) + Send + Sync + '_ {
    move |prompt: &DevicePrompt| {
        let _ = channel.send(SignInPrompt {
            user_code: prompt.user_code.clone(),
            verification_uri: prompt.verification_uri.clone(),
            expires_in_minutes: u32::try_from(prompt.expires_in / 60).unwrap_or(u32::MAX),
        });
    }
}

/// Sign the administrator in (device code, shown through `on_prompt`).
#[tauri::command]
#[specta::specta]
pub async fn wizard_sign_in(
    state: State<'_>,
    on_prompt: Channel<SignInPrompt>,
) -> Result<WizardView, IpcError> {
    sign_in_administrator(&state, &prompt_sink(&on_prompt)).await
}

/// The body of [`wizard_sign_in`]: the administrator's sign-in in the session under way, ended
/// at once when the session ends, its token held only for that session.
pub async fn sign_in_administrator(
    state: &AppState,
    show: PromptSink<'_>,
) -> Result<WizardView, IpcError> {
    let session = session_with_tenant(state).await?;
    let wizard = &session.wizard;
    let tenant = &wizard.inputs.tenant;
    sign_in_within(
        state,
        &session,
        async |ctx, client_id| wizard::sign_in::administrator(ctx, tenant, client_id, show).await,
        |memory, tokens| {
            let upn = tokens
                .claims
                .upn
                .clone()
                .unwrap_or_else(|| "administrator".into());
            memory.admin = Some((tokens.access_token, upn));
        },
    )
    .await
}

/// Sign the mailbox owner in (device code, shown through `on_prompt`).
#[tauri::command]
#[specta::specta]
pub async fn wizard_sign_in_mailbox(
    state: State<'_>,
    on_prompt: Channel<SignInPrompt>,
) -> Result<WizardView, IpcError> {
    sign_in_mailbox_owner(&state, &prompt_sink(&on_prompt)).await
}

/// The body of [`wizard_sign_in_mailbox`]: the mailbox owner's sign-in in the session under
/// way, ended at once when the session ends, its tokens held only for that session.
pub async fn sign_in_mailbox_owner(
    state: &AppState,
    show: PromptSink<'_>,
) -> Result<WizardView, IpcError> {
    let session = session_with_tenant(state).await?;
    let wizard = &session.wizard;
    if wizard.inputs.mailbox.is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "mailbox: enter the mailbox first",
        ));
    }
    let profile = state.profile(&wizard.profile)?;
    let inputs = wizard.verify_inputs(&profile, None, Default::default());
    let owner = wizard.inputs.mailbox.clone();
    sign_in_within(
        state,
        &session,
        async |ctx, client_id| {
            wizard::sign_in::mailbox_owner(&profile, &inputs, ctx, client_id, show).await
        },
        |memory, sessions| memory.mailbox = Some((sessions, owner)),
    )
    .await
}

/// The body of both sign-ins: `sign_in` runs with the app's context and the client the app signs
/// people in with, ended at once when `session` ends, and `keep` holds what it gave in that
/// session's memory only.
async fn sign_in_within<T, E>(
    state: &AppState,
    session: &Session,
    sign_in: impl AsyncFnOnce(&Context, &str) -> Result<T, E>,
    keep: impl FnOnce(&mut Memory, T),
) -> Result<WizardView, IpcError>
where
    IpcError: From<E>,
{
    let client = state.sign_in_client().map_err(sign_in_client_refused)?;
    let ctx = state.context().await?;
    let signed_in = session
        .unless_ended(sign_in(&ctx, &client.client_id))
        .await??;
    let session = state
        .record(session.id, |_, memory| keep(memory, signed_in))
        .await?;
    current_view(state, &session).await
}

/// A sign-in client that cannot be used (a bad value in the environment or `config.toml`).
fn sign_in_client_refused(error: SignInClientError) -> IpcError {
    IpcError::new(
        IpcErrorCode::InvalidInput,
        format!("sign-in client: {error}"),
    )
}

/// Keep the public client the app signs people in with in `config.toml` (`None`: back to the
/// default), as `sign_in_client` — the file the CLI reads too — and answer the wizard with it.
#[tauri::command]
#[specta::specta]
pub async fn wizard_set_sign_in_client(
    state: State<'_>,
    client_id: Option<String>,
) -> Result<WizardView, IpcError> {
    save_sign_in_client(&state.config_file(), client_id.as_deref()).map_err(|e| match e {
        SignInClientError::NotAClientId { .. } => sign_in_client_refused(e),
        SignInClientError::MalformedConfig { .. } => IpcError::new(
            IpcErrorCode::StorageUnavailable,
            format!("sign-in client: {e}"),
        ),
    })?;
    let session = state.current().await?;
    // A rehearsal's demo tenant learns the new client at once.
    if let Some(scenario) = session.wizard.demo.as_deref() {
        ensure_demo(&state, Some(scenario), true).await?;
    }
    current_view(&state, &session).await
}

/// The session under way, once its tenant is entered (signing in and repairing need it).
pub(crate) async fn session_with_tenant(state: &AppState) -> Result<Session, IpcError> {
    let session = state.current().await?;
    if session.wizard.inputs.tenant.is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "tenant: enter your tenant's domain or Directory (tenant) ID first",
        ));
    }
    Ok(session)
}

/// What a repair changed, with the wizard afterwards.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RepairOutcome {
    /// Each change, for people.
    pub changes: Vec<String>,
    /// The wizard.
    pub view: WizardView,
}

/// The administrator's Graph token signed in for `session`, or `why` a sign-in is needed.
pub(crate) fn admin_token(session: Option<&Session>, why: &str) -> Result<Secret, IpcError> {
    session
        .and_then(|s| s.memory.admin.as_ref())
        .map(|(token, _)| token.clone())
        .ok_or_else(|| IpcError::new(IpcErrorCode::NotSignedIn, why))
}

/// The body of [`wizard_register`] and [`wizard_new_secret`]: create the registration (no
/// client ID yet) or repair the one entered — redirect URI, account type, permissions,
/// enterprise app, admin consent, and a secret when asked — in the session under way.
///
/// Unlike a check, a repair is not ended half-way when its session ends: it writes to the
/// tenant, and a registration cut off between two writes would be worse than a finished one. A
/// secret it made is still kept in the keychain with its reminder (it exists in the tenant
/// either way); the client ID and the secret go only into the session the repair started in,
/// and when that session has ended the answer is [`IpcErrorCode::SessionEnded`], naming what
/// was changed.
pub async fn repair(state: &AppState, request: SecretRequest) -> Result<RepairOutcome, IpcError> {
    let session = session_with_tenant(state).await?;
    let wizard = &session.wizard;
    let profile = state.profile(&wizard.profile)?;
    let admin_token = admin_token(
        Some(&session),
        "Sign in as administrator first: creating and repairing needs your sign-in.",
    )?;
    let ctx = state.context().await?;
    let repair_session = repair_session(&ctx, &admin_token);
    let inputs = registration_inputs(wizard, &profile);
    // A secret entered in this session, or one the keychain keeps for the registration, is at
    // hand: none is added for want of one.
    let store = state.safekeeping.store();
    let request = SecretRequest {
        given: session.memory.secret.is_some(),
        kept_in: Some(store),
        ..request
    };
    // On the heap, like every long core operation (see `Session::unless_ended`).
    let registered = Box::pin(fix::register(&profile, &inputs, &request, &repair_session)).await?;
    let kept = keychain::keep_made_secret(state, wizard, &profile, &registered).await;
    let changes: Vec<String> = registered
        .changes
        .into_iter()
        .map(|c| c.description)
        .chain(kept)
        .collect();
    let (client_id, secret) = (registered.client_id, registered.secret);
    answer_repair(state, session.id, changes, move |w, memory| {
        w.set_input(InputField::ClientId, &client_id);
        if let Some(secret) = secret {
            memory.created = Some(CreatedSecret {
                hint: secret.hint,
                expires: secret.expires,
                revealed: false,
            });
            memory.secret = Some(secret.value);
        }
    })
    .await
}

/// A repair with the administrator's `admin_token`, waiting out replication as long as the core
/// advises; its progress is not shown (the UI waits on the repair's answer).
pub(crate) fn repair_session<'a>(ctx: &'a Context, admin_token: &'a Secret) -> RepairSession<'a> {
    RepairSession {
        ctx,
        admin_token,
        patience: Patience::default(),
        progress: &|_| {},
    }
}

/// The registration a repair creates or repairs, from what the admin entered.
pub(crate) fn registration_inputs(wizard: &WizardState, profile: &Profile) -> RegistrationInputs {
    RegistrationInputs {
        tenant: wizard.inputs.tenant.clone(),
        client_id: (!wizard.inputs.client_id.is_empty())
            .then(|| wizard.inputs.client_id.to_ascii_lowercase()),
        redirect_uri: wizard.redirect_uri(profile),
        app_name: None,
    }
}

/// Record what a repair found into the session `id` it started in, and answer with its
/// `changes`; when that session has ended, the answer is [`IpcErrorCode::SessionEnded`] naming
/// what was changed in the tenant.
pub(crate) async fn answer_repair(
    state: &AppState,
    id: crate::state::SessionId,
    changes: Vec<String>,
    found: impl FnOnce(&mut WizardState, &mut crate::state::Memory),
) -> Result<RepairOutcome, IpcError> {
    let recorded = state.record(id, found).await;
    let session = match recorded {
        Ok(session) => session,
        Err(ended) if ended.code == IpcErrorCode::SessionEnded => {
            return Err(IpcError::new(
                IpcErrorCode::SessionEnded,
                format!(
                    "{} What was changed in the tenant stays: {}",
                    ended.message,
                    changes.join(" ")
                ),
            ));
        }
        Err(other) => return Err(other),
    };
    Ok(RepairOutcome {
        changes,
        view: current_view(state, &session).await?,
    })
}

/// "Create it for me": create the registration, or repair the one entered; its new credential
/// (a secret, or a certificate when one is chosen) lives `secret_days`.
#[tauri::command]
#[specta::specta]
pub async fn wizard_register(
    state: State<'_>,
    secret_days: Option<u32>,
) -> Result<RepairOutcome, IpcError> {
    // With a certificate chosen, the registration gets a certificate in place of a secret.
    let session = state.current().await?;
    let profile = state.profile(&session.wizard.profile)?;
    if wizard::credential::chosen(&profile, &session.wizard) == CredentialType::Certificate {
        return certificate::repair_with_certificate(&state, false, secret_days).await;
    }
    repair(
        &state,
        SecretRequest {
            new_secret: false,
            days: secret_days,
            ..SecretRequest::default()
        },
    )
    .await
}

/// Add a new client secret to the registration, valid for `days` or until the custom end date
/// `until` (`YYYY-MM-DD`), within the profile's limit.
#[tauri::command]
#[specta::specta]
pub async fn wizard_new_secret(
    state: State<'_>,
    days: Option<u32>,
    until: Option<String>,
) -> Result<RepairOutcome, IpcError> {
    let days = lifetime_days(&state, days, until.as_deref(), "secret").await?;
    repair(
        &state,
        SecretRequest {
            new_secret: true,
            days,
            ..SecretRequest::default()
        },
    )
    .await
}

/// A new credential's lifetime: `days`, or the days up to the custom end date `until`
/// (`YYYY-MM-DD`, none when blank) within the profile's limit; a date refused is named as
/// `credential`'s end date.
pub(crate) async fn lifetime_days(
    state: &AppState,
    days: Option<u32>,
    until: Option<&str>,
    credential: &str,
) -> Result<Option<u32>, IpcError> {
    let Some(end) = until.filter(|u| !u.trim().is_empty()) else {
        return Ok(days);
    };
    let session = state.current().await?;
    let profile = state.profile(&session.wizard.profile)?;
    let today = state.safekeeping.now().date_naive();
    let days = fix::days_until(end, today, &profile).map_err(|e| {
        IpcError::new(
            IpcErrorCode::InvalidInput,
            format!("{credential} end date: {e}"),
        )
    })?;
    Ok(Some(days))
}

/// Hold a pasted secret value in memory (never saved); the view carries its offline issues.
#[tauri::command]
#[specta::specta]
pub async fn wizard_set_secret(state: State<'_>, value: String) -> Result<WizardView, IpcError> {
    let session = state
        .update(|_, memory| {
            memory.created = None;
            memory.secret = (!value.trim().is_empty()).then(|| Secret::new(value.trim()));
        })
        .await?;
    current_view(&state, &session).await
}

/// The created secret's value, once.
#[tauri::command]
#[specta::specta]
pub async fn wizard_reveal_secret(state: State<'_>) -> Result<String, IpcError> {
    let mut revealed = None;
    state
        .update(|_, memory| {
            let value = memory.secret.as_ref().map(|s| s.expose().to_string());
            if let (Some(created), Some(value)) = (memory.created.as_mut(), value)
                && !created.revealed
            {
                created.revealed = true;
                revealed = Some(value);
            }
        })
        .await?;
    revealed.ok_or_else(|| {
        IpcError::new(
            IpcErrorCode::InvalidInput,
            "client secret: its value was shown once already; create a new secret if it was not copied",
        )
    })
}

/// Explain pasted error text; with `profile` (the setup under way), that integration's findings
/// come first, in its words.
#[tauri::command]
#[specta::specta]
pub fn diagnose_text(
    state: State<'_>,
    text: String,
    profile: Option<String>,
) -> Result<Vec<Finding>, IpcError> {
    Ok(diagnose_for(&text, &state.catalog()?, profile.as_deref())?)
}

/// Play another demo scenario (the setup under way keeps its inputs; checks run again).
#[tauri::command]
#[specta::specta]
pub async fn demo_switch(state: State<'_>, scenario: String) -> Result<WizardView, IpcError> {
    let session = state.current().await?;
    ensure_demo(&state, Some(&scenario), true).await?;
    let session = state
        .record(session.id, |w, memory| {
            memory.admin = None;
            memory.mailbox = None;
            w.demo = Some(scenario.clone());
            w.results.clear();
        })
        .await?;
    current_view(&state, &session).await
}
