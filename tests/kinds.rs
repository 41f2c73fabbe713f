//! What a document without container entries looks like: stream metadata (a release.json,
//! a releases.json, a stream.json) is named in `no-entries`, so that the page and the CLI
//! can say "nothing to check" and why, rather than a bare "valid".

mod common;

use oscontainer::{validate, Options, Profile, Report, Severity, UserSchema};

const RELEASE: &str = "the document looks like a release.json (stream metadata for one release), not a meta.json; its oci-image and media.kubevirt.image pairs are made from the base-oscontainer and kubevirt entries of the build's meta.json files, so check those";
const RELEASE_INDEX: &str = "the document looks like a releases.json (the index of a stream's releases), not a meta.json; container entries are in the meta.json files of each build, so check those";
const STREAM: &str = "the document looks like a stream.json (stream metadata: a stream's current artifacts and images per architecture), not a meta.json; container entries are in the meta.json files of each build, so check those";
const HINT: &str =
    "a build's meta.json is builds/<build id>/<arch>/meta.json in cosa's build directory";
const PLAIN: &str = "the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)";

/// The one finding of a document without entries: (code, severity, pointer, line, column,
/// message, hint).
type Finding = (
    String,
    Severity,
    String,
    Option<u32>,
    Option<u32>,
    String,
    Option<String>,
);

fn findings(report: &Report) -> Vec<Finding> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_owned(),
                d.severity,
                d.pointer.clone(),
                d.line,
                d.column,
                d.message.clone(),
                d.hint.clone(),
            )
        })
        .collect()
}

fn no_entries(message: &str, hint: Option<&str>) -> Vec<Finding> {
    vec![(
        "no-entries".to_owned(),
        Severity::Info,
        String::new(),
        Some(1),
        Some(1),
        message.to_owned(),
        hint.map(str::to_owned),
    )]
}

fn check(text: &str, profile: Profile, schema: Option<&UserSchema>) -> Report {
    validate(
        text,
        &Options {
            profile,
            schema,
            ..Default::default()
        },
    )
}

/// Under both profiles, and with a schema (which makes the scan keep every value, so the
/// architectures are read from the tree instead of read again from the text).
fn assert_named(name: &str, text: &str, message: &str, hint: Option<&str>) {
    let anything = UserSchema::compile("{}").expect("the empty schema compiles");
    for (profile, schema) in [
        (Profile::Canonical, None),
        (Profile::Compat, None),
        (Profile::Canonical, Some(&anything)),
    ] {
        let report = check(text, profile, schema);
        assert_eq!(
            findings(&report),
            no_entries(message, hint),
            "{name} ({profile:?}, schema: {})",
            schema.is_some()
        );
        assert!(report.valid, "{name}");
        assert!(report.entries.is_empty(), "{name}");
    }
}

#[test]
fn the_corpus_release_and_stream_files_are_named() {
    let files = common::corpus_files("release");
    if files.is_empty() {
        return;
    }
    let expected = [
        (
            "coreos-fedora-coreos-stream-generator__fixtures_releases.json",
            RELEASE_INDEX,
        ),
        (
            "coreos-fedora-coreos-stream-generator__fixtures_stream.json",
            STREAM,
        ),
        (
            "coreos-stream-metadata-go__release_fixtures_fcos-release.json",
            RELEASE,
        ),
        (
            "coreos-stream-metadata-go__release_fixtures_fcos-releases.json",
            RELEASE_INDEX,
        ),
        (
            "coreos-stream-metadata-go__stream_fixtures_fcos-stream.json",
            STREAM,
        ),
        (
            "coreos-stream-metadata-rust__tests_it_fixtures_fcos-stream.json",
            STREAM,
        ),
    ];
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, expected.map(|(name, _)| name));
    for ((name, text), (_, message)) in files.iter().zip(expected) {
        assert_named(name, text, message, Some(HINT));
    }
}

