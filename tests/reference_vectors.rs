//! Checks `oscontainer::reference` against the test vectors taken from
//! github.com/distribution/reference v0.6 (and a few from containers/image).
//!
//! The vectors live outside the repository, in
//! `../shared/corpus/reference/distribution-reference-vectors.json` relative
//! to the crate root. When the file is missing the test is skipped, unless
//! `CI` is set, where a silent skip would hide a broken checkout.
//!
//! Our error kinds are finer than Go's; [`go_error_name`] maps them back to
//! the Go error each vector names. Vectors where we deliberately differ from
//! Go are listed in [`DELIBERATE_DIFFERENCES`] (see docs/references.md) and are
//! checked against *our* documented behaviour instead.

use std::collections::BTreeMap;
use std::path::PathBuf;

use oscontainer::reference::{
    familiar_string, is_domain, is_identifier, parse, parse_any_reference, parse_docker_ref,
    parse_named, parse_normalized_named, with_digest, with_name, with_tag, AnyReference, Reference,
    ReferenceError, ReferenceErrorKind,
};
use serde_json::Value;

const VECTORS: &str = "../shared/corpus/reference/distribution-reference-vectors.json";

/// The Go error a kind corresponds to.
///
/// `TagInvalid` is `ErrReferenceInvalidFormat` because Go's `Parse` only
/// knows that its regexp failed. `DigestInvalidFormat` maps to go-digest's
/// `ErrDigestInvalidFormat`, which is what Go returns for a digest that fits
/// its grammar but is not lower-case; for digests that do not even fit the
/// grammar Go says `ErrReferenceInvalidFormat` (listed in docs/references.md; no
/// vector covers it).
fn go_error_name(kind: ReferenceErrorKind) -> &'static str {
    match kind {
        ReferenceErrorKind::NameEmpty => "ErrNameEmpty",
        // A transport prefix (`docker://…`) is a format error to Go.
        ReferenceErrorKind::InvalidFormat
        | ReferenceErrorKind::TagInvalid
        | ReferenceErrorKind::TransportPrefix => "ErrReferenceInvalidFormat",
        ReferenceErrorKind::NameContainsUppercase => "ErrNameContainsUppercase",
        ReferenceErrorKind::NameTooLong => "ErrNameTooLong",
        ReferenceErrorKind::NameNotCanonical => "ErrNameNotCanonical",
        ReferenceErrorKind::DigestInvalidFormat => "digest.ErrDigestInvalidFormat",
        ReferenceErrorKind::DigestInvalidLength => "digest.ErrDigestInvalidLength",
        ReferenceErrorKind::DigestUnsupported => "digest.ErrDigestUnsupported",
    }
}

/// What we do instead of what a vector expects, on purpose.
enum Ours {
    /// We accept the input, and the reference displays as the input.
    Valid,
    /// We reject the input with this kind.
    Error(ReferenceErrorKind),
}

/// (api, input, why, what we do). Inputs are matched exactly.
struct Difference {
    api: &'static str,
    input: fn() -> String,
    why: &'static str,
    ours: Ours,
}

const SHA512_FFF: &str = "validname@sha512:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

const DELIBERATE_DIFFERENCES: &[Difference] = &[
    Difference {
        api: "Parse",
        input: || SHA512_FFF.to_string(),
        why: "we accept sha512 digests (Go's v0.6 test binary has no sha512 registered)",
        ours: Ours::Valid,
    },
    Difference {
        api: "Parse",
        input: || format!("{}a:tag", "a/".repeat(128)),
        why: "containers/image counts the whole name against 255; v0.6 counts the path only",
        ours: Ours::Valid,
    },
    Difference {
        api: "WithName",
        input: String::new,
        why: "an empty name is NameEmpty, as in Parse, not ErrReferenceInvalidFormat",
        ours: Ours::Error(ReferenceErrorKind::NameEmpty),
    },
];

/// `with_digest` validates the digest; Go's `WithDigest` checks only the
/// grammar, and these upstream vectors use a 35-hex "sha256" digest.
const SHORT_SHA256: &str = "sha256:1234567890098765432112345667890098765";

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(VECTORS)
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Compares an optional expected string field with what we produced.
fn expect(failures: &mut Vec<String>, label: &str, v: &Value, key: &str, got: Option<&str>) {
    // A null or absent field means the upstream test did not assert it.
    if let Some(want) = field(v, key) {
        if got != Some(want) {
            failures.push(format!("{label}: {key}: want {want:?}, got {got:?}"));
        }
    }
}

