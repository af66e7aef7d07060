//! Unit tests of the consent judgements: admin consent per kind of permission and per profile
//! kind, and the tenant's consent settings.

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
const TEAMS: &str =
    "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";

fn settings(
    kind: ProfileKind,
    delegated: &[&str],
    consented: bool,
    ids: &[&str],
    workflow: Option<bool>,
) -> (Status, Option<Cause>) {
    let delegated: Vec<String> = delegated.iter().map(|s| s.to_string()).collect();
    let result = judge_consent_policy(
        Cloud::Global,
        kind,
        &delegated,
        consented,
        &policy(ids),
        workflow,
    );
    assert!(
        result.status == Status::Pass || result.portal_link.is_some(),
        "{result:?}"
    );
    (result.status, result.cause)
}

#[test]
fn policy_ids_are_classified() {
    assert_eq!(
        classify(&[LEGACY.into(), TEAMS.into()]),
        UserConsent::AnyApp
    );
    assert_eq!(classify(&[LOW.into()]), UserConsent::LowImpact);
    assert_eq!(classify(&[TEAMS.into()]), UserConsent::NotAllowed);
    assert_eq!(classify(&[]), UserConsent::NotAllowed);
    assert!(matches!(
        classify(&["ManagePermissionGrantsForSelf.contoso-policy".into()]),
        UserConsent::Custom(_)
    ));
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
