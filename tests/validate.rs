//! Table-driven checks of every diagnostic code: exact code, severity, pointer, line,
//! column and fixability, under both profiles and for the three input forms.

use oscontainer::{validate, validate_bytes, Options, Profile, Report, Shape, UserSchema};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const HEX2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// `{text}` with `D` replaced by a valid digest and `E` by another one.
fn doc(text: &str) -> String {
    text.replace('D', &format!("sha256:{HEX}"))
        .replace('E', &format!("sha256:{HEX2}"))
}

/// One diagnostic as `code severity pointer line:column [fixable]`.
fn row(d: &oscontainer::Diagnostic) -> String {
    format!(
        "{} {} {} {}:{}{}",
        d.code.as_str(),
        d.severity.as_str(),
        if d.pointer.is_empty() {
            "\"\""
        } else {
            &d.pointer
        },
        d.line.unwrap_or(0),
        d.column.unwrap_or(0),
        if d.fixable { " fixable" } else { "" }
    )
}

fn rows(report: &Report) -> Vec<String> {
    report.diagnostics.iter().map(row).collect()
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

fn canonical(text: &str) -> Vec<String> {
    rows(&check(Profile::Canonical, &doc(text)))
}

fn compat(text: &str) -> Vec<String> {
    rows(&check(Profile::Compat, &doc(text)))
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
    assert_eq!(rows(&report), Vec::<String>::new());
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
    let text = "{\n    \"base-oscontainer\": {\n        \"image\": \"quay.io/fedora/fedora-coreos@D\"\n    }\n}";
    assert_eq!(
        canonical(text),
        ["image-embedded-digest error /base-oscontainer/image 3:18 fixable"]
    );
    assert_eq!(
        compat(text),
        ["image-embedded-digest warning /base-oscontainer/image 3:18 fixable"]
    );
    let report = check(Profile::Canonical, &doc(text));
    assert!(!report.valid);
    assert!(check(Profile::Compat, &doc(text)).valid);
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
    assert_eq!(
        canonical(text),
        [
            "digest-missing error /kubevirt 1:14",
            "image-has-tag error /kubevirt/image 1:24 fixable"
        ]
    );
    assert_eq!(
        compat(text),
        [
            "digest-missing warning /kubevirt 1:14",
            "image-has-tag warning /kubevirt/image 1:24 fixable"
        ]
    );
    let report = check(Profile::Canonical, text);
    assert_eq!(report.entries[0].shape, Shape::ImageOnly);
    assert_eq!(report.entries[0].pull_spec, None);
}

#[test]
fn structural_problems() {
    assert_eq!(
        canonical(r#"{"kubevirt": "quay.io/x/y@D"}"#),
        ["entry-not-object error /kubevirt 1:14"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"digest": "D"}}"#),
        ["image-missing error /oscontainer 1:17"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": 5, "digest": "D"}}"#),
        ["image-not-string error /oscontainer/image 1:27"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "quay.io/x/y", "digest": "D", "comment": ["a"]}}"#),
        ["comment-not-string error /oscontainer/comment 1:138"]
    );
    let report = check(Profile::Canonical, r#"{"kubevirt": null}"#);
    assert_eq!(report.entries[0].shape, Shape::Invalid);
}

#[test]
fn unknown_fields_suggest_the_intended_one() {
    let report = check(
        Profile::Canonical,
        &doc(r#"{"oscontainer": {"image": "quay.io/x/y", "digets": "D", "arch": "x86_64"}}"#),
    );
    assert_eq!(
        rows(&report),
        [
            "digest-missing error /oscontainer 1:17",
            "unknown-field warning /oscontainer/digets 1:42",
            "unknown-field warning /oscontainer/arch 1:127"
        ]
    );
    assert_eq!(
        report.diagnostics[1].hint.as_deref(),
        Some("did you mean \"digest\"?")
    );
    assert_eq!(
        report.diagnostics[2].hint.as_deref(),
        Some("known fields: image, digest, tags, manifest-list-digest, comment, additional-images")
    );
}

#[test]
fn digests() {
    let upper = HEX.to_uppercase();
    // Not through `canonical()`: its placeholders D and E would hit the upper-case hex.
    assert_eq!(
        rows(&check(
            Profile::Canonical,
            &format!(
                r#"{{"oscontainer": {{"image": "quay.io/x/y", "digest": "sha256:{upper}"}}}}"#
            )
        )),
        ["digest-invalid error /oscontainer/digest 1:70 fixable"]
    );
    assert_eq!(
        canonical(&format!(
            r#"{{"oscontainer": {{"image": "quay.io/x/y", "digest": "{HEX}"}}}}"#
        )),
        ["digest-invalid error /oscontainer/digest 1:53 fixable"]
    );
    assert_eq!(
        canonical(&format!(
            r#"{{"oscontainer": {{"image": "quay.io/x/y", "digest": "md5:{HEX}"}}}}"#
        )),
        ["digest-invalid error /oscontainer/digest 1:53"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "quay.io/x/y", "digest": "sha256:abc"}}"#),
        ["digest-invalid error /oscontainer/digest 1:63"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "quay.io/x/y", "digest": 256}}"#),
        ["digest-invalid error /oscontainer/digest 1:52"]
    );
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "quay.io/x/y@D", "digest": "E"}}"#),
        [
            "image-embedded-digest error /oscontainer/image 1:27",
            "digest-conflict error /oscontainer/digest 1:124"
        ]
    );
    // The same digest in both places is only the embedded-digest finding.
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "quay.io/x/y@D", "digest": "D"}}"#),
        ["image-embedded-digest error /oscontainer/image 1:27 fixable"]
    );
}

