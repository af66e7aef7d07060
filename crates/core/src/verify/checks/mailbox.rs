//! `mailbox`: the `--mailbox` user exists, has an Exchange Online service plan, can sign in, and
//! is not a shared mailbox — as far as an administrator can tell through Graph.
//!
//! Graph cannot tell an administrator outright whether a mailbox is shared (see
//! [`crate::graph::users`]). A shared mailbox has a `mail` address, no licence and its sign-in
//! blocked; when Graph shows exactly that, the check fails `mailbox_is_shared`. When
//! `accountEnabled` is not known, a mailbox without an Exchange plan fails `mailbox_unavailable`
//! (what causes.md and reference/microsoft-wire.md §5.1 map a missing plan to), and the message and
//! evidence (`shared_mailbox_tellable: false`) say that a shared mailbox looks the same.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::users::{LicenseDetails, User, exchange_plans};
use crate::portal;
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass};

/// Judge the mailbox user and their licences.
pub fn judge_mailbox(cloud: Cloud, user: &User, licences: &[LicenseDetails]) -> CheckResult {
    let link = Some(portal::user_licenses(cloud, &user.id));
    let upn = &user.user_principal_name;
    let plans = exchange_plans(licences);
    let plan_names: Vec<String> = plans
        .iter()
        .map(|p| {
            p.service_plan_name
                .clone()
                .unwrap_or_else(|| p.service_plan_id.clone())
        })
        .collect();
    let shared_tellable = user.account_enabled.is_some();
    let evidence = json!({
        "user_id": user.id,
        "user_principal_name": upn,
        "mail": user.mail,
        "account_enabled": user.account_enabled,
        "exchange_plans": plan_names,
        "licences": licences.len(),
        "shared_mailbox_tellable": shared_tellable,
    });
    if plans.is_empty() {
        if user.account_enabled == Some(false) && user.mail.is_some() {
            return fail(
                CheckId::Mailbox,
                Cause::MailboxIsShared,
                format!(
                    "{upn} looks like a shared mailbox: it has an address but no licence, and its sign-in is blocked. The product needs a licensed user mailbox."
                ),
                evidence,
            )
            .with_link(link);
        }
        let shared_note = if shared_tellable {
            ""
        } else {
            " (A shared mailbox looks the same to an administrator through Graph; a shared mailbox must also be converted to a licensed user mailbox.)"
        };
        return fail(
            CheckId::Mailbox,
            Cause::MailboxUnavailable,
            format!(
                "{upn} has no Exchange Online service plan, so it has no mailbox the product can use.{shared_note}"
            ),
            evidence,
        )
        .with_link(link);
    }
    if user.account_enabled == Some(false) {
        return fail(
            CheckId::Mailbox,
            Cause::MailboxUnavailable,
            format!("{upn} is licensed, but its sign-in is blocked, so its owner cannot connect."),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "In the Microsoft 365 admin center, open Users > Active users > {upn} and unblock sign-in."
        ));
    }
    pass(
        CheckId::Mailbox,
        format!(
            "{upn} has an Exchange Online mailbox ({}).",
            plan_names.join(", ")
        ),
        evidence,
    )
}

/// The result when no user answers to `mailbox` (Graph 404).
pub fn mailbox_not_found(cloud: Cloud, mailbox: &str, evidence: serde_json::Value) -> CheckResult {
    fail(
        CheckId::Mailbox,
        Cause::ObjectNotFound,
        format!("There is no user {mailbox} in this tenant."),
        evidence,
    )
    .with_link(Some(portal::users(cloud)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::users::ServicePlan;
    use crate::verify::Status;

    fn user(enabled: Option<bool>) -> User {
        User {
            id: "u".into(),
            user_principal_name: "intranet@contoso.com".into(),
            account_enabled: enabled,
            mail: Some("intranet@contoso.com".into()),
        }
    }

    fn e3() -> Vec<LicenseDetails> {
        vec![LicenseDetails {
            service_plans: vec![ServicePlan {
                service_plan_id: "efb87545-963c-4e0d-99df-69c6916d9eb0".into(),
                service_plan_name: Some("EXCHANGE_S_ENTERPRISE".into()),
                provisioning_status: Some("Success".into()),
            }],
        }]
    }

    fn judge(user: &User, licences: &[LicenseDetails]) -> (Status, Option<Cause>) {
        let result = judge_mailbox(Cloud::Global, user, licences);
        (result.status, result.cause)
    }

    #[test]
    fn a_licensed_enabled_user_passes() {
        assert_eq!(judge(&user(Some(true)), &e3()), (Status::Pass, None));
        assert_eq!(judge(&user(None), &e3()), (Status::Pass, None));
    }

    #[test]
    fn no_exchange_plan_is_unavailable_and_says_shared_cannot_be_told() {
        let result = judge_mailbox(Cloud::Global, &user(None), &[]);
        assert_eq!(
            (result.status, result.cause),
            (Status::Fail, Some(Cause::MailboxUnavailable))
        );
        assert_eq!(result.evidence["shared_mailbox_tellable"], false);
        assert!(result.message.contains("shared mailbox"));
        assert!(result.portal_link.is_some());
    }

    #[test]
    fn blocked_sign_in_without_licence_is_a_shared_mailbox() {
        assert_eq!(
            judge(&user(Some(false)), &[]),
            (Status::Fail, Some(Cause::MailboxIsShared))
        );
        assert_eq!(
            judge(&user(Some(true)), &[]),
            (Status::Fail, Some(Cause::MailboxUnavailable))
        );
    }

    #[test]
    fn a_licensed_user_with_sign_in_blocked_cannot_connect() {
        assert_eq!(
            judge(&user(Some(false)), &e3()),
            (Status::Fail, Some(Cause::MailboxUnavailable))
        );
    }

    #[test]
    fn an_unknown_user_is_not_found() {
        let result = mailbox_not_found(Cloud::Global, "nobody@contoso.com", json!({}));
        assert_eq!(result.cause, Some(Cause::ObjectNotFound));
        assert!(result.portal_link.is_some());
    }
}
