//! `POST /{tenant}/oauth2/v2.0/token`: client credentials, authorization code (+PKCE), refresh token and the
//! device-code grant, with the AADSTS errors of reference/microsoft-wire.md §2.4 and ESTS's headers. A
//! confidential client proves itself with a secret or with a client assertion signed by one of its
//! certificates ([`super::assertion`]); tokens it gets with a certificate carry `appidacr` `2`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{
    APP_TOKEN_LIFETIME, DelegatedIssue, ScopeRequest, TenantRef, app_token, assertion,
    authenticate_client, delegated_tokens, disabled_client, missing_parameter,
    parse_delegated_scope, resolve_tenant, unknown_client,
};
use crate::errors::{AadError, ests_json};
use crate::permissions::Resource;
use crate::server::Shared;
use crate::state::{ClientView, DeviceStatus, Directory, User};

/// The form of a token request, with HTTP Basic client credentials folded in.
#[derive(Debug, Default)]
struct TokenForm {
    fields: Vec<(String, String)>,
    basic: Option<(String, String)>,
}

impl TokenForm {
    fn parse(headers: &HeaderMap, body: &str) -> TokenForm {
        let fields = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let basic = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Basic "))
            .and_then(|encoded| STANDARD.decode(encoded.trim()).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|pair| {
                let (id, secret) = pair.split_once(':')?;
                let decode = |s: &str| {
                    url::form_urlencoded::parse(format!("x={s}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                };
                Some((decode(id)?, decode(secret)?))
            });
        TokenForm { fields, basic }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|v| !v.is_empty())
    }

    fn client_id(&self) -> Option<String> {
        self.get("client_id")
            .map(str::to_owned)
            .or_else(|| self.basic.as_ref().map(|(id, _)| id.clone()))
    }

    /// The client ID, in the body or HTTP Basic (AADSTS900144 without it).
    fn require_client_id(&self) -> Result<String, AadError> {
        self.client_id()
            .ok_or_else(|| missing_parameter("client_id"))
    }

    fn client_secret(&self) -> Option<String> {
        self.get("client_secret")
            .map(str::to_owned)
            .or_else(|| self.basic.as_ref().map(|(_, secret)| secret.clone()))
    }

    fn require(&self, name: &str) -> Result<&str, AadError> {
        self.get(name).ok_or_else(|| missing_parameter(name))
    }

    /// `client_info=1` was sent: the answer carries `client_info`.
    fn wants_client_info(&self) -> bool {
        self.get("client_info") == Some("1")
    }
}

fn invalid_grant(code: u32, message: &str) -> AadError {
    AadError::bad_request("invalid_grant", code, message)
}

/// AADSTS9002313: a code, refresh token or device code that names nothing ESTS knows.
fn malformed_grant() -> AadError {
    invalid_grant(9002313, "Invalid request. Request is malformed or invalid.")
}

/// AADSTS70000 unless the grant was issued to `client_id` (in any letter case); `message` says what
/// the grant is.
fn check_issued_to(issued_to: &str, client_id: &str, message: &str) -> Result<(), AadError> {
    if issued_to.eq_ignore_ascii_case(client_id) {
        Ok(())
    } else {
        Err(invalid_grant(70000, message))
    }
}

/// The tenant a code or refresh token was issued in, which must be the one the path names when it
/// names one.
fn issuing_tenant(
    directory: &Directory,
    tenant_id: &str,
    asked: TenantRef,
) -> Result<usize, AadError> {
    let t = directory
        .tenants
        .iter()
        .position(|tenant| tenant.id == tenant_id)
        .ok_or_else(malformed_grant)?;
    match asked {
        TenantRef::Tenant(asked) if asked != t => Err(malformed_grant()),
        _ => Ok(t),
    }
}

/// The user of tenant `t` a code or refresh token was issued to.
fn grant_user(directory: &Directory, t: usize, user_id: &str) -> Result<User, AadError> {
    directory.tenants[t]
        .users
        .iter()
        .find(|user| user.id == user_id)
        .cloned()
        .ok_or_else(malformed_grant)
}

/// AADSTS50173 (`suberror` `bad_token`) for a refresh token issued before the user's sessions were
/// revoked, worded as the recorded answers (conformance/recordings/azure-sdk-for-python, test_cae):
/// `TokensValidFrom` is whole seconds, the revocation time rounded up.
fn revoked_grant(issued: DateTime<Utc>, revoked: DateTime<Utc>) -> AadError {
    let precise = |at: DateTime<Utc>| {
        format!(
            "{}.{:07}Z",
            at.format("%Y-%m-%dT%H:%M:%S"),
            at.timestamp_subsec_nanos() / 100
        )
    };
    let whole = revoked.timestamp() + i64::from(revoked.timestamp_subsec_nanos() > 0);
    let valid_from = DateTime::<Utc>::from_timestamp(whole, 0).unwrap_or(revoked);
    AadError::bad_request(
        "invalid_grant",
        50173,
        format!(
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{}'.",
            precise(issued),
            precise(valid_from)
        ),
    )
    .with_suberror("bad_token")
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let form = TokenForm::parse(&headers, &body);
    match handle(&shared, &tenant, &form) {
        Ok(body) => ests_json(StatusCode::OK, &body, false),
        Err(error) => error.response(shared.clock.utc()),
    }
}

fn handle(shared: &Shared, tenant: &str, form: &TokenForm) -> Result<Value, AadError> {
    let mut directory = shared.directory();
    let tenant_ref = resolve_tenant(&directory, tenant)?;
    let grant_type = form.require("grant_type")?.to_owned();
    let request = TokenRequest {
        shared,
        tenant_ref,
        segment: tenant,
        form,
    };
    match grant_type.as_str() {
        "client_credentials" => request.client_credentials(&mut directory),
        "authorization_code" => request.authorization_code(&mut directory),
        "refresh_token" => request.refresh_token(&mut directory),
        "urn:ietf:params:oauth:grant-type:device_code" => request.device_code(&mut directory),
        other => Err(AadError::bad_request(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// The client credential a token request carries.
enum Credential {
    /// Neither a secret nor an assertion.
    None,
    /// `client_secret` (in the body or HTTP Basic).
    Secret(String),
    /// `client_assertion` of type jwt-bearer.
    Assertion(String),
}

/// Which credential the request carries: both at once, or an assertion of another type, is refused.
fn credential(form: &TokenForm) -> Result<Credential, AadError> {
    match (form.client_secret(), form.get("client_assertion")) {
        (Some(_), Some(_)) => Err(AadError::bad_request(
            "invalid_request",
            90023,
            "The request carries both 'client_secret' and 'client_assertion'; send only one client credential.",
        )),
        (None, Some(assertion)) => match form.get("client_assertion_type") {
            None => Err(missing_parameter("client_assertion_type")),
            Some(kind) if kind != assertion::JWT_BEARER => Err(AadError::bad_request(
                "invalid_request",
                90023,
                format!(
                    "The 'client_assertion_type' '{kind}' is not supported; use '{}'.",
                    assertion::JWT_BEARER
                ),
            )),
            Some(_) => Ok(Credential::Assertion(assertion.to_owned())),
        },
        (Some(secret), None) => Ok(Credential::Secret(secret)),
        (None, None) => Ok(Credential::None),
    }
}

/// A client that proved itself for a delegated grant in tenant `tenant`: what its tokens are issued to.
struct Proven<'a> {
    shared: &'a Shared,
    tenant: usize,
    client: ClientView,
    with_secret: bool,
    client_info: bool,
}

impl Proven<'_> {
    /// The delegated tokens for `user` and `scope` (see [`delegated_tokens`]).
    fn issue(
        &self,
        directory: &mut Directory,
        user: &User,
        scope: &ScopeRequest,
        nonce: Option<String>,
        session_id: String,
    ) -> Result<Value, AadError> {
        let issue = DelegatedIssue {
            tenant: self.tenant,
            client: &self.client,
            user,
            scope,
            with_secret: self.with_secret,
            nonce,
            session_id,
            client_info: self.client_info,
        };
        delegated_tokens(self.shared, directory, &issue)
    }
}

/// One token request being answered: its form, and the tenant its path names (resolved, and the
/// `{tenant}` segment as sent).
#[derive(Clone, Copy)]
struct TokenRequest<'a> {
    shared: &'a Shared,
    tenant_ref: TenantRef,
    segment: &'a str,
    form: &'a TokenForm,
}

impl TokenRequest<'_> {
    /// Checks the credential sent against the client as tenant `t` sees it (the tenant named in the
    /// path as `segment`): a client assertion as [`assertion::verify`] does (the client then counts as
    /// proven by a certificate), a secret or none as [`authenticate_client`] does. Whether a
    /// confidential client proved itself.
    fn authenticate(
        &self,
        directory: &mut Directory,
        t: usize,
        client: &mut ClientView,
        sent: &Credential,
    ) -> Result<bool, AadError> {
        let now = self.shared.clock.utc();
        match sent {
            Credential::Assertion(jwt) if !client.is_public => {
                let login_base = self.shared.public_base();
                let expected = assertion::Expected {
                    client,
                    tenant: &directory.tenants[t],
                    segment: self.segment,
                    login_base: &login_base,
                    listen_base: &self.shared.endpoints.login,
                    now,
                };
                assertion::verify(jwt, &expected, &mut directory.used_assertions)?;
                client.certificate_used = true;
                Ok(true)
            }
            Credential::Assertion(_) => authenticate_client(client, now, Some("")),
            Credential::Secret(secret) => authenticate_client(client, now, Some(secret)),
            Credential::None => authenticate_client(client, now, None),
        }
    }

    /// Checks the credential the form carries against `client` as tenant `t` sees it (see
    /// [`TokenRequest::authenticate`]): the client as proven, for its delegated tokens.
    fn prove(
        &self,
        directory: &mut Directory,
        t: usize,
        mut client: ClientView,
    ) -> Result<Proven<'_>, AadError> {
        let sent = credential(self.form)?;
        let with_secret = self.authenticate(directory, t, &mut client, &sent)?;
        Ok(Proven {
            shared: self.shared,
            tenant: t,
            client,
            with_secret,
            client_info: self.form.wants_client_info(),
        })
    }

    fn client_credentials(&self, directory: &mut Directory) -> Result<Value, AadError> {
        let t = match self.tenant_ref {
            TenantRef::Tenant(t) => t,
            TenantRef::Organizations => {
                return Err(AadError::bad_request(
                    "invalid_request",
                    50059,
                    "No tenant-identifying information found in either the request or implied by any provided credentials.",
                ));
            }
            _ => {
                return Err(AadError::bad_request(
                    "invalid_request",
                    9001023,
                    "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
                ));
            }
        };
        let sent = credential(self.form)?;
        // With an assertion, the client ID may be left to the assertion's issuer, as Entra allows.
        let client_id = self
            .form
            .client_id()
            .or_else(|| match &sent {
                Credential::Assertion(jwt) => assertion::issuer(jwt),
                _ => None,
            })
            .ok_or_else(|| missing_parameter("client_id"))?;
        let now = self.shared.clock.now();
        let mut client = directory
            .client_view(t, &client_id, self.shared.clock.now())
            .filter(|client| !client.first_party_public)
            .filter(|client| {
                directory.tenants[t]
                    .application_by_app_id(&client.app_id, now)
                    .is_some()
                    || directory.tenants[t]
                        .sp_by_app_id(&client.app_id, now)
                        .is_some()
            })
            .ok_or_else(|| unknown_client(&client_id, &directory.tenants[t].display_name))?;
        let tenant = &directory.tenants[t];
        if !client.enabled {
            return Err(disabled_client(&client));
        }
        let scope = self.form.require("scope")?;
        let scopes: Vec<&str> = scope.split_whitespace().collect();
        if let Some(bad) = scopes.iter().find(|s| !s.ends_with("/.default")) {
            return Err(AadError::bad_request(
                "invalid_scope",
                1002012,
                format!(
                    "The provided value for scope {bad} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                ),
            ));
        }
        if scopes.len() != 1 {
            return Err(AadError::bad_request(
                "invalid_scope",
                70011,
                format!(
                    "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid."
                ),
            ));
        }
        let identifier = scopes[0].trim_end_matches("/.default");
        let Some((resource, audience)) = Resource::from_identifier(identifier) else {
            return Err(AadError::bad_request(
                "invalid_resource",
                500011,
                format!(
                    "The resource principal named {identifier} was not found in the tenant named {}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
                    tenant.display_name
                ),
            ));
        };
        self.authenticate(directory, t, &mut client, &sent)?;
        let tenant = &directory.tenants[t];
        let Some(sp) = tenant.sp_by_app_id(&client.app_id, now) else {
            return Err(AadError::bad_request(
                "invalid_client",
                7000229,
                format!(
                    "The client application {} is missing service principal in the tenant {}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119",
                    client.app_id, tenant.id
                ),
            ));
        };
        let roles = tenant.granted_roles(resource, &client.app_id, now);
        let access_token = app_token(self.shared, &tenant.id, &audience, &client, &sp.id, &roles);
        Ok(json!({
            "token_type": "Bearer",
            "expires_in": APP_TOKEN_LIFETIME,
            "ext_expires_in": APP_TOKEN_LIFETIME,
            "access_token": access_token,
        }))
    }

    fn authorization_code(&self, directory: &mut Directory) -> Result<Value, AadError> {
        let code_value = self.form.require("code")?.to_owned();
        let client_id = self.form.require_client_id()?;
        let redirect_uri = self.form.require("redirect_uri")?.to_owned();
        let Some(code) = directory.codes.get(&code_value).cloned() else {
            return Err(malformed_grant());
        };
        if code.redeemed {
            return Err(invalid_grant(
                54005,
                "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
            ));
        }
        if code.expires <= self.shared.clock.now() {
            return Err(invalid_grant(
                70008,
                "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
            ));
        }
        let t = issuing_tenant(directory, &code.tenant_id, self.tenant_ref)?;
        check_issued_to(
            &code.client_id,
            &client_id,
            "The provided value for the 'code' parameter is not valid. The code was issued to another client.",
        )?;
        if code.redirect_uri != redirect_uri {
            return Err(AadError::bad_request(
                "invalid_grant",
                70000,
                "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
            ));
        }
        if let Some(challenge) = &code.code_challenge {
            let verifier = self
                .form
                .get("code_verifier")
                .ok_or_else(|| missing_parameter("code_verifier"))?;
            let computed = match code.code_challenge_method.as_deref() {
                Some("plain") => verifier.to_owned(),
                _ => URL_SAFE_NO_PAD.encode(
                    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes())
                        .as_ref(),
                ),
            };
            if &computed != challenge {
                return Err(invalid_grant(
                    50148,
                    "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
                ));
            }
        }
        let client = directory
            .client_view(t, &client_id, self.shared.clock.now())
            .ok_or_else(|| unknown_client(&client_id, &directory.tenants[t].display_name))?;
        let proven = self.prove(directory, t, client)?;
        if let Some(stored) = directory.codes.get_mut(&code_value) {
            stored.redeemed = true;
        }
        let user = grant_user(directory, t, &code.user_id)?;
        let scope_text = self
            .form
            .get("scope")
            .map(str::to_owned)
            .unwrap_or_else(|| code.scopes.join(" "));
        let scope = parse_delegated_scope(&scope_text)?;
        proven.issue(
            directory,
            &user,
            &scope,
            code.nonce.clone(),
            code.session_id.clone(),
        )
    }

    fn refresh_token(&self, directory: &mut Directory) -> Result<Value, AadError> {
        let refresh = self.form.require("refresh_token")?.to_owned();
        let client_id = self.form.require_client_id()?;
        let Some(grant) = directory.refresh_tokens.get(&refresh).cloned() else {
            return Err(malformed_grant());
        };
        let t = issuing_tenant(directory, &grant.tenant_id, self.tenant_ref)?;
        check_issued_to(
            &grant.client_id,
            &client_id,
            "Provided grant is invalid or malformed. The refresh token was issued to another client.",
        )?;
        if let Some(valid_from) = grant.revoked {
            return Err(revoked_grant(grant.issued, valid_from));
        }
        let client = directory
            .client_view(t, &client_id, self.shared.clock.now())
            .ok_or_else(|| unknown_client(&client_id, &directory.tenants[t].display_name))?;
        if !client.enabled {
            return Err(disabled_client(&client));
        }
        let proven = self.prove(directory, t, client)?;
        let user = grant_user(directory, t, &grant.user_id)?;
        if !user.account_enabled {
            return Err(invalid_grant(50057, "The user account is disabled."));
        }
        let scope_text = self
            .form
            .get("scope")
            .map(str::to_owned)
            .unwrap_or_else(|| {
                grant
                    .scopes
                    .iter()
                    .filter(|s| s.as_str() != ".default")
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        let mut scope = parse_delegated_scope(&scope_text)?;
        if !scope.oidc.iter().any(|s| s == "offline_access") {
            scope.oidc.push("offline_access".to_owned());
        }
        proven.issue(directory, &user, &scope, None, grant.session_id.clone())
    }

    fn device_code(&self, directory: &mut Directory) -> Result<Value, AadError> {
        let device_code = self
            .form
            .get("device_code")
            .or_else(|| self.form.get("code"))
            .ok_or_else(|| missing_parameter("device_code"))?
            .to_owned();
        let client_id = self.form.require_client_id()?;
        let Some(index) = directory
            .device_codes
            .iter()
            .position(|grant| grant.device_code == device_code)
        else {
            return Err(AadError::bad_request(
                "bad_verification_code",
                70019,
                "Verification code expired or is invalid.",
            ));
        };
        let grant = directory.device_codes[index].clone();
        check_issued_to(
            &grant.client_id,
            &client_id,
            "The provided device code was issued to another client.",
        )?;
        let t = directory
            .tenants
            .iter()
            .position(|tenant| tenant.id == grant.tenant_id)
            .or(match self.tenant_ref {
                TenantRef::Tenant(t) => Some(t),
                _ => None,
            });
        let client = t
            .and_then(|t| directory.client_view(t, &client_id, self.shared.clock.now()))
            .or_else(|| directory.client_view(0, &client_id, self.shared.clock.now()));
        let Some(client) = client else {
            return Err(unknown_client(&client_id, "common"));
        };
        if !client.first_party_public && !client.allow_public_client_flows {
            return Err(AadError::invalid_client(
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            ));
        }
        if grant.expires <= self.shared.clock.now() {
            return Err(AadError::bad_request(
                "expired_token",
                70020,
                "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
            ));
        }
        match &grant.status {
            DeviceStatus::Pending => Err(AadError::bad_request(
                "authorization_pending",
                70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            )),
            DeviceStatus::Declined => Err(AadError::bad_request(
                "authorization_declined",
                70019,
                "The end user denied the authorization request.",
            )),
            DeviceStatus::Redeemed => Err(invalid_grant(
                54005,
                "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
            )),
            DeviceStatus::Approved(user_id) => {
                let (t, user) = directory
                    .tenants
                    .iter()
                    .enumerate()
                    .find_map(|(t, tenant)| {
                        tenant
                            .users
                            .iter()
                            .find(|u| &u.id == user_id)
                            .map(|u| (t, u.clone()))
                    })
                    .ok_or_else(malformed_grant)?;
                if !user.account_enabled {
                    // Sign-in blocked (as Exchange creates shared mailboxes): the sign-in fails.
                    directory.device_codes[index].status = DeviceStatus::Redeemed;
                    return Err(invalid_grant(50057, "The user account is disabled."));
                }
                let client = directory
                    .client_view(t, &client_id, self.shared.clock.now())
                    .unwrap_or(client);
                let proven = self.prove(directory, t, client)?;
                directory.device_codes[index].status = DeviceStatus::Redeemed;
                let scope = parse_delegated_scope(&grant.scopes.join(" "))?;
                // The sign-in on the verification page is a new session.
                proven.issue(directory, &user, &scope, None, crate::state::new_guid())
            }
        }
    }
}
