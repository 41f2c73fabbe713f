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

// ---- real inputs (issue 11, point 8 and the manifest-list window) ---------------------

/// The ART repository and a digest of the installer's RHCOS 410.84.202110140201-0 copy.
const ART_REPO: &str = "quay.io/openshift-release-dev/ocp-v4.0-art-dev";
const RHCOS_DIGEST: &str =
    "sha256:4abee5a8633a29d88af392fa6a509845ba4f71688e7074efb148d4372738046f";
/// The FCOS 33.20201201.3.0 digest of stream-metadata-go's release fixture.
const FCOS_DIGEST: &str = "sha256:460576931cf4ce59afe432ea266234f9d34fa77f8ca3087282084bc3a7324632";

/// Each diagnostic's row and message.
fn rows_and_messages(report: &Report) -> Vec<(String, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| (row(d), d.message.clone()))
        .collect()
}

#[test]
fn pull_specs_with_a_transport_say_to_drop_it() {
    let pinned = format!("{ART_REPO}@{RHCOS_DIGEST}");
    let fcos = "quay.io/fedora/fedora-coreos:stable";
    for (prefix, rest) in [
        ("docker://", ART_REPO),
        ("ostree-unverified-registry:", pinned.as_str()),
        ("ostree-remote-image:fedora:docker://", fcos),
        ("ostree-image-signed:docker://", fcos),
        ("containers-storage:", fcos),
        ("docker-daemon:", fcos),
    ] {
        let image = format!("{prefix}{rest}");
        let text =
            format!(r#"{{"oscontainer": {{"image": "{image}", "digest": "{RHCOS_DIGEST}"}}}}"#);
        let report = check(Profile::Canonical, &text);
        assert_eq!(
            rows_and_messages(&report),
            [(
                // The first character of the string.
                "image-invalid error /oscontainer/image 1:28".to_owned(),
                format!("image \"{image}\" is not a valid reference: the transport prefix \"{prefix}\" is not part of an image reference; drop it: \"{rest}\"")
            )],
            "{image}"
        );
        assert!(!report.valid);
    }
    // What follows a local transport reads as a tag to Go's grammar ("oci-archive" with the
    // tag "rhcos-…"); in an entry it is still a transport and a path.
    let report = check(
        Profile::Compat,
        "{\n    \"extensions-container\": {\n        \"image\": \"oci-archive:rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\"\n    }\n}",
    );
    assert_eq!(
        rows_and_messages(&report),
        [(
            "digest-missing warning /extensions-container 2:29".to_owned(),
            "this entry has no digest, so consumers cannot pull it by digest".to_owned()
        ), (
            "image-invalid error /extensions-container/image 3:19".to_owned(),
            "image \"oci-archive:rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\" is not a valid reference: the transport prefix \"oci-archive:\" names a local OCI archive file (\"rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\"), not an image in a registry; drop it and write the repository the image was pushed to".to_owned()
        )]
    );
}

/// `images.extensions-container` of the RHCOS 413.86.202212021619-0 meta.json (ART's
/// doozer test data), as it is written there.
const EXTENSIONS_ARTIFACT: &str = "{\n        \"path\": \"rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\",\n        \"sha256\": \"6942598ce94ef7e27a88a4c6ea5d5129600c64088203a04b2a732c5162c7df8d\",\n        \"size\": 311401984,\n        \"skip-compression\": true\n    }";
const LEGACY_ARTIFACT: &str = "{\n        \"path\": \"rhcos-413.86.202212021619-0-legacy-oscontainer.x86_64.ociarchive\",\n        \"sha256\": \"63e17f149e9ca2585b33a7a7d394b9d9c33f1e250f0e30b2b86537e5af104d35\",\n        \"size\": 1395326464,\n        \"skip-compression\": true\n    }";

#[test]
fn an_artifact_pasted_as_an_entry_is_one_finding() {
    let text = format!(
        "{{\n    \"buildid\": \"413.86.202212021619-0\",\n    \"extensions-container\": {EXTENSIONS_ARTIFACT}\n}}\n"
    );
    for profile in [Profile::Canonical, Profile::Compat] {
        let report = check(profile, &text);
        assert_eq!(
            rows_and_messages(&report),
            [(
                "entry-is-artifact error /extensions-container 3:29".to_owned(),
                "\"extensions-container\" is a file artifact (path, sha256, size) as listed under \"images\", not a container entry; a container entry names an image pushed to a registry: {\"image\": repository, \"digest\": \"sha256:…\", \"tags\": […]}".to_owned()
            )]
        );
        assert_eq!(
            report.diagnostics[0].hint.as_deref(),
            Some("file artifacts stay under \"images\"; write here the image that was pushed, or remove the key")
        );
        assert_eq!(report.entries.len(), 1);
        assert_eq!(report.entries[0].shape, Shape::Invalid);
        assert!(!report.valid);
    }
    // The same object with an image is an entry (with an unknown-field warning per key).
    let with_image = format!(
        r#"{{"kubevirt": {{"image": "{ART_REPO}", "digest": "{RHCOS_DIGEST}", "path": "x", "sha256": "y"}}}}"#
    );
    let codes: Vec<String> = rows(&check(Profile::Canonical, &with_image));
    assert_eq!(
        codes,
        [
            "unknown-field warning /kubevirt/path 1:159",
            "unknown-field warning /kubevirt/sha256 1:172"
        ]
    );
    // Only the keys that are there are looked at: a `sha256` alone is not an artifact.
    assert_eq!(
        canonical(r#"{"kubevirt": {"sha256": "ab"}}"#),
        [
            "image-missing error /kubevirt 1:14",
            "unknown-field warning /kubevirt/sha256 1:15"
        ]
    );
}

#[test]
fn artifacts_pasted_alone_are_named_in_no_entries() {
    const ENTRIES: &str = "container entries are the top-level keys oscontainer, base-oscontainer, extensions-container and kubevirt, each naming an image pushed to a registry";
    let cases: [(String, String, Option<&str>); 5] = [
        (
            EXTENSIONS_ARTIFACT.to_owned(),
            format!("the document is a file artifact (path, sha256, size) as listed under \"images\" in meta.json, not a container entry; {ENTRIES}"),
            None,
        ),
        (
            format!("    \"legacy-oscontainer\": {LEGACY_ARTIFACT},\n"),
            format!("\"legacy-oscontainer\" is a file artifact (path, sha256, size) as listed under \"images\" in meta.json, not a container entry; {ENTRIES}"),
            Some("the image pushed from images.legacy-oscontainer is described by the top-level \"oscontainer\""),
        ),
        (
            format!("\"ostree\": {{\"path\": \"x.ociarchive\", \"sha256\": \"ab\", \"size\": 1}},\n\"legacy-oscontainer\": {LEGACY_ARTIFACT}"),
            format!("\"ostree\", \"legacy-oscontainer\" are file artifacts (path, sha256, size) as listed under \"images\" in meta.json, not container entries; {ENTRIES}"),
            Some("the image pushed from images.legacy-oscontainer is described by the top-level \"oscontainer\""),
        ),
        (
            format!("\"images\": {{\n    \"legacy-oscontainer\": {LEGACY_ARTIFACT},\n    \"extensions-container\": {EXTENSIONS_ARTIFACT}\n}}"),
            format!("\"images\" lists file artifacts (path, sha256, size), not container entries; {ENTRIES}"),
            None,
        ),
        // A whole meta.json without entries keeps the plain message.
        (
            format!("{{\"buildid\": \"413.86.202212021619-0\", \"images\": {{\"legacy-oscontainer\": {LEGACY_ARTIFACT}}}}}"),
            "the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)".to_owned(),
            None,
        ),
    ];
    for (text, message, hint) in cases {
        let report = check(Profile::Canonical, &text);
        assert_eq!(
            rows_and_messages(&report),
            [("no-entries info \"\" 1:1".to_owned(), message)],
            "{text}"
        );
        assert_eq!(report.diagnostics[0].hint.as_deref(), hint, "{text}");
        assert!(report.valid);
    }
}

#[test]
fn upper_case_hex_in_an_embedded_digest_is_a_digest_finding() {
    let upper = RHCOS_DIGEST.to_uppercase().replacen("SHA256", "sha256", 1);
    let text = format!(r#"{{"oscontainer": {{"image": "{ART_REPO}@{upper}"}}}}"#);
    let report = check(Profile::Canonical, &text);
    assert_eq!(
        rows_and_messages(&report),
        [
            (
                "image-embedded-digest error /oscontainer/image 1:27 fixable".to_owned(),
                format!("image \"{ART_REPO}@{upper}\" embeds the digest; the agreed form keeps the repository in \"image\" and the digest in \"digest\"")
            ),
            (
                // At the first upper-case letter: the "A" of `4ABEE…`.
                "digest-invalid error /oscontainer/image 1:83 fixable".to_owned(),
                format!("the digest \"{upper}\" embedded in image has upper-case hex; digests are lower-case")
            ),
        ]
    );
    let entry = &report.entries[0];
    assert_eq!(entry.shape, Shape::Embedded);
    assert_eq!(entry.digest.as_deref(), Some(upper.as_str()));
    assert_eq!(entry.repository.as_deref(), Some(ART_REPO));
    assert_eq!(
        entry.pull_spec.as_deref(),
        Some(format!("{ART_REPO}@{RHCOS_DIGEST}").as_str())
    );
    // An upper-case algorithm name too, as in `digest`.
    let text = format!(
        r#"{{"oscontainer": {{"image": "{ART_REPO}@SHA256:{}"}}}}"#,
        &RHCOS_DIGEST[7..]
    );
    let report = check(Profile::Compat, &text);
    assert_eq!(
        rows(&report),
        [
            "image-embedded-digest warning /oscontainer/image 1:27 fixable",
            "digest-invalid error /oscontainer/image 1:75 fixable"
        ]
    );
    assert!(report.diagnostics[1]
        .message
        .ends_with("embedded in image has an upper-case algorithm name; digests are lower-case"));
    // With a `digest` that agrees once lower-cased there is no conflict.
    let text = format!(
        r#"{{"oscontainer": {{"image": "{ART_REPO}@{upper}", "digest": "{RHCOS_DIGEST}"}}}}"#
    );
    assert_eq!(
        rows(&check(Profile::Canonical, &text)),
        [
            "image-embedded-digest error /oscontainer/image 1:27 fixable",
            "digest-invalid error /oscontainer/image 1:83 fixable"
        ]
    );
    // Other faults of an embedded digest stay image-invalid; so does upper case in the path.
    for image in [
        format!("{ART_REPO}@sha256:4ABEE"),
        format!("{ART_REPO}@{}", &RHCOS_DIGEST[7..]),
        format!("quay.io/Openshift-release-dev/ocp-v4.0-art-dev@{upper}"),
    ] {
        let rows = rows(&check(
            Profile::Canonical,
            &format!(r#"{{"oscontainer": {{"image": "{image}", "digest": "{RHCOS_DIGEST}"}}}}"#),
        ));
        assert_eq!(rows.len(), 1, "{image}: {rows:?}");
        assert!(rows[0].starts_with("image-invalid error"), "{rows:?}");
    }
}

/// Options with a build id.
fn with_build_id(profile: Profile, build_id: &str) -> Options<'_> {
    Options {
        profile,
        build_id: Some(build_id),
        ..Default::default()
    }
}

#[test]
fn an_embedded_digest_from_the_manifest_list_window_is_flagged_not_fixed() {
    let fcos = |build_id: &str| {
        format!("{{\n    \"buildid\": \"{build_id}\",\n    \"base-oscontainer\": {{\n        \"image\": \"quay.io/fedora/fedora-coreos@{FCOS_DIGEST}\"\n    }}\n}}\n")
    };
    let flagged = |build_id: &str, date: &str| {
        vec![
            (
                "image-embedded-digest error /base-oscontainer/image 4:18".to_owned(),
                format!("image \"quay.io/fedora/fedora-coreos@{FCOS_DIGEST}\" embeds the digest; the agreed form keeps the repository in \"image\" and the digest in \"digest\""),
            ),
            (
                "digest-maybe-manifest-list warning /base-oscontainer/image 4:18".to_owned(),
                format!("the digest embedded in image is most likely the manifest list's, not this architecture's: build \"{build_id}\" is dated {date}, inside the window 2022-09-13 to 2022-10-21 when cosa wrote the manifest list's digest into image"),
            ),
        ]
    };
    let report = check(Profile::Canonical, &fcos("36.20220918.3.0"));
    assert_eq!(
        rows_and_messages(&report),
        flagged("36.20220918.3.0", "2022-09-18")
    );
    assert_eq!(
        report.diagnostics[0].hint.as_deref(),
        Some("upgrade does not move this digest into \"digest\": the build is from cosa's manifest-list window, so it is most likely the manifest list's (see digest-maybe-manifest-list)")
    );
    assert_eq!(
        report.diagnostics[1].hint.as_deref(),
        Some("confirm with `oscontainer arches` over the build's meta.json files (compareArches: the same digest on every architecture is the list's) or with the registry; then write this architecture's digest into \"digest\"")
    );
    // Both ends of the window are in it; the days around it are not.
    for (build_id, date) in [
        ("36.20220913.3.0", "2022-09-13"),
        ("36.20221021.3.0", "2022-10-21"),
        ("412.86.202209180000-0", "2022-09-18"),
    ] {
        assert_eq!(
            rows_and_messages(&check(Profile::Canonical, &fcos(build_id))),
            flagged(build_id, date),
            "{build_id}"
        );
    }
    for build_id in [
        "36.20220912.3.0",
        "36.20221022.3.0",
        "412.86.202210220000-0",
        "1",
    ] {
        assert_eq!(
            rows(&check(Profile::Canonical, &fcos(build_id))),
            ["image-embedded-digest error /base-oscontainer/image 4:18 fixable"],
            "{build_id}"
        );
    }
    // options.buildId wins over the document's buildid, either way.
    let text = fcos("36.20221014.3.0");
    assert_eq!(
        rows(&validate(
            &text,
            &with_build_id(Profile::Compat, "36.20220918.3.0")
        )),
        [
            "image-embedded-digest warning /base-oscontainer/image 4:18",
            "digest-maybe-manifest-list warning /base-oscontainer/image 4:18"
        ]
    );
    assert_eq!(
        rows(&validate(
            &fcos("36.20220918.3.0"),
            &with_build_id(Profile::Compat, "36.20221024.3.0")
        )),
        ["image-embedded-digest warning /base-oscontainer/image 4:18 fixable"]
    );
    // Only the embedded shape: a split entry of those weeks carries its digest apart.
    let split = format!("{{\"buildid\": \"36.20220918.3.0\", \"base-oscontainer\": {{\"image\": \"quay.io/fedora/fedora-coreos@{FCOS_DIGEST}\", \"digest\": \"{FCOS_DIGEST}\"}}}}");
    assert_eq!(
        rows(&check(Profile::Canonical, &split)),
        ["image-embedded-digest error /base-oscontainer/image 1:62 fixable"]
    );
    // A bare entry has no build id unless one is given.
    let bare = format!("{{\"image\": \"quay.io/fedora/fedora-coreos@{FCOS_DIGEST}\"}}");
    assert_eq!(
        rows(&check(Profile::Canonical, &bare)),
        ["image-embedded-digest error /image 1:11 fixable"]
    );
    assert_eq!(
        rows(&validate(
            &bare,
            &with_build_id(Profile::Canonical, "412.86.202209180000-0")
        )),
        [
            "image-embedded-digest error /image 1:11",
            "digest-maybe-manifest-list warning /image 1:11"
        ]
    );
    // Upper-case hex inside the window: lower-casing is still fixable, moving is not.
    let upper =
        fcos("36.20220918.3.0").replace(&FCOS_DIGEST[7..], &FCOS_DIGEST[7..].to_uppercase());
    assert_eq!(
        rows(&check(Profile::Canonical, &upper)),
        [
            "image-embedded-digest error /base-oscontainer/image 4:18",
            "digest-maybe-manifest-list warning /base-oscontainer/image 4:18",
            "digest-invalid error /base-oscontainer/image 4:64 fixable"
        ]
    );
}
