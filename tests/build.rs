//! Whole builds (issue 15): `check_build` over the meta.json files of one build and
//! `check_release` of a published release.json against them, on builds made from real
//! values: the digests of the installer's RHCOS documents in `../shared/corpus/meta/` and
//! the FCOS release and stream metadata in `../shared/corpus/release/`.

mod common;

use oscontainer::{
    check_build, check_release, ArchDocument, BuildReport, Diagnostic, Options, PresencePolicy,
    Severity, Shape,
};

/// The build the release fixture was published from.
const BUILD: &str = "33.20201201.3.0";
const RELEASE: &str = "coreos-stream-metadata-go__release_fixtures_fcos-release.json";
const STREAM: &str = "coreos-stream-metadata-rust__tests_it_fixtures_fcos-stream.json";
/// The installer documents whose `oscontainer` digests stand in for the other arches'.
const INSTALLER: [&str; 4] = [
    "openshift-installer__data_data_rhcos-amd64@18d578307.json",
    "openshift-installer__data_data_rhcos-amd64@ab3300096.json",
    "openshift-installer__data_data_rhcos@009e5056c.json",
    "openshift-installer__data_data_rhcos@1ce995b13.json",
];

/// Real values: the FCOS repository and x86_64 digest of the release fixture, the kubevirt
/// repository and digest of the stream fixture, and four more real digests.
struct Real {
    release: String,
    repo: String,
    x86: String,
    kubevirt_repo: String,
    kubevirt_x86: String,
    digests: Vec<String>,
}

fn split_ref(digest_ref: &str) -> (String, String) {
    let (repo, digest) = digest_ref.split_once('@').expect("repo@digest");
    (repo.to_owned(), digest.to_owned())
}

fn real() -> Option<Real> {
    let release = common::corpus_file("release", RELEASE)?;
    let stream = common::corpus_file("release", STREAM)?;
    let value: serde_json::Value = serde_json::from_str(&release).expect("release.json");
    let oci = value["architectures"]["x86_64"]["oci-image"]["digest-ref"]
        .as_str()
        .expect("oci-image");
    let (repo, x86) = split_ref(oci);
    let stream: serde_json::Value = serde_json::from_str(&stream).expect("stream.json");
    let kubevirt = stream["architectures"]["x86_64"]["images"]["kubevirt"]["digest-ref"]
        .as_str()
        .expect("kubevirt");
    let (kubevirt_repo, kubevirt_x86) = split_ref(kubevirt);
    let digests = INSTALLER
        .iter()
        .map(|name| {
            let text = common::corpus_file("meta", name).expect("installer document");
            let doc: serde_json::Value = serde_json::from_str(&text).expect("meta.json");
            doc["oscontainer"]["digest"]
                .as_str()
                .expect("digest")
                .to_owned()
        })
        .collect();
    Some(Real {
        release,
        repo,
        x86,
        kubevirt_repo,
        kubevirt_x86,
        digests,
    })
}

/// A meta.json of `arch` as cosa writes it (4-space indentation): `base-oscontainer` in the
/// agreed form, `kubevirt` when its repository and digest are given.
fn meta(
    build: &str,
    arch: &str,
    repo: &str,
    digest: &str,
    kubevirt: Option<(&str, &str)>,
) -> String {
    let kubevirt = kubevirt.map_or_else(String::new, |(repo, digest)| {
        format!(
            ",\n    \"kubevirt\": {{\n        \"image\": \"{repo}\",\n        \"digest\": \"{digest}\",\n        \"tags\": [\"stable\", \"{build}\"]\n    }}"
        )
    });
    format!(
        "{{\n    \"buildid\": \"{build}\",\n    \"coreos-assembler.basearch\": \"{arch}\",\n    \"base-oscontainer\": {{\n        \"image\": \"{repo}\",\n        \"digest\": \"{digest}\",\n        \"tags\": [\"{build}\", \"stable\"]\n    }}{kubevirt}\n}}\n"
    )
}

fn name(build: &str, arch: &str) -> String {
    format!("builds/{build}/{arch}/meta.json")
}

