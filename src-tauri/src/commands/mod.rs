//! One `#[tauri::command]` per operation. Each is a few lines that call the core through
//! [`AppState`] and turn its errors into [`IpcError`]; no decisions are made here.
//!
//! A new command goes in three places: here, `ipc_builder` in `lib.rs`, and `build.rs` (which
//! generates its permission); `tests/commands.rs` fails when they disagree.

use entra_setup_core::diagnose::{Finding, diagnose};
use entra_setup_core::fix::{self, Patience, RegistrationInputs, RepairSession, SecretRequest};
use entra_setup_core::identity::{DEFAULT_SIGN_IN_CLIENT, DevicePrompt};
use entra_setup_core::profile::{ProfileSummary, WizardStep};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::Progress;
use entra_setup_core::wizard::{self, InputField, WizardState};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::demo::{self, DemoScenario, DemoTenant};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::{AppState, CreatedSecret};
use crate::view::{self, WizardView};

pub mod bundle;
pub mod keychain;
pub mod reminders;
pub mod settings;

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

/// The view of the wizard as it is now.
pub(crate) async fn current_view(
    state: &AppState,
    wizard: &WizardState,
) -> Result<WizardView, IpcError> {
    let profile = state.profile(&wizard.profile)?;
    Ok(view::build(state, &profile, wizard).await)
}

/// Run the demo tenant with `scenario` (started, switched or stopped); `fresh` plays it from
/// its beginning even when it is playing already (a new rehearsal).
pub(crate) async fn ensure_demo(
    state: &AppState,
    scenario: Option<&str>,
    fresh: bool,
) -> Result<(), IpcError> {
    let mut demo = state.demo.lock().await;
    match (demo.as_mut(), scenario) {
        (Some(running), Some(name)) if fresh || running.scenario() != name => {
            running.switch(name)?
        }
        (Some(_), Some(_)) => {}
        (None, Some(name)) => *demo = Some(DemoTenant::start(name).await?),
        (_, None) => *demo = None,
    }
    Ok(())
}

/// The setup under way, if any, on the step it was left on.
#[tauri::command]
#[specta::specta]
pub async fn wizard_resume(state: State<'_>) -> Result<Option<WizardView>, IpcError> {
    let Some(wizard) = state.wizard()? else {
        return Ok(None);
    };
    ensure_demo(&state, wizard.demo.as_deref(), false).await?;
    Ok(Some(current_view(&state, &wizard).await?))
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
    let wizard = WizardState::new(&found, demo);
    state.replace(Some(wizard.clone()))?;
    current_view(&state, &wizard).await
}

/// Leave the setup: forget its progress, its secret and its sign-ins.
#[tauri::command]
#[specta::specta]
pub async fn wizard_close(state: State<'_>) -> Result<(), IpcError> {
    state.replace(None)?;
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
    let wizard = state.update(|w| w.set_input(field, &value))?;
    current_view(&state, &wizard).await
}

/// Go to `step`.
#[tauri::command]
#[specta::specta]
pub async fn wizard_go(state: State<'_>, step: WizardStep) -> Result<WizardView, IpcError> {
    let profile = state.profile(&state.current()?.profile)?;
    let mut known = true;
    let wizard = state.update(|w| known = w.go(&profile, step))?;
    if !known {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            format!("step: this integration has no {step:?} step"),
        ));
    }
    current_view(&state, &wizard).await
}

/// Verify `step`'s checks live; each check's start and result go to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn wizard_check(
    state: State<'_>,
    step: WizardStep,
    on_progress: Channel<Progress>,
) -> Result<WizardView, IpcError> {
    let wizard = state.current()?;
    let profile = state.profile(&wizard.profile)?;
    let (secret, sessions) = {
        let memory = state.memory();
        (memory.secret.clone(), memory.sessions())
    };
    let inputs = wizard.verify_inputs(&profile, secret, sessions);
    let ctx = state.context().await;
    let results = wizard::run::verify_step(&profile, step, &inputs, &ctx, &|p| {
        let _ = on_progress.send(p);
    })
    .await;
    let wizard = state.update(|w| w.record(&results))?;
    current_view(&state, &wizard).await
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
    let wizard = state.current()?;
    require_tenant(&wizard)?;
    let ctx = state.context().await;
    let sink = prompt_sink(&on_prompt);
    let tokens =
        wizard::sign_in::administrator(&ctx, &wizard.inputs.tenant, DEFAULT_SIGN_IN_CLIENT, &sink)
            .await?;
    let upn = tokens
        .claims
        .upn
        .clone()
        .unwrap_or_else(|| "administrator".into());
    state.memory().admin = Some((tokens.access_token, upn));
    current_view(&state, &wizard).await
}

/// Sign the mailbox owner in (device code, shown through `on_prompt`).
#[tauri::command]
#[specta::specta]
pub async fn wizard_sign_in_mailbox(
    state: State<'_>,
    on_prompt: Channel<SignInPrompt>,
) -> Result<WizardView, IpcError> {
    let wizard = state.current()?;
    require_tenant(&wizard)?;
    if wizard.inputs.mailbox.is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "mailbox: enter the mailbox first",
        ));
    }
    let profile = state.profile(&wizard.profile)?;
    let inputs = wizard.verify_inputs(&profile, None, Default::default());
    let ctx = state.context().await;
    let sink = prompt_sink(&on_prompt);
    let sessions =
        wizard::sign_in::mailbox_owner(&profile, &inputs, &ctx, DEFAULT_SIGN_IN_CLIENT, &sink)
            .await?;
    state.memory().mailbox = Some((sessions, wizard.inputs.mailbox.clone()));
    current_view(&state, &wizard).await
}

