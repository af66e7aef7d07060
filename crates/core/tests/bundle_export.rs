//! The bundle API the desktop app calls: `bundle::export` for every shipped profile from a live
//! verification against the stand-in, `bundle::open` reading it back (the GUI resumes from the
//! record), the secret's value only in `secret.age`, stable calendar UIDs, and the temporary file
//! beside the target until the rename.

mod support;

use std::io::Read;
use std::path::Path;

use chrono::TimeZone;
use entra_setup_core::bundle::{self, ExportRequest, Protection, SecretFacts, SecretStorage};
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{self, Inputs};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";
const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const KEY_ID: &str = "dddddddd-0000-0000-0000-000000000001";

/// Profile, scenario, client ID, redirect URI.
const PROFILES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        APP,
        Some("https://intranet.contoso.com/oauth2/outlook/callback"),
    ),
    (
        "axero-m365-email",
        "axero-m365-email",
        APP,
        Some("https://intranet.contoso.com/oauth2/sharepoint/callback"),
    ),
    (
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        APP,
        Some("https://odoo.contoso.com/microsoft_account/authentication"),
    ),
    (
        "exchange-calendar-connector",
        "exchange-calendar-connector",
        APP,
        None,
    ),
    ("vendor-app-consent", "vendor-app-consent", VENDOR_APP, None),
    (
        "custom",
        "contoso",
        APP,
        Some("https://intranet.contoso.com/oauth2/outlook/callback"),
    ),
];

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date")
}

