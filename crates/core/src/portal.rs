//! Deep links into the Microsoft Entra admin center: the page where the admin fixes what a
//! check found. Links carry only ids that are not secret (app and object ids).

use crate::endpoints::Cloud;

/// The admin center's address for a cloud.
fn base(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Global => "https://entra.microsoft.com",
        Cloud::Usgov => "https://entra.microsoft.us",
        Cloud::China => "https://entra.microsoftonline.cn",
    }
}

/// A page of an app registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppPage {
    /// Overview (client ID, tenant ID).
    Overview,
    /// Authentication (redirect URIs, account types).
    Authentication,
    /// Certificates & secrets.
    Credentials,
    /// API permissions (and "Grant admin consent").
    ApiPermissions,
}

/// A page of one app registration.
pub fn app_registration(cloud: Cloud, app_id: &str, page: AppPage) -> String {
    let blade = match page {
        AppPage::Overview => "Overview",
        AppPage::Authentication => "Authentication",
        AppPage::Credentials => "Credentials",
        AppPage::ApiPermissions => "CallAnAPI",
    };
    format!(
        "{}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/{blade}/appId/{app_id}",
        base(cloud)
    )
}

/// The list of app registrations.
pub fn app_registrations(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps",
        base(cloud)
    )
}

/// The tenant overview (tenant ID, primary domain).
pub fn tenant_overview(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/TenantOverview.ReactView",
        base(cloud)
    )
}

/// Enterprise applications > Consent and permissions > User consent settings.
pub fn user_consent_settings(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/UserSettings",
        base(cloud)
    )
}

/// Enterprise applications > Admin consent requests.
pub fn admin_consent_requests(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AccessRequests",
        base(cloud)
    )
}

/// Enterprise applications > Consent and permissions > Admin consent settings (requests on/off).
pub fn admin_consent_settings(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/AdminConsentSettings",
        base(cloud)
    )
}

/// The enterprise application (service principal) of an app: its permissions page.
pub fn enterprise_app_permissions(cloud: Cloud, sp_object_id: &str, app_id: &str) -> String {
    format!(
        "{}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Permissions/objectId/{sp_object_id}/appId/{app_id}",
        base(cloud)
    )
}

/// The list of users (to find or create one).
pub fn users(cloud: Cloud) -> String {
    format!(
        "{}/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers",
        base(cloud)
    )
}

/// Roles & admins: who holds which directory role (for an administrator who lacks one).
pub fn admin_roles(cloud: Cloud) -> String {
    format!("{}/#view/Microsoft_AAD_IAM/AllRolesBlade", base(cloud))
}

/// A user's licences page.
pub fn user_licenses(cloud: Cloud, user_id: &str) -> String {
    format!(
        "{}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/Licenses/userId/{user_id}",
        base(cloud)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_admin_center_of_the_cloud() {
        let link = app_registration(
            Cloud::Global,
            "bbbbbbbb-0000-0000-0000-000000000001",
            AppPage::Credentials,
        );
        assert_eq!(
            link,
            "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/bbbbbbbb-0000-0000-0000-000000000001"
        );
        assert!(tenant_overview(Cloud::Usgov).starts_with("https://entra.microsoft.us/"));
    }
}
