//! Unit tests of the consent judgements: admin consent per kind of permission and per profile
//! kind, and the tenant's consent settings — every spelling of Microsoft's built-in policies, the
//! managed (recommended) one judged by the permissions it keeps for administrators, and a policy
//! of the tenant's own.

use super::*;
use crate::graph::policies::DefaultUserRolePermissions;
use crate::verify::Status;

const GRAPH_SP: &str = "99999999-0000-0000-0000-000000000000";

fn sp() -> ServicePrincipal {
    ServicePrincipal {
        id: "sp-1".into(),
        app_id: "app".into(),
        display_name: None,
    }
}

fn grant(kind: &str, scope: &str) -> PermissionGrant {
    PermissionGrant {
        consent_type: kind.into(),
        resource_id: GRAPH_SP.into(),
        scope: Some(scope.into()),
    }
}

fn needs(delegated: &[&str], application: &[&str]) -> Permissions {
    Permissions {
        delegated: delegated.iter().map(|s| s.to_string()).collect(),
        application: application.iter().map(|s| s.to_string()).collect(),
    }
}

fn consent(
    kind: ProfileKind,
    required: &Permissions,
    grants: &[PermissionGrant],
    assignments: &[AppRoleAssignment],
) -> (Status, Option<Cause>) {
    let sp = sp();
    let granted = Granted {
        service_principal: &sp,
        grants,
        assignments,
        graph_sp_id: Some(GRAPH_SP),
    };
    let result = judge_admin_consent(
        Cloud::Global,
        "app",
        kind,
        required,
        Some(granted),
        &PermissionCatalog::builtin(),
        None,
    );
    (result.status, result.cause)
}

#[test]
fn an_all_principals_grant_with_every_scope_passes() {
    let required = needs(&["Calendars.ReadWrite", "offline_access", "openid"], &[]);
    let grants = [grant(
        "AllPrincipals",
        "openid Calendars.ReadWrite offline_access User.Read",
    )];
    assert_eq!(
        consent(ProfileKind::DelegatedWeb, &required, &grants, &[]),
        (Status::Pass, None)
    );
}

#[test]
fn a_missing_scope_or_a_user_grant_is_not_admin_consent() {
    let required = needs(&["Calendars.ReadWrite", "offline_access"], &[]);
    let partial = [grant("AllPrincipals", "Calendars.ReadWrite")];
    assert_eq!(
        consent(ProfileKind::DelegatedWeb, &required, &partial, &[]),
        (Status::Fail, Some(Cause::AdminConsentMissing))
    );
    let personal = [grant("Principal", "Calendars.ReadWrite offline_access")];
    assert_eq!(
        consent(ProfileKind::DelegatedWeb, &required, &personal, &[]),
        (Status::Fail, Some(Cause::AdminConsentMissing))
    );
}

#[test]
fn application_permissions_need_an_assignment_each() {
    let required = needs(&[], &["Calendars.Read"]);
    let assigned = [AppRoleAssignment {
        app_role_id: "798ee544-9d2d-430c-a058-570e29e34338".into(),
        resource_id: GRAPH_SP.into(),
    }];
    assert_eq!(
        consent(ProfileKind::AppOnly, &required, &[], &assigned),
        (Status::Pass, None)
    );
    assert_eq!(
        consent(ProfileKind::AppOnly, &required, &[], &[]),
        (Status::Fail, Some(Cause::AdminConsentMissing))
    );
}

#[test]
fn no_service_principal_means_no_consent() {
    let result = judge_admin_consent(
        Cloud::Global,
        "app",
        ProfileKind::VendorConsent,
        &needs(&[], &[]),
        None,
        &PermissionCatalog::builtin(),
        None,
    );
    assert_eq!(
        (result.status, result.cause),
        (Status::Fail, Some(Cause::AdminConsentMissing))
    );
    assert!(result.portal_link.is_some());
}

#[test]
fn a_vendor_app_is_approved_by_any_organisation_wide_grant() {
    let none = needs(&[], &[]);
    let grants = [grant("AllPrincipals", "User.Read Calendars.ReadWrite")];
    assert_eq!(
        consent(ProfileKind::VendorConsent, &none, &grants, &[]),
        (Status::Pass, None)
    );
    assert_eq!(
        consent(
            ProfileKind::VendorConsent,
            &none,
            &[grant("Principal", "User.Read")],
            &[]
        ),
        (Status::Fail, Some(Cause::AdminConsentMissing))
    );
}

