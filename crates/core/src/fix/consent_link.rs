//! The admin-consent link for other organisations: an app whose account type lets other tenants
//! sign in (`AzureADMultipleOrgs`, `AzureADandPersonalMicrosoftAccount`) must be approved by an
//! administrator of each tenant that uses it. The link is the identity platform's v2.0
//! admin-consent endpoint (reference/microsoft-wire.md §3.4):
//! `{login}/{tenant}/v2.0/adminconsent?client_id=…&scope={graph}/.default&redirect_uri=…`, where
//! `tenant` is that organisation's ID or domain, or `organizations` when it is not known — never
//! `common` (nor `consumers`), which the endpoint does not take. `/.default` asks for every
//! permission in the registration's `requiredResourceAccess`, application permissions included.
//! The login host and the Graph resource are the cloud's ([`Endpoints`]).
//!
//! [`tenant_admin_consent_url`] is the link an administrator of one organisation (named by its
//! GUID) opens to approve a vendor's app. The vendor's redirect URIs live in the vendor's
//! registration, which this tenant's Graph cannot read before the app is approved. The v2.0
//! endpoint documents `redirect_uri` as required, so without a known one the link is the
//! v1-style `{login}/{tenant}/adminconsent?client_id=…` (§3.4), where `redirect_uri` is only
//! recommended and Microsoft answers at the app's own registered reply address; it asks for
//! every permission the app's registration lists, as `/.default` does. With a redirect URI
//! given, the v2.0 form is used.

use url::Url;

use crate::endpoints::Endpoints;

/// Why no admin-consent link can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentLinkError {
    /// `common` or `consumers` given as the tenant.
    #[error("the admin-consent endpoint takes a tenant ID, a domain or 'organizations', not '{0}'")]
    TenantNotAllowed(String),
    /// The login endpoint cannot take a path.
    #[error("the sign-in endpoint {0} cannot take a path")]
    BadLoginEndpoint(String),
    /// A tenant-specific link needs the tenant's GUID, not a domain.
    #[error("the tenant-specific admin-consent link needs the tenant's GUID, not '{0}'")]
    TenantNotAGuid(String),
}

/// Whether a `signInAudience` lets other organisations' users sign in (so their administrators
/// need the link).
pub fn is_multi_tenant(sign_in_audience: &str) -> bool {
    matches!(
        sign_in_audience,
        "AzureADMultipleOrgs" | "AzureADandPersonalMicrosoftAccount"
    )
}

/// The admin-consent link for the app `client_id`, answering at `redirect_uri` (one of the
/// registration's redirect URIs, exactly); `tenant` is the organisation to approve it, or `None`
/// for any organisation (`organizations`).
pub fn admin_consent_url(
    endpoints: &Endpoints,
    tenant: Option<&str>,
    client_id: &str,
    redirect_uri: &str,
) -> Result<Url, ConsentLinkError> {
    let tenant = tenant
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("organizations");
    if ["common", "consumers"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tenant))
    {
        return Err(ConsentLinkError::TenantNotAllowed(tenant.to_string()));
    }
    build(endpoints, tenant, client_id, Some(redirect_uri))
}

/// The admin-consent link an administrator of the tenant `tenant_id` (its GUID) opens to
/// approve the app `client_id` for the organisation: every permission the app's registration
/// asks for (`/.default`). `redirect_uri` only when one of the app's own is known.
pub fn tenant_admin_consent_url(
    endpoints: &Endpoints,
    tenant_id: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
) -> Result<Url, ConsentLinkError> {
    let tenant_id = tenant_id.trim();
    if !crate::validate::is_guid(tenant_id) {
        return Err(ConsentLinkError::TenantNotAGuid(tenant_id.to_string()));
    }
    match redirect_uri.map(str::trim).filter(|r| !r.is_empty()) {
        Some(redirect_uri) => build(endpoints, tenant_id, client_id, Some(redirect_uri)),
        None => build_v1(endpoints, tenant_id, client_id),
    }
}

/// The admin-consent link for the tenant being set up (`tenant` as the administrator entered it:
/// its ID or one of its domains) and the app `client_id`, in the v2.0 form, answering at the
/// product's `redirect_uri` when the profile has one: what the wizard's permissions step and
/// its report offer. `common` and `consumers` are refused, as by [`admin_consent_url`].
pub fn setup_admin_consent_url(
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
) -> Result<Url, ConsentLinkError> {
    let tenant = tenant.trim();
    if tenant.is_empty()
        || ["common", "consumers"]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tenant))
    {
        return Err(ConsentLinkError::TenantNotAllowed(tenant.to_string()));
    }
    let redirect_uri = redirect_uri.map(str::trim).filter(|r| !r.is_empty());
    build(endpoints, tenant, client_id.trim(), redirect_uri)
}

