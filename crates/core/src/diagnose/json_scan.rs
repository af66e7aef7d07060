//! Finding the JSON objects inside arbitrary pasted text: a bare body, one wrapped in a library's
//! message, pretty-printed, several in a log, or escaped inside another JSON string.
//!
//! The rule is simple: reading left to right, the first `{` at which a whole JSON object starts is
//! taken (with everything nested in it) and reading goes on after its end; a `{` that starts no
//! object is passed over. Nested objects and JSON held in string values are flattened into the
//! same list. Text that is not JSON (truncated bodies, Python dicts) is simply skipped here: the
//! recognisers fall back to patterns for it.
//!
//! The text is hostile input, so the work is linear in its length. A `{` is tried by an iterative
//! grammar check (no recursion, no depth limit) that remembers, for every object it met on the
//! way, whether and where it ended; a later try at a `{` already met is answered from that memory
//! instead of reading the text again. Two tries that are both still reading at one place disagree
//! on whether that place is inside a string (otherwise the later one would have been met by the
//! earlier), so no byte is read more than twice. Only a span the check accepted, at most
//! [`MAX_DEPTH`] deep, is handed to `serde_json`, once, to become a value.
//!
//! This module deliberately does not decide what a found object means: the recognisers do.

use std::ops::Range;

use serde_json::{Map, Value};

/// One JSON object found in the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct JsonObject<'a> {
    /// Where the outermost object it was found in lies in the text.
    pub span: Range<usize>,
    /// The object itself.
    pub fields: &'a Map<String, Value>,
}

/// How deep JSON held inside JSON strings is followed.
const MAX_NESTING: usize = 3;

/// The deepest nesting of objects and arrays taken as a value (`serde_json`'s own limit); a
/// deeper object is passed over and the objects inside it are tried instead.
const MAX_DEPTH: usize = 127;

/// Everything found in a text: the outermost objects as values, and how much reading it took.
#[derive(Debug, Default)]
pub(super) struct Found {
    roots: Vec<Root>,
    examined: usize,
}

/// An outermost object and the JSON found inside its string values.
#[derive(Debug)]
struct Root {
    span: Range<usize>,
    value: Value,
    /// For each string value (in the order [`Found::objects`] visits them) that was searched
    /// for JSON, what was found in it.
    held: Vec<Vec<Root>>,
}

/// Find the JSON in `text`.
pub(super) fn scan(text: &str) -> Found {
    let mut found = Found::default();
    found.roots = collect(text, None, 0, &mut found.examined);
    found
}

impl Found {
    /// Every JSON object found, outer ones before the objects nested in them.
    pub fn objects(&self) -> Vec<JsonObject<'_>> {
        let mut out = Vec::new();
        for root in &self.roots {
            visit_root(root, &root.span, &mut out);
        }
        out
    }

    /// Bytes read to find them: each byte the grammar check looked at, each `{` tried, and each
    /// byte handed to `serde_json`. Linear in the text's length (see the module's doc).
    pub fn examined(&self) -> usize {
        self.examined
    }
}

/// The outermost objects of `text`; `outer` is the span every object found in it is reported
/// at (the object whose string held this text), or `None` at the top.
fn collect(
    text: &str,
    outer: Option<&Range<usize>>,
    nesting: usize,
    examined: &mut usize,
) -> Vec<Root> {
    let mut roots = Vec::new();
    let mut check = GrammarCheck::new(text);
    let mut from = 0;
    while let Some(offset) = text[from..].find('{') {
        let start = from + offset;
        from = start + 1;
        let Outcome::Object { end, depth } = check.object_at(start) else {
            continue;
        };
        if depth > MAX_DEPTH {
            continue;
        }
        *examined += end - start;
        // The check accepts what serde_json accepts; should they ever disagree, the `{` is
        // passed over like any other that starts no object.
        let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(&text[start..end]) else {
            continue;
        };
        let span = outer.cloned().unwrap_or(start..end);
        let mut held = Vec::new();
        search_strings(&value, &span, nesting, examined, &mut held);
        roots.push(Root { span, value, held });
        from = end;
    }
    *examined += check.examined;
    roots
}

/// Whether a string value is searched for JSON.
fn holds_json(text: &str, nesting: usize) -> bool {
    nesting < MAX_NESTING && text.contains('{')
}

