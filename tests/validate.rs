//! What validate says about the entries beside its findings (shape, digest, pull spec),
//! the profiles' relation, bytes that are not UTF-8, and user schemas. The findings of every
//! code, located, are the cases of tests/cases/diagnostics.json (tests/cases.rs).

use oscontainer::{validate, validate_bytes, Options, Profile, Report, Shape, UserSchema};

mod common;
use common::rows;

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const HEX2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// `{text}` with `D` replaced by a valid digest and `E` by another one.
fn doc(text: &str) -> String {
    text.replace('D', &format!("sha256:{HEX}"))
        .replace('E', &format!("sha256:{HEX2}"))
}

fn check(profile: Profile, text: &str) -> Report {
    validate(
        text,
        &Options {
            profile,
            schema: None,
            ..Default::default()
        },
    )
}

/// Each finding as `code severity pointer line:column`.
fn severities(profile: Profile, text: &str) -> Vec<String> {
    check(profile, &doc(text))
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.severity.as_str(),
                rows(std::slice::from_ref(d))[0]
            )
        })
        .collect()
}

#[test]
fn the_agreed_forms_are_clean() {
    let split = doc(
        r#"{"oscontainer": {"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev", "digest": "D"}}"#,
    );
    let report = check(Profile::Canonical, &split);
    assert!(report.valid);
    assert!(report.diagnostics.is_empty());
    assert_eq!(report.entries[0].shape, Shape::Split);

    let tagged = doc(
        r#"{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "D", "tags": ["stable", "36.20221014.3.0"], "manifest-list-digest": "E", "comment": "pushed by cosa", "additional-images": [{"image": "registry.example.com/fcos", "digest": "D", "tags": ["stable"], "manifest-list-digest": "E"}]}}"#,
    );
    let report = check(Profile::Canonical, &tagged);
    assert_eq!(rows(&report.diagnostics), Vec::<String>::new());
    let shapes: Vec<(&str, Shape)> = report
        .entries
        .iter()
        .map(|e| (e.pointer.as_str(), e.shape))
        .collect();
    assert_eq!(
        shapes,
        [
            ("/base-oscontainer", Shape::Tagged),
            ("/base-oscontainer/additional-images/0", Shape::Tagged)
        ]
    );
    assert_eq!(
        report.entries[1].pull_spec.as_deref(),
        Some(format!("registry.example.com/fcos@sha256:{HEX}").as_str())
    );
}

#[test]
fn embedded_digest() {
    let text = doc("{\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/fedora/fedora-coreos@D\"\n    }\n}");
    let report = check(Profile::Canonical, &text);
    assert!(!report.valid);
    assert!(check(Profile::Compat, &text).valid);
    let entry = &report.entries[0];
    assert_eq!(entry.shape, Shape::Embedded);
    assert_eq!(
        entry.digest.as_deref(),
        Some(format!("sha256:{HEX}").as_str())
    );
    assert_eq!(
        entry.pull_spec.as_deref(),
        Some(format!("quay.io/fedora/fedora-coreos@sha256:{HEX}").as_str())
    );
}

#[test]
fn image_only_and_tagged_image() {
    let text = r#"{"kubevirt": {"image": "quay.io/openshift/kubevirt:4.13"}}"#;
    let report = check(Profile::Canonical, text);
    assert_eq!(report.entries[0].shape, Shape::ImageOnly);
    assert_eq!(report.entries[0].pull_spec, None);
}

#[test]
fn an_entry_that_is_not_an_object_has_the_invalid_shape() {
    let report = check(Profile::Canonical, r#"{"kubevirt": null}"#);
    assert_eq!(report.entries[0].shape, Shape::Invalid);
}

#[test]
fn additional_images_are_entries() {
    let text = r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "additional-images": ["quay.io/z", {"image": "quay.io/z@D", "comment": "x"}]}}"#;
    let report = check(Profile::Canonical, &doc(text));
    let shapes: Vec<Shape> = report.entries.iter().map(|e| e.shape).collect();
    assert_eq!(shapes, [Shape::Split, Shape::Invalid, Shape::Embedded]);
}

#[test]
fn invalid_utf8_is_json_syntax_at_the_byte() {
    let report = validate_bytes(b"{\"a\": \"\xff\"}", &Options::default());
    assert_eq!(rows(&report.diagnostics), ["json-syntax \"\" 1:8"]);
    assert_eq!(
        report.diagnostics[0].message,
        "byte 0xFF is not valid UTF-8; JSON text must be UTF-8"
    );
}