fn expect_tag_digest(failures: &mut Vec<String>, label: &str, v: &Value, r: &Reference) {
    // Null means "not asserted"; where the upstream test asserted absence
    // the vector also has `string`, which covers it.
    expect(failures, label, v, "tag", r.tag.as_deref());
    expect(failures, label, v, "digest", r.digest.as_deref());
}

fn expect_reference(
    failures: &mut Vec<String>,
    label: &str,
    v: &Value,
    r: &Reference,
    check_tag_digest: bool,
) {
    expect(failures, label, v, "domain", Some(&r.domain));
    expect(failures, label, v, "path", Some(&r.path));
    expect(failures, label, v, "name", Some(&r.name()));
    expect(failures, label, v, "string", Some(&r.to_string()));
    if check_tag_digest {
        expect_tag_digest(failures, label, v, r);
    }
}

/// Checks a result against `valid` / `error`.
fn expect_outcome<T>(
    failures: &mut Vec<String>,
    label: &str,
    v: &Value,
    result: &Result<T, ReferenceError>,
) -> bool {
    let valid = v.get("valid").and_then(Value::as_bool).unwrap_or(false);
    match (valid, result) {
        (true, Ok(_)) => true,
        (true, Err(e)) => {
            failures.push(format!("{label}: want valid, got {:?}: {e}", e.kind));
            false
        }
        (false, Ok(_)) => {
            failures.push(format!("{label}: want an error, got success"));
            false
        }
        (false, Err(e)) => {
            let only_err_asserted =
                field(v, "note").is_some_and(|n| n.contains("only asserts err != nil"));
            if let Some(want) = field(v, "error") {
                if want != "unspecified" && !only_err_asserted && go_error_name(e.kind) != want {
                    failures.push(format!(
                        "{label}: want {want}, got {:?} ({}): {e}",
                        e.kind,
                        go_error_name(e.kind)
                    ));
                }
            }
            false
        }
    }
}

fn check_difference(failures: &mut Vec<String>, label: &str, d: &Difference, input: &str) {
    let result = match d.api {
        "Parse" => parse(input),
        "WithName" => with_name(input),
        other => {
            failures.push(format!("{label}: no runner for difference api {other}"));
            return;
        }
    };
    match (&d.ours, result) {
        (Ours::Valid, Ok(r)) => {
            if r.to_string() != input {
                failures.push(format!("{label}: ({}) displays as {r}", d.why));
            }
        }
        (Ours::Error(kind), Err(e)) if e.kind == *kind => {}
        (_, other) => failures.push(format!("{label}: ({}) got {other:?}", d.why)),
    }
}

