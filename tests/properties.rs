//! Property tests with a fixed seed (reproducible in CI): the invariants of
//! `tests/robust/invariants.rs` on generated documents of every entry shape and layout,
//! and the reference grammar on generated valid and invalid references.
//!
//! The same generator and invariants run unbounded under `make fuzz` (`fuzz/`).

mod robust;

use oscontainer::reference::{parse, ReferenceErrorKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};
use robust::gen::DocSpec;
use robust::invariants;

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x05C0_47A1_2026),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// Every invariant, on a generated document.
    #[test]
    fn generated_documents_keep_every_invariant(bytes in vec(any::<u8>(), 0..600)) {
        let text = DocSpec::from_bytes(&bytes).render();
        invariants::check_bytes(text.as_bytes());
        robust::structure::check_structure(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// Truncated downloads and stray edits of generated documents.
    #[test]
    fn damaged_documents_keep_every_invariant(
        bytes in vec(any::<u8>(), 0..400),
        cut in any::<prop::sample::Index>(),
        insert in prop::sample::select(vec!["", "{", "}", ",", "\"", "\\", "\n", "\u{feff}", "\u{0}", "ü", "\"image\": 1,"]),
        at in any::<prop::sample::Index>(),
    ) {
        let text = DocSpec::from_bytes(&bytes).render();
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let truncated = &text[..*cut.get(&boundaries)];
        invariants::check_bytes(truncated.as_bytes());
        let mut edited = text.clone();
        edited.insert_str(*at.get(&boundaries), insert);
        invariants::check_bytes(edited.as_bytes());
    }
}

// ---- the reference grammar ------------------------------------------------------------

fn alnum_lower() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,6}"
}

/// A path component: `[a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*`.
fn component() -> impl Strategy<Value = String> {
    (
        alnum_lower(),
        vec(
            (
                prop::sample::select(vec![".", "_", "__", "-", "--", "---"]),
                alnum_lower(),
            ),
            0..3,
        ),
    )
        .prop_map(|(first, rest)| {
            let mut s = first;
            for (sep, part) in rest {
                s.push_str(sep);
                s.push_str(&part);
            }
            s
        })
}

/// A domain that strict parsing reads as a domain: has a dot, a port, or is localhost.
fn domain() -> impl Strategy<Value = String> {
    let label = "[a-zA-Z0-9]([a-zA-Z0-9-]{0,5}[a-zA-Z0-9])?";
    let host = prop_oneof![
        vec(label, 2..4).prop_map(|l| l.join(".")),
        Just("localhost".to_owned()),
        prop::sample::select(vec!["[::1]", "[2001:db8::1]", "[fe80::1]"]).prop_map(str::to_owned),
    ];
    (host, prop::option::of(1u32..65536)).prop_map(|(h, port)| match port {
        Some(p) => format!("{h}:{p}"),
        None => h,
    })
}

fn tag() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
}

fn hex(n: usize) -> impl Strategy<Value = String> {
    vec(prop::sample::select(b"0123456789abcdef".to_vec()), n)
        .prop_map(|b| String::from_utf8(b).expect("hex"))
}

fn digest() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hex(64).prop_map(|h| format!("sha256:{h}")),
        1 => hex(128).prop_map(|h| format!("sha512:{h}")),
    ]
}

/// The parts of a valid reference.
#[derive(Debug, Clone)]
struct Parts {
    domain: Option<String>,
    path: Vec<String>,
    tag: Option<String>,
    digest: Option<String>,
}

impl Parts {
    fn path(&self) -> String {
        self.path.join("/")
    }

    fn text(&self) -> String {
        let mut s = String::new();
        if let Some(d) = &self.domain {
            s.push_str(d);
            s.push('/');
        }
        s.push_str(&self.path());
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        prop::option::of(domain()),
        vec(component(), 1..5),
        prop::option::of(tag()),
        prop::option::of(digest()),
    )
        .prop_map(|(domain, path, tag, digest)| Parts {
            domain,
            path,
            tag,
            digest,
        })
        .prop_filter("path at most 255 characters", |p| p.path().len() <= 255)
}

