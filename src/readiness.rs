//! The consumers' rules: which downstream tool reads which entry, what it needs, and
//! what it makes of what it finds (`../shared/domain.md`, "Consumer rules, key by key").
//!
//! Every verdict here is about one tool and must be true of that tool. The tools read
//! the entries as written and join strings without checking them, so these rules look
//! at the raw fields, not at the normalised view the entry checker builds:
//!
//! | use | tool | keys it reads |
//! | --- | --- | --- |
//! | pull by digest | ART's release assembly, cosa `oc-adm-release` (`image + "@" + digest`) | every entry |
//! | release metadata | cosa `generate-release-meta` | `base-oscontainer`, `kubevirt` |
//! | signing | cosa `sign` | `base-oscontainer` (+ `manifest-list-digest`) |
//! | garbage collection | cosa `prune` | `base-oscontainer` and its `additional-images` |
//!
//! A bare entry (pasted without its key) is judged by every rule: the key is unknown,
//! and the user wants to know what each tool would make of it.

use serde::Serialize;

use crate::diagnostic::{quote, Code};
use crate::digest::parse_digest;
use crate::json::{last_member, Kind, Node, Value};
use crate::reference;

/// The keys cosa's `generate-release-meta` makes release metadata from.
pub const RELEASED_KEYS: [&str; 2] = ["base-oscontainer", "kubevirt"];

/// The key cosa `sign` and cosa `prune` read.
const SIGNED_KEY: &str = "base-oscontainer";

/// Whether a use applies to an entry and, if so, whether the entry serves it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The tool gets what it needs.
    Ready,
    /// The tool reads this entry and would fail, or produce something wrong.
    #[default]
    NotReady,
    /// The tool does not read this entry at all.
    NotApplicable,
}

/// One downstream use of an entry: its state, and why when it is not ready or does not
/// apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ready {
    /// Ready, not ready, or not applicable.
    pub state: State,
    /// Why not ready, or why the tool does not read this entry; `None` when ready.
    pub reason: Option<String>,
}

impl Ready {
    fn yes() -> Self {
        Ready {
            state: State::Ready,
            reason: None,
        }
    }

    fn no(reason: impl Into<String>) -> Self {
        Ready {
            state: State::NotReady,
            reason: Some(reason.into()),
        }
    }

    fn not_applicable(reason: impl Into<String>) -> Self {
        Ready {
            state: State::NotApplicable,
            reason: Some(reason.into()),
        }
    }

    /// True when the use applies and the entry serves it.
    pub fn is_ready(&self) -> bool {
        self.state == State::Ready
    }
}

/// Which downstream uses an entry serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// ART's release assembly and cosa `oc-adm-release`: `image + "@" + digest`.
    pub pull_by_digest: Ready,
    /// cosa `generate-release-meta`: `base-oscontainer` and `kubevirt` only.
    pub release_metadata: Ready,
    /// cosa `sign`: `base-oscontainer` only.
    pub signing: Ready,
    /// cosa `prune`: `base-oscontainer` and its `additional-images` only.
    pub garbage_collection: Ready,
}

/// Where an entry sits, which decides the tools that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'k> {
    /// A top-level entry under `key`.
    TopLevel(&'k str),
    /// An item of `additional-images` of the entry under `key` (`None`: a bare entry's).
    AdditionalImage(Option<&'k str>),
    /// An entry pasted on its own; its key is unknown.
    Bare,
}

impl<'k> Place<'k> {
    /// The place of an entry under `key` (`None` for a bare entry), or of one of its
    /// additional images when `item`.
    pub fn of(key: Option<&'k str>, item: bool) -> Self {
        match (key, item) {
            (_, true) => Place::AdditionalImage(key),
            (Some(key), false) => Place::TopLevel(key),
            (None, false) => Place::Bare,
        }
    }
}

/// A field of an entry as the tools read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field<'n> {
    Absent,
    Other(Kind),
    Text(&'n str),
}

/// The fields the tools read, as written.
struct Written<'n> {
    image: Field<'n>,
    digest: Field<'n>,
    tags: Option<&'n Node<'n>>,
    manifest_list_digest: Field<'n>,
}

