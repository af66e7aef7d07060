//! Diagnosis against real error texts: every case of `tests/data/diagnose-corpus.jsonl` (texts
//! administrators pasted in public issue trackers and forums, with the cause the thread says
//! fixed it; see `tests/data/README.md`) goes through the same function `entra-setup diagnose`
//! uses, and at least 95 % must name the expected cause first. The rate and every miss are
//! printed, so a change to the engine shows what it gains and what it loses.

use std::path::PathBuf;

use entra_setup_core::cause::Cause;
use entra_setup_core::diagnose::diagnose_for;
use entra_setup_core::profile::Catalog;
use serde::Deserialize;

/// The share of cases whose first finding must be the expected cause.
const REQUIRED_RATE: f64 = 0.95;

/// The fewest cases the corpus may hold.
const MINIMUM_CASES: usize = 300;

/// One pasted text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Where the text was pasted (an issue thread, a forum or vendor page).
    source: String,
    /// The text, trimmed to the relevant part.
    text: String,
    /// The cause that fixed it.
    cause: Cause,
    /// The integration the text comes from, when the source names one (a vendor's own guide).
    #[serde(default)]
    profile: Option<String>,
}

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/diagnose-corpus.jsonl")
}

fn corpus() -> Vec<Case> {
    let path = corpus_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), number + 1))
        })
        .collect()
}

#[test]
fn the_corpus_is_whole() {
    let cases = corpus();
    assert!(
        cases.len() >= MINIMUM_CASES,
        "{} cases, at least {MINIMUM_CASES} wanted",
        cases.len()
    );
    let catalog = Catalog::shipped();
    for case in &cases {
        assert!(
            case.source.starts_with("https://"),
            "source is not a public address: {}",
            case.source
        );
        assert!(!case.text.trim().is_empty(), "{}: empty text", case.source);
        if let Some(profile) = &case.profile {
            assert!(
                catalog.get(profile).is_some(),
                "{}: unknown profile {profile}",
                case.source
            );
        }
    }
    let mut texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    texts.sort_unstable();
    let count = texts.len();
    texts.dedup();
    assert_eq!(texts.len(), count, "a text is in the corpus twice");
}

#[test]
fn the_right_cause_comes_first_for_real_error_texts() {
    let cases = corpus();
    let catalog = Catalog::shipped();
    let mut misses = Vec::new();
    for case in &cases {
        let findings = diagnose_for(&case.text, &catalog, case.profile.as_deref())
            .unwrap_or_else(|e| panic!("{}: {e}", case.source));
        let first = findings.first().map(|f| f.cause);
        if first != Some(case.cause) {
            let got: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
            misses.push(format!(
                "  {} — expected {}, got [{}]",
                case.source,
                case.cause,
                got.join(", ")
            ));
        }
    }
    let hits = cases.len() - misses.len();
    // The counts are far below 2^52, so the conversion is exact.
    let rate = hits as f64 / cases.len() as f64;
    println!(
        "diagnose corpus: {hits} of {} cases name the expected cause first ({:.1} %)",
        cases.len(),
        rate * 100.0
    );
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    assert!(
        rate >= REQUIRED_RATE,
        "{:.1} % is below {:.0} %; misses:\n{}",
        rate * 100.0,
        REQUIRED_RATE * 100.0,
        misses.join("\n")
    );
}