/// Search the string values of `value` that may hold JSON, in [`visit`]'s order.
fn search_strings(
    value: &Value,
    span: &Range<usize>,
    nesting: usize,
    examined: &mut usize,
    held: &mut Vec<Vec<Root>>,
) {
    match value {
        Value::Object(fields) => {
            for child in fields.values() {
                search_strings(child, span, nesting, examined, held);
            }
        }
        Value::Array(items) => {
            for item in items {
                search_strings(item, span, nesting, examined, held);
            }
        }
        Value::String(inner) if holds_json(inner, nesting) => {
            held.push(collect(inner, Some(span), nesting + 1, examined));
        }
        _ => {}
    }
}

fn visit_root<'a>(root: &'a Root, span: &Range<usize>, out: &mut Vec<JsonObject<'a>>) {
    let mut held = root.held.iter();
    visit(&root.value, span, &mut held, out);
}

/// Objects in pre-order; a string searched for JSON contributes what was found in it, in place.
fn visit<'a>(
    value: &'a Value,
    span: &Range<usize>,
    held: &mut std::slice::Iter<'a, Vec<Root>>,
    out: &mut Vec<JsonObject<'a>>,
) {
    match value {
        Value::Object(fields) => {
            out.push(JsonObject {
                span: span.clone(),
                fields,
            });
            for child in fields.values() {
                visit(child, span, held, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                visit(item, span, held, out);
            }
        }
        Value::String(inner) if inner.contains('{') => {
            // Strings were searched only above the nesting limit; below it `held` is empty.
            if let Some(roots) = held.next() {
                for root in roots {
                    visit_root(root, span, out);
                }
            }
        }
        _ => {}
    }
}

/// What the grammar check found at a `{`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A whole object ends (exclusive) at `end`, `depth` levels of objects and arrays deep.
    Object { end: usize, depth: usize },
    /// No object starts here.
    NotAnObject,
}

/// What comes next in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// After `{`: a key or `}`.
    KeyOrClose,
    /// After `,` in an object.
    Key,
    /// After a key.
    Colon,
    /// After `:` or `,` in an array.
    Value,
    /// After `[`: a value or `]`.
    ValueOrClose,
    /// After a value.
    CommaOrClose,
}

/// An open object or array.
#[derive(Debug, Clone, Copy)]
struct Frame {
    open: usize,
    object: bool,
    /// The deepest nesting closed inside it so far (saturating: only "over the limit" matters).
    depth_below: u8,
}

/// An iterative check of JSON's grammar (RFC 8259, as `serde_json` reads it) that remembers the
/// outcome at every `{` it met.
struct GrammarCheck<'t> {
    bytes: &'t [u8],
    /// Per byte: 0 not known, 1 no object starts here, otherwise the end of the object + 1.
    ends: Vec<u32>,
    /// Per byte: the depth of the object starting here (saturating).
    depths: Vec<u8>,
    examined: usize,
}

const UNKNOWN: u32 = 0;
const NOT_AN_OBJECT: u32 = 1;

impl<'t> GrammarCheck<'t> {
    fn new(text: &'t str) -> Self {
        // Positions are kept as u32: four gigabytes of pasted text are not read.
        let len = text.len().min(u32::MAX as usize - 2);
        let bytes = &text.as_bytes()[..len];
        let memo_len = if bytes.contains(&b'{') { len } else { 0 };
        GrammarCheck {
            bytes,
            ends: vec![UNKNOWN; memo_len],
            depths: vec![0; memo_len],
            examined: 0,
        }
    }

    fn remembered(&self, at: usize) -> Option<Outcome> {
        match *self.ends.get(at)? {
            UNKNOWN => None,
            NOT_AN_OBJECT => Some(Outcome::NotAnObject),
            end => Some(Outcome::Object {
                end: end as usize - 1,
                depth: usize::from(self.depths[at]),
            }),
        }
    }

    fn remember(&mut self, at: usize, outcome: Outcome) {
        let Some(slot) = self.ends.get_mut(at) else {
            return;
        };
        match outcome {
            Outcome::NotAnObject => *slot = NOT_AN_OBJECT,
            Outcome::Object { end, depth } => {
                *slot = u32::try_from(end + 1).unwrap_or(NOT_AN_OBJECT);
                self.depths[at] = u8::try_from(depth).unwrap_or(u8::MAX);
            }
        }
    }