fn field<'n>(node: Option<&'n Node<'n>>) -> Field<'n> {
    match node {
        None => Field::Absent,
        Some(n) => match n.as_str() {
            Some(s) => Field::Text(s),
            None => Field::Other(n.value.kind()),
        },
    }
}

/// The tags as a tool iterating `tags` sees them, or why it cannot.
enum Tags<'n> {
    Absent,
    NotAList(Kind),
    /// An item that is not a string (cosa's `rel not in tag` raises TypeError).
    NotAString(usize, Kind),
    List(Vec<&'n str>),
}

fn tags<'n>(node: Option<&'n Node<'n>>) -> Tags<'n> {
    let Some(node) = node else {
        return Tags::Absent;
    };
    let Value::Array(items) = &node.value else {
        return Tags::NotAList(node.value.kind());
    };
    let mut list = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item.node.as_str() {
            Some(tag) => list.push(tag),
            None => return Tags::NotAString(index, item.node.value.kind()),
        }
    }
    Tags::List(list)
}

/// What cosa's `generate-release-meta` does with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseOutcome {
    /// cosa does not read this entry.
    NotApplicable(String),
    /// cosa writes these two strings, and both are the references they should be.
    Writes {
        /// `image + ":" + floating tag`.
        image: String,
        /// `image + "@" + digest`.
        digest_ref: String,
        /// The floating tag.
        floating_tag: String,
    },
    /// cosa writes these two strings, and at least one is not the reference it should be.
    WritesWrong {
        /// `image + ":" + floating tag`, as cosa joins it.
        image: String,
        /// `image + "@" + digest`, as cosa joins it.
        digest_ref: String,
        /// The floating tag.
        floating_tag: String,
        /// The field at fault (`image` or `digest`).
        field: &'static str,
        /// What is wrong, quoting the strings.
        reason: String,
    },
    /// cosa raises an exception on this entry.
    Fails {
        /// The code the release view reports it under.
        code: Code,
        /// The field at fault, or `None` for the entry itself.
        field: Option<&'static str>,
        /// What cosa does, e.g. `cosa raises KeyError: no "digest"`.
        reason: String,
    },
}

impl ReleaseOutcome {
    fn readiness(&self) -> Ready {
        match self {
            ReleaseOutcome::NotApplicable(reason) => Ready::not_applicable(reason.clone()),
            ReleaseOutcome::Writes { .. } => Ready::yes(),
            ReleaseOutcome::WritesWrong { reason, .. } | ReleaseOutcome::Fails { reason, .. } => {
                Ready::no(reason.clone())
            }
        }
    }
}

/// The tags split by whether they contain the build id, as cosa's `get_floating_tag`
/// splits them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagSplit {
    /// Tags that do not contain the build id (`stable`, `4.13`, …).
    pub floating: Vec<String>,
    /// Tags that contain it (`36.20221014.3.0`, `4.13-x86_64-36.2022…`).
    pub build: Vec<String>,
}

/// Splits `tags` into floating and build tags.
pub fn split_tags<S: AsRef<str>>(tags: &[S], build_id: &str) -> TagSplit {
    let mut split = TagSplit::default();
    for tag in tags {
        let tag = tag.as_ref();
        if !build_id.is_empty() && tag.contains(build_id) {
            split.build.push(tag.to_owned());
        } else {
            split.floating.push(tag.to_owned());
        }
    }
    split
}