fn policy(ids: &[&str]) -> AuthorizationPolicy {
    AuthorizationPolicy {
        default_user_role_permissions: DefaultUserRolePermissions {
            permission_grant_policies_assigned: ids.iter().map(|s| s.to_string()).collect(),
        },
    }
}

const LEGACY: &str = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const LOW: &str = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const RECOMMENDED: &str = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
const MAIL_CLIENTS: &str =
    "ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps";
const CUSTOM: &str = "ManagePermissionGrantsForSelf.contoso-approved-apps";
const TEAMS: &str =
    "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";

fn judged(
    kind: ProfileKind,
    delegated: &[&str],
    consented: bool,
    ids: &[&str],
    workflow: Option<bool>,
) -> CheckResult {
    let delegated: Vec<String> = delegated.iter().map(|s| s.to_string()).collect();
    let catalog = PermissionCatalog::builtin();
    let result = judge_consent_policy(
        &ConsentPolicyInputs {
            cloud: Cloud::Global,
            kind,
            client_id: "bbbbbbbb-0000-0000-0000-000000000001",
            required_delegated: &delegated,
            admin_consented: consented,
            catalog: &catalog,
        },
        &policy(ids),
        workflow,
    );
    assert!(
        result.status == Status::Pass || result.portal_link.is_some(),
        "{result:?}"
    );
    result
}

fn settings(
    kind: ProfileKind,
    delegated: &[&str],
    consented: bool,
    ids: &[&str],
    workflow: Option<bool>,
) -> (Status, Option<Cause>) {
    let result = judged(kind, delegated, consented, ids, workflow);
    (result.status, result.cause)
}

#[test]
fn policy_ids_are_read_whatever_the_case_of_their_prefix() {
    let read = |ids: &[&str]| -> Vec<UserConsentPolicy> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        user_consent_policies(&ids)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    };
    assert_eq!(read(&[LEGACY, TEAMS]), [UserConsentPolicy::Legacy]);
    assert_eq!(read(&[LOW]), [UserConsentPolicy::LowImpact]);
    assert_eq!(
        read(&["managePermissionGrantsForSelf.microsoft-user-default-low"]),
        [UserConsentPolicy::LowImpact]
    );
    assert_eq!(read(&[TEAMS]), []);
    assert_eq!(read(&[]), []);
    assert_eq!(
        read(&["ManagePermissionGrantsForSelf.contoso-policy"]),
        [UserConsentPolicy::Custom(
            "ManagePermissionGrantsForSelf.contoso-policy".into()
        )]
    );
}

const ODOO: &[&str] = &["Calendars.ReadWrite", "offline_access", "openid"];

#[test]
fn every_spelling_of_a_built_in_policy_gets_the_same_verdict() {
    for (ids, expected) in [
        (vec![LEGACY], (Status::Pass, None)),
        (
            vec!["managePermissionGrantsForSelf.microsoft-user-default-legacy"],
            (Status::Pass, None),
        ),
        (vec![LOW], (Status::Fail, Some(Cause::UserConsentBlocked))),
        (
            vec!["managePermissionGrantsForSelf.microsoft-user-default-low"],
            (Status::Fail, Some(Cause::UserConsentBlocked)),
        ),
        (
            vec![RECOMMENDED, MAIL_CLIENTS],
            (Status::Fail, Some(Cause::UserConsentBlocked)),
        ),
        (
            vec!["managePermissionGrantsForSelf.microsoft-user-default-recommended"],
            (Status::Fail, Some(Cause::UserConsentBlocked)),
        ),
    ] {
        assert_eq!(
            settings(ProfileKind::DelegatedWeb, ODOO, false, &ids, Some(true)),
            expected,
            "{ids:?}"
        );
    }
}

