//! The fuzzing harness every target shares, included with `#[path]` by the fuzz tests
//! (crates/core/tests/fuzz/, crates/fake-tenant/tests/fuzz_scenario.rs); see fuzz/README.md.
//!
//! A target's inputs are its committed seeds (`fuzz/corpus/<target>/`, plus any the test makes at
//! run time) mutated — bits flipped, bytes set, inserted, deleted, duplicated and repeated,
//! dictionary tokens put in, seeds spliced together — JSON seeds edited as trees (values at the
//! edges of their types put in, fields removed, copied and added, so the input stays JSON and
//! reaches the checks behind the parser), the seeds as they are, arbitrary bytes, and soups of the
//! target's dictionary tokens. `proptest` generates and shrinks them on stable Rust.
//! The number of inputs is `FUZZ_CASES` (default [`DEFAULT_CASES`], a short pass for
//! `cargo test`); `make fuzz` runs a million. A failure's seed is kept in
//! `fuzz/regressions/<target>.txt` (replayed first on every later run) and the smallest failing
//! input is written into the corpus as `crash-<hash>`, so it stays a seed once fixed.
//!
//! This harness deliberately does not know what a target checks: each test says that.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestError, TestRunner};

/// Inputs per target when `FUZZ_CASES` is not set: a short pass inside `cargo test`.
pub const DEFAULT_CASES: u32 = 2_000;

/// The number of inputs per target: `FUZZ_CASES`, or [`DEFAULT_CASES`].
pub fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// The repository's root (every package sits two folders below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fuzz/corpus/<target>/`.
pub fn corpus_dir(target: &str) -> PathBuf {
    root().join("fuzz/corpus").join(target)
}