    /// Whether a JSON object starts at `start` (a `{`), and where it ends.
    fn object_at(&mut self, start: usize) -> Outcome {
        self.examined += 1;
        if let Some(known) = self.remembered(start) {
            return known;
        }
        if start >= self.bytes.len() {
            return Outcome::NotAnObject;
        }
        let mut stack = vec![Frame {
            open: start,
            object: true,
            depth_below: 0,
        }];
        let mut at = start + 1;
        let mut expect = Expect::KeyOrClose;
        loop {
            let before = at;
            at = self.skip_whitespace(at);
            self.examined += at - before;
            let Some(&byte) = self.bytes.get(at) else {
                return self.fail(&stack);
            };
            let token = at;
            let closes = match (expect, byte) {
                (Expect::KeyOrClose, b'}') | (Expect::ValueOrClose, b']') => true,
                (Expect::CommaOrClose, b'}') => stack.last().is_some_and(|f| f.object),
                (Expect::CommaOrClose, b']') => stack.last().is_some_and(|f| !f.object),
                _ => false,
            };
            if closes {
                at += 1;
                self.examined += 1;
                let Some(frame) = stack.pop() else {
                    return self.fail(&stack);
                };
                let depth = usize::from(frame.depth_below) + 1;
                if frame.object {
                    self.remember(frame.open, Outcome::Object { end: at, depth });
                }
                match stack.last_mut() {
                    Some(parent) => {
                        parent.depth_below = parent
                            .depth_below
                            .max(u8::try_from(depth).unwrap_or(u8::MAX));
                        expect = Expect::CommaOrClose;
                    }
                    None => return Outcome::Object { end: at, depth },
                }
                continue;
            }
            let next = match (expect, byte) {
                (Expect::KeyOrClose | Expect::Key, b'"') => {
                    self.string(at).map(|end| (end, Expect::Colon))
                }
                (Expect::Value | Expect::ValueOrClose, b'"') => {
                    self.string(at).map(|end| (end, Expect::CommaOrClose))
                }
                (Expect::Colon, b':') => Some((at + 1, Expect::Value)),
                (Expect::CommaOrClose, b',') => {
                    let object = stack.last().is_some_and(|f| f.object);
                    Some((at + 1, if object { Expect::Key } else { Expect::Value }))
                }
                (Expect::Value | Expect::ValueOrClose, b'{') => match self.remembered(at) {
                    Some(Outcome::Object { end, depth }) => {
                        if let Some(parent) = stack.last_mut() {
                            parent.depth_below = parent
                                .depth_below
                                .max(u8::try_from(depth).unwrap_or(u8::MAX));
                        }
                        self.examined += 1;
                        at = end;
                        expect = Expect::CommaOrClose;
                        continue;
                    }
                    Some(Outcome::NotAnObject) => None,
                    None => {
                        stack.push(Frame {
                            open: at,
                            object: true,
                            depth_below: 0,
                        });
                        Some((at + 1, Expect::KeyOrClose))
                    }
                },
                (Expect::Value | Expect::ValueOrClose, b'[') => {
                    stack.push(Frame {
                        open: at,
                        object: false,
                        depth_below: 0,
                    });
                    Some((at + 1, Expect::ValueOrClose))
                }
                (Expect::Value | Expect::ValueOrClose, _) => {
                    self.scalar(at).map(|end| (end, Expect::CommaOrClose))
                }
                _ => None,
            };
            let Some((end, then)) = next else {
                self.examined += 1;
                return self.fail(&stack);
            };
            self.examined += end - token;
            at = end;
            expect = then;
        }
    }

    /// No object starts at any `{` still open: each of them reads on to the same fault.
    fn fail(&mut self, stack: &[Frame]) -> Outcome {
        for frame in stack.iter().filter(|f| f.object) {
            self.remember(frame.open, Outcome::NotAnObject);
        }
        Outcome::NotAnObject
    }

    fn skip_whitespace(&self, mut at: usize) -> usize {
        while matches!(self.bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
        at
    }

    /// The end of the string starting at `at` (a `"`), if it is a valid JSON string.
    fn string(&self, at: usize) -> Option<usize> {
        let mut i = at + 1;
        loop {
            match *self.bytes.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => {
                    i = self.escape(i + 1)?;
                }
                0x00..=0x1f => return None,
                _ => i += 1,
            }
        }
    }

