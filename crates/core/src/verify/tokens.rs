//! Where the checks get people's tokens. The desktop wizard signs people in step by step and
//! hands their tokens over with the inputs ([`Sessions`]); `--sign-in` on the command line signs
//! them in while the checks run (`sign_in::beside`), and each token reaches the checks here the
//! moment it is there. The engine waits for a person's token only where a check needs it, so the
//! sign-ins' round trips overlap the checks' own.
//!
//! A sign-in that ends without a token (it failed, or nobody signs in) settles its slot empty;
//! a sign-in dropped before it ended counts the same, so nothing waits for ever.

use tokio::sync::watch;

use super::Sessions;
use crate::secret::Secret;

/// The administrator's Graph token: unsettled while their sign-in runs, then the token or none.
pub(super) type AdminSlot = Option<Option<Secret>>;

/// What the mailbox owner's sign-in has given so far: each token unsettled while it is asked
/// for, then the token or none; and why the sign-in failed, when it did.
#[derive(Clone, Default)]
pub(super) struct OwnerSlot {
    outlook: Option<Option<Secret>>,
    graph: Option<Option<Secret>>,
    failed: Option<String>,
}

/// A token the mailbox owner's sign-in gave.
pub(super) enum OwnerToken {
    /// For the Outlook resource (SMTP AUTH, IMAP).
    Outlook(Secret),
    /// For Microsoft Graph (the test email).
    Graph(Secret),
}

/// The checks' side: the tokens, given or arriving.
pub(super) enum Tokens {
    /// Every sign-in happened before the checks.
    Given(Sessions),
    /// Sign-ins running beside the checks.
    Arriving {
        admin: watch::Receiver<AdminSlot>,
        owner: watch::Receiver<OwnerSlot>,
    },
}

impl Tokens {
    /// The administrator's Graph token, once their sign-in ended.
    pub(super) async fn admin(&self) -> Option<Secret> {
        match self {
            Tokens::Given(sessions) => sessions.admin_graph.clone(),
            Tokens::Arriving { admin, .. } => {
                let mut admin = admin.clone();
                admin
                    .wait_for(Option::is_some)
                    .await
                    .ok()
                    .and_then(|slot| slot.clone().flatten())
            }
        }
    }

    /// The sessions the mailbox owner's checks see: the owner's Outlook token (SMTP AUTH, IMAP)
    /// once it is settled, with why the sign-in failed when it did.
    pub(super) async fn owner_outlook(&self) -> Sessions {
        self.owner(
            |slot| &slot.outlook,
            |sessions, token| sessions.mailbox_outlook = token,
        )
        .await
    }

    /// The sessions the test email sees: the owner's Graph token once it is settled, with why
    /// the sign-in failed when it did.
    pub(super) async fn owner_graph(&self) -> Sessions {
        self.owner(
            |slot| &slot.graph,
            |sessions, token| sessions.mailbox_graph = token,
        )
        .await
    }

    async fn owner(
        &self,
        part: fn(&OwnerSlot) -> &Option<Option<Secret>>,
        put: fn(&mut Sessions, Option<Secret>),
    ) -> Sessions {
        match self {
            Tokens::Given(sessions) => sessions.clone(),
            Tokens::Arriving { owner, .. } => {
                let mut owner = owner.clone();
                let slot = owner
                    .wait_for(|slot| part(slot).is_some())
                    .await
                    .map(|slot| slot.clone())
                    .unwrap_or_default();
                let mut sessions = Sessions {
                    mailbox_sign_in_failed: slot.failed.clone(),
                    ..Sessions::default()
                };
                put(&mut sessions, part(&slot).clone().flatten());
                sessions
            }
        }
    }
}

/// The sign-ins' side: where each token goes when it is there.
pub(super) struct TokenSenders {
    admin: watch::Sender<AdminSlot>,
    owner: watch::Sender<OwnerSlot>,
}

impl TokenSenders {
    /// The administrator's sign-in ended, with `token` or without.
    pub(super) fn admin(&self, token: Option<Secret>) {
        self.admin.send_replace(Some(token));
    }

    /// Whether the administrator's sign-in ended without a token.
    pub(super) fn admin_failed(&self) -> bool {
        matches!(*self.admin.borrow(), Some(None))
    }

    /// The mailbox owner's sign-in gave `token`.
    pub(super) fn owner(&self, token: OwnerToken) {
        self.owner.send_modify(|slot| match token {
            OwnerToken::Outlook(token) => slot.outlook = Some(Some(token)),
            OwnerToken::Graph(token) => slot.graph = Some(Some(token)),
        });
    }

    /// The mailbox owner's sign-in ended: what it did not give stays empty, and `failed` says
    /// why when it failed.
    pub(super) fn owner_done(&self, failed: Option<String>) {
        self.owner.send_modify(|slot| {
            slot.outlook.get_or_insert(None);
            slot.graph.get_or_insert(None);
            slot.failed = failed;
        });
    }
}

impl Drop for TokenSenders {
    /// Sign-ins that stop before they end leave nothing waiting: their slots settle empty.
    fn drop(&mut self) {
        if self.admin.borrow().is_none() {
            self.admin.send_replace(Some(None));
        }
        self.owner.send_modify(|slot| {
            slot.outlook.get_or_insert(None);
            slot.graph.get_or_insert(None);
        });
    }
}

/// A pair of ends: the sign-ins send, the checks receive.
pub(super) fn channel() -> (TokenSenders, Tokens) {
    let (admin, admin_rx) = watch::channel(None);
    let (owner, owner_rx) = watch::channel(OwnerSlot::default());
    (
        TokenSenders { admin, owner },
        Tokens::Arriving {
            admin: admin_rx,
            owner: owner_rx,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokens_arrive_as_they_are_sent_and_a_dropped_sign_in_settles_empty() {
        let (senders, tokens) = channel();
        senders.admin(Some(Secret::new("admin-token")));
        assert_eq!(
            tokens.admin().await.map(|t| t.expose().to_string()),
            Some("admin-token".into())
        );
        senders.owner(OwnerToken::Outlook(Secret::new("outlook-token")));
        let outlook = tokens.owner_outlook().await;
        assert_eq!(
            outlook.mailbox_outlook.map(|t| t.expose().to_string()),
            Some("outlook-token".into())
        );
        drop(senders);
        let graph = tokens.owner_graph().await;
        assert!(graph.mailbox_graph.is_none());
    }

    #[tokio::test]
    async fn a_failed_owner_sign_in_says_why_to_the_checks_still_waiting() {
        let (senders, tokens) = channel();
        senders.owner(OwnerToken::Outlook(Secret::new("outlook-token")));
        senders.owner_done(Some("Microsoft refused it.".into()));
        let graph = tokens.owner_graph().await;
        assert!(graph.mailbox_graph.is_none());
        assert_eq!(
            graph.mailbox_sign_in_failed.as_deref(),
            Some("Microsoft refused it.")
        );
        assert!(!senders.admin_failed());
        senders.admin(None);
        assert!(senders.admin_failed());
        assert!(tokens.admin().await.is_none());
    }
}