/// The v1-style link: `{login}/{tenant}/adminconsent?client_id=…`.
fn build_v1(endpoints: &Endpoints, tenant: &str, client_id: &str) -> Result<Url, ConsentLinkError> {
    let mut url = endpoints.login.clone();
    url.path_segments_mut()
        .map_err(|()| ConsentLinkError::BadLoginEndpoint(endpoints.login.to_string()))?
        .pop_if_empty()
        .extend([tenant, "adminconsent"]);
    url.set_query(None);
    url.query_pairs_mut().append_pair("client_id", client_id);
    Ok(url)
}

fn build(
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
) -> Result<Url, ConsentLinkError> {
    let mut url = endpoints.login.clone();
    url.path_segments_mut()
        .map_err(|()| ConsentLinkError::BadLoginEndpoint(endpoints.login.to_string()))?
        .pop_if_empty()
        .extend([tenant, "v2.0", "adminconsent"]);
    url.set_query(None);
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", client_id)
            .append_pair("scope", &endpoints.graph_default_scope());
        if let Some(redirect_uri) = redirect_uri {
            query.append_pair("redirect_uri", redirect_uri);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Cloud;

    const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
    const REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";

    #[test]
    fn the_setups_link_names_its_tenant_and_the_products_redirect() {
        let endpoints = Endpoints::for_cloud(Cloud::Global);
        let url = setup_admin_consent_url(&endpoints, " contoso.com ", APP, Some(REDIRECT))
            .expect("link");
        assert!(
            url.as_str().starts_with(
                "https://login.microsoftonline.com/contoso.com/v2.0/adminconsent?client_id=bbbbbbbb-0000-0000-0000-000000000001&scope="
            ),
            "{url}"
        );
        assert!(url.as_str().ends_with(
            "&redirect_uri=https%3A%2F%2Fintranet.contoso.com%2Foauth2%2Foutlook%2Fcallback"
        ));
        let without = setup_admin_consent_url(&endpoints, "contoso.com", APP, None).expect("link");
        assert!(!without.as_str().contains("redirect_uri"), "{without}");
        for refused in ["common", "Consumers", ""] {
            assert!(setup_admin_consent_url(&endpoints, refused, APP, None).is_err());
        }
    }

    #[test]
    fn any_organisation_uses_organizations_on_the_global_cloud() {
        let url = admin_consent_url(&Endpoints::for_cloud(Cloud::Global), None, APP, REDIRECT)
            .expect("link");
        assert_eq!(
            url.as_str(),
            "https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=bbbbbbbb-0000-0000-0000-000000000001&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fintranet.contoso.com%2Foauth2%2Foutlook%2Fcallback"
        );
    }

    #[test]
    fn a_named_tenant_and_another_cloud() {
        let url = admin_consent_url(
            &Endpoints::for_cloud(Cloud::Usgov),
            Some("fabrikam.us"),
            APP,
            REDIRECT,
        )
        .expect("link");
        assert_eq!(url.host_str(), Some("login.microsoftonline.us"));
        assert_eq!(url.path(), "/fabrikam.us/v2.0/adminconsent");
        let scope = url
            .query_pairs()
            .find(|(k, _)| k == "scope")
            .map(|(_, v)| v.into_owned());
        assert_eq!(
            scope.as_deref(),
            Some("https://graph.microsoft.us/.default")
        );
    }

    #[test]
    fn common_is_never_used() {
        for tenant in ["common", "Consumers"] {
            assert!(matches!(
                admin_consent_url(
                    &Endpoints::for_cloud(Cloud::Global),
                    Some(tenant),
                    APP,
                    REDIRECT
                ),
                Err(ConsentLinkError::TenantNotAllowed(_))
            ));
        }
    }

    #[test]
    fn one_tenant_by_its_guid_without_a_redirect() {
        let url = admin_consent_url_for_tenant();
        assert_eq!(
            url.as_str(),
            "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/adminconsent?client_id=bbbbbbbb-0000-0000-0000-000000000001"
        );
        assert!(matches!(
            tenant_admin_consent_url(
                &Endpoints::for_cloud(Cloud::Global),
                "contoso.com",
                APP,
                None
            ),
            Err(ConsentLinkError::TenantNotAGuid(_))
        ));
        let with_redirect = tenant_admin_consent_url(
            &Endpoints::for_cloud(Cloud::China),
            "11111111-2222-3333-4444-555555555555",
            APP,
            Some(REDIRECT),
        )
        .expect("link");
        assert_eq!(
            with_redirect.host_str(),
            Some("login.partner.microsoftonline.cn")
        );
        assert!(
            with_redirect
                .query()
                .is_some_and(|q| q.contains("redirect_uri="))
        );
    }

    fn admin_consent_url_for_tenant() -> Url {
        tenant_admin_consent_url(
            &Endpoints::for_cloud(Cloud::Global),
            "11111111-2222-3333-4444-555555555555",
            APP,
            None,
        )
        .expect("link")
    }

    #[test]
    fn multi_tenant_audiences() {
        assert!(is_multi_tenant("AzureADMultipleOrgs"));
        assert!(is_multi_tenant("AzureADandPersonalMicrosoftAccount"));
        assert!(!is_multi_tenant("AzureADMyOrg"));
        assert!(!is_multi_tenant("PersonalMicrosoftAccount"));
    }
}
