//! Writes whose answer is lost after Microsoft acted (the stand-in's `after: true` faults: the
//! request is carried out, then the connection is reset or a 500 answered), one write at a time:
//! the registration's upsert, `addPassword`, the enterprise application, the delegated grant, the
//! app role assignment, and `addPassword` / `removePassword` of a rotation. Each time the repair
//! settles what happened by reading the directory and finishes, and the tenant ends with exactly
//! one of each object and no secret whose value nobody saw.

#[path = "support/repair.rs"]
mod repair;
mod support;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::fix::{self, FixError, Registered, SecretRequest};
use entra_setup_core::verify::Status;
use repair::{StandIn, applications, list, start};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const OLD_KEY: &str = "dddddddd-0000-0000-0000-000000000001";

/// Contoso without applications, and `fault` (with `after: true`) on one write.
async fn losing(fault: Value) -> StandIn {
    start("contoso", |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["faults"] = json!([fault]);
    })
    .await
}

/// Register `profile` from nothing while `fault` loses one write's answer: it finishes with
/// one registration and one secret whose value was shown.
async fn finished_through(fault: Value, profile: &str) -> (StandIn, Registered) {
    let stand_in = losing(fault).await;
    let registered = register(&stand_in, profile).await.expect("finished");
    assert_one_registration_one_secret(&stand_in, &registered).await;
    (stand_in, registered)
}

/// `profile`'s verification with the new secret says admin consent is granted.
async fn assert_consent_passes(stand_in: &StandIn, profile: &str, registered: &Registered) {
    let redirect = (profile == "axero-outlook-calendar")
        .then_some("https://intranet.contoso.com/oauth2/outlook/callback");
    let secret = registered.secret.as_ref().expect("secret").value.clone();
    let report = stand_in
        .verify(profile, &registered.client_id, secret, redirect)
        .await;
    let consent = report.check(CheckId::AdminConsent).expect("admin_consent");
    assert_eq!(consent.status, Status::Pass, "{consent:#?}");
}

/// Register `profile` from nothing.
async fn register(stand_in: &StandIn, profile: &str) -> Result<Registered, FixError> {
    let redirect = (profile == "axero-outlook-calendar")
        .then_some("https://intranet.contoso.com/oauth2/outlook/callback");
    stand_in
        .register(profile, None, redirect, SecretRequest::default())
        .await
}

/// Every fault set up was met.
fn assert_faults_met(stand_in: &StandIn) {
    for (matches, left) in stand_in.fake.faults_left() {
        assert_eq!(left, Some(0), "the fault {matches} was not met");
    }
}

/// The tenant holds exactly one registration, with exactly the secret `registered` made, and
/// every fault set up was met.
async fn assert_one_registration_one_secret(stand_in: &StandIn, registered: &Registered) {
    assert_faults_met(stand_in);
    let apps = applications(stand_in).await;
    assert_eq!(apps.len(), 1, "{apps:#?}");
    assert_eq!(apps[0]["appId"], registered.client_id.as_str());
    let secrets = apps[0]["passwordCredentials"].as_array().expect("secrets");
    let made = registered.secret.as_ref().expect("a secret was made");
    let ids: Vec<&str> = secrets.iter().filter_map(|s| s["keyId"].as_str()).collect();
    assert_eq!(ids, [made.key_id.as_str()], "no secret nobody saw");
}

#[tokio::test]
async fn a_lost_answer_to_the_create_leaves_one_registration() {
    for kind in [
        json!({"kind": "reset"}),
        json!({"kind": "status", "status": 500}),
    ] {
        let mut fault = json!({"match": "PATCH /v1.0/applications(*", "after": true, "times": 1});
        fault["kind"] = kind["kind"].clone();
        if let Some(status) = kind.get("status") {
            fault["status"] = status.clone();
        }
        let stand_in = losing(fault).await;
        let registered = register(&stand_in, "axero-outlook-calendar")
            .await
            .expect("finished");
        assert!(registered.created);
        assert_one_registration_one_secret(&stand_in, &registered).await;
        stand_in.shutdown().await;
    }
}

