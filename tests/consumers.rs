//! Verdicts a release engineer can trust (issue 11): the release view and the cross-arch
//! checks follow what each consumer really does (`../shared/domain.md`, "Consumer rules,
//! key by key"), on real values: the installer's RHCOS documents and the digests and
//! build ids the domain notes quote.

mod common;

use common::rows;

use oscontainer::arches::arch_from_file_name;
use oscontainer::{
    compare_arches, compare_arches_with, release_view, validate, ArchDocument, ArchReport, Options,
    Presence, PresencePolicy, ReleaseMetadata, State,
};

/// The per-arch digests of FCOS 36.20221014.3.0, as recorded in its meta.json files.
const X86: &str = "sha256:0c6a2a1a9f2a6a4f1d1b5c8fcb1b5bd2b44de2a4d01d9a4dc6a3c1f6e1d2b7a1";
const ARM: &str = "sha256:7b2f3e8d6a5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a";
const S390: &str = "sha256:9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c";
const PPC: &str = "sha256:3a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f";
const REPO: &str = "quay.io/fedora/fedora-coreos";
const BUILD: &str = "36.20221014.3.0";

/// The hint when `oscontainer upgrade` makes the entry give cosa the right pair.
static UPGRADE_HINT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("run `oscontainer upgrade`: cosa then writes \"{REPO}:stable\" and \"{REPO}@{X86}\"")
});

fn options(build_id: Option<&str>) -> Options<'_> {
    Options {
        build_id,
        ..Options::default()
    }
}

/// A normal FCOS meta.json of `arch`: base-oscontainer everywhere, kubevirt where given.
fn fcos(arch: &str, digest: &str, kubevirt: Option<&str>) -> String {
    let kubevirt = kubevirt.map_or_else(String::new, |d| {
        format!(
            ",\n    \"kubevirt\": {{\n        \"image\": \"quay.io/fedora/fedora-coreos-kubevirt\",\n        \"digest\": \"{d}\",\n        \"tags\": [\"stable\", \"{BUILD}\"]\n    }}"
        )
    });
    format!(
        "{{\n    \"buildid\": \"{BUILD}\",\n    \"coreos-assembler.basearch\": \"{arch}\",\n    \"base-oscontainer\": {{\n        \"image\": \"{REPO}\",\n        \"digest\": \"{digest}\",\n        \"tags\": [\"stable\", \"{BUILD}\"],\n        \"manifest-list-digest\": \"sha256:{}\"\n    }}{kubevirt}\n}}\n",
        "e".repeat(64)
    )
}

// ---- 1. release view by consumer -------------------------------------------------

#[test]
fn an_rhcos_4_10_build_has_nothing_for_the_release_metadata_step() {
    let Some(text) = common::corpus_file(
        "meta",
        "openshift-installer__data_data_rhcos-amd64@ab3300096.json",
    ) else {
        return;
    };
    let view = release_view(&text, &Options::default());
    assert_eq!(rows(&view.diagnostics), Vec::<String>::new());
    assert!(view.valid);
    assert_eq!(view.build_id.as_deref(), Some("410.84.202110140201-0"));
    let [entry] = view.entries.as_slice() else {
        panic!("one entry: {:?}", view.entries);
    };
    assert_eq!(entry.key.as_deref(), Some("oscontainer"));
    assert!(!entry.released);
    assert_eq!(entry.image, None);
    assert_eq!(entry.release_metadata, None);
    assert_eq!(entry.readiness.release_metadata.state, State::NotApplicable);
    assert_eq!(
        entry.readiness.release_metadata.reason.as_deref(),
        Some("cosa does not make release metadata from oscontainer (only from base-oscontainer and kubevirt)")
    );
    assert_eq!(entry.readiness.signing.state, State::NotApplicable);
    // ART pulls the split entry by digest: image@digest.
    assert_eq!(entry.readiness.pull_by_digest.state, State::Ready);
}

#[test]
fn every_installer_document_is_green_for_release_and_pullable() {
    let files = common::corpus_files("meta");
    for (name, text) in files
        .iter()
        .filter(|(name, _)| name.starts_with("openshift-installer"))
    {
        let view = release_view(text, &Options::default());
        assert!(view.valid, "{name}: {:?}", view.diagnostics);
        let report = validate(text, &Options::default());
        for entry in &report.entries {
            assert_eq!(
                entry.readiness.pull_by_digest.state,
                State::Ready,
                "{name} {}",
                entry.pointer
            );
        }
    }
}