/// A way to break a valid reference, and the kind of error it must give.
#[derive(Debug, Clone)]
enum Break {
    UpperInPath(prop::sample::Index),
    EmptyComponent,
    TrailingSlash,
    TagStartsWithSeparator(char),
    TagTooLong(String),
    DigestLength(usize),
    DigestAlgorithm(&'static str),
    DigestUpperHex,
    PathTooLong(usize),
}

fn breaks() -> impl Strategy<Value = Break> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Break::UpperInPath),
        Just(Break::EmptyComponent),
        Just(Break::TrailingSlash),
        prop::sample::select(vec!['-', '.']).prop_map(Break::TagStartsWithSeparator),
        "[A-Za-z0-9_.-]{129,160}".prop_map(Break::TagTooLong),
        prop_oneof![1usize..64, 65usize..128].prop_map(Break::DigestLength),
        prop::sample::select(vec!["sha384", "md5", "blake3", "sha1"])
            .prop_map(Break::DigestAlgorithm),
        Just(Break::DigestUpperHex),
        (256usize..400).prop_map(Break::PathTooLong),
    ]
}

/// `parts` broken by `how`, and the kind expected.
fn broken(mut p: Parts, how: &Break) -> (String, ReferenceErrorKind) {
    use ReferenceErrorKind as K;
    let kind = match how {
        Break::UpperInPath(i) => {
            // In the last component: a first component with upper case could be a domain.
            let last = p.path.last_mut().expect("a component");
            let letters: Vec<usize> = last
                .char_indices()
                .filter(|(_, c)| c.is_ascii_alphabetic())
                .map(|(i, _)| i)
                .collect();
            if letters.is_empty() {
                last.push('X');
            } else {
                let at = *i.get(&letters);
                last.replace_range(at..=at, &last[at..=at].to_ascii_uppercase());
            }
            K::NameContainsUppercase
        }
        Break::EmptyComponent => {
            p.path.insert(p.path.len() / 2 + 1, String::new());
            if p.path.len() == 2 {
                p.domain.get_or_insert_with(|| "quay.io".to_owned());
            }
            K::InvalidFormat
        }
        Break::TrailingSlash => {
            p.path.push(String::new());
            K::InvalidFormat
        }
        Break::TagStartsWithSeparator(c) => {
            p.tag = Some(format!("{c}{}", p.tag.clone().unwrap_or_default()));
            K::TagInvalid
        }
        Break::TagTooLong(t) => {
            p.tag = Some(format!("x{t}"));
            K::TagInvalid
        }
        Break::DigestLength(n) => {
            p.digest = Some(format!("sha256:{}", "a".repeat(*n)));
            K::DigestInvalidLength
        }
        Break::DigestAlgorithm(alg) => {
            p.digest = Some(format!("{alg}:{}", "0".repeat(64)));
            K::DigestUnsupported
        }
        Break::DigestUpperHex => {
            p.digest = Some(format!("sha256:{}", "AB".repeat(32)));
            K::DigestInvalidFormat
        }
        Break::PathTooLong(n) => {
            p.domain.get_or_insert_with(|| "quay.io".to_owned());
            p.path = vec!["a".repeat(*n)];
            K::NameTooLong
        }
    };
    (p.text(), kind)
}

