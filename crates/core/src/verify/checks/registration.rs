//! `redirect_uri` and `account_type`, judged from the app registration read by an administrator:
//! each exact redirect URI the product uses must be registered under its platform (Web for most),
//! the first that is not deciding the result ([`judge_redirect_uris`]), and the
//! supported account type (`signInAudience`) must be one the product accepts.
//!
//! A redirect URI that breaks the offline rules has already failed in the engine before anything
//! was read; that result stands.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::applications::Application;
use crate::portal::{self, AppPage};
use crate::profile::{AccountType, RedirectPlatform};
use crate::validate::{RedirectDifference, redirect_differences};
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass};

/// The platform's name in the admin center.
fn platform_label(platform: RedirectPlatform) -> &'static str {
    match platform {
        RedirectPlatform::Web => "Web",
        RedirectPlatform::Spa => "Single-page application",
        RedirectPlatform::PublicClient => "Mobile and desktop applications",
    }
}

fn uris_of(app: &Application, platform: RedirectPlatform) -> &[String] {
    match platform {
        RedirectPlatform::Web => app.web_uris(),
        RedirectPlatform::Spa => app.spa_uris(),
        RedirectPlatform::PublicClient => app.public_client_uris(),
    }
}

const PLATFORMS: [RedirectPlatform; 3] = [
    RedirectPlatform::Web,
    RedirectPlatform::Spa,
    RedirectPlatform::PublicClient,
];

/// Whether a difference still leaves the URI recognisably the same address.
fn is_near(difference: &RedirectDifference) -> bool {
    !matches!(
        difference,
        RedirectDifference::Host { .. }
            | RedirectDifference::Path { .. }
            | RedirectDifference::Other
    )
}

/// Judge the registered redirect URIs against every one the product uses (`expected`: each with
/// its platform, the main one first): the first that is not registered as it must be decides;
/// when all are, one pass names them all. A single URI is judged by [`judge_redirect_uri`] alone.
pub fn judge_redirect_uris(
    cloud: Cloud,
    app: &Application,
    expected: &[(RedirectPlatform, String)],
) -> CheckResult {
    let mut results: Vec<CheckResult> = expected
        .iter()
        .map(|(platform, uri)| judge_redirect_uri(cloud, app, uri, *platform))
        .collect();
    if results.len() <= 1 {
        return results.pop().unwrap_or_else(|| {
            pass(
                CheckId::RedirectUri,
                "The product uses no redirect URI.",
                json!({}),
            )
        });
    }
    let all: Vec<serde_json::Value> = expected
        .iter()
        .zip(&results)
        .map(|((platform, uri), result)| {
            json!({
                "redirect_uri": uri.trim(),
                "platform": platform_label(*platform),
                "status": result.status,
            })
        })
        .collect();
    if let Some(index) = results
        .iter()
        .position(|r| r.status != crate::verify::Status::Pass)
    {
        let mut failed = results.swap_remove(index);
        failed.evidence["every_redirect_uri"] = json!(all);
        if expected.len() > 1 {
            failed.message = format!(
                "{} ({} of the product's {} redirect URIs.)",
                failed.message,
                ordinal(index + 1),
                expected.len()
            );
        }
        return failed;
    }
    let listed: Vec<String> = expected
        .iter()
        .map(|(platform, uri)| format!("{} ({})", uri.trim(), platform_label(*platform)))
        .collect();
    pass(
        CheckId::RedirectUri,
        format!(
            "Every redirect URI the product uses is registered exactly: {}.",
            listed.join(", ")
        ),
        json!({
            "every_redirect_uri": all,
            "web": app.web_uris(),
            "spa": app.spa_uris(),
            "public_client": app.public_client_uris(),
        }),
    )
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "The first".into(),
        2 => "The second".into(),
        3 => "The third".into(),
        n => format!("Number {n}"),
    }
}