/// The four arches of the FCOS build, kubevirt on x86_64 and aarch64 only.
fn fcos_build(real: &Real) -> Vec<(String, String)> {
    let d = &real.digests;
    vec![
        (
            name(BUILD, "x86_64"),
            meta(
                BUILD,
                "x86_64",
                &real.repo,
                &real.x86,
                Some((&real.kubevirt_repo, &real.kubevirt_x86)),
            ),
        ),
        (
            name(BUILD, "aarch64"),
            meta(
                BUILD,
                "aarch64",
                &real.repo,
                &d[0],
                Some((&real.kubevirt_repo, &d[1])),
            ),
        ),
        (
            name(BUILD, "s390x"),
            meta(BUILD, "s390x", &real.repo, &d[2], None),
        ),
        (
            name(BUILD, "ppc64le"),
            meta(BUILD, "ppc64le", &real.repo, &d[3], None),
        ),
    ]
}

fn documents(files: &[(String, String)]) -> Vec<ArchDocument<'_>> {
    files
        .iter()
        .map(|(name, text)| ArchDocument {
            name: Some(name),
            input: text.as_bytes(),
            ..ArchDocument::default()
        })
        .collect()
}

fn build(files: &[(String, String)]) -> BuildReport {
    check_build(
        &documents(files),
        &Options::default(),
        &PresencePolicy::default(),
    )
}

/// Each finding as `severity code pointer line:column-endLine:endColumn message`.
fn rows(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}:{}-{}:{} {}",
                d.severity.as_str(),
                d.code.as_str(),
                d.pointer,
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.end_line.unwrap_or(0),
                d.end_column.unwrap_or(0),
                d.message
            )
        })
        .collect()
}

/// Each related place as `document arch name pointer line:column-endLine:endColumn message`.
fn related_rows(d: &Diagnostic) -> Vec<String> {
    d.related
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}:{}-{}:{} {}",
                r.document.map_or_else(|| "-".to_owned(), |i| i.to_string()),
                r.arch.as_deref().unwrap_or("-"),
                r.name.as_deref().unwrap_or("-"),
                r.pointer,
                r.line.unwrap_or(0),
                r.column.unwrap_or(0),
                r.end_line.unwrap_or(0),
                r.end_column.unwrap_or(0),
                r.message
            )
        })
        .collect()
}

#[test]
fn a_normal_fcos_build_with_kubevirt_on_two_of_four_arches_passes() {
    let Some(real) = real() else {
        return;
    };
    let files = fcos_build(&real);
    let report = build(&files);
    assert!(report.valid);
    assert_eq!(report.build_id.as_deref(), Some(BUILD));
    assert_eq!(
        rows(
            &report
                .diagnostics
                .iter()
                .map(|d| d.diagnostic.clone())
                .collect::<Vec<_>>()
        ),
        ["info arch-entry-subset /kubevirt 9:17-13:6 kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only"]
    );
    for arch in &report.arches {
        assert!(arch.report.diagnostics.is_empty(), "{:?}", arch.report);
        assert!(arch.release.diagnostics.is_empty(), "{:?}", arch.release);
    }
    let arches: Vec<Option<&str>> = report.arches.iter().map(|a| a.arch.as_deref()).collect();
    assert_eq!(
        arches,
        [
            Some("x86_64"),
            Some("aarch64"),
            Some("s390x"),
            Some("ppc64le")
        ]
    );

    // The matrix: base-oscontainer everywhere, kubevirt on two arches, with the note.
    let keys: Vec<&str> = report.entries.keys().collect();
    assert_eq!(keys, ["base-oscontainer", "kubevirt"]);
    let base = report.entries.get("base-oscontainer").expect("row");
    let kubevirt = report.entries.get("kubevirt").expect("row");
    let columns: Vec<&str> = base.keys().collect();
    assert_eq!(columns, ["x86_64", "aarch64", "s390x", "ppc64le"]);
    for column in &columns {
        let cell = base.get(column).expect("column").as_ref().expect("present");
        assert_eq!(cell.shape, Shape::Tagged);
        assert_eq!(cell.severity, None);
    }
    let x86 = kubevirt
        .get("x86_64")
        .expect("column")
        .as_ref()
        .expect("present");
    assert_eq!(x86.severity, Some(Severity::Info));
    assert_eq!(
        kubevirt
            .get("aarch64")
            .expect("column")
            .as_ref()
            .map(|c| c.severity),
        Some(None)
    );
    assert_eq!(kubevirt.get("s390x"), Some(&None));
    assert_eq!(kubevirt.get("ppc64le"), Some(&None));

    // The release metadata cosa would write: byte for byte the release fixture's pair.
    let x86_release = report
        .release_metadata
        .architectures
        .get("x86_64")
        .expect("x86_64");
    assert_eq!(
        common::pretty(x86_release.oci_image.as_ref().expect("oci-image")),
        common::object_lines_after(&real.release, "oci-image")
    );
    let json = serde_json::to_value(&report.release_metadata).expect("serialises");
    let arch_keys: Vec<&str> = report.release_metadata.architectures.keys().collect();
    assert_eq!(arch_keys, ["x86_64", "aarch64", "s390x", "ppc64le"]);
    assert_eq!(
        json["architectures"]["x86_64"]["media"]["kubevirt"]["image"],
        serde_json::json!({
            "image": format!("{}:stable", real.kubevirt_repo),
            "digest-ref": format!("{}@{}", real.kubevirt_repo, real.kubevirt_x86),
        })
    );
    assert_eq!(
        json["architectures"]["s390x"],
        serde_json::json!({"oci-image": {
            "image": format!("{}:stable", real.repo),
            "digest-ref": format!("{}@{}", real.repo, real.digests[2]),
        }})
    );
}