/// The readiness of the entry `node` at `place`.
pub fn readiness(node: &Node<'_>, place: Place<'_>, build_id: Option<&str>) -> Readiness {
    let Some(members) = node.members() else {
        let reason = format!(
            "the entry is {}, not an object",
            node.value.kind().article_name()
        );
        let no = |applies: Option<String>| match applies {
            Some(why_not) => Ready::not_applicable(why_not),
            None => Ready::no(reason.clone()),
        };
        return Readiness {
            pull_by_digest: no(pull_not_applicable(place)),
            release_metadata: no(release_not_applicable(place)),
            signing: no(signing_not_applicable(place)),
            garbage_collection: no(pruning_not_applicable(place)),
        };
    };
    let get = |name: &str| last_member(members, name).map(|m| &m.value);
    let tags_node = get("tags");
    let written = Written {
        image: field(get("image")),
        digest: field(get("digest")),
        tags: tags_node,
        manifest_list_digest: field(get("manifest-list-digest")),
    };
    Readiness {
        pull_by_digest: pull_by_digest(&written, place),
        release_metadata: release_outcome(node, place, build_id).readiness(),
        signing: signing(&written, place),
        garbage_collection: garbage_collection(&written, place),
    }
}

fn pull_not_applicable(place: Place<'_>) -> Option<String> {
    match place {
        Place::AdditionalImage(_) => Some(
            "ART and cosa oc-adm-release do not read additional-images (only cosa prune does)"
                .to_owned(),
        ),
        Place::TopLevel(_) | Place::Bare => None,
    }
}

fn release_not_applicable(place: Place<'_>) -> Option<String> {
    match place {
        Place::TopLevel(key) if !RELEASED_KEYS.contains(&key) => Some(format!(
            "cosa does not make release metadata from {key} (only from base-oscontainer and kubevirt)"
        )),
        Place::AdditionalImage(_) => Some(
            "cosa makes release metadata from the top-level entry, not from additional-images"
                .to_owned(),
        ),
        Place::TopLevel(_) | Place::Bare => None,
    }
}

fn signing_not_applicable(place: Place<'_>) -> Option<String> {
    match place {
        Place::TopLevel(key) if key != SIGNED_KEY => Some(format!(
            "cosa sign does not read {key} (only base-oscontainer)"
        )),
        Place::AdditionalImage(_) => {
            Some("cosa sign does not read additional-images (only base-oscontainer)".to_owned())
        }
        Place::TopLevel(_) | Place::Bare => None,
    }
}

fn pruning_not_applicable(place: Place<'_>) -> Option<String> {
    match place {
        Place::TopLevel(key) | Place::AdditionalImage(Some(key)) if key != SIGNED_KEY => {
            Some(format!(
                "cosa prune does not read {key} (only base-oscontainer and its additional-images)"
            ))
        }
        Place::TopLevel(_) | Place::AdditionalImage(_) | Place::Bare => None,
    }
}

/// Why `image` is not a repository that cosa can join a tag or digest to, if it is not.
fn image_problem(image: &str) -> Option<String> {
    match reference::parse_borrowed(image) {
        Err(e) => Some(format!(
            "image {} is not a valid reference: {}",
            quote(image),
            e.message
        )),
        Ok(r) if r.digest.is_some() => {
            Some(format!("image {} already carries a digest", quote(image)))
        }
        Ok(r) if r.tag.is_some() => Some(format!("image {} already carries a tag", quote(image))),
        Ok(_) => None,
    }
}

fn digest_problem(digest: &str) -> Option<String> {
    parse_digest(digest)
        .err()
        .map(|_| format!("digest {} is not a valid digest", quote(digest)))
}

/// Why a tool cannot read a field, and whether it was missing (KeyError) rather than of
/// the wrong type.
struct Unreadable {
    missing: bool,
    reason: String,
}

impl From<Unreadable> for String {
    fn from(unreadable: Unreadable) -> String {
        unreadable.reason
    }
}

impl<'n> Field<'n> {
    /// The string a tool reads; `raises` is the tool and its verb ("cosa sign raises").
    fn text(self, name: &str, raises: &str) -> Result<&'n str, Unreadable> {
        match self {
            Field::Text(text) => Ok(text),
            Field::Absent => Err(Unreadable {
                missing: true,
                reason: format!("{raises} KeyError: no \"{name}\""),
            }),
            Field::Other(kind) => Err(Unreadable {
                missing: false,
                reason: format!(
                    "{raises} TypeError: \"{name}\" is {}, not a string",
                    kind.article_name()
                ),
            }),
        }
    }
}