#[test]
fn a_missing_digest_is_cosas_key_error_and_says_so() {
    let text = r#"{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "tags": ["stable", "40.1"]}}"#;
    let view = release_view(text, &options(Some("40.1")));
    assert!(!view.valid);
    assert_eq!(
        rows(&view.diagnostics),
        ["release-field-missing /base-oscontainer 1:22"]
    );
    let d = &view.diagnostics[0];
    assert_eq!(
        d.message,
        "\"base-oscontainer\": cosa's generate-release-meta raises KeyError: no \"digest\""
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("record \"digest\": the architecture-specific manifest digest that was pushed")
    );
    assert_eq!(view.entries[0].image, None);
    assert_eq!(view.entries[0].after_upgrade, None);
}

#[test]
fn an_embedded_digest_is_a_key_error_that_upgrade_mends() {
    // Built after the manifest-list window: the embedded digest is the arch's own.
    let build = "37.20230110.3.0";
    let text = format!(
        r#"{{"buildid": "{build}", "base-oscontainer": {{"image": "{REPO}@{X86}", "tags": ["stable", "{build}"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["release-field-missing /base-oscontainer 1:52"]
    );
    assert_eq!(
        view.diagnostics[0].hint.as_deref(),
        Some(UPGRADE_HINT.as_str())
    );
    assert_eq!(
        view.entries[0].after_upgrade,
        Some(ReleaseMetadata {
            image: format!("{REPO}:stable"),
            digest_ref: format!("{REPO}@{X86}"),
        })
    );
}

#[test]
fn an_embedded_digest_from_the_manifest_list_window_is_not_mended_by_guessing() {
    // 2022-10-14: the embedded digest is most likely the manifest list's; upgrade leaves it.
    let text = format!(
        r#"{{"buildid": "{BUILD}", "base-oscontainer": {{"image": "{REPO}@{X86}", "tags": ["stable", "{BUILD}"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["release-field-missing /base-oscontainer 1:52"]
    );
    assert_eq!(
        view.diagnostics[0].hint.as_deref(),
        Some("record \"digest\": the architecture-specific manifest digest that was pushed")
    );
    assert_eq!(view.entries[0].after_upgrade, None);
}

