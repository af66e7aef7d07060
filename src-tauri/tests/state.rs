//! The state the commands use, over a temporary home folder.

use entra_setup_app::ipc_error::{IpcError, IpcErrorCode};
use entra_setup_app::state::AppState;
use entra_setup_core::identity::DEFAULT_SIGN_IN_CLIENT;
use entra_setup_core::paths::AppPaths;

#[test]
fn lists_the_shipped_profiles() {
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path())).expect("state");
    let ids: Vec<String> = state
        .profile_summaries()
        .expect("profiles")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert!(
        ids.contains(&"axero-outlook-calendar".to_string()),
        "{ids:?}"
    );
    assert_eq!(
        ids.len(),
        entra_setup_core::profile::Catalog::shipped()
            .profiles()
            .count()
    );
}

#[test]
fn a_broken_user_profile_is_a_profile_invalid_error_naming_the_file() {
    let home = tempfile::tempdir().expect("temp home");
    let profiles = home.path().join("profiles");
    std::fs::create_dir_all(&profiles).expect("profiles dir");
    std::fs::write(profiles.join("mine.toml"), "id = \"mine\"\n").expect("write");
    let state = AppState::new(AppPaths::under(home.path())).expect("state");
    let error: IpcError = state
        .profile_summaries()
        .expect_err("broken profile")
        .into();
    assert_eq!(error.code, IpcErrorCode::ProfileInvalid);
    assert!(error.message.contains("mine.toml"), "{}", error.message);
}

#[tokio::test]
async fn a_setup_under_way_resumes_on_its_step_in_a_new_app_state() {
    use entra_setup_core::profile::{Catalog, WizardStep};
    use entra_setup_core::wizard::{InputField, WizardState};
    let home = tempfile::tempdir().expect("temp home");
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("profile");
    let first = AppState::new(AppPaths::under(home.path())).expect("state");
    let started = first
        .start(WizardState::new(profile, Some("contoso".into())))
        .await
        .expect("start");
    first
        .update(|w, _| {
            w.set_input(InputField::Tenant, "contoso.com");
            assert!(w.go(profile, WizardStep::Registration));
        })
        .await
        .expect("update");
    drop(first);

    let again = AppState::new(AppPaths::under(home.path())).expect("state");
    let resumed = again.current().await.expect("a setup under way");
    assert_eq!(resumed.wizard.step, WizardStep::Registration);
    assert_eq!(resumed.wizard.inputs.tenant, "contoso.com");
    assert_eq!(resumed.wizard.demo.as_deref(), Some("contoso"));
    assert!(resumed.memory.secret.is_none(), "secrets are not resumed");
    assert_ne!(
        resumed.id, started.id,
        "a resumed setup is a session of its own"
    );
}

/// A state whose Microsoft is a loopback listener that accepts and never answers, so that a
/// check started against it is still running until the test decides otherwise.
async fn state_against_a_silent_microsoft(
    home: &std::path::Path,
) -> (AppState, tokio::net::TcpListener) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let endpoints = entra_setup_core::endpoints::Endpoints::from_json(
        &serde_json::json!({"login": base, "graph": base}).to_string(),
    )
    .expect("endpoints");
    (
        AppState::with_endpoints(AppPaths::under(home), endpoints).expect("state"),
        listener,
    )
}

fn tenant_step_wizard() -> entra_setup_core::wizard::WizardState {
    use entra_setup_core::profile::{Catalog, WizardStep};
    use entra_setup_core::wizard::{InputField, WizardState};
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-outlook-calendar").expect("profile");
    let mut wizard = WizardState::new(profile, None);
    wizard.set_input(InputField::Tenant, "contoso.com");
    assert!(wizard.go(profile, WizardStep::Tenant));
    wizard
}

#[tokio::test]
async fn a_check_still_running_when_the_setup_is_closed_ends_and_records_nothing() {
    use entra_setup_app::commands::check_step;
    use entra_setup_core::profile::WizardStep;
    let home = tempfile::tempdir().expect("temp home");
    let (state, listener) = state_against_a_silent_microsoft(home.path()).await;
    let state = std::sync::Arc::new(state);
    state.start(tenant_step_wizard()).await.expect("start");

    let checking = tokio::spawn({
        let state = state.clone();
        async move { check_step(&state, WizardStep::Tenant, &|_| {}).await }
    });
    // The check is under way once its first request reaches "Microsoft".
    let (_connection, _) = listener.accept().await.expect("the check's request");
    state.close().await.expect("close");

    let error = checking
        .await
        .expect("joined")
        .expect_err("the check belongs to a closed setup");
    assert_eq!(error.code, IpcErrorCode::SessionEnded, "{}", error.message);
    assert!(state.session().await.expect("state").is_none());
    assert!(
        state.store().load().expect("load").is_none(),
        "nothing was saved for the closed setup"
    );
}