#[test]
fn manifest_list_digest() {
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "manifest-list-digest": "sha256:1"}}"#
        ),
        ["manifest-list-digest-invalid error /base-oscontainer/manifest-list-digest 1:165"]
    );
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "manifest-list-digest": "D"}}"#
        ),
        ["digest-equals-manifest-list warning /base-oscontainer/digest 1:57"]
    );
}

#[test]
fn tags() {
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "tags": "stable"}}"#
        ),
        ["tags-not-array error /base-oscontainer/tags 1:140 fixable"]
    );
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "tags": {"a": 1}}}"#
        ),
        ["tags-not-array error /base-oscontainer/tags 1:140"]
    );
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "tags": ["ok", "-bad", 7, "ok"]}}"#
        ),
        [
            "tag-invalid error /base-oscontainer/tags/1 1:148",
            "tag-invalid error /base-oscontainer/tags/2 1:155",
            "tag-duplicate warning /base-oscontainer/tags/3 1:158 fixable"
        ]
    );
}

#[test]
fn additional_images() {
    assert_eq!(
        canonical(
            r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "additional-images": {}}}"#
        ),
        ["additional-images-not-array error /base-oscontainer/additional-images 1:153"]
    );
    let text = r#"{"base-oscontainer": {"image": "quay.io/x/y", "digest": "D", "additional-images": ["quay.io/z", {"image": "quay.io/z@D", "comment": "x"}]}}"#;
    assert_eq!(
        canonical(text),
        [
            "additional-image-not-object error /base-oscontainer/additional-images/0 1:154",
            "image-embedded-digest error /base-oscontainer/additional-images/1/image 1:177 fixable",
            "unknown-field warning /base-oscontainer/additional-images/1/comment 1:262"
        ]
    );
    let report = check(Profile::Canonical, &doc(text));
    let shapes: Vec<Shape> = report.entries.iter().map(|e| e.shape).collect();
    assert_eq!(shapes, [Shape::Split, Shape::Invalid, Shape::Embedded]);
}