fn require_tenant(wizard: &WizardState) -> Result<(), IpcError> {
    if wizard.inputs.tenant.is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "tenant: enter your tenant's domain or Directory (tenant) ID first",
        ));
    }
    Ok(())
}

/// What a repair changed, with the wizard afterwards.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RepairOutcome {
    /// Each change, for people.
    pub changes: Vec<String>,
    /// The wizard.
    pub view: WizardView,
}

/// The signed-in administrator's Graph token, or `why` a sign-in is needed.
pub(crate) fn admin_token(state: &AppState, why: &str) -> Result<Secret, IpcError> {
    state
        .memory()
        .admin
        .as_ref()
        .map(|(token, _)| token.clone())
        .ok_or_else(|| IpcError::new(IpcErrorCode::NotSignedIn, why))
}

/// Create the registration (no client ID yet) or repair the one entered: redirect URI, account
/// type, permissions, enterprise app, admin consent, and a secret when asked (`secret_days`).
async fn repair(state: &AppState, request: SecretRequest) -> Result<RepairOutcome, IpcError> {
    let wizard = state.current()?;
    require_tenant(&wizard)?;
    let profile = state.profile(&wizard.profile)?;
    let admin_token = admin_token(
        state,
        "Sign in as administrator first: creating and repairing needs your sign-in.",
    )?;
    let ctx = state.context().await;
    let session = RepairSession {
        ctx: &ctx,
        admin_token: &admin_token,
        patience: Patience::default(),
        progress: &|_| {},
    };
    let inputs = RegistrationInputs {
        tenant: wizard.inputs.tenant.clone(),
        client_id: (!wizard.inputs.client_id.is_empty())
            .then(|| wizard.inputs.client_id.to_ascii_lowercase()),
        redirect_uri: wizard.redirect_uri(&profile),
        app_name: None,
    };
    let registered = fix::register(&profile, &inputs, request, &session).await?;
    if let Some(secret) = &registered.secret {
        let mut memory = state.memory();
        memory.secret = Some(secret.value.clone());
        memory.created = Some(CreatedSecret {
            hint: secret.hint.clone(),
            expires: secret.expires,
            revealed: false,
        });
    }
    let kept = keychain::keep_made_secret(state, &wizard, &profile, &registered).await;
    let client_id = registered.client_id.clone();
    let wizard = state.update(|w| w.set_input(InputField::ClientId, &client_id))?;
    Ok(RepairOutcome {
        changes: registered
            .changes
            .into_iter()
            .map(|c| c.description)
            .chain(kept)
            .collect(),
        view: current_view(state, &wizard).await?,
    })
}

/// "Create it for me": create the registration, or repair the one entered.
#[tauri::command]
#[specta::specta]
pub async fn wizard_register(
    state: State<'_>,
    secret_days: Option<u32>,
) -> Result<RepairOutcome, IpcError> {
    repair(
        &state,
        SecretRequest {
            new_secret: false,
            days: secret_days,
        },
    )
    .await
}

/// Add a new client secret of `days` (within the profile's limit) to the registration.
#[tauri::command]
#[specta::specta]
pub async fn wizard_new_secret(
    state: State<'_>,
    days: Option<u32>,
) -> Result<RepairOutcome, IpcError> {
    repair(
        &state,
        SecretRequest {
            new_secret: true,
            days,
        },
    )
    .await
}

/// Hold a pasted secret value in memory (never saved); the view carries its offline issues.
#[tauri::command]
#[specta::specta]
pub async fn wizard_set_secret(state: State<'_>, value: String) -> Result<WizardView, IpcError> {
    let wizard = state.current()?;
    {
        let mut memory = state.memory();
        memory.created = None;
        memory.secret = (!value.trim().is_empty()).then(|| Secret::new(value.trim()));
    }
    current_view(&state, &wizard).await
}

/// The created secret's value, once.
#[tauri::command]
#[specta::specta]
pub fn wizard_reveal_secret(state: State<'_>) -> Result<String, IpcError> {
    let mut memory = state.memory();
    let value = memory.secret.as_ref().map(|s| s.expose().to_string());
    match (memory.created.as_mut(), value) {
        (Some(created), Some(value)) if !created.revealed => {
            created.revealed = true;
            Ok(value)
        }
        _ => Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "client secret: its value was shown once already; create a new secret if it was not copied",
        )),
    }
}

/// Explain pasted error text.
#[tauri::command]
#[specta::specta]
pub fn diagnose_text(state: State<'_>, text: String) -> Result<Vec<Finding>, IpcError> {
    Ok(diagnose(&text, &state.catalog()?))
}

/// Play another demo scenario (the setup under way keeps its inputs; checks run again).
#[tauri::command]
#[specta::specta]
pub async fn demo_switch(state: State<'_>, scenario: String) -> Result<WizardView, IpcError> {
    ensure_demo(&state, Some(&scenario), true).await?;
    {
        let mut memory = state.memory();
        memory.admin = None;
        memory.mailbox = None;
    }
    let wizard = state.update(|w| {
        w.demo = Some(scenario.clone());
        w.results.clear();
    })?;
    current_view(&state, &wizard).await
}