    /// The end of the escape whose letter is at `at`. Surrogates must pair, as `serde_json`
    /// requires of text.
    fn escape(&self, at: usize) -> Option<usize> {
        match *self.bytes.get(at)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(at + 1),
            b'u' => {
                let unit = self.hex4(at + 1)?;
                match unit {
                    0xDC00..=0xDFFF => None,
                    0xD800..=0xDBFF => {
                        if self.bytes.get(at + 5) != Some(&b'\\')
                            || self.bytes.get(at + 6) != Some(&b'u')
                        {
                            return None;
                        }
                        let low = self.hex4(at + 7)?;
                        (0xDC00..=0xDFFF).contains(&low).then_some(at + 11)
                    }
                    _ => Some(at + 5),
                }
            }
            _ => None,
        }
    }

    fn hex4(&self, at: usize) -> Option<u16> {
        let digits = self.bytes.get(at..at + 4)?;
        let digits = std::str::from_utf8(digits).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u16::from_str_radix(digits, 16).ok()
    }

    /// The end of the number or literal starting at `at`.
    fn scalar(&self, at: usize) -> Option<usize> {
        for literal in [&b"true"[..], b"false", b"null"] {
            if self.bytes[at..].starts_with(literal) {
                return Some(at + literal.len());
            }
        }
        self.number(at)
    }

    /// The end of the number starting at `at`; a number too large for an `f64` is refused, as
    /// `serde_json` refuses it.
    fn number(&self, at: usize) -> Option<usize> {
        let digits = |mut i: usize| {
            while self.bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = at;
        if self.bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match self.bytes.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => i = digits(i),
            _ => return None,
        }
        if self.bytes.get(i) == Some(&b'.') {
            let after = digits(i + 1);
            if after == i + 1 {
                return None;
            }
            i = after;
        }
        if matches!(self.bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(self.bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let after = digits(i);
            if after == i {
                return None;
            }
            i = after;
        }
        let text = std::str::from_utf8(&self.bytes[at..i]).ok()?;
        text.parse::<f64>().ok().filter(|n| n.is_finite())?;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The objects of `text` as owned values, for comparisons.
    fn owned(text: &str) -> Vec<(Range<usize>, Map<String, Value>)> {
        scan(text)
            .objects()
            .into_iter()
            .map(|o| (o.span, o.fields.clone()))
            .collect()
    }

    /// The rule of the module's doc read literally: `serde_json` tried at every `{`. Quadratic,
    /// so only for small texts.
    fn literal_reading(text: &str) -> Vec<(Range<usize>, Map<String, Value>)> {
        fn collect(
            text: &str,
            outer: Option<&Range<usize>>,
            nesting: usize,
            out: &mut Vec<(Range<usize>, Map<String, Value>)>,
        ) {
            let mut from = 0;
            while let Some(offset) = text[from..].find('{') {
                let start = from + offset;
                let mut stream =
                    serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
                match stream.next() {
                    Some(Ok(value @ Value::Object(_))) => {
                        let end = start + stream.byte_offset();
                        let span = outer.cloned().unwrap_or(start..end);
                        flatten(&value, &span, nesting, out);
                        from = end;
                    }
                    _ => from = start + 1,
                }
            }
        }
        fn flatten(
            value: &Value,
            span: &Range<usize>,
            nesting: usize,
            out: &mut Vec<(Range<usize>, Map<String, Value>)>,
        ) {
            match value {
                Value::Object(fields) => {
                    out.push((span.clone(), fields.clone()));
                    fields.values().for_each(|v| flatten(v, span, nesting, out));
                }
                Value::Array(items) => items.iter().for_each(|v| flatten(v, span, nesting, out)),
                Value::String(inner) if holds_json(inner, nesting) => {
                    collect(inner, Some(span), nesting + 1, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        collect(text, None, 0, &mut out);
        out
    }

    #[test]
    fn bodies_inside_text_are_found_with_their_range() {
        let text = r#"ClientSecretCredential authentication failed: POST https://login.microsoftonline.com/x/oauth2/v2.0/token
RESPONSE 401: {"error":"invalid_client","error_codes":[7000215]} trailing"#;
        let found = scan(text);
        let objects = found.objects();
        assert_eq!(objects.len(), 1);
        assert_eq!(
            &text[objects[0].span.clone()],
            r#"{"error":"invalid_client","error_codes":[7000215]}"#
        );
    }

    #[test]
    fn nested_and_string_held_objects_are_flattened() {
        let text = r#"{"status":403,"body":"{\"error\":{\"code\":\"ErrorAccessDenied\",\"innerError\":{\"date\":\"2024-01-01\"}}}"}"#;
        let found = scan(text);
        let objects = found.objects();
        let codes: Vec<&str> = objects
            .iter()
            .filter_map(|o| o.fields.get("code").and_then(Value::as_str))
            .collect();
        assert_eq!(codes, ["ErrorAccessDenied"]);
        assert!(objects.iter().all(|o| o.span == (0..text.len())));
        assert_eq!(owned(text), literal_reading(text));
    }

    #[test]
    fn truncated_json_and_braces_in_prose_are_skipped() {
        assert!(
            owned(r#"{"error":"invalid_client","error_description":"AADSTS7000215: Inv"#)
                .is_empty()
        );
        assert!(owned("see {tenant} and { not json }").is_empty());
    }

    #[test]
    fn an_object_inside_a_broken_one_is_still_found() {
        // An unescaped copy of an escaped body: the outer object breaks at the inner quotes, the
        // body inside its string is whole.
        let text = r#"{"status":403,"body":"{"error":{"code":"ErrorAccessDenied"}}"#;
        let objects = owned(text);
        assert_eq!(objects.len(), 2);
        assert_eq!(
            &text[objects[0].0.clone()],
            r#"{"error":{"code":"ErrorAccessDenied"}}"#
        );
        assert_eq!(objects, literal_reading(text));
        let prose = r#"error { while reading {"error_codes":[7000215]} at line 1"#;
        assert_eq!(owned(prose).len(), 1);
    }

    #[test]
    fn objects_deeper_than_serde_reads_give_their_inner_objects() {
        for depth in [126, 127, 128, 129, 200] {
            let text = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
            let objects = owned(&text);
            assert_eq!(objects, literal_reading(&text), "depth {depth}");
            let outermost = depth.min(MAX_DEPTH);
            assert_eq!(objects.len(), outermost, "depth {depth}");
            assert_eq!(
                objects[0].0,
                (depth - outermost) * 5..text.len() - (depth - outermost)
            );
        }
    }

    /// 512 KB made of `unit` repeated.
    fn hostile(unit: &str) -> String {
        unit.repeat(512 * 1024 / unit.len())
    }

    #[test]
    fn hostile_text_is_read_in_linear_work() {
        for unit in [
            r#"{"a":"#,
            "[",
            "{",
            r#"{"a":1}"#,
            r#"{"a":"{"#,
            r#"{\"a\":"#,
            r#"{"a":["#,
            r#"{"":{"#,
            r#"{"a":"x","b":"{"#,
            r#"{"k":"{" , ":1," : "#,
            "\"{\"",
            r#"{"a":1e999}"#,
            r#"{"a":"\ud800"}"#,
        ] {
            let text = hostile(unit);
            let found = scan(&text);
            assert!(
                found.examined() <= 4 * text.len() + 64,
                "{unit}: {} bytes read for {}",
                found.examined(),
                text.len()
            );
        }
        let deep = hostile(&format!("{}1{}", r#"{"a":"#.repeat(127), "}".repeat(127)));
        let found = scan(&deep);
        assert!(found.examined() <= 4 * deep.len());
        assert_eq!(found.objects().len(), 127 * (deep.len() / 763));
    }

    /// Pieces of JSON and of text around it, so that random sequences of them hit the grammar's
    /// corners: strings that open and close, escapes, surrogates, numbers at the edge of `f64`.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            " ",
            "\n",
            "\\",
            "\\\"",
            "\\n",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud800",
            "\\udc00",
            "\"a\"",
            "\"error\"",
            "1",
            "-",
            "0",
            "01",
            "1.5",
            "1e5",
            "1e400",
            "-1e-400",
            "1.",
            "e",
            "true",
            "fals",
            "null",
            "x",
            "é",
            "\t",
            "\u{1}",
            "{\"a\":",
            "{\"error\":{\"code\":\"ErrorAccessDenied\"}}",
            "\"{\\\"a\\\":1}\"",
            "{}",
            "[]",
        ])
    }

    fn jsonish() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..48).prop_map(|pieces| pieces.concat())
    }

    fn cases() -> u32 {
        std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2_000)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        /// The one-pass reading finds exactly what trying `serde_json` at every `{` finds.
        #[test]
        fn the_linear_reading_is_the_literal_one(text in jsonish()) {
            prop_assert_eq!(owned(&text), literal_reading(&text));
        }

        /// The grammar check accepts exactly what `serde_json` accepts.
        #[test]
        fn the_grammar_check_is_serde_json(text in jsonish()) {
            let text = format!("{{\"k\":{text}}}");
            let mut check = GrammarCheck::new(&text);
            let serde = serde_json::Deserializer::from_str(&text).into_iter::<Value>().next();
            match check.object_at(0) {
                Outcome::Object { end, depth } if depth <= MAX_DEPTH => {
                    prop_assert!(matches!(serde, Some(Ok(_))), "{text}");
                    prop_assert!(serde_json::from_str::<Value>(&text[..end]).is_ok());
                }
                _ => prop_assert!(!matches!(serde, Some(Ok(_))), "{text}"),
            }
        }

        /// However the pieces repeat, the reading stays linear.
        #[test]
        fn the_work_is_linear(unit in jsonish(), times in 1usize..400) {
            let text = unit.repeat(times);
            let found = scan(&text);
            prop_assert!(found.examined() <= 4 * text.len() + 64, "{} for {}", found.examined(), text.len());
        }
    }
}
