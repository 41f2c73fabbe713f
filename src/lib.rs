//! Validate and upgrade the container-image entries of CoreOS build metadata.
//!
//! A `meta.json` written by coreos-assembler describes the containers a build pushed
//! under the keys `oscontainer`, `base-oscontainer`, `extensions-container` and
//! `kubevirt`. Over the years those entries were written in several shapes; this crate
//! checks them against the agreed form `{image, digest, tags, ...}`, reports what is
//! wrong as located diagnostics, and rewrites them into that form without touching a
//! byte outside the entries it changes.
//!
//! ```
//! use oscontainer::{validate, upgrade, Options};
//!
//! let text = r#"{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}"#;
//! let report = validate(text, &Options::default());
//! assert!(!report.valid);
//! assert_eq!(report.diagnostics[0].code.as_str(), "image-embedded-digest");
//!
//! let result = upgrade(text, &Options::default());
//! assert_eq!(
//!     result.output,
//!     r#"{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}"#
//! );
//! assert!(result.valid);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod arches;
pub mod build;
pub mod build_id;
pub mod builds_index;
pub mod diagnostic;
pub mod digest;
pub mod document;
pub mod entry;
pub mod fix;
#[cfg(target_arch = "wasm32")]
pub mod js;
pub mod json;
pub mod params;
pub mod position;
pub mod readiness;
pub mod reference;
pub mod release;
pub mod schema;
pub mod structure;
pub mod suggest;
pub mod upgrade;

pub use arches::{
    compare_arches, compare_arches_with, ArchDiagnostic, ArchDocument, ArchReport, Presence,
    PresencePolicy,
};
pub use build::{
    check_build, check_release, BuildArch, BuildReport, EntryState, ReleaseCheck, ReleaseFindings,
};
pub use builds_index::{read_builds_index, BuildsIndex, Layout, ListedBuild};
pub use diagnostic::{Code, Diagnostic, Edit, Profile, Severity};
pub use document::{validate, validate_bytes, Options, Report};
pub use entry::{Change, Entry, Shape};
pub use readiness::{Readiness, Ready, State};
pub use release::{release_view, release_view_bytes, ReleaseEntry, ReleaseMetadata, ReleaseView};
pub use schema::{SchemaError, UserSchema};
pub use upgrade::{upgrade, upgrade_bytes, Upgrade};
