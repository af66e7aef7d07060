//! What a verification is given: the admin's inputs, and the context it runs in (HTTP client,
//! endpoints, the clock).

use chrono::{DateTime, Utc};

use crate::endpoints::Endpoints;
use crate::http::Http;
use crate::secret::Secret;

/// What the admin entered.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The tenant: a GUID or a domain.
    pub tenant: String,
    /// The application (client) ID.
    pub client_id: Option<String>,
    /// The client secret's value.
    pub secret: Option<Secret>,
    /// The redirect URI the product sends (given, or computed from the site URL).
    pub redirect_uri: Option<String>,
    /// The mailbox the integration sends from or reads (UPN).
    pub mailbox: Option<String>,
    /// Where the test email goes.
    pub test_recipient: Option<String>,
    /// The delegated tokens of people who signed in for the checks that need them.
    pub sessions: Sessions,
}

/// Delegated access tokens from sign-ins (`--sign-in`). Each unlocks the checks that need it;
/// without it those checks are `skipped` with reason `needs_sign_in`.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    /// An administrator's Microsoft Graph token (reads the registration, consent, policies,
    /// users and licences).
    pub admin_graph: Option<Secret>,
    /// The mailbox owner's Microsoft Graph token with `Mail.Send` (the test email).
    pub mailbox_graph: Option<Secret>,
    /// The mailbox owner's token for the Outlook resource with `SMTP.Send` (the SMTP AUTH probe).
    pub mailbox_outlook: Option<Secret>,
    /// Why the mailbox owner's sign-in failed, when it did (a shared mailbox cannot sign in):
    /// the mailbox owner's checks say so instead of asking for a sign-in.
    pub mailbox_sign_in_failed: Option<String>,
}

/// Where and when the checks run.
#[derive(Debug, Clone)]
pub struct Context {
    /// The HTTP client.
    pub http: Http,
    /// Microsoft's endpoints (or the stand-in's).
    pub endpoints: Endpoints,
    /// "Now", for expiry decisions (injected so tests can fix it).
    pub now: DateTime<Utc>,
}
