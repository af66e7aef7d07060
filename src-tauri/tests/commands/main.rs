//! Every command of the desktop shell called through the IPC, as the UI calls it, on Tauri's
//! mock runtime (`tauri::test`): the app's own command functions behind `generate_handler!`,
//! its real [`AppState`] over a temporary home folder, the core's in-memory keychain
//! ([`MemoryStore`]) and a fixed reminders clock, and for the network the stand-in for Microsoft
//! (`entra-fake-tenant`) — started here in-process as the tenant the app is pointed at, and also
//! reached through the app's own demo mode (`wizard_start` with a scenario).
//!
//! Each request goes through [`tauri::test::get_ipc_response`] with the command's name and its
//! arguments as JSON in camelCase, exactly as `ui/src/bindings.ts` sends them; a refusal comes
//! back as the shell's `{ code, message }`. Channel arguments (`onProgress`, `onPrompt`) are
//! sent as the webview sends them (`__CHANNEL__:ID`), and what the command sends through them
//! is caught by the mock app's channel interceptor, so a test reads the messages that arrived
//! before the answer without waiting.
//!
//! Four commands cannot be driven through the mock runtime, and [`WRY_ONLY`] names them: their
//! signatures take `tauri::AppHandle` — `AppHandle<Wry>`, the real webview runtime, which needs a
//! display — not `AppHandle<R>`, so their handlers exist only for `Wry`. They are
//! `settings_set` (applies the tray and start-at-login through `desktop::apply`),
//! `support_open_log_folder` (the system's file manager through tauri-plugin-opener) and
//! `bundle_choose_save_path` / `bundle_choose_open_path` (the system's file dialogs through
//! tauri-plugin-dialog). Their modules test what stands behind them instead (see each).
//!
//! [`every_command_is_called_through_the_ipc_here`] keeps this honest: every command the UI
//! invokes is in the mock app's handler or in [`WRY_ONLY`], and each handled one is called by
//! name in one of this target's files.
//!
//! Tests never sleep: a command answers when it is done, and channel messages arrive before
//! the answer.

mod bundle;
mod certificate;
mod keychain;
mod reminders;
mod settings;
mod support;
mod wizard;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use entra_fake_tenant::{FakeTenant, Scenario, StartOptions};
use entra_setup_app::state::AppState;
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::identity::{SIGN_IN_CLIENT_ENV, resolve_sign_in_client};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::reminders::FixedClock;
use entra_setup_core::secrets::{MemoryStore, SecretStore};
use serde_json::{Value, json};
use tauri::Manager as _;
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
use tauri::webview::InvokeRequest;

/// The stand-in's Contoso tenant (`crates/fake-tenant/scenarios/contoso.json`): its GUID.
pub const TENANT_ID: &str = "11111111-2222-3333-4444-555555555555";
/// Its domain.
pub const DOMAIN: &str = "contoso.com";
/// Its registered calendar app.
pub const CLIENT_ID: &str = "bbbbbbbb-0000-0000-0000-000000000001";
/// That app's secret's ID.
pub const SECRET_KEY_ID: &str = "dddddddd-0000-0000-0000-000000000001";
/// That secret's value.
pub const SECRET_VALUE: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
/// The site of the stand-in's products.
pub const SITE: &str = "https://intranet.contoso.com";
/// The profile most tests walk: delegated Outlook calendar sync for Axero.
pub const PROFILE: &str = "axero-outlook-calendar";
/// Now, for the reminders.
pub const NOW: &str = "2027-02-20T09:00:00Z";

/// The mock app's command handler and the names it serves, from one list: every command of
/// `entra_setup_app::ipc_builder` whose handler runs on any runtime.
macro_rules! mock_commands {
    ($($($segment:ident)::+),* $(,)?) => {
        /// The commands the mock app serves.
        const DRIVEN: &[&str] = &[$(stringify!($($segment)::+)),*];

        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<MockRuntime>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(entra_setup_app::$($segment)::+),*]
        }
    };
}

mock_commands![
    commands::list_profiles,
    commands::demo_scenarios,
    commands::wizard_resume,
    commands::wizard_start,
    commands::wizard_close,
    commands::wizard_set_input,
    commands::wizard_go,
    commands::wizard_check,
    commands::wizard_sign_in,
    commands::wizard_sign_in_mailbox,
    commands::wizard_register,
    commands::wizard_new_secret,
    commands::wizard_set_sign_in_client,
    commands::wizard_set_secret,
    commands::wizard_reveal_secret,
    commands::diagnose_text,
    commands::demo_switch,
    commands::certificate::wizard_set_credential,
    commands::certificate::wizard_new_certificate,
    commands::certificate::wizard_use_kept_certificate,
    commands::keychain::keychain_status,
    commands::keychain::wizard_use_kept_secret,
    commands::bundle::bundle_check_form,
    commands::bundle::bundle_export,
    commands::bundle::bundle_open,
    commands::reminders::reminders_list,
    commands::reminders::reminders_alerts,
    commands::reminders::reminders_add,
    commands::reminders::reminders_remove,
    commands::reminders::reminders_scan,
    commands::reminders::reminders_add_scanned,
    commands::reminders::reminders_rotate,
    commands::reminders::reminders_monitor_last_scan,
    commands::settings::settings_get,
    commands::support::support_log_text,
];