proptest! {
    #![proptest_config(config(2000))]

    /// `parse(x).to_string() == x` for generated valid references, with the parts intact.
    #[test]
    fn valid_references_print_back_unchanged(p in parts()) {
        let text = p.text();
        let r = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(r.to_string(), text.clone());
        let name = match &p.domain {
            Some(d) => format!("{d}/{}", p.path()),
            None => p.path(),
        };
        prop_assert_eq!(r.name(), name);
        prop_assert_eq!(&r.tag, &p.tag);
        prop_assert_eq!(&r.digest, &p.digest);
        if let Some(d) = &p.domain {
            prop_assert_eq!(&r.domain, d);
            prop_assert_eq!(&r.path, &p.path());
        }
    }

    /// Generated invalid references are rejected with the kind of their defect, at an
    /// offset inside the input.
    #[test]
    fn broken_references_are_rejected_with_the_right_kind(p in parts(), how in breaks()) {
        let (text, kind) = broken(p, &how);
        match parse(&text) {
            Ok(r) => prop_assert!(false, "{text:?} ({how:?}) was accepted as {r:?}"),
            Err(e) => {
                prop_assert_eq!(e.kind, kind, "{:?} ({:?}): {}", text, how, e.message);
                prop_assert!(e.offset <= text.len());
            }
        }
    }
}

// ---- the generator and the checks can fail ----------------------------------------------

/// Bytes for the generator from a tiny fixed-seed generator (splitmix64).
fn sample_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