/// The committed seeds of `target`, in file-name order (hidden files are not seeds).
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(corpus_dir(target)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// One change to a seed. Positions are [`Index`]es, so they fit whatever length the input has
/// reached and shrink well.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip one bit.
    Flip { at: Index, bit: u8 },
    /// Set one byte.
    Set { at: Index, byte: u8 },
    /// Insert bytes.
    Insert { at: Index, bytes: Vec<u8> },
    /// Insert a dictionary token, or write it over what is there.
    Token { at: Index, token: Index, over: bool },
    /// Delete up to `len` bytes.
    Delete { at: Index, len: usize },
    /// Copy up to `len` bytes from one place to another.
    Duplicate { from: Index, len: usize, to: Index },
    /// Repeat up to `len` bytes `times` times in place (deep nesting, long lines).
    Repeat {
        from: Index,
        len: usize,
        times: usize,
    },
    /// Cut the input short.
    Truncate { at: Index },
    /// Insert the tail of another seed.
    Splice { seed: Index, from: Index, at: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        4 => (any::<Index>(), any::<Index>(), any::<bool>())
            .prop_map(|(at, token, over)| Mutation::Token { at, token, over }),
        2 => (any::<Index>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => (any::<Index>(), 1usize..256, any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Duplicate { from, len, to }),
        1 => (any::<Index>(), 1usize..16, 2usize..2048)
            .prop_map(|(from, len, times)| Mutation::Repeat { from, len, times }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        1 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(seed, from, at)| Mutation::Splice { seed, from, at }),
    ]
}

/// A position in `0..=len`.
fn position(at: &Index, len: usize) -> usize {
    at.index(len + 1)
}

/// What a target's inputs are made from.
#[derive(Debug, Clone)]
pub struct Material {
    /// Real examples.
    pub seeds: Vec<Vec<u8>>,
    /// Pieces that mean something to the parser (delimiters, magic numbers, keywords).
    pub tokens: Vec<Vec<u8>>,
    /// No input grows beyond this many bytes.
    pub max_len: usize,
}

impl Material {
    /// The committed corpus of `target`, the `extra` seeds made at run time, and `tokens`.
    pub fn new(target: &str, extra: Vec<Vec<u8>>, tokens: &[&[u8]], max_len: usize) -> Material {
        let mut seeds = corpus(target);
        seeds.extend(extra);
        Material {
            seeds,
            tokens: tokens.iter().map(|t| t.to_vec()).collect(),
            max_len,
        }
    }

    fn apply(&self, seed: &Index, mutations: &[Mutation]) -> Vec<u8> {
        let mut bytes = self.pick(seed).to_vec();
        for mutation in mutations {
            self.mutate(&mut bytes, mutation);
            bytes.truncate(self.max_len);
        }
        bytes
    }

    fn pick(&self, seed: &Index) -> &[u8] {
        if self.seeds.is_empty() {
            &[]
        } else {
            &self.seeds[seed.index(self.seeds.len())]
        }
    }

    fn token(&self, token: &Index) -> &[u8] {
        if self.tokens.is_empty() {
            &[]
        } else {
            &self.tokens[token.index(self.tokens.len())]
        }
    }

    fn mutate(&self, bytes: &mut Vec<u8>, mutation: &Mutation) {
        let len = bytes.len();
        match mutation {
            Mutation::Flip { at, bit } => {
                if len > 0 {
                    bytes[at.index(len)] ^= 1 << bit;
                }
            }
            Mutation::Set { at, byte } => {
                if len > 0 {
                    bytes[at.index(len)] = *byte;
                }
            }
            Mutation::Insert { at, bytes: new } => {
                let at = position(at, len);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Token { at, token, over } => {
                let token = self.token(token);
                let at = position(at, len);
                let end = if *over {
                    (at + token.len()).min(len)
                } else {
                    at
                };
                bytes.splice(at..end, token.iter().copied());
            }
            Mutation::Delete { at, len: n } => {
                let at = position(at, len);
                bytes.drain(at..(at + n).min(len));
            }
            Mutation::Duplicate { from, len: n, to } => {
                let from = position(from, len);
                let chunk = bytes[from..(from + n).min(len)].to_vec();
                let to = position(to, len);
                bytes.splice(to..to, chunk);
            }
            Mutation::Repeat {
                from,
                len: n,
                times,
            } => {
                let from = position(from, len);
                let chunk = bytes[from..(from + n).min(len)].to_vec();
                if chunk.is_empty() {
                    return;
                }
                let room = self.max_len.saturating_sub(len) / chunk.len();
                let copies = (*times).min(room);
                let repeated = chunk.repeat(copies);
                bytes.splice(from..from, repeated);
            }
            Mutation::Truncate { at } => bytes.truncate(position(at, len)),
            Mutation::Splice { seed, from, at } => {
                let other = self.pick(seed);
                let from = position(from, other.len());
                let at = position(at, len);
                bytes.splice(at..at, other[from..].iter().copied());
            }
        }
    }

    /// A JSON seed with `edits` made to its tree, written back; the seed unchanged when it is not
    /// JSON.
    fn edit_json(&self, seed: &Index, edits: &[JsonEdit]) -> Vec<u8> {
        let bytes = self.pick(seed);
        let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return bytes.to_vec();
        };
        for edit in edits {
            let count = nodes(&value);
            let donor = nth(&value, edit.donor.index(count)).cloned();
            if let Some(node) = nth_mut(&mut value, edit.node.index(count)) {
                self.apply_edit(node, edit, donor);
            }
        }
        let mut out = if edits.len().is_multiple_of(2) {
            serde_json::to_vec_pretty(&value)
        } else {
            serde_json::to_vec(&value)
        }
        .unwrap_or_default();
        out.truncate(self.max_len);
        out
    }

    fn apply_edit(
        &self,
        node: &mut serde_json::Value,
        edit: &JsonEdit,
        donor: Option<serde_json::Value>,
    ) {
        use serde_json::Value;
        match edit.kind {
            JsonEditKind::Replace => *node = palette(&self.tokens, &edit.value),
            JsonEditKind::CopyFromElsewhere => {
                if let Some(donor) = donor {
                    *node = donor;
                }
            }
            JsonEditKind::RemoveChild => match node {
                Value::Object(fields) if !fields.is_empty() => {
                    let key = fields
                        .keys()
                        .nth(edit.value.index(fields.len()))
                        .cloned()
                        .unwrap_or_default();
                    fields.remove(&key);
                }
                Value::Array(items) if !items.is_empty() => {
                    items.remove(edit.value.index(items.len()));
                }
                _ => *node = Value::Null,
            },
            JsonEditKind::Grow => match node {
                Value::Array(items) => {
                    let copy = items.first().cloned().unwrap_or(Value::Null);
                    items.extend(std::iter::repeat_n(copy, 1 + edit.value.index(64)));
                }
                Value::Object(fields) => {
                    fields.insert(
                        format!("unknown_{}", edit.value.index(8)),
                        palette(&self.tokens, &edit.value),
                    );
                }
                Value::String(text) => {
                    let copy = text.clone();
                    text.push_str(&copy.repeat(1 + edit.value.index(64)));
                }
                _ => *node = Value::Array(vec![node.clone(); 1 + edit.value.index(4)]),
            },
        }
    }

    /// Every kind of input: mutated seeds (most), JSON seeds edited as trees (they stay JSON,
    /// so the checks behind the parser are reached), seeds as they are, arbitrary bytes and
    /// token soups.
    pub fn inputs(self) -> BoxedStrategy<Vec<u8>> {
        let material = Arc::new(self);
        let edited = {
            let material = Arc::clone(&material);
            (any::<Index>(), prop::collection::vec(json_edit(), 1..4))
                .prop_map(move |(seed, edits)| material.edit_json(&seed, &edits))
        };
        let mutated = {
            let material = Arc::clone(&material);
            (any::<Index>(), prop::collection::vec(mutation(), 1..8))
                .prop_map(move |(seed, mutations)| material.apply(&seed, &mutations))
        };
        let unchanged = {
            let material = Arc::clone(&material);
            any::<Index>().prop_map(move |seed| material.pick(&seed).to_vec())
        };
        let max_len = material.max_len;
        let arbitrary = prop::collection::vec(any::<u8>(), 0..512.min(max_len + 1));
        let soup = {
            let material = Arc::clone(&material);
            prop::collection::vec(any::<Index>(), 0..64).prop_map(move |tokens| {
                let mut bytes: Vec<u8> = tokens
                    .iter()
                    .flat_map(|t| material.token(t).to_vec())
                    .collect();
                bytes.truncate(material.max_len);
                bytes
            })
        };
        let json_seeds = material
            .seeds
            .iter()
            .any(|seed| serde_json::from_slice::<serde_json::Value>(seed).is_ok());
        let mut kinds = vec![
            (9, mutated.boxed()),
            (1, unchanged.boxed()),
            (3, arbitrary.boxed()),
            (2, soup.boxed()),
        ];
        if json_seeds {
            kinds.push((5, edited.boxed()));
        }
        proptest::strategy::Union::new_weighted(kinds).boxed()
    }
}

/// One change to a JSON tree: what to do at which node (counted in pre-order).
#[derive(Debug, Clone)]
pub struct JsonEdit {
    node: Index,
    kind: JsonEditKind,
    /// Picks the new value, the child removed or how much to grow.
    value: Index,
    /// Picks the node copied by [`JsonEditKind::CopyFromElsewhere`].
    donor: Index,
}

/// What a [`JsonEdit`] does.
#[derive(Debug, Clone, Copy)]
pub enum JsonEditKind {
    /// Replace the node by a value of the palette (types and values at their edges).
    Replace,
    /// Replace the node by a copy of another node of the same document.
    CopyFromElsewhere,
    /// Remove one of its fields or items (a scalar becomes `null`).
    RemoveChild,
    /// More items, an unknown field, a longer string.
    Grow,
}

fn json_edit() -> impl Strategy<Value = JsonEdit> {
    (
        any::<Index>(),
        prop_oneof![
            4 => Just(JsonEditKind::Replace),
            2 => Just(JsonEditKind::CopyFromElsewhere),
            2 => Just(JsonEditKind::RemoveChild),
            1 => Just(JsonEditKind::Grow),
        ],
        any::<Index>(),
        any::<Index>(),
    )
        .prop_map(|(node, kind, value, donor)| JsonEdit {
            node,
            kind,
            value,
            donor,
        })
}

/// Values at the edges of JSON's types and of what the files hold (dates, GUIDs, addresses),
/// and the target's tokens as strings.
fn palette(tokens: &[Vec<u8>], pick: &Index) -> serde_json::Value {
    use serde_json::{Value, json};
    let fixed = [
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(u32::MAX),
        json!(1e308),
        json!(""),
        json!(" "),
        json!("x".repeat(4096)),
        json!("\u{202e}\u{0}\u{1b}[2J\r\n"),
        json!("é"),
        json!("1970-01-01T00:00:00Z"),
        json!("9999-12-31T23:59:59Z"),
        json!("+262142-12-31T23:59:59Z"),
        json!("-262143-01-01T00:00:00Z"),
        json!("2024-02-30T25:61:61Z"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"),
        json!("http://127.0.0.1:0"),
        json!("https://[::1]:65535/x?y#z"),
        json!("javascript:alert(1)"),
        json!("a@b"),
        json!([]),
        json!({}),
        json!([null]),
        json!({"": null}),
    ];
    let strings = tokens
        .iter()
        .filter_map(|t| std::str::from_utf8(t).ok())
        .map(|t| Value::String(t.to_string()));
    let all: Vec<Value> = fixed.into_iter().chain(strings).collect();
    all[pick.index(all.len())].clone()
}

/// How many nodes a JSON tree has.
fn nodes(value: &serde_json::Value) -> usize {
    1 + match value {
        serde_json::Value::Array(items) => items.iter().map(nodes).sum(),
        serde_json::Value::Object(fields) => fields.values().map(nodes).sum(),
        _ => 0,
    }
}

/// The `n`th node in pre-order.
fn nth(value: &serde_json::Value, n: usize) -> Option<&serde_json::Value> {
    if n == 0 {
        return Some(value);
    }
    let mut n = n - 1;
    let children: Box<dyn Iterator<Item = &serde_json::Value>> = match value {
        serde_json::Value::Array(items) => Box::new(items.iter()),
        serde_json::Value::Object(fields) => Box::new(fields.values()),
        _ => return None,
    };
    for child in children {
        let size = nodes(child);
        if n < size {
            return nth(child, n);
        }
        n -= size;
    }
    None
}

/// The `n`th node in pre-order, to change.
fn nth_mut(value: &mut serde_json::Value, n: usize) -> Option<&mut serde_json::Value> {
    if n == 0 {
        return Some(value);
    }
    let mut n = n - 1;
    let children: Box<dyn Iterator<Item = &mut serde_json::Value>> = match value {
        serde_json::Value::Array(items) => Box::new(items.iter_mut()),
        serde_json::Value::Object(fields) => Box::new(fields.values_mut()),
        _ => return None,
    };
    for child in children {
        let size = nodes(child);
        if n < size {
            return nth_mut(child, n);
        }
        n -= size;
    }
    None
}

/// Run `check` on `cases()` inputs of `target`. `check` says whether the input was accepted (read
/// into a value rather than refused; counted, so that a run shows how deep it got), or returns
/// `Err` with what is wrong for an input that breaks a promise; a panic is a failure too. On
/// failure the smallest failing input is written into the corpus and this panics with the reason.
pub fn fuzz(
    target: &str,
    inputs: BoxedStrategy<Vec<u8>>,
    check: impl Fn(&[u8]) -> Result<bool, String>,
) {
    let cases = cases();
    let regressions = root()
        .join("fuzz/regressions")
        .join(format!("{target}.txt"));
    let regressions: &'static str = Box::leak(regressions.to_string_lossy().into_owned().into());
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        max_shrink_iters: 10_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let run = AtomicU64::new(0);
    let accepted = AtomicU64::new(0);
    let started = Instant::now();
    let result = runner.run(&inputs, |input| {
        run.fetch_add(1, Ordering::Relaxed);
        if check(&input).map_err(TestCaseError::fail)? {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    let seconds = started.elapsed().as_secs_f64();
    let (run, accepted) = (run.into_inner(), accepted.into_inner());
    println!(
        "fuzz {target}: {run} inputs ({accepted} accepted) in {seconds:.1} s ({:.0} a second)",
        run as f64 / seconds.max(1e-9)
    );
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, input)) => {
            let saved = save_crash(target, &input);
            panic!(
                "fuzz {target}: {reason}\nsmallest failing input ({} bytes) saved as {}",
                input.len(),
                saved.display()
            );
        }
        Err(TestError::Abort(reason)) => panic!("fuzz {target}: aborted: {reason}"),
    }
}

/// Write a failing input into the target's corpus as `crash-<hash>`.
fn save_crash(target: &str, input: &[u8]) -> PathBuf {
    // FNV-1a: a stable name for the same input.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    let dir = corpus_dir(target);
    let path = dir.join(format!("crash-{hash:016x}"));
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input)) {
        eprintln!("fuzz {target}: could not save the failing input: {e}");
    }
    path
}