fn entry(path: &Path, name: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut file = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).expect("read");
    Some(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_profile_exports_and_opens_again() {
    let catalog = Catalog::shipped();
    let identity = age::x25519::Identity::generate();
    let dir = tempfile::tempdir().expect("dir");
    for (profile_id, scenario, client_id, redirect) in PROFILES {
        let profile = catalog.get(profile_id).expect("shipped profile");
        let served = support::serve(support::scenario(scenario), now()).await;
        let inputs = Inputs {
            tenant: "contoso.com".into(),
            client_id: Some(client_id.to_string()),
            secret: profile.secret.required.then(|| Secret::new(SECRET)),
            redirect_uri: redirect.map(str::to_string),
            ..Inputs::default()
        };
        let report = verify::verify(profile, &inputs, &served.ctx, &|_| {}).await;
        let has_secret = profile.secret.required;
        let request = ExportRequest {
            profile: profile.clone(),
            report: report.clone(),
            tenant: "contoso.com".into(),
            cloud: served.ctx.endpoints.cloud,
            login: served
                .ctx
                .endpoints
                .login
                .as_str()
                .trim_end_matches('/')
                .into(),
            client_id: client_id.to_string(),
            display_name: Some("Contoso <integration> & \"friends\"".into()),
            redirect_uri: redirect.map(str::to_string),
            secret: SecretFacts {
                key_id: has_secret.then(|| KEY_ID.to_string()),
                hint: has_secret.then(|| "Xy7".to_string()),
                expires: has_secret.then(|| now() + chrono::Duration::days(365)),
                value: inputs.secret.clone(),
                in_keychain: false,
            },
            certificate: None,
            protection: if has_secret {
                Protection::Recipients(vec![identity.to_public().to_string()])
            } else {
                Protection::None
            },
            now: now(),
        };
        let out = dir.path().join(format!("{profile_id}.zip"));
        let seen_temp = std::sync::Mutex::new(None);
        let hook = |temp: &Path| {
            assert!(!out.exists(), "the bundle appears only at the rename");
            assert_eq!(
                temp.parent(),
                out.parent(),
                "the temporary file is beside the target"
            );
            *seen_temp.lock().expect("lock") = Some(temp.to_path_buf());
        };
        let record = bundle::export(&request, &out, Some(&hook)).expect("export");
        let temp = seen_temp
            .lock()
            .expect("lock")
            .clone()
            .expect("the hook ran");
        assert!(
            temp.file_name()
                .expect("name")
                .to_string_lossy()
                .starts_with(&format!("{profile_id}.zip.tmp-"))
        );
        assert!(!temp.exists(), "renamed away");

        let opened = bundle::open(&out).expect("open");
        assert_eq!(
            opened.record, record,
            "{profile_id}: the GUI resumes from the same record"
        );
        assert_eq!(opened.record.checks.len(), profile.checks.len());
        assert_eq!(
            opened.record.tenant.id.as_deref(),
            Some("11111111-2222-3333-4444-555555555555")
        );
        for name in &opened.entries {
            let bytes = entry(&out, name).expect("entry");
            if name != bundle::SECRET_AGE {
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(SECRET),
                    "{profile_id}: secret in {name}"
                );
            }
        }
        let html =
            String::from_utf8(entry(&out, bundle::REPORT_HTML).expect("report")).expect("text");
        assert!(
            html.contains("Contoso &lt;integration&gt; &amp; &quot;friends&quot;"),
            "escaped"
        );
        assert!(!html.contains("<integration>"));
        if has_secret {
            assert_eq!(opened.record.secret.storage, SecretStorage::Age);
            assert!(opened.has_encrypted_secret());
            let plain = age::decrypt(&identity, &entry(&out, bundle::SECRET_AGE).expect("age"))
                .expect("decrypt");
            assert_eq!(plain, SECRET.as_bytes());
            let ics =
                String::from_utf8(entry(&out, bundle::ROTATION_ICS).expect("ics")).expect("text");
            assert!(ics.contains(&format!("UID:{}", bundle::rotate_uid(KEY_ID))));
            assert!(ics.contains(&format!("UID:{}", bundle::expiry_uid(KEY_ID))));
            let lead = profile.secret.lead_days;
            let rotate_day = (now() + chrono::Duration::days(365 - i64::from(lead)))
                .format("%Y%m%d")
                .to_string();
            assert!(
                ics.contains(&format!("DTSTART;VALUE=DATE:{rotate_day}")),
                "{ics}"
            );
            // The same secret exported again gives the same calendar (stable UIDs, same stamp).
            let again = bundle::build(&request).expect("build");
            let again_ics = &again
                .entries
                .iter()
                .find(|(n, _)| *n == bundle::ROTATION_ICS)
                .expect("ics")
                .1;
            assert_eq!(again_ics, ics.as_bytes());
            let parsed = ics
                .parse::<icalendar::Calendar>()
                .expect("icalendar parses it");
            assert_eq!(parsed.components.len(), 2);
        } else {
            assert_eq!(opened.record.secret.storage, SecretStorage::None);
            assert!(!opened.has_encrypted_secret());
            assert!(entry(&out, bundle::ROTATION_ICS).is_none());
        }
        drop(served);
    }
}

#[test]
fn recipients_and_missing_values_are_refused_before_anything_is_written() {
    let catalog = Catalog::shipped();
    let profile = catalog.get("odoo-outlook-calendar").expect("profile");
    let report = verify::Report {
        profile: profile.id.clone(),
        tenant_id: None,
        client_id: Some(APP.into()),
        checks: vec![],
        summary: verify::Summary::default(),
    };
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("b.zip");
    let mut request = ExportRequest {
        profile: profile.clone(),
        report,
        tenant: "contoso.com".into(),
        cloud: entra_setup_core::endpoints::Cloud::Global,
        login: "https://login.microsoftonline.com".into(),
        client_id: APP.into(),
        display_name: None,
        redirect_uri: None,
        secret: SecretFacts::default(),
        certificate: None,
        protection: Protection::Recipients(vec!["age1nope".into()]),
        now: now(),
    };
    request.secret.value = Some(Secret::new(SECRET));
    let error = bundle::export(&request, &out, None).expect_err("bad recipient");
    assert!(error.to_string().contains("age1nope"), "{error}");
    request.secret.value = None;
    request.protection = Protection::Passphrase(Secret::new("pass phrase"));
    let error = bundle::export(&request, &out, None).expect_err("no value");
    assert!(matches!(error, bundle::BundleError::NoSecretToEncrypt));
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nothing written"
    );
}
