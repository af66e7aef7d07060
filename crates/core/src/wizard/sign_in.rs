//! The wizard's sign-ins, one person at a time (the wizard asks for each on the step that needs
//! it): the administrator once, with the read scopes verification needs and the repair scopes
//! "create it for me" needs; the mailbox owner on the mailbox step, for the scopes the mailbox
//! checks need (a second token for SMTP from the refresh token).

use crate::identity::{self, DevicePrompt, SignInError, UserTokens};
use crate::profile::Profile;
use crate::verify::sign_in::admin_scopes;
use crate::verify::{Context, Inputs, Sessions};

/// Where a device code is shown.
pub type PromptSink<'a> = &'a (dyn Fn(&DevicePrompt) + Send + Sync);

/// The administrator's scopes: verification's reads and the repairs' writes.
pub fn administrator_scopes(ctx: &Context) -> Vec<String> {
    let mut scopes = admin_scopes(ctx);
    for scope in crate::fix::repair_scopes(ctx) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes
}

/// Sign the administrator in with the device-code flow.
pub async fn administrator(
    ctx: &Context,
    tenant: &str,
    sign_in_client: &str,
    show: PromptSink<'_>,
) -> Result<UserTokens, SignInError> {
    let scopes = administrator_scopes(ctx);
    identity::sign_in_with_device_code(
        &ctx.http,
        &ctx.endpoints,
        tenant,
        sign_in_client,
        &scopes,
        show,
    )
    .await
}

/// Sign the mailbox owner in with the device-code flow for what the profile's mailbox checks
/// need; the sessions hold their Graph and Outlook tokens. The same sign-in as a verification's
/// ([`crate::verify::sign_in::mailbox_owner_with_device_code`]).
pub async fn mailbox_owner(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    sign_in_client: &str,
    show: PromptSink<'_>,
) -> Result<Sessions, SignInError> {
    crate::verify::sign_in::mailbox_owner_with_device_code(
        profile,
        inputs,
        ctx,
        sign_in_client,
        show,
    )
    .await
}