#[test]
fn the_2022_shared_manifest_list_digest_is_arch_digest_shared() {
    let Some(real) = real() else {
        return;
    };
    // September 2022: every arch recorded the manifest list's digest inside `image`.
    let build = "36.20220918.3.0";
    let files: Vec<(String, String)> = ["x86_64", "aarch64", "s390x", "ppc64le"]
        .iter()
        .map(|arch| {
            let text = format!(
                "{{\n    \"buildid\": \"{build}\",\n    \"coreos-assembler.basearch\": \"{arch}\",\n    \"base-oscontainer\": {{\n        \"image\": \"{}@{}\"\n    }}\n}}\n",
                real.repo, real.x86
            );
            (name(build, arch), text)
        })
        .collect();
    let report = build_report(&files);
    assert!(!report.valid);
    let shared: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.arch.as_deref().unwrap_or("?"),
                rows(std::slice::from_ref(&d.diagnostic))[0]
            )
        })
        .collect();
    assert_eq!(
        shared,
        [
            "x86_64 error arch-digest-shared /base-oscontainer/image 5:18-5:120 base-oscontainer on x86_64 has the same digest as on aarch64, s390x, ppc64le; that is the manifest list's digest, not this architecture's own",
            "aarch64 error arch-digest-shared /base-oscontainer/image 5:18-5:120 base-oscontainer on aarch64 has the same digest as on x86_64, s390x, ppc64le; that is the manifest list's digest, not this architecture's own",
            "s390x error arch-digest-shared /base-oscontainer/image 5:18-5:120 base-oscontainer on s390x has the same digest as on x86_64, aarch64, ppc64le; that is the manifest list's digest, not this architecture's own",
            "ppc64le error arch-digest-shared /base-oscontainer/image 5:18-5:120 base-oscontainer on ppc64le has the same digest as on x86_64, aarch64, s390x; that is the manifest list's digest, not this architecture's own",
        ]
    );
    let row = report.entries.get("base-oscontainer").expect("row");
    for (column, cell) in &row.0 {
        let cell = cell.as_ref().expect("present");
        assert_eq!(cell.shape, Shape::Embedded, "{column}");
        assert_eq!(cell.severity, Some(Severity::Error), "{column}");
    }
    // cosa writes no right pair from an embedded digest: nothing to release.
    assert!(report.release_metadata.architectures.0.is_empty());
}

fn build_report(files: &[(String, String)]) -> BuildReport {
    build(files)
}

/// The release fixture with its 2020 `media.kubevirt.image` (`{image}` only, the digest
/// inside) written as cosa writes it today, from the stream fixture's values: one line more.
fn release_today(real: &Real) -> String {
    let old = format!(
        "\"image\": \"{}@{}\"\n",
        real.kubevirt_repo, real.kubevirt_x86
    );
    assert!(real.release.contains(&old), "the fixture's kubevirt image");
    let new = format!(
        "\"image\": \"{}:stable\",\n            \"digest-ref\": \"{}@{}\"\n",
        real.kubevirt_repo, real.kubevirt_repo, real.kubevirt_x86
    );
    real.release.replacen(&old, &new, 1)
}

