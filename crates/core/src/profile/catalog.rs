//! The catalogue of profiles: the shipped ones (embedded at build time) and the admin's own
//! (`*.toml` in the config folder's `profiles/`).
//!
//! A user profile with the id of a shipped one is refused rather than allowed to replace it
//! silently: the ids are stable and bundles and reminders refer to them.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ProfileSummary;
use super::schema::{Profile, ProfileRuleBroken};

/// The shipped profiles, in the order the start screen lists them.
const SHIPPED: &[(&str, &str)] = &[
    (
        "axero-outlook-calendar.toml",
        include_str!("../../profiles/axero-outlook-calendar.toml"),
    ),
    (
        "axero-m365-email.toml",
        include_str!("../../profiles/axero-m365-email.toml"),
    ),
    (
        "odoo-outlook-calendar.toml",
        include_str!("../../profiles/odoo-outlook-calendar.toml"),
    ),
    (
        "exchange-calendar-connector.toml",
        include_str!("../../profiles/exchange-calendar-connector.toml"),
    ),
    (
        "vendor-app-consent.toml",
        include_str!("../../profiles/vendor-app-consent.toml"),
    ),
    (
        "gitlab-graph-mailer.toml",
        include_str!("../../profiles/gitlab-graph-mailer.toml"),
    ),
    (
        "nextcloud-mail-microsoft.toml",
        include_str!("../../profiles/nextcloud-mail-microsoft.toml"),
    ),
    (
        "freescout-microsoft.toml",
        include_str!("../../profiles/freescout-microsoft.toml"),
    ),
    (
        "odoo-outlook-mail.toml",
        include_str!("../../profiles/odoo-outlook-mail.toml"),
    ),
    (
        "zammad-microsoft365.toml",
        include_str!("../../profiles/zammad-microsoft365.toml"),
    ),
    (
        "glpi-oauthimap.toml",
        include_str!("../../profiles/glpi-oauthimap.toml"),
    ),
    (
        "moodle-microsoft-oauth.toml",
        include_str!("../../profiles/moodle-microsoft-oauth.toml"),
    ),
    (
        "wordpress-wpo365-mailer.toml",
        include_str!("../../profiles/wordpress-wpo365-mailer.toml"),
    ),
    ("custom.toml", include_str!("../../profiles/custom.toml")),
];

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ProfileSource {
    /// Shipped with the product.
    Shipped,
    /// The admin's own, from this file.
    User {
        /// The profile file.
        path: String,
    },
}

/// A profile file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid TOML or does not follow the profile format.
    #[error("profile {file}: {message}")]
    Malformed {
        /// The file at fault.
        file: String,
        /// What the parser said, with the line and the field.
        message: String,
    },
    /// The file parses but breaks a profile rule.
    #[error("profile {file}")]
    RuleBroken {
        /// The file at fault.
        file: String,
        /// The rule it breaks.
        #[source]
        source: ProfileRuleBroken,
    },
    /// Two profiles share an id.
    #[error("profile {file}: the id '{id}' is already used by another profile")]
    DuplicateId {
        /// The file whose id clashes.
        file: String,
        /// The id.
        id: String,
    },
    /// The user profiles folder or one of its files cannot be read.
    #[error("cannot read {path}")]
    Unreadable {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// All profiles the program knows.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<(Profile, ProfileSource)>,
}

impl Catalog {
    /// The shipped profiles only.
    pub fn shipped() -> Self {
        let mut catalog = Catalog {
            entries: Vec::new(),
        };
        for (file, text) in SHIPPED {
            // The shipped profiles are tested to parse (see the tests below), so a failure here is
            // a build defect, not an input error.
            let profile = parse(file, text).unwrap_or_else(|e| panic!("shipped {e}"));
            catalog.entries.push((profile, ProfileSource::Shipped));
        }
        catalog
    }

