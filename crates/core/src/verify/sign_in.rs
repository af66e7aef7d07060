//! Who must sign in for a verification, with which scopes, and the sign-ins themselves.
//!
//! Least privilege: the administrator is asked only for read scopes (the registration, its
//! consent, the tenant's policies, users and licences). The mailbox owner signs in once for what
//! the mailbox checks need — Graph `Mail.Send` for the test email, the Outlook resource's
//! `SMTP.Send` for the SMTP AUTH probe — the second token coming from the refresh token. Both
//! sign-in flows (device code, browser) go through the same steps, only the flow differs.

use crate::check::CheckId;
use url::Url;

use crate::identity::{self, DevicePrompt, SignInError, UserTokens};
use crate::profile::Profile;

use super::{Context, Inputs, Sessions};

/// Who is asked to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    /// An administrator of the tenant.
    Administrator,
    /// The owner of the mailbox the integration uses.
    MailboxOwner(String),
}

/// A sign-in that failed, and whose it was.
#[derive(Debug, thiserror::Error)]
#[error("sign-in of {person:?} failed: {error}")]
pub struct SessionError {
    /// Whose sign-in.
    pub person: Person,
    /// Why.
    #[source]
    pub error: SignInError,
}

/// The administrator's read-only Graph permissions: the registration and service principals
/// (`Application.Read.All`), the tenant's policies (`Policy.Read.All`), users and licences
/// (`User.Read.All`), delegated consent (`DelegatedPermissionGrant.Read.All`, the least
/// privileged read of `oauth2PermissionGrants`), and users' pending requests for admin consent
/// (`ConsentRequest.Read.All`).
pub const ADMIN_READ_SCOPE_NAMES: &[&str] = &[
    "Application.Read.All",
    "Policy.Read.All",
    "User.Read.All",
    "DelegatedPermissionGrant.Read.All",
    "ConsentRequest.Read.All",
];

/// The administrator's scopes: read-only Graph permissions, and a refresh token.
pub fn admin_scopes(ctx: &Context) -> Vec<String> {
    let graph = ctx.endpoints.graph_resource();
    let mut scopes: Vec<String> = ADMIN_READ_SCOPE_NAMES
        .iter()
        .map(|s| format!("{graph}/{s}"))
        .collect();
    scopes.push("offline_access".into());
    scopes
}

/// What the mailbox owner must grant: Graph scopes for the test email, Outlook scopes for SMTP
/// and IMAP (one Outlook token carries both).
pub fn mailbox_scopes(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
) -> (Vec<String>, Vec<String>) {
    let mut graph = Vec::new();
    let mut outlook = Vec::new();
    if inputs.mailbox.is_none() {
        return (graph, outlook);
    }
    if profile.checks.contains(&CheckId::TestEmail) && inputs.test_recipient.is_some() {
        graph.push(format!("{}/Mail.Send", ctx.endpoints.graph_resource()));
    }
    if profile.checks.contains(&CheckId::SmtpAuth) {
        outlook.push(format!("{}/SMTP.Send", ctx.endpoints.outlook_resource));
    }
    if profile.checks.contains(&CheckId::ImapAuth) {
        outlook.push(format!(
            "{}/IMAP.AccessAsUser.All",
            ctx.endpoints.outlook_resource
        ));
    }
    (graph, outlook)
}

/// How people sign in, with what the caller shows them.
#[derive(Clone, Copy)]
enum Flow<'a> {
    /// Device code: `show` tells the person the code and the address.
    DeviceCode(&'a (dyn Fn(&Person, &DevicePrompt) + Send + Sync)),
    /// Browser: `show_url` gives the sign-in page's address (for a machine without a browser),
    /// then `open` opens it.
    Browser {
        open: &'a (dyn Fn(&Url) -> std::io::Result<()> + Send + Sync),
        show_url: &'a (dyn Fn(&Person, &Url) + Send + Sync),
    },
}

impl Flow<'_> {
    /// Sign `person` in for `scopes`.
    async fn sign_in(
        self,
        ctx: &Context,
        tenant: &str,
        client_id: &str,
        person: &Person,
        scopes: &[String],
    ) -> Result<UserTokens, SignInError> {
        match self {
            Flow::DeviceCode(show) => {
                identity::sign_in_with_device_code(
                    &ctx.http,
                    &ctx.endpoints,
                    tenant,
                    client_id,
                    scopes,
                    &|p| show(person, p),
                )
                .await
            }
            Flow::Browser { open, show_url } => {
                let login_hint = match person {
                    Person::Administrator => None,
                    Person::MailboxOwner(upn) => Some(upn.as_str()),
                };
                identity::sign_in_with_browser(
                    &ctx.http,
                    &ctx.endpoints,
                    tenant,
                    client_id,
                    scopes,
                    login_hint,
                    &|url| {
                        show_url(person, url);
                        open(url)
                    },
                    identity::BROWSER_SIGN_IN_TIMEOUT,
                )
                .await
            }
        }
    }
}

/// Sign the administrator in, then the mailbox owner when the profile's checks need them, with
/// the device-code flow; `show` tells the person at the screen what to do.
pub async fn sign_in_with_device_code(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    client_id: &str,
    show: &(dyn Fn(&Person, &DevicePrompt) + Send + Sync),
) -> Result<Sessions, SessionError> {
    sign_in(profile, inputs, ctx, client_id, Flow::DeviceCode(show)).await
}