/// The x86_64 meta.json of `build` with the given base-oscontainer digest and kubevirt.
fn x86_meta(real: &Real, build: &str, digest: &str) -> Vec<(String, String)> {
    vec![(
        name(build, "x86_64"),
        meta(
            build,
            "x86_64",
            &real.repo,
            digest,
            Some((&real.kubevirt_repo, &real.kubevirt_x86)),
        ),
    )]
}

fn release(release: &str, files: &[(String, String)]) -> oscontainer::ReleaseCheck {
    check_release(
        release.as_bytes(),
        &documents(files),
        &Options::default(),
        &PresencePolicy::default(),
    )
}

#[test]
fn a_release_made_from_the_build_passes() {
    let Some(real) = real() else {
        return;
    };
    let result = release(&release_today(&real), &x86_meta(&real, BUILD, &real.x86));
    assert!(result.valid, "{:?}", result.release.diagnostics);
    assert_eq!(result.release.release.as_deref(), Some(BUILD));
    assert!(result.release.diagnostics.is_empty());
    assert!(result.build.valid);
}

#[test]
fn the_2020_kubevirt_pair_without_digest_ref_is_not_what_cosa_writes_today() {
    let Some(real) = real() else {
        return;
    };
    let result = release(&real.release, &x86_meta(&real, BUILD, &real.x86));
    assert!(!result.valid);
    let file = name(BUILD, "x86_64");
    let repo = &real.kubevirt_repo;
    let digest = &real.kubevirt_x86;
    assert_eq!(
        rows(&result.release.diagnostics),
        [
            format!("error release-digest-mismatch /architectures/x86_64/media/kubevirt/image 214:20-216:12 media.kubevirt.image for x86_64 has no digest-ref, but {file}'s kubevirt gives \"{repo}@{digest}\""),
            format!("error release-image-mismatch /architectures/x86_64/media/kubevirt/image/image 215:22-215:131 media.kubevirt.image.image for x86_64 is \"{repo}@{digest}\", but {file}'s kubevirt gives \"{repo}:stable\""),
        ]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        [format!(
            "0 x86_64 {file} /kubevirt/digest 11:19-11:92 kubevirt.digest in {file}"
        )]
    );
}

#[test]
fn a_release_arch_without_its_meta_json_is_release_arch_missing() {
    let Some(real) = real() else {
        return;
    };
    let aarch64 = format!(
        "\"architectures\": {{\n    \"aarch64\": {{\n      \"oci-image\": {{\n        \"image\": \"{0}:stable\",\n        \"digest-ref\": \"{0}@{1}\"\n      }}\n    }},\n",
        real.repo, real.digests[0]
    );
    let text = release_today(&real).replacen("\"architectures\": {\n", &aarch64, 1);
    let result = release(&text, &x86_meta(&real, BUILD, &real.x86));
    assert!(!result.valid);
    assert_eq!(
        rows(&result.release.diagnostics),
        ["error release-arch-missing /architectures/aarch64 5:5-5:14 release.json lists aarch64, but no meta.json for aarch64 was given (the build's are for x86_64)"]
    );
}

#[test]
fn a_meta_json_whose_arch_the_release_does_not_list_is_a_warning() {
    let Some(real) = real() else {
        return;
    };
    let mut files = x86_meta(&real, BUILD, &real.x86);
    files.push((
        name(BUILD, "aarch64"),
        meta(BUILD, "aarch64", &real.repo, &real.digests[0], None),
    ));
    let result = release(&release_today(&real), &files);
    // Nothing the release publishes is wrong.
    assert!(result.valid, "{:?}", result.release.diagnostics);
    let file = name(BUILD, "aarch64");
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!("warning release-arch-extra /architectures 4:3-4:18 {file} is for aarch64, which release.json does not list: the release does not offer aarch64")]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        [format!(
            "1 aarch64 {file} /coreos-assembler.basearch 3:34-3:43 its architecture"
        )]
    );
}