#[tokio::test]
async fn a_result_for_a_replaced_setup_is_dropped_and_the_new_one_is_untouched() {
    use entra_setup_core::wizard::InputField;
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path())).expect("state");
    let old = state.start(tenant_step_wizard()).await.expect("start");
    let new = state
        .start(tenant_step_wizard())
        .await
        .expect("start again");
    assert!(old.has_ended(), "replacing a setup ends the old session");
    assert!(!new.has_ended());

    let error = state
        .record(old.id, |w, memory| {
            w.set_input(InputField::ClientId, "00000000-0000-0000-0000-000000000001");
            memory.admin = None;
        })
        .await
        .expect_err("the old session's result");
    assert_eq!(error.code, IpcErrorCode::SessionEnded);
    let current = state.current().await.expect("current");
    assert_eq!(current.id, new.id);
    assert_eq!(current.wizard.inputs.client_id, "");
    let saved = state.store().load().expect("load").expect("saved");
    assert_eq!(
        saved.inputs.client_id, "",
        "the saved setup is the new one, untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_made_at_once_each_see_the_one_before_and_none_is_lost() {
    use entra_setup_core::wizard::InputField;
    let home = tempfile::tempdir().expect("temp home");
    let state = std::sync::Arc::new(AppState::new(AppPaths::under(home.path())).expect("state"));
    state.start(tenant_step_wizard()).await.expect("start");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let state = state.clone();
            tokio::spawn(async move {
                state
                    .update(|w, _| {
                        // Read, change, save: a lost update would leave a mark out.
                        let next = format!("{}x", w.inputs.test_recipient);
                        w.set_input(InputField::TestRecipient, &next);
                    })
                    .await
                    .expect("update")
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("joined");
    }
    let current = state.current().await.expect("current");
    assert_eq!(current.wizard.inputs.test_recipient, "x".repeat(100));
    let saved = state.store().load().expect("load").expect("saved");
    assert_eq!(saved, current.wizard, "what is saved is what is held");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_tenant_answers_the_tenant_step() {
    use entra_setup_app::demo::DemoTenant;
    use entra_setup_core::profile::{Catalog, WizardStep};
    use entra_setup_core::verify::Status;
    use entra_setup_core::wizard::{InputField, WizardState, run::verify_step};
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path())).expect("state");
    *state.demo.lock().await = Some(
        DemoTenant::start("contoso", DEFAULT_SIGN_IN_CLIENT)
            .await
            .expect("demo"),
    );
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-outlook-calendar").expect("profile");
    let mut wizard = WizardState::new(profile, Some("contoso".into()));
    wizard.set_input(InputField::Tenant, "contoso.com");
    let inputs = wizard.verify_inputs(profile, None, Default::default());
    let ctx = state.context().await.expect("an HTTP client");
    let results = verify_step(profile, WizardStep::Tenant, &inputs, &ctx, &|_| {}).await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, Status::Pass, "{:?}", results[0]);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_tenant_signs_the_administrator_in_without_a_page() {
    use entra_setup_app::demo::DemoTenant;
    use entra_setup_core::identity::DEFAULT_SIGN_IN_CLIENT;
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path())).expect("state");
    *state.demo.lock().await = Some(
        DemoTenant::start("contoso", DEFAULT_SIGN_IN_CLIENT)
            .await
            .expect("demo"),
    );
    let ctx = state.context().await.expect("an HTTP client");
    let tokens = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        entra_setup_core::wizard::sign_in::administrator(
            &ctx,
            "contoso.com",
            DEFAULT_SIGN_IN_CLIENT,
            &|_| {},
        ),
    )
    .await
    .expect("signed in within 20 s")
    .expect("signed in");
    assert_eq!(tokens.claims.upn.as_deref(), Some("admin@contoso.com"));
}

#[tokio::test]
async fn damaged_saved_progress_is_set_aside_and_said_once() {
    let home = tempfile::tempdir().expect("temp home");
    let paths = AppPaths::under(home.path());
    let saved = paths.config_dir().join("wizard.json");
    std::fs::create_dir_all(paths.config_dir()).expect("folder");
    std::fs::write(&saved, "{\"version\": 1, \"profile\": ").expect("write");
    let state = AppState::new(paths).expect("state");
    assert!(state.session().await.expect("no error").is_none());
    let aside = state
        .take_set_aside()
        .await
        .expect("read")
        .expect("set aside");
    assert!(aside.reason.contains("damaged"), "{}", aside.reason);
    assert_eq!(
        std::fs::read_to_string(&aside.path).expect("kept"),
        "{\"version\": 1, \"profile\": "
    );
    assert!(!saved.exists());
    assert!(
        state.take_set_aside().await.expect("read").is_none(),
        "said once"
    );
}
