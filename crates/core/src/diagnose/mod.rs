//! Error text in, findings out: what an AADSTS error, a Graph error body, an SMTP reply or a
//! vendor's error screen means, why it happens and what to do.
//!
//! The text may be anything an admin pastes: a raw JSON body, a library's wrapped message (MSAL,
//! Azure.Identity, Python `msal` dicts), pretty-printed, truncated or escaped JSON, a mail client's
//! log line, or words from the product's screen. Microsoft's own codes are read first (`error_codes`
//! before the description, Graph's `code`, SMTP's enhanced status code); Microsoft's messages
//! recognised by their words where no code came with them follow, and the profiles'
//! troubleshooting patterns come after them. Each finding names exactly one cause id, and the
//! explanation and fix are our own words ([`describe`]) or the profile's.
//!
//! With an integration profile ([`diagnose_for`]), the findings that belong to it come first: its
//! own troubleshooting entries and the causes they name, told in the profile's words.
//!
//! This module deliberately does not call Microsoft, does not decide check statuses (the
//! verification engine does, reusing [`describe`]) and does not print: the front ends do.

mod explanations;
mod graph;
mod hit;
mod identity;
mod json_scan;
mod message;
mod smtp;
mod symptom;
mod transport;

pub use explanations::{Description, describe};
pub use smtp::classify_reply;

use std::ops::Range;

use serde::Serialize;

use crate::cause::Cause;
use crate::profile::{Catalog, Profile};
use hit::{Hit, OwnWords};

/// Pasted text beyond this many bytes is not read (a log excerpt is far smaller).
const MAX_TEXT: usize = 512 * 1024;

/// Where a finding's signal comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::Display)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Source {
    /// The identity platform (sign-in, token endpoint): AADSTS codes and OAuth errors.
    Identity,
    /// Microsoft Graph error bodies.
    Graph,
    /// Exchange Online's SMTP replies and connection failures.
    Smtp,
    /// A symptom from a profile's troubleshooting entries (a product's screen or log).
    Symptom,
}

/// One thing the text tells us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// Where the signal comes from.
    pub source: Source,
    /// Microsoft's code (`AADSTS7000215`, `MailboxNotEnabledForRESTAPI`, `535 5.7.139`), when
    /// there is one.
    pub code: Option<String>,
    /// The cause id.
    pub cause: Cause,
    /// A short headline.
    pub title: String,
    /// Why it happens.
    pub explanation: String,
    /// What to do.
    pub fix: String,
}

/// The CLI's `diagnose --json` document: `{"findings": […]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Diagnosis {
    /// The findings, most specific first.
    pub findings: Vec<Finding>,
}

/// A profile id that names no profile of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no integration profile has the id '{id}' (known: {known})")]
pub struct UnknownProfile {
    /// The id asked for.
    pub id: String,
    /// The ids the catalog holds, comma-separated.
    pub known: String,
}

/// Explain `text`: the findings, most specific first, one per cause; empty when nothing is
/// recognised.
pub fn diagnose(text: &str, catalog: &Catalog) -> Vec<Finding> {
    findings(text, catalog, None)
}