#[test]
fn a_digest_ref_that_differs_from_the_meta_json_is_release_digest_mismatch() {
    let Some(real) = real() else {
        return;
    };
    let other = &real.digests[0];
    let result = release(&release_today(&real), &x86_meta(&real, BUILD, other));
    assert!(!result.valid);
    assert!(result.build.valid);
    let file = name(BUILD, "x86_64");
    let repo = &real.repo;
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!("error release-digest-mismatch /architectures/x86_64/oci-image/digest-ref 256:23-256:125 oci-image.digest-ref for x86_64 is \"{repo}@{}\", but {file}'s base-oscontainer gives \"{repo}@{other}\"", real.x86)]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        [format!(
            "0 x86_64 {file} /base-oscontainer/digest 6:19-6:92 base-oscontainer.digest in {file}"
        )]
    );
}

#[test]
fn a_release_naming_another_build_is_release_build_mismatch() {
    let Some(real) = real() else {
        return;
    };
    let other = "33.20201215.3.0";
    let result = release(&release_today(&real), &x86_meta(&real, other, &real.x86));
    assert!(!result.valid);
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!("error release-build-mismatch /release 2:14-2:31 release.json is release \"{BUILD}\", but the meta.json files are of build \"{other}\"")]
    );
    let file = name(other, "x86_64");
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        [format!("0 x86_64 {file} /buildid 2:16-2:33 the build id")]
    );
}

#[test]
fn a_release_json_that_is_not_one() {
    let Some(real) = real() else {
        return;
    };
    let files = x86_meta(&real, BUILD, &real.x86);
    let result = release("{\"release\": \"33.20201201.3.0\",\n", &files);
    assert_eq!(result.release.diagnostics[0].code.as_str(), "json-syntax");
    assert!(!result.valid);
    let result = release("[1]", &files);
    assert_eq!(
        rows(&result.release.diagnostics),
        ["error release-invalid  1:1-1:4 the release.json is an array; expected an object with \"release\" and \"architectures\""]
    );
    let result = release("{\"release\": 33, \"architectures\": []}", &files);
    assert_eq!(
        rows(&result.release.diagnostics),
        [
            "error release-invalid /release 1:13-1:15 \"release\" is a number; it must be the build id as a string",
            "error release-invalid /architectures 1:34-1:36 \"architectures\" is an array; a release.json has an object of architectures",
        ]
    );
}

#[test]
fn a_pair_on_one_side_only_is_release_image_mismatch() {
    let Some(real) = real() else {
        return;
    };
    let file = name(BUILD, "x86_64");
    // The build gives a kubevirt pair; the release (the 2020 fixture without its kubevirt
    // image) has none.
    let old = format!(
        "          }},\n          \"image\": {{\n            \"image\": \"{}@{}\"\n          }}\n",
        real.kubevirt_repo, real.kubevirt_x86
    );
    assert!(real.release.contains(&old), "the fixture's kubevirt image");
    let without = real.release.replacen(&old, "          }\n", 1);
    let result = release(&without, &x86_meta(&real, BUILD, &real.x86));
    let repo = &real.kubevirt_repo;
    let digest = &real.kubevirt_x86;
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!("error release-image-mismatch /architectures/x86_64 5:5-5:13 release.json has no media.kubevirt.image for x86_64, but {file}'s kubevirt gives \"{repo}:stable\" and \"{repo}@{digest}\"")]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        [format!(
            "0 x86_64 {file} /kubevirt 9:17-13:6 kubevirt in {file}"
        )]
    );

    // The release has a kubevirt pair; the build has no kubevirt.
    let files = vec![(
        file.clone(),
        meta(BUILD, "x86_64", &real.repo, &real.x86, None),
    )];
    let result = release(&release_today(&real), &files);
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!("error release-image-mismatch /architectures/x86_64/media/kubevirt/image 214:20-217:12 release.json has media.kubevirt.image for x86_64, but {file} gives none (it has no kubevirt)")]
    );
    assert!(result.release.diagnostics[0].related.is_empty());
}

