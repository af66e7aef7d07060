//! Symptoms: what an admin or user sees in the product or a tool, matched against the profiles'
//! troubleshooting patterns (case-insensitive) and a few tool messages of our own.
//!
//! A symptom finding carries the profile's own title, explanation and fix, which name the
//! product's settings. The patterns are data (crates/core/profiles/*.toml); this module only
//! matches them. Symptoms found inside an error already recognised by its code are dropped by
//! the caller, unless they belong to the integration the diagnosis is for. Each symptom says which
//! profile it comes from, so that integration's own entries can be put first.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Source;
use super::hit::{Hit, OwnWords, Rank};
use crate::cause::Cause;
use crate::profile::Catalog;

/// Exchange Online PowerShell hides the cmdlets a role does not grant, so "not recognized" for
/// one of the cmdlets the setup needs, after connecting, means the admin lacks the role.
static CMDLET_NOT_AVAILABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)'?(Set-TransportConfig|Get-TransportConfig|Set-CASMailbox|Get-CASMailbox|New-ApplicationAccessPolicy|Test-ApplicationAccessPolicy)'? is not recognized as (?:the |a )?name of a cmdlet")
        .expect("cmdlet pattern")
});

/// A symptom and every place its patterns occur.
pub(super) struct SymptomMatch {
    /// The finding-to-be, positioned at the first occurrence.
    pub hit: Hit,
    /// Every occurrence, so that the caller can drop the symptom when one of them lies inside an
    /// error already recognised by its code.
    pub spans: Vec<Range<usize>>,
}

/// Every symptom in `text`: the profiles' patterns, then our own.
pub(super) fn recognise(text: &str, catalog: &Catalog) -> Vec<SymptomMatch> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for profile in catalog.profiles() {
        for entry in &profile.troubleshooting {
            let mut spans: Vec<Range<usize>> = entry
                .patterns
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .filter(|p| !p.is_empty())
                .flat_map(|p| {
                    lower
                        .match_indices(p.as_str())
                        .map(|(at, m)| at..at + m.len())
                        .collect::<Vec<_>>()
                })
                .collect();
            spans.sort_by_key(|s| s.start);
            let Some(first) = spans.first().cloned() else {
                continue;
            };
            let mut hit = Hit::new(Source::Symptom, None, entry.cause, Rank::Symptom, first);
            hit.own_words = Some(OwnWords {
                title: entry.symptom.clone(),
                explanation: entry.explanation.clone(),
                fix: entry.fix.clone(),
            });
            hit.profile = Some(profile.id.clone());
            found.push(SymptomMatch { hit, spans });
        }
    }
    if let Some(cmdlet) = CMDLET_NOT_AVAILABLE.find(text) {
        found.push(SymptomMatch {
            hit: Hit::new(
                Source::Symptom,
                None,
                Cause::InsufficientAdminRights,
                Rank::Symptom,
                cmdlet.range(),
            ),
            spans: vec![cmdlet.range()],
        });
    }
    found
}