/// Judge the registered redirect URIs against `expected`, which belongs under `platform`.
pub fn judge_redirect_uri(
    cloud: Cloud,
    app: &Application,
    expected: &str,
    platform: RedirectPlatform,
) -> CheckResult {
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::Authentication,
    ));
    let expected = expected.trim();
    let mut evidence = json!({
        "redirect_uri": expected,
        "platform": platform_label(platform),
        "web": app.web_uris(),
        "spa": app.spa_uris(),
        "public_client": app.public_client_uris(),
    });
    if uris_of(app, platform).iter().any(|u| u == expected) {
        return pass(
            CheckId::RedirectUri,
            format!(
                "{expected} is registered under {}, exactly.",
                platform_label(platform)
            ),
            evidence,
        );
    }
    if let Some(other) = PLATFORMS
        .into_iter()
        .find(|p| *p != platform && uris_of(app, *p).iter().any(|u| u == expected))
    {
        evidence["registered_under"] = platform_label(other).into();
        return fail(
            CheckId::RedirectUri,
            Cause::RedirectPlatformWrong,
            format!(
                "{expected} is registered under {}, but the product needs it under {}.",
                platform_label(other),
                platform_label(platform)
            ),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "Under Authentication, remove {expected} from the {} platform and add it under {} (Add a platform > {}).",
            platform_label(other),
            platform_label(platform),
            platform_label(platform)
        ));
    }
    let closest = PLATFORMS
        .into_iter()
        .flat_map(|p| uris_of(app, p).iter().map(move |u| (p, u)))
        .map(|(p, u)| (p, u, redirect_differences(u, expected)))
        .filter(|(_, _, d)| d.iter().all(is_near))
        .min_by_key(|(_, _, d)| d.len());
    let fix = format!(
        "Under Authentication > {}, add {expected} exactly (scheme, host, path, letter case, no trailing slash) and save.",
        platform_label(platform)
    );
    match closest {
        Some((p, registered, differences)) => {
            let described: Vec<String> = differences.iter().map(|d| d.describe()).collect();
            evidence["closest"] = registered.as_str().into();
            evidence["differences"] = json!(described);
            fail(
                CheckId::RedirectUri,
                Cause::RedirectUriMismatch,
                format!(
                    "The registration has {registered} under {}, not exactly {expected}: {}. Microsoft accepts only an exact match.",
                    platform_label(p),
                    described.join("; ")
                ),
                evidence,
            )
            .with_link(link)
            .with_fix(fix)
        }
        None => {
            let registered: Vec<&String> = PLATFORMS
                .into_iter()
                .flat_map(|p| uris_of(app, p))
                .collect();
            let listed = if registered.is_empty() {
                "none".to_string()
            } else {
                registered
                    .iter()
                    .map(|u| u.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            fail(
                CheckId::RedirectUri,
                Cause::RedirectUriMismatch,
                format!(
                    "{expected} is not registered. The registration's redirect URIs: {listed}."
                ),
                evidence,
            )
            .with_link(link)
            .with_fix(fix)
        }
    }
}

/// Judge the registration's `signInAudience` against the account types the product accepts.
pub fn judge_account_type(
    cloud: Cloud,
    app: &Application,
    accepted: &[AccountType],
) -> CheckResult {
    let audience = app.sign_in_audience.as_deref().unwrap_or_default();
    let current = serde_json::from_value::<AccountType>(json!(audience)).ok();
    let evidence = json!({
        "sign_in_audience": audience,
        "accepted": accepted.iter().map(|a| a.sign_in_audience()).collect::<Vec<_>>(),
    });
    if let Some(current) = current.filter(|c| accepted.contains(c)) {
        return pass(
            CheckId::AccountType,
            format!(
                "The app accepts {} ({audience}), as the product needs.",
                current.portal_label()
            ),
            evidence,
        );
    }
    let needed: Vec<&str> = accepted.iter().map(|a| a.portal_label()).collect();
    let now = current.map_or_else(
        || format!("'{audience}'"),
        |c| format!("{} ({audience})", c.portal_label()),
    );
    fail(
        CheckId::AccountType,
        Cause::AccountTypeMismatch,
        format!(
            "The app accepts {now}; the product needs {}.",
            needed.join(" or ")
        ),
        evidence,
    )
    .with_link(Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::Authentication,
    )))
    .with_fix(format!(
        "Under Authentication > Supported account types (or signInAudience in the Manifest), choose {}, and save.",
        needed.join(" or ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::applications::RedirectUris;
    use crate::verify::Status;

    const EXPECTED: &str = "https://intranet.contoso.com/oauth2/outlook/callback";

    fn app(web: &[&str], spa: &[&str], audience: &str) -> Application {
        let uris = |list: &[&str]| {
            Some(RedirectUris {
                redirect_uris: list.iter().map(|s| s.to_string()).collect(),
            })
        };
        Application {
            id: "c".into(),
            app_id: "b".into(),
            display_name: None,
            sign_in_audience: Some(audience.into()),
            web: uris(web),
            spa: uris(spa),
            public_client: None,
            required_resource_access: vec![],
            password_credentials: vec![],
            key_credentials: vec![],
        }
    }

    fn outcome(result: &CheckResult) -> (Status, Option<Cause>) {
        (result.status, result.cause)
    }

    #[test]
    fn the_exact_web_uri_passes() {
        let result = judge_redirect_uri(
            Cloud::Global,
            &app(&[EXPECTED], &[], "AzureADMyOrg"),
            EXPECTED,
            RedirectPlatform::Web,
        );
        assert_eq!(outcome(&result), (Status::Pass, None));
    }

    #[test]
    fn under_spa_is_the_wrong_platform() {
        let result = judge_redirect_uri(
            Cloud::Global,
            &app(&[], &[EXPECTED], "AzureADMyOrg"),
            EXPECTED,
            RedirectPlatform::Web,
        );
        assert_eq!(
            outcome(&result),
            (Status::Fail, Some(Cause::RedirectPlatformWrong))
        );
        assert!(result.portal_link.is_some());
    }

    #[test]
    fn a_near_miss_names_its_differences() {
        let registered = "https://intranet.contoso.com/oauth2/Outlook/callback/";
        let result = judge_redirect_uri(
            Cloud::Global,
            &app(&[registered], &[], "AzureADMyOrg"),
            EXPECTED,
            RedirectPlatform::Web,
        );
        assert_eq!(
            outcome(&result),
            (Status::Fail, Some(Cause::RedirectUriMismatch))
        );
        assert!(result.message.contains("letter case"), "{}", result.message);
        assert!(result.message.contains("slash"), "{}", result.message);
        assert_eq!(result.evidence["closest"], registered);
    }

    #[test]
    fn an_absent_uri_lists_what_is_registered() {
        let result = judge_redirect_uri(
            Cloud::Global,
            &app(&["https://other.example/cb"], &[], "AzureADMyOrg"),
            EXPECTED,
            RedirectPlatform::Web,
        );
        assert_eq!(
            outcome(&result),
            (Status::Fail, Some(Cause::RedirectUriMismatch))
        );
        assert!(result.message.contains("https://other.example/cb"));
    }

    #[test]
    fn account_type_must_be_accepted() {
        let accepted = [AccountType::MultiTenantAndPersonal];
        let ok = judge_account_type(
            Cloud::Global,
            &app(&[], &[], "AzureADandPersonalMicrosoftAccount"),
            &accepted,
        );
        assert_eq!(outcome(&ok), (Status::Pass, None));
        let wrong = judge_account_type(Cloud::Global, &app(&[], &[], "AzureADMyOrg"), &accepted);
        assert_eq!(
            outcome(&wrong),
            (Status::Fail, Some(Cause::AccountTypeMismatch))
        );
        assert!(wrong.message.contains("personal Microsoft accounts"));
        assert!(wrong.portal_link.is_some());
    }

    #[test]
    fn every_redirect_uri_is_judged_and_the_first_wrong_one_decides() {
        const SECOND: &str = "https://intranet.contoso.com/spa/callback";
        let expected = [
            (RedirectPlatform::Web, EXPECTED.to_string()),
            (RedirectPlatform::Spa, SECOND.to_string()),
        ];
        let both = judge_redirect_uris(
            Cloud::Global,
            &app(&[EXPECTED], &[SECOND], "AzureADMyOrg"),
            &expected,
        );
        assert_eq!(outcome(&both), (Status::Pass, None));
        assert!(both.message.contains(SECOND), "{}", both.message);
        assert_eq!(
            both.evidence["every_redirect_uri"].as_array().map(Vec::len),
            Some(2)
        );

        let second_missing = judge_redirect_uris(
            Cloud::Global,
            &app(&[EXPECTED], &[], "AzureADMyOrg"),
            &expected,
        );
        assert_eq!(second_missing.status, Status::Fail);
        assert!(
            second_missing.message.contains(SECOND)
                && second_missing
                    .message
                    .contains("The second of the product's 2"),
            "{}",
            second_missing.message
        );

        let under_web = judge_redirect_uris(
            Cloud::Global,
            &app(&[EXPECTED, SECOND], &[], "AzureADMyOrg"),
            &expected,
        );
        assert_eq!(
            outcome(&under_web),
            (Status::Fail, Some(Cause::RedirectPlatformWrong))
        );

        // One URI is judged exactly as before.
        let one = judge_redirect_uris(
            Cloud::Global,
            &app(&[EXPECTED], &[], "AzureADMyOrg"),
            &expected[..1],
        );
        let alone = judge_redirect_uri(
            Cloud::Global,
            &app(&[EXPECTED], &[], "AzureADMyOrg"),
            EXPECTED,
            RedirectPlatform::Web,
        );
        assert_eq!(one.message, alone.message);
        assert_eq!(one.evidence, alone.evidence);
    }
}