/// The commands whose handlers exist only on the real runtime (see the module doc).
pub const WRY_ONLY: &[&str] = &[
    "settings_set",
    "support_open_log_folder",
    "bundle_choose_save_path",
    "bundle_choose_open_path",
];

/// A channel message: the channel's id, the message's index and its JSON.
type Message = (u32, usize, Value);

/// A refusal as the UI receives it.
#[derive(Debug)]
pub struct Refusal {
    /// The shell's error code (`invalid_input`, `no_wizard`, …).
    pub code: String,
    /// The message for people.
    pub message: String,
}

/// A channel argument as the webview sends it, and the id its messages come back under.
#[derive(Debug, Clone, Copy)]
pub struct Channel(u32);

impl Channel {
    /// The argument's JSON value (`__CHANNEL__:ID`).
    pub fn arg(self) -> Value {
        json!(format!("__CHANNEL__:{}", self.0))
    }
}

/// What the harness is built with.
pub struct Options {
    /// The keychain the app keeps secrets in.
    pub keychain: Arc<dyn SecretStore>,
    /// The stand-in's scenario the app is pointed at.
    pub scenario: &'static str,
    /// Files to lay in the home folder before the app starts.
    pub prepare: fn(&AppPaths),
    /// The one instant the app's clock and the stand-in's read ([`NOW`] unless a test needs
    /// another).
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            keychain: Arc::new(MemoryStore::default()),
            scenario: "contoso",
            prepare: |_| {},
            now: NOW.parse().expect("a time"),
        }
    }
}

/// One app on the mock runtime over its own home folder, keychain and stand-in tenant.
pub struct Harness {
    webview: tauri::WebviewWindow<MockRuntime>,
    app: tauri::App<MockRuntime>,
    /// What channels received: the interceptor's receiver, and messages of other channels
    /// read while looking for one's.
    messages: Mutex<(mpsc::Receiver<Message>, Vec<Message>)>,
    next_channel: AtomicU32,
    /// The in-memory keychain the app keeps secrets in.
    pub keychain: Arc<dyn SecretStore>,
    /// The app's folders (under [`Harness::home`]).
    pub paths: AppPaths,
    /// The stand-in the app is pointed at (as `ENTRA_SETUP_ENDPOINTS` would point it).
    pub tenant: FakeTenant,
    /// The temporary home folder, removed with the harness.
    pub home: tempfile::TempDir,
}

impl Default for Harness {
    fn default() -> Self {
        Harness::with(Options::default())
    }
}

impl Harness {
    /// An app with the in-memory keychain, pointed at the stand-in's Contoso.
    pub fn new() -> Harness {
        Harness::default()
    }

    /// An app built with `options`.
    pub fn with(options: Options) -> Harness {
        let home = tempfile::tempdir().expect("temporary home folder");
        let paths = AppPaths::under(home.path());
        (options.prepare)(&paths);
        // The client the app will sign people in with, as it resolves it.
        let environment = std::env::var(SIGN_IN_CLIENT_ENV).ok();
        let client = resolve_sign_in_client(None, environment.as_deref(), &paths.config_file())
            .expect("a sign-in client")
            .client_id;
        let tenant = tauri::async_runtime::block_on(FakeTenant::start(
            stand_in(options.scenario, &client),
            // The stand-in reads the same instant as the app: one clock on both sides.
            StartOptions {
                clock: entra_fake_tenant::Clock::from(entra_fake_tenant::ManualClock::starting_at(
                    options.now,
                )),
                ..StartOptions::default()
            },
        ))
        .expect("the stand-in starts");
        let endpoints = Endpoints::from_json(&tenant.endpoints().ready_line())
            .expect("the stand-in's endpoints");
        let mut state =
            AppState::with_endpoints(paths.clone(), endpoints).expect("the app's state");
        state.safekeeping = entra_setup_app::safekeeping::Safekeeping::new(
            &paths,
            options.keychain.clone(),
            Box::new(FixedClock(options.now)),
        );

        let (sender, receiver) = mpsc::channel();
        let sender = Mutex::new(sender);
        let app = mock_builder()
            .manage(state)
            .channel_interceptor(move |_webview, CallbackFn(id), index, body| {
                let value = match body {
                    InvokeResponseBody::Json(text) => {
                        serde_json::from_str(text).expect("channel message JSON")
                    }
                    InvokeResponseBody::Raw(bytes) => json!(bytes),
                };
                let _ = sender
                    .lock()
                    .expect("channel sender")
                    .send((id, index, value));
                true
            })
            .invoke_handler(invoke_handler())
            .build(mock_context(tauri::test::noop_assets()))
            .expect("the mock app builds");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window");
        Harness {
            webview,
            app,
            messages: Mutex::new((receiver, Vec::new())),
            next_channel: AtomicU32::new(1),
            keychain: options.keychain,
            paths,
            tenant,
            home,
        }
    }