#[test]
fn references() {
    assert_eq!(
        canonical(r#"{"oscontainer": {"image": "fedora", "digest": "D"}}"#),
        ["image-not-qualified warning /oscontainer/image 1:27"]
    );
    let report = check(
        Profile::Canonical,
        &doc(r#"{"oscontainer": {"image": "fedora", "digest": "D"}}"#),
    );
    assert_eq!(
        report.diagnostics[0].hint.as_deref(),
        Some("write it in full, e.g. \"docker.io/library/fedora\"")
    );
    let rows = canonical(r#"{"oscontainer": {"image": "quay.io/Fedora/x", "digest": "D"}}"#);
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("image-invalid error /oscontainer/image 1:"),
        "{rows:?}"
    );
}

#[test]
fn document_level() {
    assert_eq!(canonical(""), ["json-syntax error \"\" 1:1"]);
    assert_eq!(canonical("   \n  "), ["json-syntax error \"\" 2:3"]);
    assert_eq!(
        canonical("{\n  \"oscontainer\": {\n"),
        ["json-syntax error \"\" 3:1"]
    );
    // A trailing comma is reported where the comma is.
    assert_eq!(canonical("{\"a\": 1,\n}"), ["json-syntax error \"\" 1:8"]);
    assert_eq!(canonical("[1, 2]"), ["not-an-object error \"\" 1:1"]);
    assert_eq!(
        canonical("{\"buildid\": \"x\"}"),
        ["no-entries info \"\" 1:1"]
    );
    assert!(check(Profile::Canonical, "{\"buildid\": \"x\"}").valid);
    assert_eq!(
        canonical("{\"a\": {\"b\": 1, \"b\": 2},\n \"a\": 3}"),
        [
            "no-entries info \"\" 1:1",
            "duplicate-key error /a/b 1:16",
            "duplicate-key error /a 2:2"
        ]
    );
    let deep = "[".repeat(600) + &"]".repeat(600);
    assert_eq!(canonical(&deep), ["nesting-too-deep error \"\" 1:129"]);
}

#[test]
fn duplicate_keys_inside_an_entry_block_the_fix() {
    let text = r#"{"oscontainer": {"image": "quay.io/x/y@D", "image": "quay.io/x/y@D"}}"#;
    assert_eq!(
        canonical(text),
        // JSON.parse keeps the second `image`, so that is the one checked.
        [
            "duplicate-key error /oscontainer/image 1:114",
            "image-embedded-digest error /oscontainer/image 1:123"
        ]
    );
}

#[test]
fn invalid_utf8_and_bom() {
    let report = validate_bytes(b"{\"a\": \"\xff\"}", &Options::default());
    assert_eq!(rows(&report), ["json-syntax error \"\" 1:8"]);
    assert_eq!(
        report.diagnostics[0].message,
        "byte 0xFF is not valid UTF-8; JSON text must be UTF-8"
    );
    assert_eq!(
        canonical("\u{feff}{\"oscontainer\": {\"image\": \"quay.io/x/y\", \"digest\": \"D\"}}"),
        ["json-syntax error \"\" 1:1"]
    );
}

#[test]
fn the_three_input_forms_report_the_same_findings() {
    let whole = doc(
        "{\n    \"buildid\": \"1\",\n    \"base-oscontainer\": {\"image\": \"quay.io/x/y@D\"}\n}",
    );
    let fragment = doc("    \"base-oscontainer\": {\"image\": \"quay.io/x/y@D\"}\n");
    let bare = doc("{\"image\": \"quay.io/x/y@D\"}");
    assert_eq!(
        rows(&check(Profile::Canonical, &whole)),
        ["image-embedded-digest error /base-oscontainer/image 3:35 fixable"]
    );
    assert_eq!(
        rows(&check(Profile::Canonical, &fragment)),
        ["image-embedded-digest error /base-oscontainer/image 1:35 fixable"]
    );
    assert_eq!(
        rows(&check(Profile::Canonical, &bare)),
        ["image-embedded-digest error /image 1:11 fixable"]
    );
    let report = check(Profile::Canonical, &bare);
    assert_eq!(report.entries[0].pointer, "");
    assert_eq!(report.entries[0].key, None);
    // A fragment copied with its trailing comma, several members.
    let two = doc("\"oscontainer\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"},\n\"kubevirt\": {\"image\": \"quay.io/c/d@D\"},");
    assert_eq!(
        rows(&check(Profile::Canonical, &two)),
        ["image-embedded-digest error /kubevirt/image 2:23 fixable"]
    );
}

#[test]
fn images_artifacts_are_not_entries() {
    let text = r#"{"images": {"extensions-container": {"path": "x.ociarchive", "sha256": "ab", "size": 1}}}"#;
    assert_eq!(canonical(text), ["no-entries info \"\" 1:1"]);
}

#[test]
fn user_schema_violations_are_located() {
    let schema = UserSchema::compile(
        r#"{"type": "object", "required": ["buildid"], "properties": {"oscontainer": {"properties": {"image": {"maxLength": 5}}}}}"#,
    )
    .expect("schema");
    let text = doc("{\n  \"oscontainer\": {\"image\": \"quay.io/x/y\", \"digest\": \"D\"}\n}");
    let report = validate(
        &text,
        &Options {
            profile: Profile::Canonical,
            schema: Some(&schema),
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&report),
        [
            "schema-violation error \"\" 1:1",
            "schema-violation error /oscontainer/image 2:28"
        ]
    );
    assert_eq!(
        report.diagnostics[0].message,
        "the document is missing the required property \"buildid\""
    );
    assert_eq!(
        report.diagnostics[1].message,
        "/oscontainer/image must be at most 5 characters long"
    );
}

#[test]
fn messages_name_the_value() {
    let report = check(
        Profile::Canonical,
        &doc(r#"{"oscontainer": {"image": "quay.io/x/y:v1@D", "digest": "sha256:abc"}}"#),
    );
    let messages: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(messages[0].0, "image-has-tag");
    assert_eq!(
        messages[0].1,
        format!("image \"quay.io/x/y:v1@sha256:{HEX}\" carries the tag \"v1\"; the agreed form lists tags in \"tags\"")
    );
    assert_eq!(messages[1].0, "image-embedded-digest");
    assert_eq!(messages[2].0, "digest-invalid");
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
        let strict = canonical(input);
        let expected: Vec<String> = strict
            .iter()
            .map(|row| {
                if relaxed
                    .iter()
                    .any(|code| row.starts_with(&format!("{code} error ")))
                {
                    row.replacen(" error ", " warning ", 1)
                } else {
                    row.clone()
                }
            })
            .collect();
        assert_eq!(compat(input), expected, "{input}");
        assert!(
            strict
                .iter()
                .any(|r| relaxed.iter().any(|c| r.starts_with(c))),
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
fn lines_break_at_lf_crlf_and_lone_cr() {
    // Line starts come from the scan's whitespace; every break style counts once.
    let text = doc("{\r\n\"a\": 1,\r\"b\": 2,\n\r\n\"kubevirt\": {\"image\": \"quay.io/x/y@D\"}}");
    assert_eq!(
        canonical(&text),
        ["image-embedded-digest error /kubevirt/image 5:23 fixable"]
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