#[test]
fn microsofts_managed_setting_is_judged_by_the_permissions_it_keeps_for_administrators() {
    let odoo = judged(
        ProfileKind::DelegatedWeb,
        ODOO,
        false,
        &[RECOMMENDED, MAIL_CLIENTS, TEAMS],
        Some(true),
    );
    assert_eq!(
        (odoo.status, odoo.cause),
        (Status::Fail, Some(Cause::UserConsentBlocked))
    );
    assert!(odoo.message.contains("Calendars.ReadWrite"), "{odoo:?}");
    assert!(!odoo.message.contains("mail apps"), "{odoo:?}");
    assert!(
        odoo.fix
            .as_deref()
            .is_some_and(|f| f.contains("Grant admin consent"))
    );
    assert_eq!(
        odoo.portal_link,
        Some(portal::app_registration(
            Cloud::Global,
            "bbbbbbbb-0000-0000-0000-000000000001",
            AppPage::ApiPermissions
        ))
    );
    assert_eq!(
        odoo.evidence["user_consent_policies"][0]["reads_as"],
        "recommended"
    );
    assert_eq!(
        odoo.evidence["user_consent_policies"][0]["verdict"],
        "blocks"
    );
    // Sending mail is not among the kept permissions.
    let mail = judged(
        ProfileKind::DelegatedWeb,
        &["Mail.Send", "offline_access"],
        false,
        &[RECOMMENDED, MAIL_CLIENTS],
        Some(true),
    );
    assert_eq!(mail.status, Status::Pass, "{mail:?}");
    assert!(mail.message.contains("Microsoft updates"), "{mail:?}");
    // A permission the catalogue does not know (Microsoft added it in 2024): not known, so a
    // warning, never a failure.
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            &["ApprovalSolution.Read"],
            false,
            &[RECOMMENDED],
            Some(true)
        ),
        (Status::Warn, Some(Cause::UserConsentBlocked))
    );
    // The vendor's permissions are unknown: a warning.
    assert_eq!(
        settings(
            ProfileKind::VendorConsent,
            &[],
            false,
            &[RECOMMENDED],
            Some(true)
        ),
        (Status::Warn, Some(Cause::UserConsentBlocked))
    );
    // With admin consent, users need not consent at all.
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            ODOO,
            true,
            &[RECOMMENDED],
            Some(true)
        ),
        (Status::Pass, None)
    );
}

#[test]
fn a_policy_of_the_tenants_own_warns_and_never_fails() {
    for delegated in [ODOO, &["openid"][..]] {
        let result = judged(
            ProfileKind::DelegatedWeb,
            delegated,
            false,
            &[CUSTOM, TEAMS],
            Some(false),
        );
        assert_eq!(
            (result.status, result.cause),
            (Status::Warn, Some(Cause::ConsentPolicyUnrecognised))
        );
        assert!(result.message.contains(CUSTOM), "{result:?}");
        assert!(result.fix.as_deref().is_some_and(|f| f.contains(CUSTOM)));
    }
    assert_eq!(
        settings(
            ProfileKind::VendorConsent,
            &[],
            false,
            &[CUSTOM],
            Some(true)
        ),
        (Status::Warn, Some(Cause::ConsentPolicyUnrecognised))
    );
    // A built-in policy beside it that already lets users consent decides.
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            ODOO,
            false,
            &[CUSTOM, LEGACY],
            None
        ),
        (Status::Pass, None)
    );
}

#[test]
fn a_permission_only_an_administrator_may_grant_is_never_user_consent() {
    let graph = crate::graph::service_principals::ResourcePermissions {
        id: GRAPH_SP.into(),
        app_roles: vec![],
        oauth2_permission_scopes: vec![crate::graph::service_principals::PermissionEntry {
            id: "06da0dbc-49e2-44d2-8312-53f166ab848a".into(),
            value: Some("Directory.Read.All".into()),
            consent_type: Some("Admin".into()),
        }],
    };
    let catalog = PermissionCatalog::from_graph(&graph);
    let delegated = vec!["Directory.Read.All".to_string()];
    let result = judge_consent_policy(
        &ConsentPolicyInputs {
            cloud: Cloud::Global,
            kind: ProfileKind::Custom,
            client_id: "app",
            required_delegated: &delegated,
            admin_consented: false,
            catalog: &catalog,
        },
        &policy(&[LEGACY]),
        Some(true),
    );
    assert_eq!(
        (result.status, result.cause),
        (Status::Fail, Some(Cause::UserConsentBlocked))
    );
    assert!(result.message.contains("administrator"), "{result:?}");
}

