//! A cheap fuzz: thousands of deterministic random mutations of corpus documents and
//! of documents with every entry shape. Nothing may panic, positions stay in range,
//! upgrade is idempotent, leaves nothing fixable behind and changes nothing but the
//! entries it names.

mod common;

use oscontainer::{upgrade, validate, validate_bytes, Options, Profile};

/// splitmix64: a tiny deterministic generator, so a failure reproduces exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SNIPPETS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\\",
    "\\u",
    "\\ud800",
    "@sha256:",
    ":latest",
    "@",
    "/",
    "\"image\": ",
    "\"digest\": \"sha256:abc\"",
    "\"tags\": \"x\"",
    "null",
    "1e999",
    "-0",
    "é",
    "😀",
    "\u{0}",
    "\t",
    "\r\n",
    "\"additional-images\": [{}]",
    "UPPER",
    "  ",
    "\"kubevirt\": 1,",
    "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
];

fn seeds() -> Vec<String> {
    let hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let mut docs: Vec<String> = common::corpus_files("meta")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    docs.push(format!(
        "{{\n    \"buildid\": \"1\",\n    \"base-oscontainer\": {{\n        \"image\": \"quay.io/a/b:stable@sha256:{hex}\",\n        \"tags\": [\"x\", \"x\"],\n        \"additional-images\": [{{\"image\": \"quay.io/c/d:v1@sha256:{hex}\"}}]\n    }},\n    \"kubevirt\": {{\"image\": \"quay.io/e/f\", \"digest\": \"{}\", \"tags\": \"t\"}}\n}}\n",
        hex.to_uppercase()
    ));
    docs.push(format!(
        "\"oscontainer\": {{\"digest\": \"{hex}\", \"image\": \"registry.example.com:5000/x\"}},"
    ));
    docs.push(format!(
        "{{\"image\": \"localhost:5000/x:1@sha256:{hex}\"}}"
    ));
    docs
}

fn mutate(rng: &mut Rng, doc: &str) -> Vec<u8> {
    let mut bytes = doc.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                let end = (at + rng.below(8)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 | 2 => {
                let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
                bytes.splice(at..at, snippet.bytes());
            }
            3 => {
                if at < bytes.len() {
                    bytes[at] = rng.below(256) as u8;
                }
            }
            _ => {
                let end = (at + rng.below(40)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
        }
    }
    bytes
}

fn check_invariants(bytes: &[u8]) {
    for profile in [Profile::Canonical, Profile::Compat] {
        let options = Options {
            profile,
            schema: None,
            ..Default::default()
        };
        let report = validate_bytes(bytes, &options);
        for d in &report.diagnostics {
            assert!(d.line.is_some_and(|l| l >= 1) && d.column.is_some_and(|c| c >= 1));
            assert!(d.offset <= bytes.len());
        }
        assert_eq!(
            report.valid,
            !report
                .diagnostics
                .iter()
                .any(|d| d.severity == oscontainer::Severity::Error)
        );
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let options = Options::default();
    let first = upgrade(text, &options);
    if !first.changed {
        assert_eq!(first.output, text);
        return;
    }
    let second = upgrade(&first.output, &options);
    assert_eq!(second.output, first.output, "not idempotent for {text:?}");
    assert!(
        first.diagnostics.iter().all(|d| !d.fixable),
        "fixable left in {:?}",
        first.output
    );
    assert_eq!(
        validate(&first.output, &options).diagnostics,
        first.diagnostics
    );
    // Outside the changed entries the JSON value is the same.
    if let (Ok(mut before), Ok(mut after)) = (
        serde_json::from_str::<serde_json::Value>(text),
        serde_json::from_str::<serde_json::Value>(&first.output),
    ) {
        for change in &first.changes {
            let top = change
                .pointer
                .split('/')
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            if let (Some(a), Some(b)) = (before.as_object_mut(), after.as_object_mut()) {
                if a.contains_key("image") {
                    a.clear();
                    b.clear();
                }
                a.remove(&top);
                b.remove(&top);
            }
        }
        assert_eq!(
            before, after,
            "upgrade changed more than the entries in {text:?}"
        );
    }
}

#[test]
fn thousands_of_mutations_neither_panic_nor_break_invariants() {
    let mut rng = Rng(0x05C0_47A1);
    let docs = seeds();
    let mut checked = 0;
    for round in 0..4000 {
        let doc = &docs[round % docs.len()];
        let bytes = mutate(&mut rng, doc);
        check_invariants(&bytes);
        checked += 1;
    }
    assert_eq!(checked, 4000);
}

#[test]
fn every_prefix_of_a_document_is_handled() {
    // Truncated downloads: every prefix of a real-shaped document.
    let docs = seeds();
    let doc = &docs[docs.len() - 3];
    for end in 0..=doc.len() {
        if doc.is_char_boundary(end) {
            check_invariants(&doc.as_bytes()[..end]);
        }
    }
}