    /// Invoke `command` with `args` as the webview does.
    pub fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("answer JSON"))
    }

    /// Invoke `command`, which must answer.
    #[track_caller]
    pub fn ok(&self, command: &str, args: Value) -> Value {
        match self.call(command, args) {
            Ok(value) => value,
            Err(error) => panic!("{command} was refused: {error}"),
        }
    }

    /// Invoke `command`, which must be refused with the shell's `{ code, message }`.
    #[track_caller]
    pub fn refused(&self, command: &str, args: Value) -> Refusal {
        match self.call(command, args) {
            Ok(value) => panic!("{command} answered instead of refusing: {value}"),
            Err(error) => Refusal {
                code: error["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{command}: not an IpcError: {error}"))
                    .into(),
                message: error["message"].as_str().expect("message").into(),
            },
        }
    }

    /// A new channel argument.
    pub fn channel(&self) -> Channel {
        Channel(1000 + self.next_channel.fetch_add(1, Ordering::Relaxed))
    }

    /// What `channel` received so far, in the order it was sent.
    pub fn received(&self, channel: Channel) -> Vec<Value> {
        let mut messages = self.messages.lock().expect("channel messages");
        let (receiver, others) = &mut *messages;
        let (mut mine, rest): (Vec<_>, Vec<_>) = others
            .drain(..)
            .chain(receiver.try_iter())
            .partition(|(id, _, _)| *id == channel.0);
        *others = rest;
        mine.sort_by_key(|(_, index, _)| *index);
        mine.into_iter().map(|(_, _, value)| value).collect()
    }

    /// The app's state (what the commands share), to look behind an answer.
    pub fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// Start the `profile` setup against the tenant the app is pointed at, with the site entered.
    pub fn start(&self, profile: &str) -> Value {
        self.ok("wizard_start", json!({ "profile": profile, "demo": null }));
        self.ok(
            "wizard_set_input",
            json!({ "field": "site_url", "value": SITE }),
        )
    }

    /// Enter `value` as `field`, as the UI does on every change.
    pub fn set(&self, field: &str, value: &str) -> Value {
        self.ok(
            "wizard_set_input",
            json!({ "field": field, "value": value }),
        )
    }

    /// Sign the administrator in (the stand-in signs in without a page).
    pub fn sign_in(&self) -> Value {
        let prompts = self.channel();
        let view = self.ok("wizard_sign_in", json!({ "onPrompt": prompts.arg() }));
        let shown = self.received(prompts);
        assert_eq!(shown.len(), 1, "one device code shown: {shown:?}");
        assert!(!shown[0]["user_code"].as_str().unwrap_or("").is_empty());
        view
    }
}

/// The stand-in's scenario as the demo plays it: the administrator, then the mailbox owner, sign
/// in without a page, and the app's sign-in client is a public client it knows.
fn stand_in(name: &str, sign_in_client: &str) -> Scenario {
    let text = entra_fake_tenant::builtin::SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("a shipped scenario");
    let mut scenario: Value = serde_json::from_str(text).expect("scenario JSON");
    scenario["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    scenario["public_clients"] = json!([sign_in_client]);
    Scenario::from_json(&scenario.to_string()).expect("scenario")
}

/// The id and status of each check result in `view`.
pub fn statuses(view: &Value) -> Vec<(String, String)> {
    view["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("id").to_string(),
                r["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

/// The status of check `id` in `view`.
#[track_caller]
pub fn status_of(view: &Value, id: &str) -> String {
    statuses(view)
        .into_iter()
        .find(|(check, _)| check == id)
        .unwrap_or_else(|| panic!("no result for {id}: {:?}", statuses(view)))
        .1
}

/// The commands the generated bindings invoke.
fn bindings_commands() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts"),
    )
    .expect("ui/src/bindings.ts");
    text.split("TAURI_INVOKE(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
        .collect()
}

/// This target's files, where each handled command must be called by name.
const SOURCES: &[&str] = &[
    include_str!("wizard.rs"),
    include_str!("keychain.rs"),
    include_str!("bundle.rs"),
    include_str!("certificate.rs"),
    include_str!("reminders.rs"),
    include_str!("settings.rs"),
    include_str!("support.rs"),
    include_str!("main.rs"),
];

#[test]
fn every_command_is_called_through_the_ipc_here() {
    let driven: BTreeSet<String> = DRIVEN
        .iter()
        .map(|path| path.rsplit("::").next().unwrap_or(path).trim().to_string())
        .collect();
    let wry_only: BTreeSet<String> = WRY_ONLY.iter().map(|c| c.to_string()).collect();
    assert!(driven.is_disjoint(&wry_only));
    let covered: BTreeSet<String> = driven.union(&wry_only).cloned().collect();
    assert_eq!(
        covered,
        bindings_commands(),
        "the mock app's handler and WRY_ONLY must name every command the UI invokes"
    );
    for command in &driven {
        let quoted = format!("\"{command}\"");
        let called = SOURCES.iter().any(|source| source.contains(&quoted));
        assert!(called, "{command} is called through the IPC in no test");
    }
}
