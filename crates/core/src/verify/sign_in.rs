//! Who must sign in for a verification, with which scopes, and the sign-ins themselves.
//!
//! Least privilege: the administrator is asked only for read scopes (the registration, its
//! consent, the tenant's policies, users and licences). The mailbox owner signs in once for what
//! the mailbox checks need — Graph `Mail.Send` for the test email, the Outlook resource's
//! `SMTP.Send` for the SMTP AUTH probe, `IMAP.AccessAsUser.All` for the IMAP one, and every other
//! Outlook scope the profile lists for Office 365 Exchange Online — the second token coming from
//! the refresh token. Both
//! sign-in flows (device code, browser) go through the same steps, only the flow differs.
//!
//! [`super::verify_signing_in`] signs people in while the checks run ([`beside`]): the
//! administrator at once; the mailbox owner as soon as the administrator has their device code
//! (in the browser, once the administrator is signed in, so that one sign-in page opens at a
//! time), beside the administrator's reads. The owner's Outlook token comes first — the SMTP and
//! IMAP probes take the most round trips — and Graph's from the refresh token beside them.

use crate::check::CheckId;
use url::Url;

use crate::identity::{self, DevicePrompt, SignInError, UserTokens};
use crate::profile::Profile;
use crate::secret::Secret;

use super::tokens::{OwnerToken, TokenSenders};
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