impl<'n> Tags<'n> {
    /// The tags a tool iterates over, or why it cannot.
    fn list(self, raises: &str) -> Result<Vec<&'n str>, Unreadable> {
        let invalid = |reason: String| Unreadable {
            missing: false,
            reason,
        };
        match self {
            Tags::List(list) => Ok(list),
            Tags::Absent => Err(Unreadable {
                missing: true,
                reason: format!("{raises} KeyError: no \"tags\""),
            }),
            Tags::NotAList(kind) => Err(invalid(format!(
                "\"tags\" is {}, not a list of tags",
                kind.article_name()
            ))),
            Tags::NotAString(index, kind) => Err(invalid(format!(
                "{raises} TypeError: item {index} of \"tags\" is {}, not a tag",
                kind.article_name()
            ))),
        }
    }
}

/// Folds a rule written with `?` into its readiness.
fn verdict(rule: Result<(), String>) -> Ready {
    match rule {
        Ok(()) => Ready::yes(),
        Err(reason) => Ready::no(reason),
    }
}

fn pull_by_digest(written: &Written<'_>, place: Place<'_>) -> Ready {
    const TOOL: &str = "cosa oc-adm-release and ART's release assembly raise";
    if let Some(reason) = pull_not_applicable(place) {
        return Ready::not_applicable(reason);
    }
    verdict((|| {
        let image = written.image.text("image", TOOL)?;
        let digest = written.digest.text("digest", TOOL)?;
        digest_problem(digest).map_or(Ok(()), Err)?;
        // A tag before the digest still pulls by digest (`repo:tag@sha256:…`).
        match reference::parse_borrowed(image) {
            Err(e) => Err(format!(
                "image {} is not a valid reference: {}",
                quote(image),
                e.message
            )),
            Ok(r) if r.digest.is_some() => Err(format!(
                "image {} already carries a digest: cosa oc-adm-release and ART's release assembly join image and digest into {}, which is not a reference",
                quote(image),
                quote(&format!("{image}@{digest}"))
            )),
            Ok(_) => Ok(()),
        }
    })())
}

fn signing(written: &Written<'_>, place: Place<'_>) -> Ready {
    const TOOL: &str = "cosa sign raises";
    if let Some(reason) = signing_not_applicable(place) {
        return Ready::not_applicable(reason);
    }
    verdict((|| {
        let digest = written.digest.text("digest", TOOL)?;
        let list = tags(written.tags).list(TOOL)?;
        digest_problem(digest).map_or(Ok(()), Err)?;
        let image = written.image.text("image", TOOL)?;
        let first = list.first().ok_or("no tags to sign")?;
        if let Some(problem) = image_problem(image) {
            return Err(format!(
                "{problem}: cosa sign would sign {}",
                quote(&format!("{image}:{first}"))
            ));
        }
        if let Field::Text(list_digest) = written.manifest_list_digest {
            if parse_digest(list_digest).is_err() {
                return Err(format!(
                    "manifest-list-digest {} is not a valid digest",
                    quote(list_digest)
                ));
            }
        }
        Ok(())
    })())
}

fn garbage_collection(written: &Written<'_>, place: Place<'_>) -> Ready {
    if let Some(reason) = pruning_not_applicable(place) {
        return Ready::not_applicable(reason);
    }
    match written.image {
        Field::Text(_) => {}
        Field::Absent => return Ready::no("no \"image\": cosa prune has no repository to prune"),
        Field::Other(kind) => {
            return Ready::no(format!(
                "\"image\" is {}: cosa prune has no repository to prune",
                kind.article_name()
            ))
        }
    }
    match tags(written.tags) {
        Tags::List(list) if !list.is_empty() => Ready::yes(),
        Tags::Absent | Tags::List(_) => Ready::no(
            "no tags recorded: cosa prune cannot remove tags it does not know were pushed",
        ),
        Tags::NotAList(kind) => Ready::no(format!(
            "\"tags\" is {}, not a list of tags",
            kind.article_name()
        )),
        Tags::NotAString(index, kind) => Ready::no(format!(
            "item {index} of \"tags\" is {}, not a tag",
            kind.article_name()
        )),
    }
}

