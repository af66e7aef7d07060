//! Diagnosis as a whole: every cause from realistic text, every shape of error, ordering and
//! deduplication, and the real material in shared/conformance.

use std::path::PathBuf;

use strum::IntoEnumIterator;

use super::*;

fn catalog() -> Catalog {
    Catalog::shipped()
}

fn causes(text: &str) -> Vec<Cause> {
    diagnose(text, &catalog())
        .into_iter()
        .map(|f| f.cause)
        .collect()
}

fn first(text: &str) -> Finding {
    diagnose(text, &catalog())
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing recognised in: {text}"))
}

/// Realistic text for every cause that has a signal in error text, and the cause it must
/// produce first.
const TABLE: &[(Cause, &str)] = &[
    (
        Cause::TenantNotFound,
        r#"{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f5' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant. Trace ID: 0f6b6d5e-1b1a-4a58-9a0e-8c2c4e1f6700 Correlation ID: 2a1c2f1e-5d3b-4f0e-9b8a-7d6c5e4f3a21 Timestamp: 2025-08-18 15:26:14Z","error_codes":[90002],"timestamp":"2025-08-18 15:26:14Z","trace_id":"0f6b6d5e-1b1a-4a58-9a0e-8c2c4e1f6700","correlation_id":"2a1c2f1e-5d3b-4f0e-9b8a-7d6c5e4f3a21","error_uri":"https://login.microsoftonline.com/error?code=90002"}"#,
    ),
    (
        Cause::TenantIdMalformed,
        "Error: failed to get token: AADSTS900023: Specified tenant identifier 'acme corp' is neither a valid DNS name, nor a valid external domain. Trace ID: 3e9f… Correlation ID: 77aa… Timestamp: 2024-02-01 10:11:12Z",
    ),
    (
        Cause::WrongCloud,
        r#"{"error":"invalid_request","error_description":"AADSTS900382: Confidential Client is not supported in Cross Cloud request.\r\nTrace ID: 1c2d…\r\nCorrelation ID: 9e8f…\r\nTimestamp: 2023-04-05 06:07:08Z","error_codes":[900382]}"#,
    ),
    (
        Cause::SingleTenantAppOnCommon,
        "AADSTS50194: Application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Axero Outlook Calendar Sync) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
    ),
    (
        Cause::PlaceholderNotReplaced,
        "AADSTS700016: Application with identifier 'your_client_id' was not found in the directory 'Acme Corp'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    ),
    (
        Cause::ClientIdMalformed,
        "AADSTS700016: Application with identifier 'Axero Outlook Calendar Sync' was not found in the directory 'Acme Corp'.",
    ),
    (
        Cause::ClientIdNotFound,
        r#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' was not found in the directory 'acmecorp.net'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.","error_codes":[700016],"error_uri":"https://login.windows.net/error?code=700016"}"#,
    ),
    (
        Cause::AppDisabled,
        "MsalServiceException: AADSTS7000112: Application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Exchange Calendar Connector) is disabled.",
    ),
    (
        Cause::SecretMissing,
        r#"{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'. Trace ID: 7b1e… Correlation ID: 5c2d… Timestamp: 2024-04-10 12:00:00Z","error_codes":[7000218],"timestamp":"2024-04-10 12:00:00Z","error_uri":"https://login.microsoftonline.com/error?code=7000218"}"#,
    ),
    (
        Cause::SecretInvalid,
        "ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'.",
    ),
    (
        Cause::SecretExpired,
        "(401) Unauthorized. AADSTS7000222: The provided client secret keys for app 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
    ),
    (
        Cause::SecretLifetimePolicy,
        r#"{"error":{"code":"CredentialInvalidLifetimeAsPerAppPolicy","message":"Credential lifetime exceeds the max value allowed as per assigned policy 'Limit secrets to 180 days'.","innerError":{"date":"2024-09-12T08:00:00","request-id":"4b0c…","client-request-id":"4b0c…"}}}"#,
    ),
    (
        Cause::PublicClientSentSecret,
        "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),
    (
        Cause::CertificateAssertionInvalid,
        r#"{"error":"invalid_client","error_description":"AADSTS700027: Client assertion failed signature validation.","error_codes":[700027]}"#,
    ),
    (
        Cause::RedirectUriMismatch,
        "Sorry, but we're having trouble signing you in.\nAADSTS50011: The redirect URI 'https://intranet.acmecorp.net/oauth2/outlook/callback/' specified in the request does not match the redirect URIs configured for the application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
    ),
    (
        Cause::RedirectPlatformWrong,
        "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: 'https://intranet.acmecorp.net'.",
    ),
    (
        Cause::AccountTypeMismatch,
        "AADSTS9002331: Application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Odoo) is configured for use by Microsoft Account users only. Please use the /consumers endpoint to serve this request.",
    ),
    (
        Cause::UserNotInTenant,
        "AADSTS50020: User account 'someone@outlook.com' from identity provider 'live.com' does not exist in tenant 'Acme Corp' and cannot access the application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Axero) in that tenant.",
    ),
    (
        Cause::MultipleAccountsSignedIn,
        "Users with several Microsoft accounts in the browser get: AADSTS50020: User account 'someone@outlook.com' from identity provider 'live.com' does not exist in tenant 'Acme Corp' and cannot access the application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Axero) in that tenant.",
    ),
    (
        Cause::PermissionMissing,
        r#"HTTP/1.1 403 Forbidden
{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2024-06-01T10:00:00","request-id":"1d2e…","client-request-id":"1d2e…"}}}"#,
    ),
    (
        Cause::WrongPermissionType,
        r#"{"error":{"code":"BadRequest","message":"/me request is only valid with delegated authentication flow.","innerError":{"date":"2024-06-01T10:00:00"}}}"#,
    ),
    (
        Cause::AdminConsentMissing,
        r#"{"error":{"code":"NoPermissionsInAccessToken","message":"The token contains no permissions, or permissions can not be understood.","innerError":{"date":"2024-06-01T10:00:00"}}}"#,
    ),
    (
        Cause::ConsentRequired,
        r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application with ID 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' named 'Axero'. Send an interactive authorization request for this user and resource.","error_codes":[65001],"suberror":"consent_required"}"#,
    ),
    (
        Cause::ScopeInvalid,
        "AADSTS1002012: The provided value for scope Calendars.Read is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
    ),
    (
        Cause::ResourceNotFound,
        r#"{"error":"invalid_resource","error_description":"AADSTS500011: The resource principal named https://graph.microsoft.co was not found in the tenant named Acme Corp.","error_codes":[500011]}"#,
    ),
    (
        Cause::UserConsentBlocked,
        "AADSTS90095: Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.",
    ),
    (
        Cause::AdminConsentWorkflowDisabled,
        "User consent settings: Do not allow user consent. Admin consent requests: No.",
    ),
    (
        Cause::InsufficientAdminRights,
        "Set-TransportConfig : The term 'Set-TransportConfig' is not recognized as the name of a cmdlet, function, script file, or operable program.",
    ),
    (
        Cause::ConditionalAccessBlocked,
        r#"{"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.","error_codes":[53003],"suberror":"message_only","error_uri":"https://login.microsoft.com/error?code=53003"}"#,
    ),
    (
        Cause::MfaRequired,
        "MsalUiRequiredException: AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'Microsoft Graph'.",
    ),
    (
        Cause::TokenWrongAudience,
        r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure. Invalid audience.","innerError":{"date":"2024-06-01T10:00:00"}}}"#,
    ),
    (
        Cause::TokenInvalid,
        r#"{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired.","innerError":{"date":"2024-06-01T10:00:00"}}}"#,
    ),
    (
        Cause::MailboxUnavailable,
        r#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox.","innerError":{"request-id":"9c8b…","date":"2019-11-14T09:50:44"}}}"#,
    ),
    (
        Cause::MailboxIsShared,
        "The From Email Address info@acmecorp.net is a shared mailbox.",
    ),
    (
        Cause::MailboxAccessPolicyDenied,
        r#"{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings."}}"#,
    ),
    (
        Cause::ObjectNotFound,
        r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'calendar@acmecorp.net' does not exist or one of its queried reference-property objects are not present."}}"#,
    ),
    (
        Cause::UserNotConnected,
        "Error creating event: Default Outlook account has not been set up",
    ),
    (
        Cause::SmtpAuthDisabledTenant,
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
    ),
    (
        Cause::SmtpAuthDisabledMailbox,
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    ),
    (
        Cause::SmtpBasicAuthBlocked,
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
    ),
    (
        Cause::SmtpAuthFailed,
        "Invalid login: 535 5.7.3 Authentication unsuccessful [SGXP274CA0016.SGPP274.PROD.OUTLOOK.COM 2025-03-20T11:25:21.972Z 08DD66EDEFB0DFDF]",
    ),
    (
        Cause::SmtpUnreachable,
        "Error: connect ETIMEDOUT 52.97.0.1:587 — Connection timed out while connecting to smtp.office365.com",
    ),
    (
        Cause::Throttled,
        r#"HTTP/1.1 429 Too Many Requests
Retry-After: 10
{"error":{"code":"TooManyRequests","innerError":{"code":"429","date":"2020-08-18T12:51:51","message":"Please retry after","request-id":"94fb3b52-452a-4535-a601-69e0a90e3aa2","status":"429"},"message":"Please retry again later."}}"#,
    ),
    (
        Cause::ServiceUnavailable,
        r#"{"error":"temporarily_unavailable","error_description":"AADSTS50196: The server terminated an operation because it encountered a client request loop.","error_codes":[50196]}"#,
    ),
    (
        Cause::NetworkError,
        "error sending request for url (https://login.microsoftonline.com/acmecorp.net/oauth2/v2.0/token): error trying to connect: dns error: failed to lookup address information: Name or service not known",
    ),
];

/// Causes with no signal in error text: they come from the offline checks (`validate`) or from
/// what the verification engine reads in the tenant.
const NOT_FROM_ERROR_TEXT: &[(Cause, &str)] = &[
    (
        Cause::AddressMalformed,
        "validate::address_issues (--mailbox, --test-recipient)",
    ),
    (
        Cause::DisplayNameInvalid,
        "validate::display_name_issues (--app-name)",
    ),
    (
        Cause::WriteOutcomeUnknown,
        "http::Http::send_write: a write's answer lost after it was sent",
    ),
    (
        Cause::SecretIsSecretId,
        "validate::client_secret (a GUID in the secret field)",
    ),
    (
        Cause::SecretExpiringSoon,
        "verify: passwordCredentials end dates",
    ),
    (
        Cause::CertificateExpired,
        "verify: keyCredentials end dates; AADSTS700027 for a certificate past its end date",
    ),
    (
        Cause::CertificateExpiringSoon,
        "verify: keyCredentials end dates",
    ),
    (
        Cause::CertificateNotRegistered,
        "verify: AADSTS700027 for a certificate not among keyCredentials (the same code as a bad signature)",
    ),
    (
        Cause::RedirectUriInvalid,
        "validate::redirect_uri and validate::site_url",
    ),
    (
        Cause::ExcessPermissions,
        "verify: requiredResourceAccess against the profile",
    ),
    (
        Cause::ConsentPolicyUnrecognised,
        "verify: permissionGrantPoliciesAssigned names a policy of the tenant's own",
    ),
    (
        Cause::ConsentRequestPending,
        "verify: appConsentRequests with userConsentRequests InProgress",
    ),
    (
        Cause::ImapAuthFailed,
        "imap: the probe's AUTHENTICATE XOAUTH2 answered 'NO AUTHENTICATE failed.'",
    ),
    (
        Cause::ImapDisabledMailbox,
        "imap: signed in, then EXAMINE answered 'BAD User is authenticated but not connected.'",
    ),
];

#[test]
fn every_cause_has_a_description_and_a_source() {
    for cause in Cause::iter() {
        let description = describe(cause);
        assert!(!description.title.is_empty(), "{cause}");
        let in_table = TABLE.iter().any(|(c, _)| *c == cause);
        let elsewhere = NOT_FROM_ERROR_TEXT.iter().any(|(c, _)| *c == cause);
        assert!(
            in_table != elsewhere,
            "{cause}: list it once, in TABLE (with error text) or in NOT_FROM_ERROR_TEXT"
        );
    }
}

#[test]
fn every_realistic_input_gives_its_cause_first() {
    let mut wrong = Vec::new();
    for (cause, text) in TABLE {
        let findings = diagnose(text, &catalog());
        if findings.first().map(|f| f.cause) != Some(*cause) {
            wrong.push(format!(
                "{cause}: got {:?}",
                findings.iter().map(|f| f.cause).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn offline_causes_come_from_validate() {
    use crate::validate;
    assert_eq!(
        validate::client_secret("8c6f1f2e-0b7d-4a63-9f5e-2d1c3b4a5e6f")
            .expect_err("secret id")
            .cause,
        Cause::SecretIsSecretId
    );
    assert_eq!(
        validate::redirect_uri(
            "http://intranet.acmecorp.net/callback",
            &validate::RedirectRules::default()
        )
        .expect_err("http")
        .cause,
        Cause::RedirectUriInvalid
    );
}

#[test]
fn nothing_recognised_is_an_empty_list() {
    for text in [
        "",
        "   \n",
        "Everything worked fine yesterday.",
        "250 2.0.0 OK",
        "{\"value\":[]}",
    ] {
        assert!(causes(text).is_empty(), "{text}");
    }
}

#[test]
fn aadsts_is_recognised_in_every_shape() {
    let shapes = [
        // The JSON body, old CRLF description.
        r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: 6bb6aa70-c6cb-4705-a554-de618c90b600\r\nCorrelation ID: 9945f236-c0ab-4bb8-8a38-d8cb584cea28\r\nTimestamp: 2021-11-17 23:25:07Z","error_codes":[7000215]}"#,
        // The new one-line description, no JSON.
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'. Trace ID: 1a… Correlation ID: 2b… Timestamp: 2025-08-18 15:26:14Z",
        // Azure.Identity (Go / .NET) wrapper.
        "ClientSecretCredential authentication failed: POST https://login.microsoftonline.com/acmecorp.net/oauth2/v2.0/token\n--------------------------------------------------------------------------------\nRESPONSE 401: 401 Unauthorized\n--------------------------------------------------------------------------------\n{\n  \"error\": \"invalid_client\",\n  \"error_description\": \"AADSTS7000215: Invalid client secret provided.\",\n  \"error_codes\": [\n    7000215\n  ]\n}",
        // MSAL.NET.
        "Microsoft.Identity.Client.MsalServiceException: A configuration issue is preventing authentication - check the error message from the server for details. Original exception: AADSTS7000215: Invalid client secret provided.\n   ErrorCode: invalid_client\n   StatusCode: 401",
        // Python msal's dict.
        "{'error': 'invalid_client', 'error_description': 'AADSTS7000215: Invalid client secret provided.', 'error_codes': [7000215], 'timestamp': '2024-03-02 10:00:00Z'}",
        // Truncated JSON.
        r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid cli"#,
        // Escaped JSON inside a string.
        r#"{"level":"error","msg":"token request failed","body":"{\"error\":\"invalid_client\",\"error_codes\":[7000215]}"}"#,
        // Escaped JSON in a log line, without a description.
        r#"response body="{\"error\":\"invalid_client\",\"error_codes\":[7000215],\"timestamp\":\"2024-03-02 10:00:00Z\"}""#,
    ];
    for text in shapes {
        let finding = first(text);
        assert_eq!(finding.cause, Cause::SecretInvalid, "{text}");
        assert_eq!(finding.code.as_deref(), Some("AADSTS7000215"), "{text}");
        assert_eq!(finding.source, Source::Identity, "{text}");
    }
}

#[test]
fn error_codes_win_over_the_description() {
    // A description that mentions another code (e.g. quoting a previous error) does not decide.
    let text = r#"{"error":"invalid_client","error_description":"AADSTS7000222: see also AADSTS50011","error_codes":[7000222]}"#;
    let findings = diagnose(text, &catalog());
    assert_eq!(findings[0].cause, Cause::SecretExpired);
}

#[test]
fn findings_are_deduplicated_and_symptoms_come_last() {
    // The code, its description and the profiles' patterns all point at the same cause.
    let text = "AADSTS7000222: The provided client secret keys for app 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' are expired.";
    let findings = diagnose(text, &catalog());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].source, Source::Identity);

    let text = "A user creating an event sees: Default Outlook account has not been set up";
    let findings = diagnose(text, &catalog());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].source, Source::Symptom);
    assert_eq!(findings[0].cause, Cause::UserNotConnected);
    assert_eq!(findings[0].code, None);
    assert!(
        findings[0].fix.contains("My Calendar"),
        "{}",
        findings[0].fix
    );
}

#[test]
fn a_tenant_wide_smtp_refusal_is_not_also_a_mailbox_symptom() {
    let text = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";
    assert_eq!(causes(text), [Cause::SmtpAuthDisabledTenant]);
}

#[test]
fn the_seeds_symptoms_are_recognised() {
    for (text, cause) in [
        (
            "When I save the event it says: Default Outlook account has not been set up.",
            Cause::UserNotConnected,
        ),
        (
            "Multi-tenant consent request routes to the wrong tenant",
            Cause::MultipleAccountsSignedIn,
        ),
        (
            "Sync stops working after a period of time",
            Cause::SecretExpired,
        ),
        (
            "Users say there is no Connect to Outlook button in My Calendar.",
            Cause::ObjectNotFound,
        ),
        (
            "Error connecting your account. Exception log: 403 Forbidden",
            Cause::AdminConsentMissing,
        ),
        ("Need admin approval", Cause::ConsentRequired),
        (
            "Approval required — Request approval",
            Cause::AdminConsentMissing,
        ),
        (
            "odoo.addons.microsoft_calendar.models.microsoft_sync: sync failed",
            Cause::TokenInvalid,
        ),
    ] {
        let findings = diagnose(text, &catalog());
        assert!(
            findings.iter().any(|f| f.cause == cause),
            "{text}: {findings:?}"
        );
    }
    // "Need admin approval" is Microsoft's screen for a user who may not consent: without a
    // profile that is what it means; each product's own reading is offered too.
    let all = causes("Need admin approval");
    assert_eq!(all.first(), Some(&Cause::UserConsentBlocked), "{all:?}");
    assert!(all.contains(&Cause::ConsentRequired), "{all:?}");
}

fn first_for(text: &str, profile: &str) -> Finding {
    diagnose_for(text, &catalog(), Some(profile))
        .expect("known profile")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing recognised for {profile} in: {text}"))
}

#[test]
fn with_a_profile_its_own_findings_come_first() {
    // The Apptoto guide's screen: users may not consent, for the vendor-app profile; Axero's
    // guide reads the same words as permissions not granted for the organisation.
    let vendor = first_for("Need admin approval", "vendor-app-consent");
    assert_eq!(vendor.cause, Cause::UserConsentBlocked);
    assert!(vendor.fix.contains("admin consent"), "{}", vendor.fix);
    let axero = first_for("Need admin approval", "axero-outlook-calendar");
    assert_eq!(axero.cause, Cause::ConsentRequired);
    assert!(axero.fix.contains("Calendars.ReadWrite"), "{}", axero.fix);
    // Without a profile the order is the plain one.
    assert_eq!(
        diagnose_for("Need admin approval", &catalog(), None).expect("no profile"),
        diagnose("Need admin approval", &catalog())
    );
}

#[test]
fn with_a_profile_a_code_is_told_in_the_profile_words() {
    let text = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.";
    let plain = first(text);
    let odoo = first_for(text, "odoo-outlook-calendar");
    assert_eq!(plain.cause, Cause::SecretInvalid);
    assert_eq!(odoo.cause, Cause::SecretInvalid);
    assert_eq!(odoo.code.as_deref(), Some("AADSTS7000215"));
    assert_eq!(odoo.source, Source::Identity);
    assert!(odoo.fix.contains("Odoo"), "{}", odoo.fix);
    assert!(!plain.fix.contains("Odoo"), "{}", plain.fix);
}

#[test]
fn the_wrong_account_is_told_apart_from_an_account_not_in_the_tenant() {
    let signal = "AADSTS50020: User account 'someone@outlook.com' from identity provider 'live.com' does not exist in tenant 'Acme Corp' and cannot access the application 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4'(Axero) in that tenant.";
    assert_eq!(first(signal).cause, Cause::UserNotInTenant);
    let several =
        format!("Our users are signed in to several Microsoft accounts in the browser.\n{signal}");
    assert_eq!(first(&several).cause, Cause::MultipleAccountsSignedIn);
    // Axero's guide reads AADSTS50020 as the wrong one of several accounts.
    assert_eq!(
        first_for(signal, "axero-outlook-calendar").cause,
        Cause::MultipleAccountsSignedIn
    );
}

#[test]
fn an_unknown_profile_is_refused_by_name() {
    let refused = diagnose_for("AADSTS7000215", &catalog(), Some("no-such-product"))
        .expect_err("unknown profile");
    assert_eq!(refused.id, "no-such-product");
    assert!(refused.to_string().contains("no-such-product"), "{refused}");
    assert!(
        refused.known.contains("vendor-app-consent"),
        "{}",
        refused.known
    );
}

#[test]
fn masks_and_stand_ins_are_not_placeholders() {
    for text in [
        "AADSTS700016: Application with identifier '***' was not found in the directory 'App Name'.",
        "AADSTS700016: Application with identifier 'Entra APP ID' was not found in the directory 'Tenant Name'.",
        "AADSTS500011: The resource principal named {id} was not found in the tenant named {id}.",
        "AADSTS90002: Tenant 'XXXXXXXX-XXXX-XXXX' not found.",
        "AADSTS50194: Application '{id}'({name}) is not configured as a multi-tenant application.",
    ] {
        let found = first(text);
        assert_ne!(found.cause, Cause::PlaceholderNotReplaced, "{text}");
        assert_ne!(found.cause, Cause::ClientIdMalformed, "{text}");
    }
    assert_eq!(
        first("AADSTS90002: Tenant 'tenant_id' not found. Check to make sure you have the correct tenant ID.").cause,
        Cause::PlaceholderNotReplaced
    );
    assert_eq!(
        first("AADSTS900023: Specified tenant identifier '{{tenantid}}' is neither a valid DNS name, nor a valid external domain.").cause,
        Cause::PlaceholderNotReplaced
    );
}

#[test]
fn another_cloud_behind_a_tenant_or_resource_not_found() {
    for text in [
        "AADSTS90002: Tenant 'contoso.partner.onmschina.cn' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
        "invalid_resource: AADSTS500011: The resource principal named https://management.core.windows.net/ was not found in the tenant named Contoso. (https://login.partner.microsoftonline.cn/error?code=500011)",
        "Unable to get authority configuration for https://login.microsoftonline.de/b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4. AADSTS90002: Tenant 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' not found.",
    ] {
        assert_eq!(first(text).cause, Cause::WrongCloud, "{text}");
    }
    // A resource of the tenant's own (not one every global tenant has) is just not found.
    assert_eq!(
        first("AADSTS500011: The resource principal named api://b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4 was not found in the tenant named Contoso China.").cause,
        Cause::ResourceNotFound
    );
}

#[test]
fn messages_without_a_code_are_recognised() {
    for (text, cause) in [
        (
            "Microsoft.Graph.Models.ODataErrors.ODataError: Lifetime validation failed, the token is expired.",
            Cause::TokenInvalid,
        ),
        (
            "invalid_scope;The provided value for the input parameter 'scope' is not valid. The scope 'File.Read openid' does not exist.",
            Cause::ScopeInvalid,
        ),
        (
            "The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
            Cause::SmtpAuthDisabledTenant,
        ),
        (
            "org.eclipse.angus.mail.smtp.SMTPSendFailedException: 451 5.7.3 STARTTLS is required to send mail [SG2PR02CA0073.apcprd02.prod.outlook.com]",
            Cause::SmtpUnreachable,
        ),
    ] {
        assert_eq!(first(text).cause, cause, "{text}");
    }
}

#[test]
fn the_json_is_the_contract_shape() {
    let diagnosis = Diagnosis {
        findings: diagnose("AADSTS7000215: Invalid client secret provided.", &catalog()),
    };
    let json = serde_json::to_value(&diagnosis).expect("json");
    let finding = &json["findings"][0];
    let mut keys: Vec<&str> = finding
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["cause", "code", "explanation", "fix", "source", "title"]
    );
    assert_eq!(finding["source"], "identity");
    assert_eq!(finding["code"], "AADSTS7000215");
    assert_eq!(finding["cause"], "secret_invalid");
    let empty = serde_json::to_string(&Diagnosis { findings: vec![] }).expect("json");
    assert_eq!(empty, r#"{"findings":[]}"#);
}

#[test]
fn huge_input_is_cut_not_refused() {
    let mut text = "x".repeat(MAX_TEXT + 10);
    text.push_str("AADSTS7000215");
    assert!(causes(&text).is_empty());
    let mut text = "é".repeat(MAX_TEXT / 2 + 1);
    text.insert_str(0, "AADSTS7000215 ");
    assert_eq!(causes(&text), [Cause::SecretInvalid]);
}

// --- Real material: shared/conformance -----------------------------------------------------

fn conformance_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    present_or_skipped(dir, std::env::var_os("CI").is_some())
}

/// `dir` when it is there; otherwise the test is skipped, said on stderr — except under CI
/// (`CI` set), where the real material must be checked and its absence fails the test.
fn present_or_skipped(dir: PathBuf, ci: bool) -> Option<PathBuf> {
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !ci,
        "{} is absent and CI is set: the real Microsoft material must be checked",
        dir.display()
    );
    eprintln!(
        "SKIPPED: {} is absent, so the real Microsoft material is not checked",
        dir.display()
    );
    None
}

#[test]
#[should_panic(expected = "is absent and CI is set")]
fn absent_conformance_material_fails_under_ci() {
    present_or_skipped(PathBuf::from("/nonexistent/shared/conformance"), true);
}

#[test]
fn absent_conformance_material_is_skipped_outside_ci() {
    assert_eq!(
        present_or_skipped(PathBuf::from("/nonexistent/shared/conformance"), false),
        None
    );
}

fn json_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read recordings") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_recorded_error_body_is_recognised() {
    let Some(dir) = conformance_dir() else { return };
    let mut files = Vec::new();
    json_files(&dir.join("recordings"), &mut files);
    let mut checked = 0;
    for file in files {
        let recording: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
        for entry in recording["Entries"].as_array().into_iter().flatten() {
            if entry["StatusCode"].as_u64().unwrap_or(0) < 400 {
                continue;
            }
            let body = &entry["ResponseBody"];
            let code = body["error_codes"][0]
                .as_u64()
                .expect("an identity error body");
            let expected = identity::cause_of(u32::try_from(code).expect("code"))
                .unwrap_or_else(|| panic!("{}: AADSTS{code} has no cause", file.display()));
            for text in [
                body.to_string(),
                serde_json::to_string_pretty(body).expect("pretty"),
            ] {
                let finding = first(&text);
                assert_eq!(finding.cause, expected, "{}", file.display());
                assert_eq!(finding.code, Some(format!("AADSTS{code}")));
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no error body in the recordings");
}

/// The expected cause of each real SMTP error line, by a fragment of the line.
const SMTP_EXPECTED: &[(&str, Cause)] = &[
    ("disabled for the Tenant", Cause::SmtpAuthDisabledTenant),
    ("disabled for the Mailbox", Cause::SmtpAuthDisabledMailbox),
    (
        "basic authentication is disabled",
        Cause::SmtpBasicAuthBlocked,
    ),
    ("user credentials were incorrect", Cause::SmtpAuthFailed),
    ("5.7.3 Authentication unsuccessful", Cause::SmtpAuthFailed),
];

#[test]
fn every_real_smtp_error_line_is_recognised() {
    let Some(dir) = conformance_dir() else { return };
    let text = std::fs::read_to_string(dir.join("smtp/office365-smtp-replies.jsonl"))
        .expect("smtp replies");
    let reply_code =
        regex::Regex::new(r"^[A-Za-z: ]*?([2-5])\d\d[ :\-]|^([245])\.\d+\.\d+").expect("pattern");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).expect("jsonl");
        let server_line = record["server_line"].as_str().expect("server_line");
        let class = reply_code
            .captures(server_line)
            .and_then(|c| c.get(1).or_else(|| c.get(2)))
            .map(|m| m.as_str());
        if !matches!(class, Some("4" | "5")) {
            assert!(
                causes(server_line).is_empty(),
                "a success line was diagnosed: {server_line}"
            );
            continue;
        }
        let expected = SMTP_EXPECTED
            .iter()
            .find(|(fragment, _)| server_line.contains(fragment))
            .map(|(_, cause)| *cause)
            .unwrap_or_else(|| panic!("add the expected cause of this real line: {server_line}"));
        let finding = first(server_line);
        assert_eq!(finding.cause, expected, "{server_line}");
        assert_eq!(finding.source, Source::Smtp, "{server_line}");
        assert!(
            finding.code.as_deref().is_some_and(|c| c.contains("5.7.")),
            "{server_line}: {:?}",
            finding.code
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} error lines checked");
}