#[test]
fn no_user_consent_blocks_a_product_whose_users_must_consent() {
    let delegated = ["Calendars.ReadWrite", "offline_access", "openid"];
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            &delegated,
            false,
            &[],
            Some(false)
        ),
        (Status::Fail, Some(Cause::UserConsentBlocked))
    );
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            &delegated,
            false,
            &[LOW],
            Some(true)
        ),
        (Status::Fail, Some(Cause::UserConsentBlocked))
    );
    assert_eq!(
        settings(
            ProfileKind::DelegatedWeb,
            &["openid", "User.Read"],
            false,
            &[LOW],
            Some(true)
        ),
        (Status::Pass, None)
    );
    assert_eq!(
        settings(ProfileKind::VendorConsent, &[], false, &[], Some(true)),
        (Status::Fail, Some(Cause::UserConsentBlocked))
    );
    assert_eq!(
        settings(ProfileKind::VendorConsent, &[], false, &[LOW], Some(true)),
        (Status::Warn, Some(Cause::UserConsentBlocked))
    );
}

#[test]
fn admin_consent_lifts_the_block_but_a_dead_end_still_warns() {
    assert_eq!(
        settings(ProfileKind::VendorConsent, &[], true, &[], Some(true)),
        (Status::Pass, None)
    );
    assert_eq!(
        settings(ProfileKind::VendorConsent, &[], true, &[], Some(false)),
        (Status::Warn, Some(Cause::AdminConsentWorkflowDisabled))
    );
    assert_eq!(
        settings(
            ProfileKind::VendorConsent,
            &[],
            true,
            &[LEGACY],
            Some(false)
        ),
        (Status::Pass, None)
    );
    assert_eq!(
        settings(ProfileKind::VendorConsent, &[], false, &[LEGACY], None),
        (Status::Pass, None)
    );
}

#[test]
fn exchange_online_scopes_and_roles_are_consented_on_its_own_service_principal() {
    const EXCHANGE_SP: &str = "88888888-0000-0000-0000-000000000000";
    let sp = sp();
    let exchange = PermissionCatalog::builtin_for(ApiResource::ExchangeOnline);
    let graph_needs = needs(&["offline_access"], &[]);
    let exchange_needs = needs(&["IMAP.AccessAsUser.All"], &["SMTP.SendAsApp"]);
    let smtp_as_app = exchange
        .id_of(PermissionKind::Role, "SMTP.SendAsApp")
        .expect("role")
        .to_string();
    let judge = |grants: &[PermissionGrant], assignments: &[AppRoleAssignment]| {
        judge_admin_consent_with(
            Cloud::Global,
            "app",
            ProfileKind::DelegatedWeb,
            &graph_needs,
            Some(Granted {
                service_principal: &sp,
                grants,
                assignments,
                graph_sp_id: Some(GRAPH_SP),
            }),
            &PermissionCatalog::builtin(),
            None,
            &[OtherResource {
                resource: ApiResource::ExchangeOnline,
                required: &exchange_needs,
                sp_id: Some(EXCHANGE_SP),
                catalog: &exchange,
            }],
        )
    };
    // The scope granted on Graph's service principal is not Exchange Online's consent.
    let on_graph = [grant(
        "AllPrincipals",
        "offline_access IMAP.AccessAsUser.All",
    )];
    let result = judge(&on_graph, &[]);
    assert_eq!(result.cause, Some(Cause::AdminConsentMissing));
    assert!(
        result
            .message
            .contains("IMAP.AccessAsUser.All (Office 365 Exchange Online, delegated), SMTP.SendAsApp (Office 365 Exchange Online, application)"),
        "{}",
        result.message
    );
    let on_exchange = [
        grant("AllPrincipals", "offline_access"),
        PermissionGrant {
            consent_type: "AllPrincipals".into(),
            resource_id: EXCHANGE_SP.into(),
            scope: Some("IMAP.AccessAsUser.All".into()),
        },
    ];
    let assigned = [AppRoleAssignment {
        app_role_id: smtp_as_app,
        resource_id: EXCHANGE_SP.into(),
    }];
    let result = judge(&on_exchange, &assigned);
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    assert_eq!(
        result.evidence["resources"]["Office 365 Exchange Online"]["app_roles"],
        serde_json::json!(["SMTP.SendAsApp"])
    );
}