/// The generated documents cover every shape, fixes of every kind, and layouts, so the
/// property above is not passing on trivial inputs.
#[test]
fn the_generator_covers_every_shape_and_fix() {
    use oscontainer::{upgrade, validate, Options, Shape};
    use std::collections::BTreeSet;
    let mut shapes = BTreeSet::new();
    let mut fixed = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let (mut json_docs, mut fragments, mut crlf, mut changed, mut additional) = (0, 0, 0, 0, 0);
    for seed in 0..600 {
        let text = DocSpec::from_bytes(&sample_bytes(seed, 500)).render();
        let report = validate(&text, &Options::default());
        for e in &report.entries {
            shapes.insert(format!("{:?}", e.shape));
            additional += usize::from(e.pointer.contains("/additional-images/"));
        }
        codes.extend(report.diagnostics.iter().map(|d| d.code.as_str()));
        let up = upgrade(&text, &Options::default());
        changed += usize::from(up.changed);
        fixed.extend(up.changes.iter().map(|c| c.code.as_str()));
        json_docs += usize::from(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        fragments += usize::from(text.starts_with('"'));
        crlf += usize::from(text.contains("\r\n"));
    }
    let all_shapes: BTreeSet<String> = [
        Shape::Split,
        Shape::Tagged,
        Shape::Embedded,
        Shape::ImageOnly,
        Shape::Invalid,
    ]
    .iter()
    .map(|s| format!("{s:?}"))
    .collect();
    assert_eq!(shapes, all_shapes);
    let fix_codes: BTreeSet<&str> = [
        "image-has-tag",
        "image-embedded-digest",
        "digest-invalid",
        "tags-not-array",
        "tag-duplicate",
    ]
    .into_iter()
    .collect();
    assert_eq!(fixed, fix_codes);
    for code in [
        "duplicate-key",
        "unknown-field",
        "digest-conflict",
        "image-invalid",
        "entry-not-object",
        "additional-image-not-object",
        "image-missing",
    ] {
        assert!(codes.contains(code), "no generated document has {code}");
    }
    assert!(
        changed >= 200,
        "only {changed} of 600 documents were changed by upgrade"
    );
    assert!(
        json_docs >= 300,
        "only {json_docs} of 600 documents are JSON"
    );
    assert!(
        fragments >= 20 && crlf >= 50 && additional >= 50,
        "{fragments} fragments, {crlf} CRLF, {additional} additional images"
    );
}

/// The checks of the invariants reject outputs that break them.
#[test]
fn the_invariant_checks_catch_what_they_guard() {
    use oscontainer::{upgrade, Options};
    use std::panic::catch_unwind;
    let d = format!("sha256:{}", "ab".repeat(32));
    let input =
        format!("{{\"a\": 1,\n \"kubevirt\": {{\"image\": \"quay.io/x/y@{d}\"}}, \"z\": [1.0]}}");
    let up = upgrade(&input, &Options::default());
    assert!(up.changed);
    invariants::check_outside_unchanged(&input, &up.output, &up.changes, &Options::default());
    // A byte changed before, and one after, the entry; a value changed (1.0 → 1.00 keeps
    // the JSON value but not the bytes; 2 changes both).
    for (from, to) in [
        ("\"a\": 1,", "\"a\": 2,"),
        ("[1.0]", "[1.00]"),
        ("\n ", "\n  "),
    ] {
        let damaged = up.output.replacen(from, to, 1);
        assert_ne!(damaged, up.output);
        let caught = catch_unwind(|| {
            invariants::check_outside_unchanged(&input, &damaged, &up.changes, &Options::default())
        });
        assert!(caught.is_err(), "not caught: {from:?} -> {to:?}");
    }
    // Positions: a diagnostic moved to another line, or outside its pointer.
    let report = oscontainer::validate(&input, &Options::default());
    invariants::check_positions(input.as_bytes(), &report.diagnostics);
    let mut moved = report.diagnostics.clone();
    moved[0].line = Some(1);
    assert!(catch_unwind(|| invariants::check_positions(input.as_bytes(), &moved)).is_err());
    let mut outside = report.diagnostics.clone();
    outside[0].offset = 1;
    let (l, c) = invariants::line_column(input.as_bytes(), 1);
    (outside[0].line, outside[0].column) = (Some(l), Some(c));
    assert!(catch_unwind(|| invariants::check_positions(input.as_bytes(), &outside)).is_err());
}

/// The verdict check rejects `valid: false` with no diagnostic or with only warnings and
/// infos, and `valid: true` beside an error; it accepts the verdicts of a real report.
#[test]
fn the_verdict_check_catches_an_invalid_result_that_does_not_say_why() {
    use oscontainer::{validate, Options, Severity};
    use std::panic::catch_unwind;
    let input = r#"{"kubevirt": {"image": "quay.io/x/y", "digets": 1}}"#;
    let report = validate(input, &Options::default());
    let severities: Vec<Severity> = report.diagnostics.iter().map(|d| d.severity).collect();
    assert_eq!(severities, [Severity::Error, Severity::Warning]);
    invariants::check_verdict("validate", report.valid, &report.diagnostics);
    let warning_only = &report.diagnostics[1..];
    invariants::check_verdict("warning only", true, warning_only);
    for (valid, diagnostics) in [
        (false, &[][..]),
        (false, warning_only),
        (true, &report.diagnostics[..]),
    ] {
        assert!(
            catch_unwind(|| invariants::check_verdict("x", valid, diagnostics)).is_err(),
            "not caught: valid {valid} with {diagnostics:?}"
        );
    }
}

/// The healthy document the cross-arch checks pair inputs with is healthy: no finding in
/// validate, the release view or compared alone.
#[test]
fn the_healthy_arch_document_has_no_finding() {
    use oscontainer::{compare_arches, release_view, validate, ArchDocument, Options};
    let opts = Options::default();
    assert_eq!(validate(invariants::HEALTHY, &opts).diagnostics, []);
    let view = release_view(invariants::HEALTHY, &opts);
    assert_eq!((view.valid, view.diagnostics), (true, Vec::new()));
    let alone = ArchDocument {
        arch: None,
        name: None,
        input: invariants::HEALTHY.as_bytes(),
    };
    let report = compare_arches(&[alone], &opts);
    assert_eq!((report.valid, report.diagnostics), (true, Vec::new()));
    assert_eq!(report.arches, [Some("aarch64".to_owned())]);
}

/// Line/column counting in the checks themselves, for every break style and UTF-16.
#[test]
fn the_checks_count_lines_and_utf16_columns() {
    let text = "a\r\nb\rc\nd😀e".as_bytes();
    assert_eq!(invariants::line_column(text, 0), (1, 1));
    assert_eq!(invariants::line_column(text, 2), (1, 3));
    assert_eq!(invariants::line_column(text, 3), (2, 1));
    assert_eq!(invariants::line_column(text, 5), (3, 1));
    assert_eq!(invariants::line_column(text, 7), (4, 1));
    assert_eq!(invariants::line_column(text, 12), (4, 4));
}
