//! Release view, readiness and the cross-architecture rules.

mod common;

use common::rows;

use oscontainer::{compare_arches, release_view, validate, ArchDocument, Options, State};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const HEX2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

fn doc(text: &str) -> String {
    text.replace('D', &format!("sha256:{HEX}"))
        .replace('E', &format!("sha256:{HEX2}"))
}

#[test]
fn release_metadata_is_written_as_release_json_writes_it() {
    let Some(release) = common::corpus_file(
        "release",
        "coreos-stream-metadata-go__release_fixtures_fcos-release.json",
    ) else {
        return;
    };
    let meta = r#"{
        "buildid": "33.20201201.3.0",
        "base-oscontainer": {
            "image": "quay.io/fedora/fedora-coreos",
            "digest": "sha256:460576931cf4ce59afe432ea266234f9d34fa77f8ca3087282084bc3a7324632",
            "tags": ["33.20201201.3.0", "stable"]
        }
    }"#;
    let view = release_view(meta, &Options::default());
    assert!(view.valid, "{:?}", view.diagnostics);
    assert_eq!(view.build_id.as_deref(), Some("33.20201201.3.0"));
    let entry = &view.entries[0];
    assert_eq!(entry.floating_tag.as_deref(), Some("stable"));
    assert_eq!(entry.build_tags, ["33.20201201.3.0"]);
    let metadata = entry.release_metadata().expect("complete");
    assert_eq!(
        common::pretty(&metadata),
        common::object_lines_after(&release, "oci-image")
    );
}

#[test]
fn kubevirt_matches_stream_metadata() {
    let Some(stream) = common::corpus_file(
        "release",
        "coreos-stream-metadata-go__stream_fixtures_fcos-stream.json",
    ) else {
        return;
    };
    let meta = r#"{"kubevirt": {"image": "quay.io/openshift-release-dev/rhcos", "digest": "sha256:67a81539946ec0397196c145394553b8e0241acf27b14ae9de43bc56e167f773", "tags": ["latest", "33.20211201.3.0-x86_64"]}}"#;
    let options = Options {
        build_id: Some("33.20211201.3.0"),
        ..Options::default()
    };
    let view = release_view(meta, &options);
    let metadata = view.entries[0].release_metadata().expect("complete");
    let images = &stream[stream.find("\"images\": {").expect("images section")..];
    let lines = common::object_lines_after(images, "kubevirt");
    // Stream metadata adds "release" before the pair.
    assert_eq!(lines[1], "\"release\": \"33.20211201.3.0\",");
    let mut expected = lines.clone();
    expected.remove(1);
    assert_eq!(common::pretty(&metadata), expected);
}