#[test]
fn a_pair_cosa_cannot_write_names_the_reason() {
    let Some(real) = real() else {
        return;
    };
    let file = name(BUILD, "x86_64");
    // No digest: cosa's generate-release-meta raises KeyError, so the release's oci-image
    // cannot have come from this meta.json.
    let text = format!(
        "{{\n    \"buildid\": \"{BUILD}\",\n    \"base-oscontainer\": {{\n        \"image\": \"{}\",\n        \"tags\": [\"{BUILD}\", \"stable\"]\n    }}\n}}\n",
        real.repo
    );
    let files = vec![(file.clone(), text)];
    let result = release(&release_today(&real), &files);
    assert!(!result.valid);
    assert!(!result.build.valid);
    assert_eq!(
        rows(&result.release.diagnostics),
        [
            format!("error release-image-mismatch /architectures/x86_64/media/kubevirt/image 214:20-217:12 release.json has media.kubevirt.image for x86_64, but {file} gives none (it has no kubevirt)"),
            format!("error release-image-mismatch /architectures/x86_64/oci-image 254:20-257:8 release.json has oci-image for x86_64, but {file} gives none (cosa writes no right pair from it: \"base-oscontainer\": cosa's generate-release-meta raises KeyError: no \"digest\")"),
        ]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[1]),
        [format!(
            "0 x86_64 {file} /base-oscontainer 3:25-6:6 base-oscontainer in {file}"
        )]
    );
}

#[test]
fn a_broken_meta_json_makes_the_build_invalid_and_its_column_empty() {
    let Some(real) = real() else {
        return;
    };
    let mut files = fcos_build(&real);
    files[2].1 = "{\"buildid\": ".to_owned();
    let report = build(&files);
    assert!(!report.valid);
    let broken = &report.arches[2];
    assert_eq!(broken.arch.as_deref(), Some("s390x"));
    assert_eq!(
        rows(&broken.report.diagnostics),
        ["error json-syntax  1:13-1:13 unexpected end of input (the text looks truncated); expected a JSON value"]
    );
    let base = report.entries.get("base-oscontainer").expect("row");
    assert_eq!(base.get("s390x"), Some(&None));
    let arches: Vec<&str> = report.release_metadata.architectures.keys().collect();
    assert_eq!(arches, ["x86_64", "aarch64", "ppc64le"]);
}

#[test]
fn a_duplicate_key_in_the_release_json_is_reported_and_the_last_is_read() {
    let Some(real) = real() else {
        return;
    };
    let text = format!(
        "{{\n  \"release\": \"33.20201115.3.0\",\n  \"release\": \"{BUILD}\",\n  \"architectures\": {{}}\n}}\n"
    );
    let result = release(&text, &x86_meta(&real, BUILD, &real.x86));
    assert_eq!(
        rows(&result.release.diagnostics),
        [
            "error duplicate-key /release 3:3-3:12 key \"release\" appears more than once in this object of the release.json; JSON.parse keeps only the last",
            &format!("warning release-arch-extra /architectures 4:3-4:18 {} is for x86_64, which release.json does not list: the release does not offer x86_64", name(BUILD, "x86_64")),
        ]
    );
    assert_eq!(
        related_rows(&result.release.diagnostics[0]),
        ["- - - /release 2:3-2:12 the first occurrence, which JSON.parse drops"]
    );
}

#[test]
fn a_pair_that_is_not_an_object_is_release_image_mismatch() {
    let Some(real) = real() else {
        return;
    };
    let pair = format!("\"{}:stable\"", real.repo);
    let text = format!(
        "{{\"release\": \"{BUILD}\", \"architectures\": {{\"x86_64\": {{\"oci-image\": {pair}}}}}}}"
    );
    let files = vec![(
        name(BUILD, "x86_64"),
        meta(BUILD, "x86_64", &real.repo, &real.x86, None),
    )];
    let result = release(&text, &files);
    let file = name(BUILD, "x86_64");
    let repo = &real.repo;
    let start = text.find(&pair).expect("pair") + 1;
    assert_eq!(
        rows(&result.release.diagnostics),
        [format!(
            "error release-image-mismatch /architectures/x86_64/oci-image 1:{start}-1:{} oci-image for x86_64 is a string, but {file}'s base-oscontainer gives {{\"image\": \"{repo}:stable\", \"digest-ref\": \"{repo}@{}\"}}",
            start + pair.len(),
            real.x86
        )]
    );
}