/// Sign the administrator in (asked which account), then the mailbox owner (`login_hint` = the
/// mailbox) when the profile's checks need them, in the browser: `show_url` is given each
/// sign-in page's address before `open` opens it (the address stays usable if it does not open).
/// Each page may stay open [`identity::BROWSER_SIGN_IN_TIMEOUT`].
pub async fn sign_in_with_browser(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    client_id: &str,
    open: &(dyn Fn(&Url) -> std::io::Result<()> + Send + Sync),
    show_url: &(dyn Fn(&Person, &Url) + Send + Sync),
) -> Result<Sessions, SessionError> {
    sign_in(
        profile,
        inputs,
        ctx,
        client_id,
        Flow::Browser { open, show_url },
    )
    .await
}

/// The administrator, then the mailbox owner, with `flow`.
async fn sign_in(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    client_id: &str,
    flow: Flow<'_>,
) -> Result<Sessions, SessionError> {
    let tenant = inputs.tenant.as_str();
    let mut sessions = Sessions::default();
    let person = Person::Administrator;
    let admin = flow
        .sign_in(ctx, tenant, client_id, &person, &admin_scopes(ctx))
        .await
        .map_err(|error| SessionError { person, error })?;
    sessions.admin_graph = Some(admin.access_token);

    let Some((mailbox, needs)) = owner_needed(profile, inputs, ctx) else {
        return Ok(sessions);
    };
    if let Err(error) =
        mailbox_owner(&mut sessions, tenant, client_id, &mailbox, needs, ctx, flow).await
    {
        // The owner's sign-in failing does not stop the verification: the administrator's checks
        // still run (and the `mailbox` check tells a shared mailbox, which cannot sign in).
        sessions.mailbox_sign_in_failed = Some(describe_failure(&error));
    }
    Ok(sessions)
}

/// Sign only the mailbox owner in, with the device-code flow, for what the profile's mailbox
/// checks need (the wizard asks for it on its mailbox step, after the administrator); the
/// sessions hold their Graph and Outlook tokens, and are empty when no check needs the owner.
pub async fn mailbox_owner_with_device_code(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    client_id: &str,
    show: &(dyn Fn(&DevicePrompt) + Send + Sync),
) -> Result<Sessions, SignInError> {
    let mut sessions = Sessions::default();
    let Some((mailbox, needs)) = owner_needed(profile, inputs, ctx) else {
        return Ok(sessions);
    };
    let show = |_: &Person, prompt: &DevicePrompt| show(prompt);
    let flow = Flow::DeviceCode(&show);
    mailbox_owner(
        &mut sessions,
        &inputs.tenant,
        client_id,
        &mailbox,
        needs,
        ctx,
        flow,
    )
    .await?;
    Ok(sessions)
}

/// The Graph scopes and the Outlook scopes a mailbox owner grants.
type OwnerScopes = (Vec<String>, Vec<String>);

/// The mailbox whose owner must sign in, with the scopes the checks need; `None` when no check
/// needs the owner (or no mailbox was given).
fn owner_needed(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
) -> Option<(String, OwnerScopes)> {
    let (graph, outlook) = mailbox_scopes(profile, inputs, ctx);
    let mailbox = inputs.mailbox.clone()?;
    (!graph.is_empty() || !outlook.is_empty()).then_some((mailbox, (graph, outlook)))
}

/// What a failed sign-in means, for a check's message.
fn describe_failure(error: &SignInError) -> String {
    match (error, error.cause()) {
        (SignInError::Rejected(aad), Some(cause)) => {
            format!(
                "{} ({}, {cause}).",
                crate::diagnose::describe(cause).title,
                aad.label()
            )
        }
        (SignInError::Rejected(aad), None) => format!("Microsoft refused it ({}).", aad.label()),
        (other, _) => format!("{other}."),
    }
}

/// Sign the mailbox owner in for the Graph and Outlook scopes the checks need.
async fn mailbox_owner(
    sessions: &mut Sessions,
    tenant: &str,
    client_id: &str,
    mailbox: &str,
    (graph, outlook): (Vec<String>, Vec<String>),
    ctx: &Context,
    flow: Flow<'_>,
) -> Result<(), SignInError> {
    let person = Person::MailboxOwner(mailbox.to_string());
    let first = if graph.is_empty() { &outlook } else { &graph };
    let mut scopes = first.clone();
    scopes.push("offline_access".into());
    let owner = flow
        .sign_in(ctx, tenant, client_id, &person, &scopes)
        .await?;
    if graph.is_empty() {
        sessions.mailbox_outlook = Some(owner.access_token);
        return Ok(());
    }
    sessions.mailbox_graph = Some(owner.access_token);
    if !outlook.is_empty()
        && let Some(refresh) = &owner.refresh_token
    {
        let smtp = identity::token_for_scopes(
            &ctx.http,
            &ctx.endpoints,
            tenant,
            client_id,
            refresh,
            &outlook,
        )
        .await?;
        sessions.mailbox_outlook = Some(smtp.access_token);
    }
    Ok(())
}