    /// The shipped profiles and the admin's own from `dir` (a missing folder means none).
    pub fn with_user_dir(dir: &Path) -> Result<Self, CatalogError> {
        let mut catalog = Catalog::shipped();
        let listing = match std::fs::read_dir(dir) {
            Ok(listing) => listing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(catalog),
            Err(source) => {
                return Err(CatalogError::Unreadable {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        let mut files = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|source| CatalogError::Unreadable {
                path: dir.to_path_buf(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let text =
                std::fs::read_to_string(&path).map_err(|source| CatalogError::Unreadable {
                    path: path.clone(),
                    source,
                })?;
            let file = path.display().to_string();
            let profile = parse(&file, &text)?;
            catalog.add(profile, ProfileSource::User { path: file })?;
        }
        Ok(catalog)
    }

    fn add(&mut self, profile: Profile, source: ProfileSource) -> Result<(), CatalogError> {
        if self.get(&profile.id).is_some() {
            let file = match &source {
                ProfileSource::User { path } => path.clone(),
                ProfileSource::Shipped => profile.id.clone(),
            };
            return Err(CatalogError::DuplicateId {
                file,
                id: profile.id,
            });
        }
        self.entries.push((profile, source));
        Ok(())
    }

    /// The profile with this id.
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.entries.iter().map(|(p, _)| p).find(|p| p.id == id)
    }

    /// Every profile, shipped ones first.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.entries.iter().map(|(p, _)| p)
    }

    /// What a list of integrations shows for each profile.
    pub fn summaries(&self) -> Vec<ProfileSummary> {
        self.entries
            .iter()
            .map(|(p, source)| ProfileSummary {
                id: p.id.clone(),
                title: p.title.clone(),
                product: p.product.clone(),
                kind: p.kind,
                summary: p.summary.clone(),
                admin_roles: p.needs.admin_roles.clone(),
                licences: p.needs.licences.clone(),
                estimated_minutes: p.estimated_minutes,
                checks: p.checks.clone(),
                source: source.clone(),
            })
            .collect()
    }
}

fn parse(file: &str, text: &str) -> Result<Profile, CatalogError> {
    let profile: Profile = toml::from_str(text).map_err(|e| CatalogError::Malformed {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    profile
        .validate()
        .map_err(|source| CatalogError::RuleBroken {
            file: file.to_string(),
            source,
        })?;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckId;

    #[test]
    fn every_file_in_the_profiles_folder_is_shipped() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
        let mut on_disk: Vec<String> = std::fs::read_dir(folder)
            .expect("profiles folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut shipped: Vec<String> = SHIPPED.iter().map(|(f, _)| f.to_string()).collect();
        shipped.sort();
        assert_eq!(on_disk, shipped);
    }

    #[test]
    fn shipped_profiles_are_the_contract_ones() {
        let ids: Vec<String> = Catalog::shipped()
            .profiles()
            .map(|p| p.id.clone())
            .collect();
        assert_eq!(
            ids,
            [
                "axero-outlook-calendar",
                "axero-m365-email",
                "odoo-outlook-calendar",
                "exchange-calendar-connector",
                "vendor-app-consent",
                "gitlab-graph-mailer",
                "nextcloud-mail-microsoft",
                "freescout-microsoft",
                "odoo-outlook-mail",
                "zammad-microsoft365",
                "glpi-oauthimap",
                "moodle-microsoft-oauth",
                "wordpress-wpo365-mailer",
                "custom"
            ]
        );
        for (file, _) in SHIPPED {
            let profile_id = file.trim_end_matches(".toml");
            assert!(
                Catalog::shipped().get(profile_id).is_some(),
                "{file} holds id {profile_id}"
            );
        }
    }

    #[test]
    fn shipped_checks_match_contracts_profiles_md() {
        use CheckId::*;
        let catalog = Catalog::shipped();
        let checks = |id: &str| catalog.get(id).expect(id).checks.clone();
        // The order matters: each list is the contract's, built up from the parts they share.
        let secret = [Tenant, ClientId, ClientSecret, SecretExpiry];
        let signs_users_in = [&secret[..], &[RedirectUri, AccountType, ApiPermissions]].concat();
        let axero = [&signs_users_in[..], &[AdminConsent, Mailbox, SmtpAuth]].concat();
        assert_eq!(checks("axero-outlook-calendar"), axero);
        assert_eq!(
            checks("axero-m365-email"),
            [&axero[..], &[TestEmail]].concat()
        );
        assert_eq!(
            checks("odoo-outlook-calendar"),
            [&signs_users_in[..], &[ConsentPolicy]].concat()
        );
        assert_eq!(
            checks("exchange-calendar-connector"),
            [&secret[..], &[ApiPermissions, AdminConsent, CalendarAccess]].concat()
        );
        assert_eq!(
            checks("vendor-app-consent"),
            [Tenant, ClientId, ConsentPolicy, AdminConsent]
        );
    }

    #[test]
    fn user_profiles_are_added_and_clashes_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut text = SHIPPED[0].1.replace(
            "id = \"axero-outlook-calendar\"",
            "id = \"intranet-calendar\"",
        );
        std::fs::write(dir.path().join("intranet.toml"), &text).expect("write");
        let catalog = Catalog::with_user_dir(dir.path()).expect("catalog");
        let summary = catalog
            .summaries()
            .into_iter()
            .find(|s| s.id == "intranet-calendar")
            .expect("added");
        assert!(matches!(summary.source, ProfileSource::User { .. }));

        text = SHIPPED[0].1.to_string();
        std::fs::write(dir.path().join("clash.toml"), &text).expect("write");
        let err = Catalog::with_user_dir(dir.path()).expect_err("clash");
        assert!(err.to_string().contains("already used"), "{err}");
    }

    #[test]
    fn a_malformed_user_profile_names_the_file_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = SHIPPED[0]
            .1
            .replace("estimated_minutes", "estimated_minutez");
        std::fs::write(dir.path().join("typo.toml"), text).expect("write");
        let err = Catalog::with_user_dir(dir.path())
            .expect_err("typo")
            .to_string();
        assert!(
            err.contains("typo.toml") && err.contains("estimated_minutez"),
            "{err}"
        );
    }

    #[test]
    fn credentials_default_to_a_secret_and_the_seed_products_take_only_one() {
        use crate::profile::CredentialType;
        for profile in Catalog::shipped().profiles() {
            let expected: &[CredentialType] = if profile.id == "custom" {
                &[CredentialType::Secret, CredentialType::Certificate]
            } else {
                &[CredentialType::Secret]
            };
            assert_eq!(profile.credentials, expected, "{}", profile.id);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let without = SHIPPED[0]
            .1
            .replace("id = \"axero-outlook-calendar\"", "id = \"own\"")
            .replace("credentials = [\"secret\"]\n", "");
        std::fs::write(dir.path().join("own.toml"), &without).expect("write");
        let catalog = Catalog::with_user_dir(dir.path()).expect("catalog");
        assert_eq!(
            catalog.get("own").expect("own").credentials,
            [CredentialType::Secret]
        );
        for (list, problem) in [
            ("[]", "at least one"),
            ("[\"secret\", \"secret\"]", "listed twice"),
        ] {
            let text = SHIPPED[0]
                .1
                .replace("id = \"axero-outlook-calendar\"", "id = \"own\"")
                .replace(
                    "credentials = [\"secret\"]",
                    &format!("credentials = {list}"),
                );
            std::fs::write(dir.path().join("own.toml"), &text).expect("write");
            let err = crate::error_text::with_sources(
                &Catalog::with_user_dir(dir.path()).expect_err(list),
            );
            assert!(
                err.contains("credentials") && err.contains(problem),
                "{err}"
            );
        }
        let listed = SHIPPED[0]
            .1
            .replace("id = \"axero-outlook-calendar\"", "id = \"own\"")
            .replace("\"secret_expiry\",", "\"certificate_expiry\",");
        std::fs::write(dir.path().join("own.toml"), &listed).expect("write");
        let err = crate::error_text::with_sources(
            &Catalog::with_user_dir(dir.path()).expect_err("listed"),
        );
        assert!(err.contains("certificate_expiry"), "{err}");
    }

    #[test]
    fn a_missing_user_folder_means_no_user_profiles() {
        let catalog = Catalog::with_user_dir(Path::new("/nonexistent/entra-setup/profiles"))
            .expect("catalog");
        assert_eq!(catalog.profiles().count(), SHIPPED.len());
    }

    #[test]
    fn every_delegated_web_profile_has_a_web_redirect_and_settings() {
        use crate::profile::{ProfileKind, RedirectPlatform, SettingSource};
        for profile in Catalog::shipped()
            .profiles()
            .filter(|p| p.kind == ProfileKind::DelegatedWeb)
        {
            let redirect = profile
                .registration
                .redirect
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no redirect", profile.id));
            assert_eq!(redirect.platform, RedirectPlatform::Web, "{}", profile.id);
            // A path without a trailing slash, or the site's home address itself (WPO365's).
            assert!(
                redirect.template.starts_with("{site}/")
                    && (redirect.template == "{site}/" || !redirect.template.ends_with('/')),
                "{}",
                profile.id
            );
            assert!(profile.secret.required, "{}", profile.id);
            for source in [SettingSource::ClientId, SettingSource::ClientSecret] {
                assert!(
                    profile.settings.iter().any(|s| s.source == source),
                    "{}: {source:?}",
                    profile.id
                );
            }
        }
        let axero = Catalog::shipped()
            .get("axero-outlook-calendar")
            .cloned()
            .expect("axero");
        assert_eq!(
            axero
                .redirect_uri_for("https://intranet.contoso.com/")
                .as_deref(),
            Some("https://intranet.contoso.com/oauth2/outlook/callback")
        );
        let names: Vec<&str> = axero.settings.iter().map(|s| s.name.as_str()).collect();
        for name in [
            "OutlookApiClientID",
            "OutlookApiClientSecret",
            "OutlookApiAuthorizationScopes",
            "SAMLTenantID",
            "UseSAMLTenantIDForOutlook",
        ] {
            assert!(names.contains(&name), "{name}");
        }
    }

    #[test]
    fn seeded_profiles_carry_guidance_warnings_troubleshooting_and_sane_secret_advice() {
        for profile in Catalog::shipped().profiles() {
            let secret = &profile.secret;
            if secret.required {
                assert!(
                    secret.default_days <= secret.max_days && secret.max_days <= 730,
                    "{}",
                    profile.id
                );
                assert_eq!(secret.lead_days, 14, "{}", profile.id);
            }
            if profile.seed.is_none() {
                continue;
            }
            assert!(
                !profile.guidance.is_empty() && !profile.warnings.is_empty(),
                "{}",
                profile.id
            );
            assert!(!profile.troubleshooting.is_empty(), "{}", profile.id);
            for entry in &profile.troubleshooting {
                assert!(
                    !entry.patterns.is_empty(),
                    "{}: {}",
                    profile.id,
                    entry.symptom
                );
            }
        }
    }

    /// The shipped Axero e-mail profile as a user profile `own`, with `extra` TOML inserted
    /// before its `[registration.permissions]` table.
    fn own_with(extra: &str) -> String {
        SHIPPED[1]
            .1
            .replace("id = \"axero-m365-email\"", "id = \"own\"")
            .replace(
                "[registration.permissions]",
                &format!("{extra}\n[registration.permissions]"),
            )
    }

    /// The error of loading `text` as the user profile `own.toml`, with its sources.
    fn refused(text: &str) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("own.toml"), text).expect("write");
        crate::error_text::with_sources(&Catalog::with_user_dir(dir.path()).expect_err("refused"))
    }

    #[test]
    fn a_profile_lists_exchange_online_permissions_more_redirects_and_user_assignment() {
        use crate::profile::{ApiResource, Assignee, RedirectPlatform};
        let text = own_with(
            "[[registration.more_redirects]]\nplatform = \"spa\"\ntemplate = \"{site}/spa/callback\"\n\n\
             [registration.resource_permissions.exchange_online]\ndelegated = [\"IMAP.AccessAsUser.All\", \"SMTP.Send\"]\napplication = [\"full_access_as_app\"]\n\n\
             [registration.user_assignment]\nrequired = true\nassign = [\"administrator\", \"mailbox_owner\"]\n",
        );
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("own.toml"), &text).expect("write");
        let catalog = Catalog::with_user_dir(dir.path()).expect("catalog");
        let own = catalog.get("own").expect("own");
        let resources: Vec<ApiResource> = own
            .registration
            .all_permissions()
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(
            resources,
            [ApiResource::MicrosoftGraph, ApiResource::ExchangeOnline]
        );
        let exchange = own.registration.permissions_of(ApiResource::ExchangeOnline);
        assert_eq!(exchange.delegated, ["IMAP.AccessAsUser.All", "SMTP.Send"]);
        assert_eq!(exchange.application, ["full_access_as_app"]);
        assert!(own.registration.requires_user_assignment());
        assert_eq!(
            own.registration
                .user_assignment
                .as_ref()
                .map(|a| a.assign.clone()),
            Some(vec![Assignee::Administrator, Assignee::MailboxOwner])
        );
        assert_eq!(
            own.redirect_uris_for("https://intranet.contoso.com/"),
            [
                (
                    RedirectPlatform::Web,
                    "https://intranet.contoso.com/oauth2/sharepoint/callback".to_string()
                ),
                (
                    RedirectPlatform::Spa,
                    "https://intranet.contoso.com/spa/callback".to_string()
                ),
            ]
        );
        // A URI that does not follow the main template gives only itself.
        assert_eq!(
            own.redirect_uris_from("https://elsewhere.contoso.com/cb")
                .len(),
            1
        );
        // The contract's six profiles (contracts/profiles.md) list only Graph permissions, one
        // redirect and no assignment; the products' own (Zammad's two channels) may list more.
        let catalog = Catalog::shipped();
        for profile in [
            "axero-outlook-calendar",
            "axero-m365-email",
            "odoo-outlook-calendar",
            "exchange-calendar-connector",
            "vendor-app-consent",
            "custom",
        ]
        .map(|id| catalog.get(id).expect("a contract profile"))
        {
            assert!(
                profile
                    .registration
                    .resource_permissions
                    .exchange_online
                    .is_empty()
            );
            assert!(profile.registration.more_redirects.is_empty());
            assert!(!profile.registration.requires_user_assignment());
        }
    }

    #[test]
    fn exchange_online_names_are_checked_against_its_catalogue() {
        for (extra, field, problem) in [
            (
                "[registration.resource_permissions.exchange_online]\ndelegated = [\"IMAP.AccessAsUser\"]\n",
                "registration.resource_permissions.exchange_online.delegated",
                "'IMAP.AccessAsUser' is not a delegated permission of Office 365 Exchange Online",
            ),
            (
                "[registration.resource_permissions.exchange_online]\ndelegated = [\"IMAP.AccessAsApp\"]\n",
                "registration.resource_permissions.exchange_online.delegated",
                "(it is one of its application permissions)",
            ),
            (
                "[registration.resource_permissions.exchange_online]\napplication = [\"SMTP.SendAsApp\", \"smtp.sendasapp\"]\n",
                "registration.resource_permissions.exchange_online.application",
                "listed twice",
            ),
            (
                "[registration.resource_permissions.sharepoint]\ndelegated = [\"AllSites.Read\"]\n",
                "sharepoint",
                "unknown field",
            ),
            (
                "[[registration.more_redirects]]\nplatform = \"web\"\ntemplate = \"https://other.contoso.com/cb\"\n",
                "registration.more_redirects[0].template",
                "must start with {site}",
            ),
            (
                "[[registration.more_redirects]]\nplatform = \"web\"\ntemplate = \"{site}/oauth2/sharepoint/callback\"\n",
                "registration.more_redirects[0].template",
                "listed twice",
            ),
            (
                "[registration.user_assignment]\nrequired = false\nassign = [\"administrator\"]\n",
                "registration.user_assignment.assign",
                "only where assignment is required",
            ),
            (
                "[registration.user_assignment]\nrequired = true\nassign = [\"everyone\"]\n",
                "assign",
                "unknown variant",
            ),
        ] {
            let err = refused(&own_with(extra));
            assert!(
                err.contains("own.toml") && err.contains(field) && err.contains(problem),
                "{field}: {err}"
            );
        }
        // More redirects need the main one.
        let text = SHIPPED[3]
            .1
            .replace("id = \"exchange-calendar-connector\"", "id = \"own\"")
            .replace(
                "[registration.permissions]",
                "[[registration.more_redirects]]\nplatform = \"web\"\ntemplate = \"{site}/cb\"\n\n[registration.permissions]",
            );
        let err = refused(&text);
        assert!(
            err.contains("registration.more_redirects")
                && err.contains("need registration.redirect"),
            "{err}"
        );
    }

    #[test]
    fn settings_may_take_the_mailbox_and_its_owners_user_id() {
        use crate::profile::SettingSource;
        let text = own_with("").replace(
            "[[settings]]",
            "[[settings]]\nname = \"Mailbox\"\nsource = \"mailbox\"\nlocation = \"Mail\"\n\n\
             [[settings]]\nname = \"Owner\"\nsource = \"mailbox_user_id\"\nlocation = \"Mail\"\n\n[[settings]]",
        );
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("own.toml"), &text).expect("write");
        let catalog = Catalog::with_user_dir(dir.path()).expect("catalog");
        let sources: Vec<SettingSource> = catalog
            .get("own")
            .expect("own")
            .settings
            .iter()
            .map(|s| s.source)
            .collect();
        assert!(sources.contains(&SettingSource::Mailbox), "{sources:?}");
        assert!(
            sources.contains(&SettingSource::MailboxUserId),
            "{sources:?}"
        );
    }
}
