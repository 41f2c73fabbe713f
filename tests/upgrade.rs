//! Upgrade: exact output text, format preservation, idempotence.

mod common;

use oscontainer::{upgrade, validate, Options, Profile, Upgrade};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const HEX2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

fn doc(text: &str) -> String {
    text.replace('D', &format!("sha256:{HEX}"))
        .replace('E', &format!("sha256:{HEX2}"))
}

/// Upgrades and checks the invariants every upgrade must keep.
fn up(text: &str) -> Upgrade {
    let result = upgrade(text, &Options::default());
    let again = upgrade(&result.output, &Options::default());
    assert_eq!(again.output, result.output, "upgrade is not idempotent");
    assert!(!again.changed);
    assert!(
        result.diagnostics.iter().all(|d| !d.fixable),
        "fixable findings remain: {:?}",
        result.diagnostics
    );
    result
}

#[test]
fn embedded_corpus_document_upgrades_back_to_its_split_original() {
    let Some(original) =
        common::corpus_file("meta", "coreos-coreos-assembler__fixtures_rhcos.json")
    else {
        return;
    };
    let split = "        \"digest\": \"sha256:f8d18011913e87ae59d3781f3d07819267d43401ab444fb3b5794a5eb392b915\",\n        \"image\": \"registry.svc.ci.openshift.org/rhcos-devel/machine-os-content\"\n";
    let embedded = "        \"image\": \"registry.svc.ci.openshift.org/rhcos-devel/machine-os-content@sha256:f8d18011913e87ae59d3781f3d07819267d43401ab444fb3b5794a5eb392b915\"\n";
    assert!(original.contains(split));
    let input = original.replace(split, embedded);
    let result = up(&input);
    assert!(result.changed);
    assert_eq!(result.output, original);
    assert!(result.valid);
}

#[test]
fn new_members_follow_image_in_an_unsorted_object() {
    // A build from after cosa's manifest-list window: its embedded digest is the arch's.
    let input = doc("{\n    \"buildid\": \"37.20221106.3.0\",\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/fedora/fedora-coreos:stable@D\",\n        \"comment\": \"c\"\n    },\n    \"z\": 1.0\n}\n");
    let expected = doc("{\n    \"buildid\": \"37.20221106.3.0\",\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/fedora/fedora-coreos\",\n        \"digest\": \"D\",\n        \"tags\": [\n            \"stable\"\n        ],\n        \"comment\": \"c\"\n    },\n    \"z\": 1.0\n}\n");
    let result = up(&input);
    assert_eq!(result.output, expected);
    let changes: Vec<(&str, &str, &str)> = result
        .changes
        .iter()
        .map(|c| (c.pointer.as_str(), c.code.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "/base-oscontainer/image",
                "image-has-tag",
                "moved the tag \"stable\" from image into tags"
            ),
            (
                "/base-oscontainer/image",
                "image-embedded-digest",
                &*format!("moved the digest \"sha256:{HEX}\" from image into digest")
            ),
        ]
    );
}