#[test]
fn cosa_joins_strings_and_the_view_shows_what_it_would_write() {
    // image with the digest as well as "digest": repo@D:stable and repo@D@D.
    let text = format!(
        r#"{{"buildid": "{BUILD}", "base-oscontainer": {{"image": "{REPO}@{X86}", "digest": "{X86}", "tags": ["stable", "{BUILD}"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert!(!view.valid);
    assert_eq!(
        rows(&view.diagnostics),
        ["release-reference-invalid /base-oscontainer/image 1:62"]
    );
    assert_eq!(
        view.diagnostics[0].message,
        format!("\"base-oscontainer\": image \"{REPO}@{X86}\" already carries a digest, so cosa would write \"{REPO}@{X86}:stable\" and \"{REPO}@{X86}@{X86}\"")
    );
    let entry = &view.entries[0];
    assert_eq!(entry.image, Some(format!("{REPO}@{X86}:stable")));
    assert_eq!(entry.digest_ref, Some(format!("{REPO}@{X86}@{X86}")));
    assert_eq!(entry.release_metadata, None);
    assert_eq!(
        entry.after_upgrade,
        Some(ReleaseMetadata {
            image: format!("{REPO}:stable"),
            digest_ref: format!("{REPO}@{X86}"),
        })
    );

    // A tagged image: repo:stable:stable.
    let text = format!(
        r#"{{"buildid": "{BUILD}", "kubevirt": {{"image": "{REPO}:stable", "digest": "{X86}", "tags": ["stable", "{BUILD}"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["release-reference-invalid /kubevirt/image 1:54"]
    );
    assert_eq!(
        view.diagnostics[0].message,
        format!("\"kubevirt\": image \"{REPO}:stable\" already carries a tag, so cosa would write \"{REPO}:stable:stable\" and \"{REPO}:stable@{X86}\"")
    );
    assert_eq!(
        view.diagnostics[0].hint.as_deref(),
        Some(UPGRADE_HINT.as_str())
    );
}

#[test]
fn a_floating_tag_left_in_the_image_points_to_upgrade() {
    let text = format!(
        r#"{{"buildid": "{BUILD}", "base-oscontainer": {{"image": "{REPO}:stable", "digest": "{X86}", "tags": ["{BUILD}"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert_eq!(
        rows(&view.diagnostics),
        ["floating-tag-missing /base-oscontainer/tags 1:194"]
    );
    assert_eq!(
        view.diagnostics[0].hint.as_deref(),
        Some(UPGRADE_HINT.as_str())
    );
}

#[test]
fn only_released_entries_make_the_view_invalid() {
    // extensions-container and oscontainer in the legacy shapes, base-oscontainer sound.
    let text = format!(
        r#"{{"buildid": "412.86.202212021619-0", "oscontainer": {{"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev@{X86}"}}, "extensions-container": {{"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev:412.86.202212021619-0-extensions"}}, "base-oscontainer": {{"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev", "digest": "{ARM}", "tags": ["4.12", "412.86.202212021619-0"]}}}}"#
    );
    let view = release_view(&text, &Options::default());
    assert_eq!(rows(&view.diagnostics), Vec::<String>::new());
    assert!(view.valid);
    let released: Vec<(Option<&str>, bool)> = view
        .entries
        .iter()
        .map(|e| (e.key.as_deref(), e.released))
        .collect();
    assert_eq!(
        released,
        [
            (Some("oscontainer"), false),
            (Some("extensions-container"), false),
            (Some("base-oscontainer"), true)
        ]
    );
}

#[test]
fn a_document_without_released_entries_needs_no_build_id() {
    let text = format!(r#"{{"oscontainer": {{"image": "{REPO}", "digest": "{X86}"}}}}"#);
    let view = release_view(&text, &Options::default());
    assert_eq!(rows(&view.diagnostics), Vec::<String>::new());
    assert!(view.valid);
}

#[test]
fn the_release_view_reports_duplicate_keys_as_validate_does() {
    let text = format!(
        "{{\n  \"buildid\": \"{BUILD}\",\n  \"base-oscontainer\": {{\"image\": \"{REPO}\", \"digest\": \"{X86}\", \"digest\": \"{ARM}\", \"tags\": [\"stable\", \"{BUILD}\"]}}\n}}"
    );
    let view = release_view(&text, &Options::default());
    let report = validate(&text, &Options::default());
    let duplicates = |d: &[oscontainer::Diagnostic]| -> Vec<String> {
        d.iter()
            .filter(|d| d.code.as_str() == "duplicate-key")
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d.pointer,
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message
                )
            })
            .collect()
    };
    assert_eq!(
        duplicates(&view.diagnostics),
        duplicates(&report.diagnostics)
    );
    assert_eq!(
        rows(&view.diagnostics),
        ["duplicate-key /base-oscontainer/digest 3:150"]
    );
    // cosa, like JSON.parse, reads the last digest.
    assert_eq!(view.entries[0].digest_ref, Some(format!("{REPO}@{ARM}")));
}

// ---- 4. per-arch presence ----------------------------------------------------------

fn compare(docs: &[(&str, &str)]) -> ArchReport {
    let documents: Vec<ArchDocument<'_>> = docs
        .iter()
        .map(|(name, text)| ArchDocument {
            name: Some(name),
            input: text.as_bytes(),
            ..ArchDocument::default()
        })
        .collect();
    compare_arches(&documents, &Options::default())
}

fn arch_rows(report: &ArchReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {} {}",
                d.name.as_deref().unwrap_or("?"),
                d.diagnostic.severity.as_str(),
                d.diagnostic.code.as_str(),
                d.diagnostic.pointer,
                d.diagnostic.message
            )
        })
        .collect()
}

fn fcos_build() -> Vec<(String, String)> {
    vec![
        (
            format!("builds/{BUILD}/x86_64/meta.json"),
            fcos("x86_64", X86, Some(&X86.replace('0', "1"))),
        ),
        (
            format!("builds/{BUILD}/aarch64/meta.json"),
            fcos("aarch64", ARM, Some(&ARM.replace('0', "1"))),
        ),
        (
            format!("builds/{BUILD}/s390x/meta.json"),
            fcos("s390x", S390, None),
        ),
        (
            format!("builds/{BUILD}/ppc64le/meta.json"),
            fcos("ppc64le", PPC, None),
        ),
    ]
}

#[test]
fn a_normal_fcos_build_with_kubevirt_on_two_of_four_arches_passes() {
    let build = fcos_build();
    let docs: Vec<(&str, &str)> = build
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let report = compare(&docs);
    assert!(report.valid);
    assert_eq!(
        arch_rows(&report),
        [format!("builds/{BUILD}/x86_64/meta.json info arch-entry-subset /kubevirt kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only")]
    );
}