/// What cosa's `generate-release-meta` does with the entry `node` at `place`: it joins
/// `image + ":" + floating tag` and `image + "@" + digest`, where the floating tag is
/// the single tag that does not contain the build id.
pub fn release_outcome(
    node: &Node<'_>,
    place: Place<'_>,
    build_id: Option<&str>,
) -> ReleaseOutcome {
    const TOOL: &str = "cosa's generate-release-meta raises";
    if let Some(reason) = release_not_applicable(place) {
        return ReleaseOutcome::NotApplicable(reason);
    }
    let fails = |code: Code, field: Option<&'static str>, reason: String| ReleaseOutcome::Fails {
        code,
        field,
        reason,
    };
    let Some(members) = node.members() else {
        return fails(
            Code::ReleaseFieldInvalid,
            None,
            format!(
                "{TOOL} TypeError: the entry is {}, not an object",
                node.value.kind().article_name()
            ),
        );
    };
    let get = |name: &str| last_member(members, name).map(|m| &m.value);
    let unreadable = |name: &'static str, u: Unreadable| {
        let code = if u.missing {
            Code::ReleaseFieldMissing
        } else {
            Code::ReleaseFieldInvalid
        };
        fails(code, Some(name), u.reason)
    };
    // cosa reads image, then the floating tag from tags, then digest.
    let image = match field(get("image")).text("image", TOOL) {
        Ok(image) => image,
        Err(u) => return unreadable("image", u),
    };
    let list = match tags(get("tags")).list(TOOL) {
        Ok(list) => list,
        Err(u) => return unreadable("tags", u),
    };
    let Some(build_id) = build_id.filter(|id| !id.is_empty()) else {
        return fails(
            Code::BuildIdMissing,
            None,
            "no build id is known to tell the floating tag from build tags".to_owned(),
        );
    };
    let split = split_tags(&list, build_id);
    let floating_tag = match split.floating.as_slice() {
        [one] => one.clone(),
        [] => {
            return fails(
                Code::FloatingTagMissing,
                Some("tags"),
                if list.is_empty() {
                    format!("\"tags\" is empty, so {TOOL} ValueError: it needs one tag without the build id")
                } else {
                    format!("no floating tag: every tag contains the build id {build_id}, so {TOOL} ValueError")
                },
            )
        }
        several => {
            return fails(
                Code::FloatingTagAmbiguous,
                Some("tags"),
                format!(
                    "{} floating tags ({}): {TOOL} ValueError, it needs exactly one",
                    several.len(),
                    several.join(", ")
                ),
            )
        }
    };
    let digest = match field(get("digest")).text("digest", TOOL) {
        Ok(digest) => digest,
        Err(u) => return unreadable("digest", u),
    };
    let image_ref = format!("{image}:{floating_tag}");
    let digest_ref = format!("{image}@{digest}");
    let problem = image_problem(image)
        .map(|p| ("image", p))
        .or_else(|| digest_problem(digest).map(|p| ("digest", p)))
        .or_else(|| {
            reference::validate_tag(&floating_tag).err().map(|e| {
                (
                    "tags",
                    format!(
                        "the floating tag {} is not a valid tag: {}",
                        quote(&floating_tag),
                        e.message
                    ),
                )
            })
        });
    match problem {
        None => ReleaseOutcome::Writes {
            image: image_ref,
            digest_ref,
            floating_tag,
        },
        Some((field, problem)) => ReleaseOutcome::WritesWrong {
            reason: format!(
                "{problem}, so cosa would write {} and {}",
                quote(&image_ref),
                quote(&digest_ref)
            ),
            image: image_ref,
            digest_ref,
            floating_tag,
            field,
        },
    }
}