#[test]
fn the_shape_decides_and_near_misses_keep_the_plain_message() {
    let arch = r#"{"commit": "ab", "oci-image": {"image": "quay.io/fedora/fedora-coreos:stable", "digest-ref": "quay.io/fedora/fedora-coreos@sha256:460576931cf4ce59afe432e8e2d4a8a53bfd8f5c5d1a2bd81d0a5a1e2d3c4b5a"}}"#;
    let named = [
        (
            format!(r#"{{"release": "33.20201201.3.0", "stream": "stable", "architectures": {{"x86_64": {arch}}}}}"#),
            RELEASE,
        ),
        (
            r#"{"stream": "stable", "releases": []}"#.to_owned(),
            RELEASE_INDEX,
        ),
        (
            r#"{"stream": "next", "architectures": {"aarch64": {"images": {}}, "x86_64": {"artifacts": {}}}}"#.to_owned(),
            STREAM,
        ),
        // A fragment pasted from a stream.json is read as members of an object.
        (
            r#""stream": "next", "architectures": {"x86_64": {"artifacts": {}}}"#.to_owned(),
            STREAM,
        ),
    ];
    for (text, message) in &named {
        let report = check(text, Profile::Canonical, None);
        assert_eq!(findings(&report), no_entries(message, Some(HINT)), "{text}");
    }

    // Of duplicate keys the last counts, as for JSON.parse (and the duplicate is an error).
    let text = format!(
        r#"{{"release": 1, "release": "33.20201201.3.0", "stream": "stable", "architectures": {{"x86_64": {arch}}}}}"#
    );
    let mut expected = no_entries(RELEASE, Some(HINT));
    expected.push((
        "duplicate-key".to_owned(),
        Severity::Error,
        "/release".to_owned(),
        Some(1),
        Some(16),
        "key \"release\" appears more than once in this object (first on line 1); JSON.parse keeps only the last".to_owned(),
        Some("remove one of them".to_owned()),
    ));
    assert_eq!(findings(&check(&text, Profile::Canonical, None)), expected);

    let plain = [
        "{}".to_owned(),
        r#"{"stream": "stable"}"#.to_owned(),
        r#"{"releases": []}"#.to_owned(),
        r#"{"stream": "stable", "releases": {}}"#.to_owned(),
        r#"{"stream": 1, "releases": []}"#.to_owned(),
        // No architecture, or one that is not an object.
        r#"{"release": "1", "stream": "stable", "architectures": {}}"#.to_owned(),
        r#"{"release": "1", "stream": "stable", "architectures": []}"#.to_owned(),
        format!(
            r#"{{"release": "1", "stream": "stable", "architectures": {{"x86_64": {arch}, "s390x": null}}}}"#
        ),
        // Without release, every architecture needs artifacts or images to be a stream's.
        format!(r#"{{"stream": "stable", "architectures": {{"x86_64": {arch}}}}}"#),
        r#"{"stream": "stable", "architectures": {"x86_64": {"artifacts": {}}, "aarch64": {}}}"#
            .to_owned(),
        // The keys must be those of the architecture itself, not deeper ones.
        r#"{"stream": "stable", "architectures": {"x86_64": {"x": {"artifacts": {}}}}}"#.to_owned(),
    ];
    for text in &plain {
        let report = check(text, Profile::Canonical, None);
        assert_eq!(findings(&report), no_entries(PLAIN, None), "{text}");
    }
}

#[test]
fn a_document_with_entries_is_checked_whatever_else_it_has() {
    // stream and architectures beside an entry: the entry is what counts.
    let text = r#"{"stream": "stable", "releases": [], "oscontainer": {"image": "quay.io/x", "digest": "sha256:460576931cf4ce59afe432e8e2d4a8a53bfd8f5c5d1a2bd81d0a5a1e2d3c4b5a"}}"#;
    let report = check(text, Profile::Canonical, None);
    assert_eq!(findings(&report), Vec::<Finding>::new());
    assert_eq!(report.entries.len(), 1);
}
