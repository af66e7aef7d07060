//! What `bundle::export` writes, `bundle::open` reads: IDs pasted with spaces or in capitals
//! are written in their one spelling, and a record `open` would refuse (a key id that is no
//! GUID) is never written.

use chrono::TimeZone;
use entra_setup_core::bundle::{self, BundleError, ExportRequest, Protection, SecretFacts};
use entra_setup_core::profile::Catalog;
use entra_setup_core::verify;

fn request(client_id: &str, key_id: &str) -> ExportRequest {
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date");
    let catalog = Catalog::shipped();
    let profile = catalog
        .get("axero-outlook-calendar")
        .expect("profile")
        .clone();
    ExportRequest {
        report: verify::Report {
            profile: profile.id.clone(),
            tenant_id: Some("11111111-2222-3333-4444-555555555555".into()),
            client_id: Some(client_id.into()),
            checks: vec![],
            summary: verify::Summary::default(),
        },
        profile,
        tenant: "contoso.com".into(),
        cloud: entra_setup_core::endpoints::Cloud::Global,
        login: "https://login.microsoftonline.com".into(),
        client_id: client_id.into(),
        display_name: None,
        redirect_uri: Some("https://intranet.contoso.com/oauth2/outlook/callback".into()),
        secret: SecretFacts {
            key_id: Some(key_id.into()),
            hint: Some("Xy7".into()),
            expires: Some(now + chrono::Duration::days(180)),
            value: None,
            in_keychain: false,
        },
        certificate: None,
        protection: Protection::None,
        now,
    }
}

#[test]
fn ids_pasted_with_spaces_or_capitals_are_written_in_one_spelling_and_open() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("b.zip");
    let request = request(
        " BBBBBBBB-0000-0000-0000-000000000001 ",
        "{DDDDDDDD-0000-0000-0000-000000000001}",
    );
    bundle::export(&request, &out, None).expect("export");
    let opened = bundle::open(&out).expect("open");
    assert_eq!(
        opened.record.application.client_id,
        "bbbbbbbb-0000-0000-0000-000000000001"
    );
    assert_eq!(
        opened.record.secret.key_id.as_deref(),
        Some("dddddddd-0000-0000-0000-000000000001")
    );
    assert!(
        opened
            .record
            .application
            .admin_consent_url
            .ends_with("client_id=bbbbbbbb-0000-0000-0000-000000000001")
    );
}

#[test]
fn a_record_open_would_refuse_is_never_written() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("b.zip");
    let error = bundle::export(
        &request("bbbbbbbb-0000-0000-0000-000000000001", "Xy7Q~not-a-key-id"),
        &out,
        None,
    )
    .expect_err("refused");
    assert!(matches!(error, BundleError::Write { .. }), "{error}");
    assert!(error.to_string().contains("secret.key_id"), "{error}");
    assert!(
        !error.to_string().contains("Xy7Q"),
        "what stood in the key id's place is not repeated: {error}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}
