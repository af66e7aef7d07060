//! The admin-consent link for other organisations: an app whose account type lets other tenants
//! sign in (`AzureADMultipleOrgs`, `AzureADandPersonalMicrosoftAccount`) must be approved by an
//! administrator of each tenant that uses it. The link is the identity platform's v2.0
//! admin-consent endpoint (reference/microsoft-wire.md §3.4):
//! `{login}/{tenant}/v2.0/adminconsent?client_id=…&scope={graph}/.default&redirect_uri=…`, where
//! `tenant` is that organisation's ID or domain, or `organizations` when it is not known — never
//! `common` (nor `consumers`), which the endpoint does not take. `/.default` asks for every
//! permission in the registration's `requiredResourceAccess`, application permissions included.
//! The login host and the Graph resource are the cloud's ([`Endpoints`]).

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
    let mut url = endpoints.login.clone();
    url.path_segments_mut()
        .map_err(|()| ConsentLinkError::BadLoginEndpoint(endpoints.login.to_string()))?
        .pop_if_empty()
        .extend([tenant, "v2.0", "adminconsent"]);
    url.set_query(None);
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("scope", &endpoints.graph_default_scope())
        .append_pair("redirect_uri", redirect_uri);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Cloud;

    const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
    const REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";

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
    fn multi_tenant_audiences() {
        assert!(is_multi_tenant("AzureADMultipleOrgs"));
        assert!(is_multi_tenant("AzureADandPersonalMicrosoftAccount"));
        assert!(!is_multi_tenant("AzureADMyOrg"));
        assert!(!is_multi_tenant("PersonalMicrosoftAccount"));
    }
}