#[test]
fn new_members_take_their_sorted_place_in_a_sorted_object() {
    let input = doc(
        r#"{"base-oscontainer": {"comment": "c", "image": "quay.io/x/y@D", "manifest-list-digest": "E"}}"#,
    );
    assert_eq!(
        up(&input).output,
        doc(
            r#"{"base-oscontainer": {"comment": "c", "digest": "D", "image": "quay.io/x/y", "manifest-list-digest": "E"}}"#
        )
    );
    let input = doc(r#"{"kubevirt": {"digest": "D", "image": "quay.io/x/y:stable"}}"#);
    assert_eq!(
        up(&input).output,
        doc(r#"{"kubevirt": {"digest": "D", "image": "quay.io/x/y", "tags": ["stable"]}}"#)
    );
}

#[test]
fn a_lone_image_follows_the_documents_key_order() {
    // Top-level keys sorted: the entry was written with sort_keys, digest goes first.
    let sorted = doc(
        "{\n    \"a\": 1,\n    \"kubevirt\": {\n        \"image\": \"quay.io/x/y@D\"\n    }\n}",
    );
    assert_eq!(
        up(&sorted).output,
        doc("{\n    \"a\": 1,\n    \"kubevirt\": {\n        \"digest\": \"D\",\n        \"image\": \"quay.io/x/y\"\n    }\n}")
    );
    let unsorted = doc(
        "{\n    \"z\": 1,\n    \"kubevirt\": {\n        \"image\": \"quay.io/x/y@D\"\n    }\n}",
    );
    assert_eq!(
        up(&unsorted).output,
        doc("{\n    \"z\": 1,\n    \"kubevirt\": {\n        \"image\": \"quay.io/x/y\",\n        \"digest\": \"D\"\n    }\n}")
    );
}

#[test]
fn compact_json_stays_compact() {
    let input = doc(r#"{"z":1,"base-oscontainer":{"image":"quay.io/x/y:v1@D"},"a":[1,2]}"#);
    assert_eq!(
        up(&input).output,
        doc(
            r#"{"z":1,"base-oscontainer":{"image":"quay.io/x/y","digest":"D","tags":["v1"]},"a":[1,2]}"#
        )
    );
}

#[test]
fn bytes_outside_the_entry_are_untouched() {
    let head = "{\r\n\t\"name\": \"caf\\u00e9 \\ud83d\\ude00 \\/\",\r\n\t\"big\": 123456789012345678901234567890,\r\n\t\"f\": 1.0,\r\n\t\"e\": 1E+2,\r\n\t\"kubevirt\": {\r\n\t\t\"image\": ";
    let tail = "\r\n\t},\r\n\t\"after\": [1.50, -0.0, null]\r\n}";
    let digest = format!("sha256:{HEX}");
    let input = format!("{head}\"quay.io/a/b@{digest}\"{tail}");
    let result = up(&input);
    let expected = format!("{head}\"quay.io/a/b\",\r\n\t\t\"digest\": \"{digest}\"{tail}");
    assert_eq!(result.output, expected);
}

#[test]
fn existing_tag_arrays_keep_their_layout() {
    let multi = doc("{\n  \"kubevirt\": {\n    \"image\": \"quay.io/a/b:new\",\n    \"digest\": \"D\",\n    \"tags\": [\n      \"old\",\n      \"old\"\n    ]\n  }\n}");
    assert_eq!(
        up(&multi).output,
        doc("{\n  \"kubevirt\": {\n    \"image\": \"quay.io/a/b\",\n    \"digest\": \"D\",\n    \"tags\": [\n      \"old\",\n      \"new\"\n    ]\n  }\n}")
    );
    let inline =
        doc(r#"{"kubevirt": {"image": "quay.io/a/b:new", "digest": "D", "tags": [ "x",  "y" ]}}"#);
    assert_eq!(
        up(&inline).output,
        doc(
            r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": [ "x",  "y",  "new" ]}}"#
        )
    );
    // The image's tag already listed: only the image changes.
    let listed = doc(r#"{"kubevirt": {"image": "quay.io/a/b:x", "digest": "D", "tags": ["x"]}}"#);
    assert_eq!(
        up(&listed).output,
        doc(r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": ["x"]}}"#)
    );
    let string = doc(r#"{"kubevirt": {"image": "quay.io/a/b:new", "digest": "D", "tags": "old"}}"#);
    assert_eq!(
        up(&string).output,
        doc(r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": ["old", "new"]}}"#)
    );
}

#[test]
fn digests_are_repaired() {
    let upper = format!(
        r#"{{"oscontainer": {{"image": "quay.io/a/b", "digest": "sha256:{}"}}}}"#,
        HEX.to_uppercase()
    );
    assert_eq!(
        up(&upper).output,
        doc(r#"{"oscontainer": {"image": "quay.io/a/b", "digest": "D"}}"#)
    );
    let bare = format!(r#"{{"oscontainer": {{"image": "quay.io/a/b", "digest": "{HEX}"}}}}"#);
    assert_eq!(
        up(&bare).output,
        doc(r#"{"oscontainer": {"image": "quay.io/a/b", "digest": "D"}}"#)
    );
    // A repaired digest that equals the embedded one lets the image be split too.
    let both = format!(
        r#"{{"oscontainer": {{"image": "quay.io/a/b@sha256:{HEX}", "digest": "{}"}}}}"#,
        HEX.to_uppercase()
    );
    assert_eq!(
        up(&both).output,
        doc(r#"{"oscontainer": {"image": "quay.io/a/b", "digest": "D"}}"#)
    );
}

#[test]
fn additional_images_are_upgraded_too() {
    let input = doc("{\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/a/b\",\n        \"digest\": \"D\",\n        \"additional-images\": [\n            {\n                \"image\": \"quay.io/c/d:v2@E\"\n            }\n        ]\n    }\n}");
    let result = up(&input);
    assert_eq!(
        result.output,
        doc("{\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/a/b\",\n        \"digest\": \"D\",\n        \"additional-images\": [\n            {\n                \"image\": \"quay.io/c/d\",\n                \"digest\": \"E\",\n                \"tags\": [\n                    \"v2\"\n                ]\n            }\n        ]\n    }\n}")
    );
    assert!(result.valid);
}

#[test]
fn fragments_and_bare_entries_upgrade_in_place() {
    let fragment = doc("\"base-oscontainer\": {\"image\": \"quay.io/a/b@D\"},\n");
    assert_eq!(
        up(&fragment).output,
        doc("\"base-oscontainer\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"},\n")
    );
    let bare = doc("{\"image\": \"quay.io/a/b@D\"}");
    assert_eq!(
        up(&bare).output,
        doc("{\"image\": \"quay.io/a/b\", \"digest\": \"D\"}")
    );
}

#[test]
fn it_never_guesses() {
    for input in [
        // conflict between embedded and separate digest
        doc(r#"{"oscontainer": {"image": "quay.io/a/b@D", "digest": "E"}}"#),
        // no digest anywhere
        doc(r#"{"oscontainer": {"image": "quay.io/a/b"}}"#),
        // invalid reference
        doc(r#"{"oscontainer": {"image": "quay.io/A/b@D"}}"#),
        // duplicate keys: which one counts is the consumer's choice
        doc(r#"{"oscontainer": {"image": "quay.io/a/b@D", "image": "quay.io/a/b@D"}}"#),
        // unfixable digest
        doc(r#"{"oscontainer": {"image": "quay.io/a/b@D", "digest": "md5:abc"}}"#),
        // not JSON
        "{\"oscontainer\": ".to_owned(),
    ] {
        let result = up(&input);
        assert!(!result.changed, "{input}");
        assert_eq!(result.output, input);
        assert!(result.changes.is_empty());
        assert!(!result.valid);
    }
}

#[test]
fn diagnostics_describe_the_output() {
    let input = doc(r#"{"kubevirt": {"image": "quay.io/a/b:v1@D", "tags": [1]}}"#);
    let result = upgrade(&input, &Options::default());
    // The item that is not a string stays as written (it is reported, not dropped).
    assert_eq!(
        result.output,
        doc(r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D", "tags": [1, "v1"]}}"#)
    );
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["tag-invalid"]);
    let report = validate(&result.output, &Options::default());
    assert_eq!(report.diagnostics, result.diagnostics);
}

#[test]
fn compat_profile_upgrades_the_same_way() {
    let input = doc(r#"{"kubevirt": {"image": "quay.io/a/b@D"}}"#);
    let result = upgrade(
        &input,
        &Options {
            profile: Profile::Compat,
            schema: None,
            ..Default::default()
        },
    );
    assert_eq!(
        result.output,
        doc(r#"{"kubevirt": {"image": "quay.io/a/b", "digest": "D"}}"#)
    );
}

#[test]
fn value_fixes_apply_even_without_an_image() {
    // Found by the mutation test: a fix marked fixable must be applied although the
    // entry has no `image` to anchor new members.
    let input = doc(r#"{"kubevirt": {"imgae": "quay.io/a/b", "digest": "D", "tags": ["x", "x"]}}"#);
    let result = up(&input);
    assert_eq!(
        result.output,
        doc(r#"{"kubevirt": {"imgae": "quay.io/a/b", "digest": "D", "tags": ["x"]}}"#)
    );
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["image-missing", "unknown-field"]);
}

// ---- real inputs (issue 11, point 8 and the manifest-list window) ---------------------

/// The FCOS 33.20201201.3.0 digest of stream-metadata-go's release fixture.
const FCOS_DIGEST: &str = "sha256:460576931cf4ce59afe432ea266234f9d34fa77f8ca3087282084bc3a7324632";

fn changes(result: &Upgrade) -> Vec<(&str, &str, &str)> {
    result
        .changes
        .iter()
        .map(|c| (c.pointer.as_str(), c.code.as_str(), c.message.as_str()))
        .collect()
}

#[test]
fn an_upper_case_embedded_digest_moves_lower_cased() {
    // cosa's RHCOS fixture, its split entry written as an embedded one in upper case.
    let Some(original) =
        common::corpus_file("meta", "coreos-coreos-assembler__fixtures_rhcos.json")
    else {
        return;
    };
    let hex = "f8d18011913e87ae59d3781f3d07819267d43401ab444fb3b5794a5eb392b915";
    let split = format!("        \"digest\": \"sha256:{hex}\",\n        \"image\": \"registry.svc.ci.openshift.org/rhcos-devel/machine-os-content\"\n");
    let embedded = format!(
        "        \"image\": \"registry.svc.ci.openshift.org/rhcos-devel/machine-os-content@sha256:{}\"\n",
        hex.to_uppercase()
    );
    assert!(original.contains(&split));
    let result = up(&original.replace(&split, &embedded));
    assert_eq!(result.output, original);
    assert!(result.valid);
    assert_eq!(
        changes(&result),
        [
            (
                "/oscontainer/image",
                "digest-invalid",
                &*format!("rewrote the digest embedded in image as \"sha256:{hex}\"")
            ),
            (
                "/oscontainer/image",
                "image-embedded-digest",
                &*format!("moved the digest \"sha256:{hex}\" from image into digest")
            ),
        ]
    );
}

#[test]
fn an_upper_case_embedded_digest_that_cannot_move_is_lower_cased_in_place() {
    let upper = FCOS_DIGEST.replace(&FCOS_DIGEST[7..], &FCOS_DIGEST[7..].to_uppercase());
    // It disagrees with `digest`: which one was pushed is not ours to guess.
    let other = format!("sha256:{HEX}");
    let input = format!(
        r#"{{"base-oscontainer": {{"image": "quay.io/fedora/fedora-coreos@{upper}", "digest": "{other}"}}}}"#
    );
    let result = up(&input);
    assert_eq!(
        result.output,
        format!(
            r#"{{"base-oscontainer": {{"image": "quay.io/fedora/fedora-coreos@{FCOS_DIGEST}", "digest": "{other}"}}}}"#
        )
    );
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["image-embedded-digest", "digest-conflict"]);
    // Duplicate keys: nothing is edited.
    let input = format!(
        r#"{{"base-oscontainer": {{"image": "quay.io/fedora/fedora-coreos@{upper}", "image": "quay.io/fedora/fedora-coreos@{upper}"}}}}"#
    );
    let result = up(&input);
    assert!(!result.changed);
}

#[test]
fn a_digest_from_the_manifest_list_window_is_not_moved() {
    let fcos = |build_id: &str, digest: &str| {
        format!("{{\n    \"buildid\": \"{build_id}\",\n    \"base-oscontainer\": {{\n        \"image\": \"quay.io/fedora/fedora-coreos@{digest}\"\n    }}\n}}\n")
    };
    for build_id in [
        "36.20220913.3.0",
        "36.20220918.3.0",
        "36.20221021.3.0",
        "412.86.202209180000-0",
    ] {
        let input = fcos(build_id, FCOS_DIGEST);
        let result = up(&input);
        assert!(!result.changed, "{build_id}");
        assert_eq!(result.output, input);
        let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["image-embedded-digest", "digest-maybe-manifest-list"]
        );
    }
    // The days around the window upgrade as before.
    for build_id in ["36.20220912.3.0", "36.20221022.3.0"] {
        let result = up(&fcos(build_id, FCOS_DIGEST));
        assert_eq!(
            result.output,
            format!("{{\n    \"buildid\": \"{build_id}\",\n    \"base-oscontainer\": {{\n        \"image\": \"quay.io/fedora/fedora-coreos\",\n        \"digest\": \"{FCOS_DIGEST}\"\n    }}\n}}\n")
        );
    }
    // options.buildId decides when given.
    let input = fcos("36.20221024.3.0", FCOS_DIGEST);
    let options = Options {
        build_id: Some("36.20220918.3.0"),
        ..Options::default()
    };
    let result = upgrade(&input, &options);
    assert!(!result.changed);
    // Upper case inside the window: lower-cased where it is, not moved.
    let upper = FCOS_DIGEST.replace(&FCOS_DIGEST[7..], &FCOS_DIGEST[7..].to_uppercase());
    let result = up(&fcos("36.20220918.3.0", &upper));
    assert_eq!(result.output, fcos("36.20220918.3.0", FCOS_DIGEST));
    assert_eq!(
        changes(&result),
        [(
            "/base-oscontainer/image",
            "digest-invalid",
            &*format!("rewrote the digest embedded in image as \"{FCOS_DIGEST}\"")
        )]
    );
}

#[test]
fn transports_and_artifacts_are_not_guessed_at() {
    for input in [
        doc(r#"{"oscontainer": {"image": "docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev", "digest": "D"}}"#),
        doc(r#"{"kubevirt": {"image": "containers-storage:quay.io/a/b@D"}}"#),
        // `oci-archive:x` reads as the name "oci-archive" with a tag; not moved into tags.
        doc(r#"{"extensions-container": {"image": "oci-archive:rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive", "digest": "D"}}"#),
        r#"{"extensions-container": {"path": "rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive", "sha256": "6942598ce94ef7e27a88a4c6ea5d5129600c64088203a04b2a732c5162c7df8d", "size": 311401984}}"#.to_owned(),
    ] {
        let result = up(&input);
        assert!(!result.changed, "{input}");
        assert!(!result.valid, "{input}");
    }
}