/// Runs one vector; returns false when its api is not implemented here.
fn check_vector(failures: &mut Vec<String>, index: usize, v: &Value) -> bool {
    let api = field(v, "api").unwrap_or_default();
    let input = field(v, "input").unwrap_or_default();
    let shown: String = input.chars().take(60).collect();
    let label = format!("#{index} {api} {shown:?}");
    let label = label.as_str();
    let valid = v.get("valid").and_then(Value::as_bool).unwrap_or(false);

    if let Some(d) = DELIBERATE_DIFFERENCES
        .iter()
        .find(|d| d.api == api && (d.input)() == input)
    {
        check_difference(failures, label, d, input);
        return true;
    }

    match api {
        "Parse" | "Parse (via Field.UnmarshalText)" | "regexp:referenceRegexp" => {
            let result = parse(input);
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect_reference(failures, label, v, r, true);
                }
            }
        }
        "WithName" | "regexp:anchoredNameRegexp" => {
            let result = with_name(input);
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect_reference(failures, label, v, r, false);
                }
            }
        }
        "ParseNamed" => {
            let result = parse_named(input);
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect_reference(failures, label, v, r, false);
                }
            }
        }
        "ParseNormalizedNamed" => {
            let result = parse_normalized_named(input);
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect_reference(failures, label, v, r, false);
                    expect_tag_digest(failures, label, v, r);
                    expect(failures, label, v, "normalized", Some(&r.to_string()));
                    expect(failures, label, v, "familiar", Some(&familiar_string(r)));
                }
            }
        }
        "ParseAnyReference" => {
            let result = parse_any_reference(input);
            if expect_outcome(failures, label, v, &result) {
                match &result {
                    Ok(AnyReference::Digest(d)) => {
                        expect(failures, label, v, "digest", Some(d));
                        expect(failures, label, v, "normalized", Some(d));
                        if field(v, "note").is_none_or(|n| !n.contains("digest-only")) {
                            failures.push(format!("{label}: unexpected digest-only result"));
                        }
                    }
                    Ok(AnyReference::Named(r)) => {
                        expect(failures, label, v, "normalized", Some(&r.to_string()));
                        if field(v, "note").is_some_and(|n| n.contains("digest-only")) {
                            failures.push(format!("{label}: want digest-only, got {r}"));
                        }
                    }
                    Err(_) => {}
                }
            }
        }
        "ParseDockerRef" => {
            let result = parse_docker_ref(input);
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect(failures, label, v, "docker_ref", Some(&r.to_string()));
                }
            }
        }
        "WithName+WithDigest+WithTag" | "WithName+WithTag+WithDigest" => {
            let tag = field(v, "tag");
            let digest = field(v, "digest");
            if digest == Some(SHORT_SHA256) {
                // Deliberate difference: the digest is validated.
                let name = with_name(input);
                let got = name
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|n| with_digest(n, SHORT_SHA256));
                match got {
                    Err(e) if e.kind == ReferenceErrorKind::DigestInvalidLength => {}
                    other => failures.push(format!(
                        "{label}: want DigestInvalidLength for the 35-hex sha256, got {other:?}"
                    )),
                }
                return true;
            }
            let mut result = with_name(input);
            let order: [Option<bool>; 2] = if api.ends_with("WithTag") {
                [digest.map(|_| false), tag.map(|_| true)]
            } else {
                [tag.map(|_| true), digest.map(|_| false)]
            };
            for is_tag in order.into_iter().flatten() {
                result = result.and_then(|r| {
                    if is_tag {
                        with_tag(&r, tag.unwrap_or_default())
                    } else {
                        with_digest(&r, digest.unwrap_or_default())
                    }
                });
            }
            if expect_outcome(failures, label, v, &result) {
                if let Ok(r) = &result {
                    expect(failures, label, v, "string", Some(&r.to_string()));
                    expect_tag_digest(failures, label, v, r);
                }
            }
        }
        "ParseNormalizedNamed+WithTag" | "ParseNormalizedNamed+WithDigest" => {
            let result = parse_normalized_named(input).and_then(|r| {
                if api.ends_with("WithTag") {
                    with_tag(&r, field(v, "tag").unwrap_or_default())
                } else {
                    with_digest(&r, field(v, "digest").unwrap_or_default())
                }
            });
            expect_outcome(failures, label, v, &result);
        }
        "regexp:^domainAndPort$" => {
            if is_domain(input) != valid {
                failures.push(format!("{label}: is_domain: want {valid}"));
            }
        }
        "regexp:^[a-f0-9]{64}$ (identifier)" => {
            if is_identifier(input) != valid {
                failures.push(format!("{label}: is_identifier: want {valid}"));
            }
        }
        _ => return false,
    }
    true
}

#[test]
fn distribution_reference_vectors() {
    let path = vectors_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("reference vectors missing at {} in CI: {e}", path.display())
        }
        Err(e) => {
            eprintln!(
                "skipping reference vectors: cannot read {}: {e}",
                path.display()
            );
            return;
        }
    };
    let vectors: Vec<Value> = serde_json::from_str(&text).expect("vector file is a JSON array");
    assert!(!vectors.is_empty(), "no vectors in {}", path.display());

    let mut failures = Vec::new();
    let mut checked = 0usize;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (index, v) in vectors.iter().enumerate() {
        if check_vector(&mut failures, index, v) {
            checked += 1;
        } else {
            let api = field(v, "api").unwrap_or("<none>").to_string();
            *skipped.entry(api).or_default() += 1;
        }
    }
    let skipped_total: usize = skipped.values().sum();
    let skipped_apis: Vec<String> = skipped.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    eprintln!(
        "{checked} vectors checked, {skipped_total} skipped (api not implemented: {})",
        if skipped_apis.is_empty() {
            "none".to_string()
        } else {
            skipped_apis.join(", ")
        }
    );
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The differences that show up in the vectors, checked without the file so
/// they are tested even where the corpus is absent.
#[test]
fn deliberate_differences_in_vectors() {
    let mut failures = Vec::new();
    for d in DELIBERATE_DIFFERENCES {
        let input = (d.input)();
        check_difference(&mut failures, &format!("{} {input:?}", d.api), d, &input);
    }
    let name = with_name("test.com:8000/foo").expect("valid name");
    match with_digest(&name, SHORT_SHA256) {
        Err(e) => assert_eq!(e.kind, ReferenceErrorKind::DigestInvalidLength),
        Ok(r) => failures.push(format!("with_digest accepted {r}")),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