#[test]
fn the_presence_option_overrides_the_pipelines_default() {
    let build = fcos_build();
    let documents: Vec<ArchDocument<'_>> = build
        .iter()
        .map(|(name, text)| ArchDocument {
            name: Some(name),
            input: text.as_bytes(),
            ..ArchDocument::default()
        })
        .collect();
    let mut everywhere = PresencePolicy::default();
    everywhere
        .set("kubevirt", Presence::All)
        .expect("entry key");
    let report = compare_arches_with(&documents, &Options::default(), &everywhere);
    assert!(!report.valid);
    assert_eq!(
        arch_rows(&report),
        [
            format!("builds/{BUILD}/s390x/meta.json error arch-entry-missing /kubevirt kubevirt is missing on s390x, but present on x86_64, aarch64; it is expected on every architecture of a build"),
            format!("builds/{BUILD}/ppc64le/meta.json error arch-entry-missing /kubevirt kubevirt is missing on ppc64le, but present on x86_64, aarch64; it is expected on every architecture of a build"),
        ]
    );

    let mut on_s390x = PresencePolicy::default();
    on_s390x
        .set(
            "kubevirt",
            Presence::On(vec!["s390x".to_owned(), "x86_64".to_owned()]),
        )
        .expect("entry key");
    let report = compare_arches_with(&documents, &Options::default(), &on_s390x);
    assert_eq!(
        arch_rows(&report),
        [
            format!("builds/{BUILD}/x86_64/meta.json info arch-entry-subset /kubevirt kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only"),
            format!("builds/{BUILD}/s390x/meta.json error arch-entry-missing /kubevirt kubevirt is missing on s390x, but present on x86_64, aarch64; it is required on s390x"),
        ]
    );

    // Optional extensions: an RHCOS build without them on one arch.
    let mut optional = PresencePolicy::default();
    optional
        .set("base-oscontainer", Presence::Any)
        .expect("entry key");
    let partial = [
        fcos("x86_64", X86, None),
        "{\"buildid\": \"36.20221014.3.0\", \"coreos-assembler.basearch\": \"aarch64\"}".to_owned(),
    ];
    let documents: Vec<ArchDocument<'_>> = partial
        .iter()
        .map(|text| ArchDocument {
            input: text.as_bytes(),
            ..ArchDocument::default()
        })
        .collect();
    assert!(compare_arches_with(&documents, &Options::default(), &optional).valid);
    assert!(!compare_arches(&documents, &Options::default()).valid);
}

#[test]
fn the_presence_policy_names_unknown_keys() {
    let mut policy = PresencePolicy::default();
    assert_eq!(
        policy.set("kubvirt", Presence::All),
        Err("\"kubvirt\" is not an entry key (expected one of oscontainer, base-oscontainer, extensions-container, kubevirt); did you mean \"kubevirt\"?".to_owned())
    );
    let value = serde_json::json!({"kubevirt": "some"});
    assert_eq!(
        PresencePolicy::from_json(&value),
        Err(
            "presence.kubevirt must be \"all\", \"any\" or a list of architectures, not \"some\""
                .to_owned()
        )
    );
    let value = serde_json::json!({"kubevirt": ["x86_64"], "extensions-container": "any"});
    let policy = PresencePolicy::from_json(&value).expect("valid");
    assert_eq!(
        policy.rule("kubevirt"),
        &Presence::On(vec!["x86_64".to_owned()])
    );
    assert_eq!(policy.rule("extensions-container"), &Presence::Any);
    assert_eq!(policy.rule("oscontainer"), &Presence::All);
}

#[test]
fn the_2022_one_arch_base_oscontainer_is_still_an_error() {
    let x86 = fcos("x86_64", X86, None);
    let arm = format!("{{\"buildid\": \"{BUILD}\", \"coreos-assembler.basearch\": \"aarch64\"}}");
    let report = compare(&[("x86_64.json", &x86), ("aarch64.json", &arm)]);
    assert!(!report.valid);
    assert_eq!(
        arch_rows(&report),
        ["aarch64.json error arch-entry-missing /base-oscontainer base-oscontainer is missing on aarch64, but present on x86_64; it is expected on every architecture of a build"]
    );
}

// ---- 5. files, not document numbers --------------------------------------------------