#[test]
fn floating_tag_problems_say_the_release_step_would_fail() {
    let missing = doc(
        r#"{"buildid": "36.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "D", "tags": ["36.1"]}}"#,
    );
    let view = release_view(&missing, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["floating-tag-missing /base-oscontainer/tags 1:159"]
    );
    assert_eq!(
        view.diagnostics[0].message,
        "\"base-oscontainer\": no floating tag: every tag contains the build id 36.1, so cosa's generate-release-meta raises ValueError"
    );
    assert_eq!(
        view.diagnostics[0].hint.as_deref(),
        Some("push and record a floating tag such as \"stable\"")
    );
    assert!(!view.valid);
    // cosa fails: it writes nothing.
    assert_eq!(view.entries[0].image, None);
    assert_eq!(view.entries[0].digest_ref, None);
    assert_eq!(view.entries[0].release_metadata, None);

    let ambiguous = doc(
        r#"{"buildid": "36.1", "kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": ["stable", "next", "36.1"]}}"#,
    );
    let view = release_view(&ambiguous, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["floating-tag-ambiguous /kubevirt/tags 1:151"]
    );
    assert_eq!(
        view.diagnostics[0].message,
        "\"kubevirt\": 2 floating tags (stable, next): cosa's generate-release-meta raises ValueError, it needs exactly one"
    );

    let no_build =
        doc(r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": ["stable"]}}"#);
    let view = release_view(&no_build, &Options::default());
    assert_eq!(rows(&view.diagnostics), ["build-id-missing \"\" 1:1"]);
    assert_eq!(view.entries[0].floating_tag, None);
}

#[test]
fn readiness_follows_the_tool_that_reads_each_key() {
    let text = doc(
        r#"{"buildid": "36.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "D", "tags": ["stable", "36.1"], "additional-images": [{"image": "quay.io/x/y", "digest": "D"}]}, "kubevirt": {"image": "quay.io/c/d@D"}, "oscontainer": {"image": "quay.io/e/f:latest"}}"#,
    );
    let report = validate(&text, &Options::default());
    let summary: Vec<String> = report
        .entries
        .iter()
        .map(|e| {
            let r = &e.readiness;
            let show = |ready: &oscontainer::Ready| match ready.state {
                State::Ready => "ready".to_owned(),
                State::NotReady => format!("NOT ({})", ready.reason.as_deref().unwrap_or("?")),
                State::NotApplicable => "n/a".to_owned(),
            };
            format!(
                "{}: pull {}; release {}; sign {}; prune {}",
                e.pointer,
                show(&r.pull_by_digest),
                show(&r.release_metadata),
                show(&r.signing),
                show(&r.garbage_collection)
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "/base-oscontainer: pull ready; release ready; sign ready; prune ready",
            "/base-oscontainer/additional-images/0: pull n/a; release n/a; sign n/a; prune NOT (no tags recorded: cosa prune cannot remove tags it does not know were pushed)",
            "/kubevirt: pull NOT (cosa oc-adm-release and ART's release assembly raise KeyError: no \"digest\"); release NOT (cosa's generate-release-meta raises KeyError: no \"tags\"); sign n/a; prune n/a",
            "/oscontainer: pull NOT (cosa oc-adm-release and ART's release assembly raise KeyError: no \"digest\"); release n/a; sign n/a; prune n/a",
        ]
    );
    let oscontainer = &report.entries[3].readiness;
    assert_eq!(
        oscontainer.release_metadata.reason.as_deref(),
        Some("cosa does not make release metadata from oscontainer (only from base-oscontainer and kubevirt)")
    );
    assert_eq!(
        oscontainer.signing.reason.as_deref(),
        Some("cosa sign does not read oscontainer (only base-oscontainer)")
    );
}

#[test]
fn a_broken_digest_is_named_in_the_readiness_reason() {
    let text = r#"{"buildid": "36.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "sha256:1234", "tags": ["stable", "36.1"]}}"#;
    let report = validate(text, &Options::default());
    let r = &report.entries[0].readiness;
    assert_eq!(
        r.pull_by_digest.reason.as_deref(),
        Some("digest \"sha256:1234\" is not a valid digest")
    );
    assert_eq!(
        r.signing.reason.as_deref(),
        Some("digest \"sha256:1234\" is not a valid digest")
    );
    assert_eq!(
        r.release_metadata.reason.as_deref(),
        Some("digest \"sha256:1234\" is not a valid digest, so cosa would write \"quay.io/a/b:stable\" and \"quay.io/a/b@sha256:1234\"")
    );
}

fn arch_rows(report: &oscontainer::ArchReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}:{}",
                d.arch.as_deref().unwrap_or("?"),
                d.diagnostic.code.as_str(),
                d.diagnostic.pointer,
                d.diagnostic.line.unwrap_or(0),
                d.diagnostic.column.unwrap_or(0)
            )
        })
        .collect()
}

fn arch_doc(arch: &str, build: &str, entry: &str) -> String {
    doc(&format!(
        "{{\n    \"buildid\": \"{build}\",\n    \"coreos-assembler.basearch\": \"{arch}\",\n    \"base-oscontainer\": {entry}\n}}"
    ))
}

#[test]
fn consistent_arches_pass() {
    let x86 = arch_doc(
        "x86_64",
        "36.1",
        r#"{"image": "quay.io/a/b", "digest": "D", "tags": ["stable", "36.1"], "manifest-list-digest": "E"}"#,
    );
    let arm = arch_doc(
        "aarch64",
        "36.1",
        &format!(
            r#"{{"image": "quay.io/a/b", "digest": "sha256:{}", "tags": ["36.1", "stable"], "manifest-list-digest": "E"}}"#,
            "1".repeat(64)
        ),
    );
    let report = compare_arches(
        &[
            ArchDocument {
                arch: None,
                input: x86.as_bytes(),
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: None,
                input: arm.as_bytes(),
                ..ArchDocument::default()
            },
        ],
        &Options::default(),
    );
    assert_eq!(arch_rows(&report), Vec::<String>::new());
    assert!(report.valid);
    assert_eq!(
        report.arches,
        [Some("x86_64".to_owned()), Some("aarch64".to_owned())]
    );
}

