//! The state the commands use, over a temporary home folder.

use entra_setup_app::ipc_error::{IpcError, IpcErrorCode};
use entra_setup_app::state::AppState;
use entra_setup_core::paths::AppPaths;

#[test]
fn lists_the_shipped_profiles() {
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path()));
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
    assert_eq!(ids.len(), 6);
}

#[test]
fn a_broken_user_profile_is_a_profile_invalid_error_naming_the_file() {
    let home = tempfile::tempdir().expect("temp home");
    let profiles = home.path().join("profiles");
    std::fs::create_dir_all(&profiles).expect("profiles dir");
    std::fs::write(profiles.join("mine.toml"), "id = \"mine\"\n").expect("write");
    let state = AppState::new(AppPaths::under(home.path()));
    let error: IpcError = state
        .profile_summaries()
        .expect_err("broken profile")
        .into();
    assert_eq!(error.code, IpcErrorCode::ProfileInvalid);
    assert!(error.message.contains("mine.toml"), "{}", error.message);
}

#[test]
fn a_setup_under_way_resumes_on_its_step_in_a_new_app_state() {
    use entra_setup_core::profile::{Catalog, WizardStep};
    use entra_setup_core::wizard::{InputField, WizardState};
    let home = tempfile::tempdir().expect("temp home");
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("profile");
    let first = AppState::new(AppPaths::under(home.path()));
    first
        .replace(Some(WizardState::new(profile, Some("contoso".into()))))
        .expect("start");
    first
        .update(|w| {
            w.set_input(InputField::Tenant, "contoso.com");
            assert!(w.go(profile, WizardStep::Registration));
        })
        .expect("update");
    drop(first);

    let again = AppState::new(AppPaths::under(home.path()));
    let resumed = again.wizard().expect("load").expect("a setup under way");
    assert_eq!(resumed.step, WizardStep::Registration);
    assert_eq!(resumed.inputs.tenant, "contoso.com");
    assert_eq!(resumed.demo.as_deref(), Some("contoso"));
    assert!(again.memory().secret.is_none(), "secrets are not resumed");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_tenant_answers_the_tenant_step() {
    use entra_setup_app::demo::DemoTenant;
    use entra_setup_core::profile::{Catalog, WizardStep};
    use entra_setup_core::verify::Status;
    use entra_setup_core::wizard::{InputField, WizardState, run::verify_step};
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path()));
    *state.demo.lock().await = Some(DemoTenant::start("contoso").await.expect("demo"));
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-outlook-calendar").expect("profile");
    let mut wizard = WizardState::new(profile, Some("contoso".into()));
    wizard.set_input(InputField::Tenant, "contoso.com");
    let inputs = wizard.verify_inputs(profile, None, Default::default());
    let ctx = state.context().await;
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
    let state = AppState::new(AppPaths::under(home.path()));
    *state.demo.lock().await = Some(DemoTenant::start("contoso").await.expect("demo"));
    let ctx = state.context().await;
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