#[tokio::test]
async fn a_second_run_finds_the_registration_the_first_created() {
    let stand_in = losing(json!({"match": "GET /none", "kind": "reset", "times": 0})).await;
    let first = register(&stand_in, "axero-outlook-calendar")
        .await
        .expect("first run");
    // The first run's output was lost with its terminal: the administrator runs it again.
    let second = register(&stand_in, "axero-outlook-calendar")
        .await
        .expect("second run");
    assert_eq!(second.client_id, first.client_id);
    assert!(!second.created);
    assert!(
        second
            .changes
            .iter()
            .all(|c| c.kind == fix::ChangeKind::SecretAdded)
    );
    let apps = applications(&stand_in).await;
    assert_eq!(apps.len(), 1, "{apps:#?}");
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_to_add_password_removes_the_unseen_secret() {
    for kind in ["reset", "status"] {
        let (stand_in, _) = finished_through(
            json!({
                "match": "POST /v1.0/applications/*/addPassword", "kind": kind, "status": 500,
                "after": true, "times": 1
            }),
            "axero-outlook-calendar",
        )
        .await;
        stand_in.shutdown().await;
    }
}

#[tokio::test]
async fn two_lost_answers_to_add_password_leave_no_unseen_secret() {
    let stand_in = losing(json!({
        "match": "POST /v1.0/applications/*/addPassword", "kind": "reset", "after": true, "times": 2
    }))
    .await;
    let error = register(&stand_in, "axero-outlook-calendar")
        .await
        .expect_err("both answers lost");
    assert_faults_met(&stand_in);
    assert_eq!(error.cause(), Cause::WriteOutcomeUnknown, "{error}");
    let (client_id, _) = error.created_registration().expect("named");
    let apps = applications(&stand_in).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["appId"], client_id);
    assert_eq!(
        apps[0]["passwordCredentials"].as_array().map(Vec::len),
        Some(0),
        "both unseen secrets were removed: {}",
        apps[0]
    );
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_to_the_enterprise_application_leaves_one() {
    let (stand_in, registered) = finished_through(
        json!({"match": "POST /v1.0/servicePrincipals", "kind": "reset", "after": true, "times": 1}),
        "axero-outlook-calendar",
    )
    .await;
    let principals: Vec<Value> = list(&stand_in, "servicePrincipals")
        .await
        .into_iter()
        .filter(|sp| sp["appId"] == registered.client_id.as_str())
        .collect();
    assert_eq!(principals.len(), 1, "{principals:#?}");
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_to_the_consent_grant_leaves_one() {
    let (stand_in, registered) = finished_through(
        json!({
            "match": "POST /v1.0/oauth2PermissionGrants", "kind": "status", "status": 500,
            "after": true, "times": 1
        }),
        "axero-outlook-calendar",
    )
    .await;
    assert_consent_passes(&stand_in, "axero-outlook-calendar", &registered).await;
    let grants = list(&stand_in, "oauth2PermissionGrants").await;
    let sp_grants = grants
        .iter()
        .filter(|g| g["consentType"] == "AllPrincipals")
        .count();
    assert_eq!(sp_grants, 1, "{grants:#?}");
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_to_an_app_role_assignment_leaves_one() {
    let (stand_in, registered) = finished_through(
        json!({
            "match": "POST /v1.0/servicePrincipals/*/appRoleAssignedTo", "kind": "reset",
            "after": true, "times": 1
        }),
        "exchange-calendar-connector",
    )
    .await;
    assert_consent_passes(&stand_in, "exchange-calendar-connector", &registered).await;
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_rotation_whose_answers_were_lost_adds_one_and_removes_one() {
    let stand_in = start("contoso", |s| {
        s["faults"] = json!([
            {"match": "POST /v1.0/applications/*/addPassword", "kind": "reset", "after": true, "times": 1},
            {"match": "POST /v1.0/applications/*/removePassword", "kind": "status", "status": 500, "after": true, "times": 1}
        ]);
    })
    .await;
    let session = stand_in.session();
    let secrets_of_app = |apps: Vec<Value>| -> Vec<String> {
        apps.iter()
            .find(|a| a["appId"] == APP)
            .and_then(|a| a["passwordCredentials"].as_array())
            .map(|s| {
                s.iter()
                    .filter_map(|c| c["keyId"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = secrets_of_app(applications(&stand_in).await);
    let rotated = fix::rotate_secret("contoso.com", APP, 30, &session)
        .await
        .expect("rotated");
    assert_eq!(rotated.confirmation, fix::SecretConfirmation::Accepted);
    let after = secrets_of_app(applications(&stand_in).await);
    assert_eq!(after.len(), before.len() + 1, "{before:?} → {after:?}");
    assert!(after.contains(&rotated.secret.key_id));

    let removal = fix::remove_secret("contoso.com", APP, OLD_KEY, None, &session)
        .await
        .expect("removed");
    assert!(removal.removed, "the lost answer's removal counts");
    assert_faults_met(&stand_in);
    let last = secrets_of_app(applications(&stand_in).await);
    assert!(!last.iter().any(|k| k == OLD_KEY), "{last:?}");
    assert_eq!(last.len(), before.len());
    stand_in.shutdown().await;
}