#[test]
fn every_cross_arch_rule() {
    // 2022: both arches recorded the manifest list's digest, embedded in image.
    let x86 = arch_doc(
        "x86_64",
        "36.1",
        r#"{"image": "quay.io/a/b@D", "tags": ["stable"]}"#,
    );
    let arm = arch_doc(
        "aarch64",
        "36.2",
        r#"{"image": "quay.io/a/c@D", "tags": ["next"], "manifest-list-digest": "E"}"#,
    );
    let s390 = "{\n    \"buildid\": \"36.1\",\n    \"kubevirt\": {\"image\": \"quay.io/k/v\"}\n}"
        .to_owned();
    let again = arch_doc(
        "x86_64",
        "36.1",
        r#"{"image": "quay.io/a/b@D", "tags": ["stable"]}"#,
    );
    let report = compare_arches(
        &[
            ArchDocument {
                arch: None,
                input: x86.as_bytes(),
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: None,
                input: arm.as_bytes(),
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: Some("s390x"),
                input: s390.as_bytes(),
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: None,
                input: again.as_bytes(),
                ..ArchDocument::default()
            },
        ],
        &Options::default(),
    );
    assert_eq!(
        arch_rows(&report),
        [
            "x86_64 arch-digest-shared /base-oscontainer/image 4:35",
            "aarch64 arch-build-mismatch /buildid 2:16",
            "aarch64 arch-image-mismatch /base-oscontainer/image 4:35",
            "aarch64 arch-digest-shared /base-oscontainer/image 4:35",
            "aarch64 arch-tags-mismatch /base-oscontainer/tags 4:130",
            "aarch64 arch-manifest-list-mismatch /base-oscontainer/manifest-list-digest 4:164",
            "s390x arch-entry-missing /base-oscontainer 1:1",
            // kubevirt is built on some arches only: a note, not an error.
            "s390x arch-entry-subset /kubevirt 3:17",
            "x86_64 arch-duplicate /coreos-assembler.basearch 3:34",
            "x86_64 arch-digest-shared /base-oscontainer/image 4:35",
        ]
    );
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.diagnostic.message.as_str())
        .collect();
    assert_eq!(
        messages[6],
        "base-oscontainer is missing on s390x, but present on x86_64, aarch64; it is expected on every architecture of a build"
    );
    assert_eq!(
        messages[7],
        "kubevirt is on s390x only (not on x86_64, aarch64); the pipelines build it on some architectures only"
    );
    assert_eq!(
        messages[8],
        "input 1 and input 4 are both for x86_64; a build has exactly one meta.json per architecture"
    );
    let shared = &report.diagnostics[0].diagnostic.message;
    assert_eq!(
        shared,
        "base-oscontainer on x86_64 has the same digest as on aarch64; that is the manifest list's digest, not this architecture's own"
    );
    assert!(!report.valid);
}

#[test]
fn unknown_arch_and_broken_documents_are_reported_per_document() {
    let report = compare_arches(
        &[
            ArchDocument {
                arch: None,
                input: b"{\"buildid\": \"1\"}",
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: Some("ppc64le"),
                input: b"{",
                ..ArchDocument::default()
            },
            ArchDocument {
                arch: Some("s390x"),
                input: b"{\"buildid\": \"1\", \"x\": \"\xff\"}",
                ..ArchDocument::default()
            },
        ],
        &Options::default(),
    );
    let found: Vec<(usize, String)> = report
        .diagnostics
        .iter()
        .map(|d| (d.document, d.diagnostic.code.as_str().to_owned()))
        .collect();
    assert_eq!(
        found,
        [
            (0, "arch-unknown".to_owned()),
            (1, "json-syntax".to_owned()),
            (2, "json-syntax".to_owned())
        ]
    );
    // Bytes that are not UTF-8 are reported at the bad byte.
    assert_eq!(report.diagnostics[2].diagnostic.column, Some(24));
}

#[test]
fn an_empty_build_id_counts_as_none() {
    // Every tag contains "", which would make them all build tags.
    let text = doc(
        r#"{"buildid": "36.1", "kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": ["stable", "36.1"]}}"#,
    );
    let options = Options {
        build_id: Some(""),
        ..Options::default()
    };
    let view = release_view(&text, &options);
    assert_eq!(view.build_id.as_deref(), Some("36.1"));
    assert_eq!(view.entries[0].floating_tag.as_deref(), Some("stable"));
    let bytes = oscontainer::release_view_bytes(b"{\"a\": \"\xc3\"}", &options);
    assert_eq!(bytes.build_id, None);
    assert_eq!(bytes.diagnostics[0].code.as_str(), "json-syntax");
}
