//! An error worded once with its sources: errors of the core keep their source out of their own
//! `Display` (as the `oauth2` crate's do) and expose it through `source()`, so that a front end
//! that shows the whole chain shows each part once — "reading the registration: Graph answered
//! 403 …", never "…(403 …): …(403 …)".

use std::error::Error;

/// `error`'s message followed by each of its sources, joined by `": "` (what `anyhow` prints
/// for `{:#}`).
pub fn with_sources(error: &dyn Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        // A source that already repeats its own cause's words adds nothing.
        if !message.ends_with(&part) {
            message.push_str(": ");
            message.push_str(&part);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::with_sources;

    #[derive(Debug, thiserror::Error)]
    #[error("reading the registration")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("Graph answered 403 Authorization_RequestDenied")]
    struct Inner;

    #[test]
    fn each_part_of_the_chain_is_worded_once() {
        assert_eq!(
            with_sources(&Outer(Inner)),
            "reading the registration: Graph answered 403 Authorization_RequestDenied"
        );
        assert_eq!(
            with_sources(&Inner),
            "Graph answered 403 Authorization_RequestDenied"
        );
    }
}