/// Whether `check` of `profile` acts as the mailbox owner, who must then sign in: SMTP AUTH, IMAP,
/// and the test email unless the product sends as the application (its own token sends it).
pub fn acts_as_mailbox_owner(profile: &Profile, check: CheckId) -> bool {
    match check {
        CheckId::SmtpAuth | CheckId::ImapAuth => true,
        CheckId::TestEmail => !super::checks::test_email::sent_as_app(profile),
        _ => false,
    }
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
    if profile.checks.contains(&CheckId::TestEmail)
        && inputs.test_recipient.is_some()
        && !super::checks::test_email::sent_as_app(profile)
    {
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
    // When the owner signs in to the Outlook resource, they are asked for every one of its
    // delegated scopes the profile lists (so one sign-in consents to what the product uses).
    if !outlook.is_empty() {
        let listed = &profile
            .registration
            .resource_permissions
            .exchange_online
            .delegated;
        for name in listed {
            let scope = format!("{}/{name}", ctx.endpoints.outlook_resource);
            if !outlook.iter().any(|s| s.eq_ignore_ascii_case(&scope)) {
                outlook.push(scope);
            }
        }
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

/// Who signs people in for a verification, and how: the sign-in client and the flow
/// ([`super::verify_signing_in`]).
#[derive(Clone, Copy)]
pub struct SignInWith<'a> {
    client_id: &'a str,
    flow: Flow<'a>,
}

impl<'a> SignInWith<'a> {
    /// The device-code flow through `client_id`; `show` tells each person their code.
    pub fn device_code(
        client_id: &'a str,
        show: &'a (dyn Fn(&Person, &DevicePrompt) + Send + Sync),
    ) -> Self {
        SignInWith {
            client_id,
            flow: Flow::DeviceCode(show),
        }
    }

    /// The browser through `client_id`: `show_url` is given each sign-in page's address before
    /// `open` opens it.
    pub fn browser(
        client_id: &'a str,
        open: &'a (dyn Fn(&Url) -> std::io::Result<()> + Send + Sync),
        show_url: &'a (dyn Fn(&Person, &Url) + Send + Sync),
    ) -> Self {
        SignInWith {
            client_id,
            flow: Flow::Browser { open, show_url },
        }
    }
}

/// Sign people in while the checks run, handing each token to `senders` the moment it is there
/// (see the module's doc for the order). Why the administrator's sign-in failed goes to
/// `admin_failure` before the checks learn it failed; the mailbox owner's failure is told to the
/// owner's checks, and the owner is not asked to sign in after the administrator failed.
pub(super) async fn beside(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    with: SignInWith<'_>,
    senders: TokenSenders,
    admin_failure: &std::sync::Mutex<Option<SessionError>>,
) {
    let tenant = inputs.tenant.trim();
    let client_id = with.client_id;
    // Whether the owner may start: the administrator has their code, or their sign-in ended.
    let (owner_may_start, mut may_start) = tokio::sync::watch::channel(false);
    let release_on_code = |person: &Person, prompt: &DevicePrompt| {
        if let Flow::DeviceCode(show) = with.flow {
            show(person, prompt);
        }
        if *person == Person::Administrator {
            owner_may_start.send_replace(true);
        }
    };
    let admin_flow = match with.flow {
        Flow::DeviceCode(_) => Flow::DeviceCode(&release_on_code),
        browser => browser,
    };
    let admin = async {
        let person = Person::Administrator;
        let signed_in = admin_flow
            .sign_in(ctx, tenant, client_id, &person, &admin_scopes(ctx))
            .await;
        match signed_in {
            Ok(tokens) => senders.admin(Some(tokens.access_token)),
            Err(error) => {
                *admin_failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(SessionError { person, error });
                senders.admin(None);
            }
        }
        owner_may_start.send_replace(true);
    };
    let owner = async {
        let Some((mailbox, needs)) = owner_needed(profile, inputs, ctx) else {
            senders.owner_done(None);
            return;
        };
        let _ = may_start.wait_for(|may| *may).await;
        if senders.admin_failed() {
            senders.owner_done(None);
            return;
        }
        let failed = mailbox_owner(
            tenant,
            client_id,
            &mailbox,
            needs,
            ctx,
            with.flow,
            &|token| senders.owner(token),
        )
        .await
        .err();
        senders.owner_done(failed.as_ref().map(describe_failure));
    };
    tokio::join!(admin, owner);
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
    let (owner, failed) =
        owner_sessions(&inputs.tenant, client_id, &mailbox, needs, ctx, flow).await;
    if let Some(error) = failed {
        return Err(error);
    }
    sessions.mailbox_graph = owner.mailbox_graph;
    sessions.mailbox_outlook = owner.mailbox_outlook;
    Ok(sessions)
}

/// The mailbox owner signed in with `flow`: the tokens they gave, and the error when the
/// sign-in (or the second token) failed.
async fn owner_sessions(
    tenant: &str,
    client_id: &str,
    mailbox: &str,
    needs: OwnerScopes,
    ctx: &Context,
    flow: Flow<'_>,
) -> (Sessions, Option<SignInError>) {
    let given = std::sync::Mutex::new(Sessions::default());
    let keep = |token: OwnerToken| {
        let mut sessions = given
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match token {
            OwnerToken::Outlook(token) => sessions.mailbox_outlook = Some(token),
            OwnerToken::Graph(token) => sessions.mailbox_graph = Some(token),
        }
    };
    let failed = mailbox_owner(tenant, client_id, mailbox, needs, ctx, flow, &keep)
        .await
        .err();
    (
        given
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        failed,
    )
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

/// Sign the mailbox owner in for the Outlook and Graph scopes the checks need, giving each
/// token to `give` as it comes: the Outlook resource's first (the SMTP and IMAP probes take the
/// most round trips), then Graph's from the refresh token.
async fn mailbox_owner(
    tenant: &str,
    client_id: &str,
    mailbox: &str,
    (graph, outlook): OwnerScopes,
    ctx: &Context,
    flow: Flow<'_>,
    give: &(dyn Fn(OwnerToken) + Send + Sync),
) -> Result<(), SignInError> {
    let person = Person::MailboxOwner(mailbox.to_string());
    let outlook_first = !outlook.is_empty();
    let (first, second) = if outlook_first {
        (outlook, graph)
    } else {
        (graph, outlook)
    };
    let wrap = |token: Secret, outlook: bool| {
        if outlook {
            OwnerToken::Outlook(token)
        } else {
            OwnerToken::Graph(token)
        }
    };
    let mut scopes = first;
    scopes.push("offline_access".into());
    let owner = flow
        .sign_in(ctx, tenant, client_id, &person, &scopes)
        .await?;
    give(wrap(owner.access_token, outlook_first));
    if !second.is_empty()
        && let Some(refresh) = &owner.refresh_token
    {
        let next = identity::token_for_scopes(
            &ctx.http,
            &ctx.endpoints,
            tenant,
            client_id,
            refresh,
            &second,
        )
        .await?;
        give(wrap(next.access_token, !outlook_first));
    }
    Ok(())
}