#[test]
fn a_bare_entry_is_the_entry_at_the_root() {
    let bare = doc("{\"image\": \"quay.io/x/y@D\"}");
    let report = check(Profile::Canonical, &bare);
    assert_eq!(report.entries[0].pointer, "");
    assert_eq!(report.entries[0].key, None);
}

#[test]
fn compat_relaxes_exactly_the_legacy_shapes() {
    let inputs = [
        r#"{"kubevirt": {"image": "quay.io/openshift/kubevirt:4.13"}}"#,
        r#"{"base-oscontainer": {"image": "quay.io/x/y@D", "tags": "s", "digets": 1}}"#,
        r#"{"oscontainer": {"image": "quay.io/x/y@D", "digest": "E", "manifest-list-digest": "x"}}"#,
        r#"{"image": "fedora:36", "additional-images": [1]}"#,
    ];
    let relaxed = ["image-embedded-digest", "image-has-tag", "digest-missing"];
    for input in inputs {
        let strict = severities(Profile::Canonical, input);
        let expected: Vec<String> = strict
            .iter()
            .map(|row| {
                if relaxed
                    .iter()
                    .any(|code| row.starts_with(&format!("error {code} ")))
                {
                    row.replacen("error ", "warning ", 1)
                } else {
                    row.clone()
                }
            })
            .collect();
        assert_eq!(severities(Profile::Compat, input), expected, "{input}");
        assert!(
            strict.iter().any(|r| relaxed
                .iter()
                .any(|c| r.starts_with(&format!("error {c} ")))),
            "{input}"
        );
    }
}

#[test]
fn shape_describes_the_entry_as_written() {
    // Reported from the page: an image tag made the entry look like the agreed form.
    let report = check(
        Profile::Canonical,
        &doc(r#"{"oscontainer": {"image": "quay.io/x/y:4.9", "digest": "D"}}"#),
    );
    assert_eq!(report.entries[0].shape, Shape::Split);
    assert_eq!(report.entries[0].tags, None);
}

#[test]
fn schema_compile_errors_say_where() {
    let error =
        UserSchema::compile(r#"{"properties": {"a": {"type": "strng"}}}"#).expect_err("invalid");
    assert!(
        error
            .message
            .starts_with("the schema cannot be compiled: at /properties/a/type, "),
        "{}",
        error.message
    );
}

#[test]
fn registered_schemas_are_named_by_number() {
    let text = r#"{"required": ["buildid"]}"#;
    let first = UserSchema::register(text).expect("compiles");
    let again = UserSchema::register(text).expect("compiles");
    assert_ne!(first, again);
    let a = UserSchema::registered(first).expect("still registered");
    let b = UserSchema::registered(again).expect("still registered");
    // Both numbers name the one compiled copy.
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    assert!(UserSchema::register("{").is_err());
}

// ---- real inputs (issue 11, point 8) ---------------------------------------------------

/// The ART repository and a digest of the installer's RHCOS 410.84.202110140201-0 copy.
const ART_REPO: &str = "quay.io/openshift-release-dev/ocp-v4.0-art-dev";
const RHCOS_DIGEST: &str =
    "sha256:4abee5a8633a29d88af392fa6a509845ba4f71688e7074efb148d4372738046f";

#[test]
fn an_artifact_pasted_as_an_entry_is_an_invalid_entry() {
    let text = "{\n    \"buildid\": \"413.86.202212021619-0\",\n    \"extensions-container\": {\n        \"path\": \"rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\",\n        \"sha256\": \"6942598ce94ef7e27a88a4c6ea5d5129600c64088203a04b2a732c5162c7df8d\",\n        \"size\": 311401984,\n        \"skip-compression\": true\n    }\n}\n";
    for profile in [Profile::Canonical, Profile::Compat] {
        let report = check(profile, text);
        assert_eq!(report.entries.len(), 1);
        assert_eq!(report.entries[0].shape, Shape::Invalid);
    }
}

#[test]
fn an_embedded_digest_with_upper_case_hex_is_read_lower_cased() {
    let upper = RHCOS_DIGEST.to_uppercase().replacen("SHA256", "sha256", 1);
    let text = format!(r#"{{"oscontainer": {{"image": "{ART_REPO}@{upper}"}}}}"#);
    let report = check(Profile::Canonical, &text);
    let entry = &report.entries[0];
    assert_eq!(entry.shape, Shape::Embedded);
    assert_eq!(entry.digest.as_deref(), Some(upper.as_str()));
    assert_eq!(entry.repository.as_deref(), Some(ART_REPO));
    assert_eq!(
        entry.pull_spec.as_deref(),
        Some(format!("{ART_REPO}@{RHCOS_DIGEST}").as_str())
    );
}