/// Explain `text` for one integration: as [`diagnose`], but with a profile the findings that
/// belong to it come first (its troubleshooting entries, and the causes they name, which take the
/// profile's own words); `None` is [`diagnose`]. An id the catalog does not hold is refused.
pub fn diagnose_for(
    text: &str,
    catalog: &Catalog,
    profile: Option<&str>,
) -> Result<Vec<Finding>, UnknownProfile> {
    let profile = match profile {
        None => None,
        Some(id) => Some(catalog.get(id).ok_or_else(|| {
            UnknownProfile {
                id: id.to_string(),
                known: catalog
                    .profiles()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })?),
    };
    Ok(findings(text, catalog, profile))
}

fn findings(text: &str, catalog: &Catalog, profile: Option<&Profile>) -> Vec<Finding> {
    let haystack = haystack(text);
    let json = json_scan::scan(&haystack);
    let objects = json.objects();
    tracing::debug!(
        bytes = haystack.len(),
        json_bytes_read = json.examined(),
        json_objects = objects.len(),
        "diagnose: text read"
    );
    let mut hits: Vec<Hit> = Vec::new();
    hits.extend(identity::recognise(&haystack, &objects));
    hits.extend(graph::recognise(&haystack, &objects));
    hits.extend(smtp::recognise(&haystack));
    hits.extend(transport::recognise(&haystack));
    let coded = Coverage::of(hits.iter().map(|h| h.span.clone()));
    hits.extend(
        message::recognise(&haystack)
            .into_iter()
            .filter(|m| !coded.overlaps(&m.span)),
    );
    let symptoms = symptom::recognise(&haystack, catalog);
    let own_words: Vec<(Cause, OwnWords)> = profile
        .map(|profile| {
            symptoms
                .iter()
                .filter(|s| s.hit.profile.as_deref() == Some(profile.id.as_str()))
                .filter_map(|s| Some((s.hit.cause, s.hit.own_words.clone()?)))
                .collect()
        })
        .unwrap_or_default();
    // A symptom inside an error already recognised by its code is that error said twice, unless
    // it is the chosen integration's own reading of it.
    let chosen = profile.map(|p| p.id.as_str());
    hits.extend(
        symptoms
            .into_iter()
            .filter(|s| {
                (chosen.is_some() && s.hit.profile.as_deref() == chosen)
                    || !s.spans.iter().any(|span| coded.overlaps(span))
            })
            .map(|s| s.hit),
    );
    let belongs = |hit: &Hit| -> (u8, u8) {
        let Some(profile) = profile else {
            return (0, 0);
        };
        let own = hit.profile.as_deref() == Some(profile.id.as_str());
        let named = profile
            .troubleshooting
            .iter()
            .any(|entry| entry.cause == hit.cause);
        (u8::from(!(own || named)), u8::from(!own))
    };
    hits.sort_by_key(|h| {
        let (group, own) = belongs(h);
        (group, h.rank, own, h.span.start)
    });
    let mut seen: Vec<Cause> = Vec::new();
    hits.into_iter()
        .filter(|h| {
            let first = !seen.contains(&h.cause);
            if first {
                seen.push(h.cause);
            }
            first
        })
        .map(|mut hit| {
            if hit.own_words.is_none()
                && let Some((_, words)) = own_words.iter().find(|(cause, _)| *cause == hit.cause)
            {
                hit.own_words = Some(words.clone());
            }
            hit.into_finding()
        })
        .collect()
}

/// The parts of the text covered by some spans: disjoint, in order, so that asking about one
/// span is a binary search (a text may hold many thousands of codes and of symptoms).
struct Coverage(Vec<Range<usize>>);

impl Coverage {
    fn of(spans: impl Iterator<Item = Range<usize>>) -> Coverage {
        let mut spans: Vec<Range<usize>> = spans.filter(|s| s.start < s.end).collect();
        spans.sort_by_key(|s| s.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        Coverage(merged)
    }

    /// Whether `span` overlaps any of the spans.
    fn overlaps(&self, span: &Range<usize>) -> bool {
        let after = self.0.partition_point(|c| c.end <= span.start);
        self.0
            .get(after)
            .is_some_and(|c| c.start < span.end && span.start < c.end)
    }
}

/// The text to search: as given, then each level of backslash-unescaping that changes it, so
/// JSON escaped inside a log line or another JSON string reads like plain JSON.
fn haystack(text: &str) -> String {
    let mut end = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut haystack = text[..end].to_string();
    let mut current = haystack.clone();
    for _ in 0..2 {
        let unescaped = unescape(&current);
        if unescaped == current {
            break;
        }
        haystack.push('\n');
        haystack.push_str(&unescaped);
        current = unescaped;
    }
    haystack
}

fn unescape(text: &str) -> String {
    text.replace("\\r\\n", "\r\n")
        .replace("\\n", "\n")
        .replace("\\\"", "\"")
        .replace("\\'", "'")
        .replace("\\/", "/")
        .replace("\\\\", "\\")
}

#[cfg(test)]
mod tests;