#[test]
fn the_architecture_comes_from_the_document_then_the_caller_then_the_file_name() {
    assert_eq!(
        arch_from_file_name("builds/36.1/aarch64/meta.json"),
        Some("aarch64")
    );
    assert_eq!(
        arch_from_file_name("data/data/rhcos-amd64.json"),
        Some("x86_64")
    );
    assert_eq!(arch_from_file_name("rhcos-ppc64le.json"), Some("ppc64le"));
    assert_eq!(arch_from_file_name("rhcos-s390x.json"), Some("s390x"));
    assert_eq!(
        arch_from_file_name(r"C:\builds\36.1\s390x\meta.json"),
        Some("s390x")
    );
    assert_eq!(
        arch_from_file_name("openshift-installer__data_data_rhcos-arm64@ab3300096.json"),
        Some("aarch64")
    );
    assert_eq!(arch_from_file_name("rhcos.json"), None);
    assert_eq!(arch_from_file_name("meta.json"), None);
    // Two different architectures named: none is taken.
    assert_eq!(arch_from_file_name("x86_64-to-aarch64.json"), None);
    // Not a whole word.
    assert_eq!(arch_from_file_name("notamd64x.json"), None);

    let recorded = fcos("x86_64", X86, None);
    let bare = format!("{{\"buildid\": \"{BUILD}\"}}");
    let documents = [
        // The document's own record wins over the caller's and the name's.
        ArchDocument {
            arch: Some("aarch64"),
            name: Some("rhcos-s390x.json"),
            input: recorded.as_bytes(),
        },
        // Then the caller's.
        ArchDocument {
            arch: Some("ppc64le"),
            name: Some("rhcos-s390x.json"),
            input: bare.as_bytes(),
        },
        // Then the file name.
        ArchDocument {
            arch: None,
            name: Some("builds/36.20221014.3.0/s390x/meta.json"),
            input: bare.as_bytes(),
        },
    ];
    let report = compare_arches(&documents, &Options::default());
    assert_eq!(
        report.arches,
        [
            Some("x86_64".to_owned()),
            Some("ppc64le".to_owned()),
            Some("s390x".to_owned())
        ]
    );
}

#[test]
fn messages_name_files_and_never_repeat_an_unknown_architecture() {
    let bare = format!(
        "{{\"buildid\": \"{BUILD}\", \"base-oscontainer\": {{\"image\": \"{REPO}\", \"digest\": \"{X86}\", \"tags\": [\"stable\", \"{BUILD}\"]}}}}"
    );
    let other = format!("{{\"buildid\": \"{BUILD}\"}}");
    let report = compare(&[
        ("a/meta.json", &bare),
        ("b/meta.json", &bare),
        ("c/meta.json", &other),
    ]);
    assert_eq!(
        arch_rows(&report),
        [
            "a/meta.json error arch-unknown  no architecture is known for a/meta.json: it records no \"coreos-assembler.basearch\", none was given, and its name does not say",
            "b/meta.json error arch-unknown  no architecture is known for b/meta.json: it records no \"coreos-assembler.basearch\", none was given, and its name does not say",
            "c/meta.json error arch-unknown  no architecture is known for c/meta.json: it records no \"coreos-assembler.basearch\", none was given, and its name does not say",
            "c/meta.json error arch-entry-missing /base-oscontainer base-oscontainer is missing on c/meta.json, but present on a/meta.json, b/meta.json; it is expected on every architecture of a build",
        ]
    );
    for d in &report.diagnostics {
        assert!(
            !d.diagnostic.message.contains("document"),
            "{}",
            d.diagnostic.message
        );
        assert!(
            !d.diagnostic.message.contains("unknown architecture"),
            "{}",
            d.diagnostic.message
        );
    }
}

#[test]
fn the_installer_documents_take_their_arch_from_the_file_name() {
    let files = common::corpus_files("meta");
    let installer: Vec<&(String, String)> = files
        .iter()
        .filter(|(name, _)| name.starts_with("openshift-installer__data_data_rhcos-amd64"))
        .collect();
    if files.is_empty() {
        return;
    }
    assert_eq!(installer.len(), 2);
    for (name, text) in installer {
        let report = compare_arches(
            &[ArchDocument {
                name: Some(name),
                input: text.as_bytes(),
                ..ArchDocument::default()
            }],
            &Options::default(),
        );
        assert_eq!(report.arches, [Some("x86_64".to_owned())], "{name}");
        assert!(report.valid, "{name}: {:?}", report.diagnostics);
    }
}
