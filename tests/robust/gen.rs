//! Structure-aware inputs: a `meta.json` (or a fragment, or a bare entry) with entries of
//! every shape, described by an `arbitrary`-generated [`DocSpec`] and written out by
//! [`DocSpec::render`] with varied layout: indentation, CRLF, compact objects, spacing
//! around colons, sorted or unsorted keys, escapes in strings, duplicate keys, wrong types.
//!
//! Shared by the property tests (bytes from proptest) and the `upgrade_structured` fuzz
//! target (bytes from libFuzzer); both turn bytes into a spec with `arbitrary`.

use arbitrary::{Arbitrary, Unstructured};

const HEX: [&str; 3] = [
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
    "00000000000000000000000000000000000000000000000000000000000000ff",
];

/// The whole input.
#[derive(Debug, Clone, Arbitrary)]
pub struct DocSpec {
    /// An object, members without braces, or one entry on its own.
    pub form: Form,
    /// How the document is laid out.
    pub layout: LayoutSpec,
    /// Keys written in sorted order, as `json.dump(sort_keys=True)` does.
    pub sorted: bool,
    /// The container entries.
    #[arbitrary(with = small_vec::<(EntryKey, EntrySpec), 1, 4>)]
    pub entries: Vec<(EntryKey, EntrySpec)>,
    /// Other top-level members.
    #[arbitrary(with = small_vec::<TopMember, 0, 5>)]
    pub members: Vec<TopMember>,
    /// How entries and other members interleave (bit set: an entry comes next).
    pub order: u32,
    /// For [`Form::Bare`]: the entry.
    pub bare: EntrySpec,
    /// A newline after the document.
    pub final_newline: bool,
}

/// What the text is.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    /// `{ ... }`
    Object,
    /// `"key": value, ...` as pasted from chat, optionally with a trailing comma.
    Fragment {
        /// Ends with `,`.
        trailing_comma: bool,
    },
    /// `{"image": ...}`: a container entry on its own.
    Bare,
}

impl<'a> Arbitrary<'a> for Form {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..=169 => Form::Object,
            170..=219 => Form::Fragment {
                trailing_comma: bool::arbitrary(u)?,
            },
            _ => Form::Bare,
        })
    }
}

/// Layout of the document; an entry may override it.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct LayoutSpec {
    /// `None`: one line.
    pub indent: Option<Indent>,
    /// `\r\n` instead of `\n`.
    pub crlf: bool,
    /// Between key and value.
    pub colon: Colon,
    /// After `,` on one line: `", "` or `","`.
    pub space_after_comma: bool,
    /// Spaces at the end of lines / before a closing brace.
    pub trailing_space: bool,
}

/// One level of indentation.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Indent {
    /// n spaces (n = 0..=8).
    Spaces(u8),
    /// A tab.
    Tab,
}

/// How key and value are separated.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Colon {
    /// `":"`
    Tight,
    /// `": "`
    Space,
    /// `" : "`
    Both,
    /// `":\t"`
    Tab,
}

/// A top-level member.
#[derive(Debug, Clone, Arbitrary)]
pub enum TopMember {
    /// One of the four entry keys.
    Entry(EntryKey, EntrySpec),
    /// `buildid`.
    BuildId(Text),
    /// `images.legacy-oscontainer`-like file artefacts and other members that are no entry.
    Other(KeyName, Scalar),
    /// A nested object that must come through untouched.
    Nested(
        KeyName,
        #[arbitrary(with = small_vec::<(KeyName, Scalar), 0, 3>)] Vec<(KeyName, Scalar)>,
    ),
}

/// The four entry keys.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum EntryKey {
    /// `oscontainer`
    Oscontainer,
    /// `base-oscontainer`
    BaseOscontainer,
    /// `extensions-container`
    ExtensionsContainer,
    /// `kubevirt`
    Kubevirt,
}

impl EntryKey {
    fn name(self) -> &'static str {
        match self {
            EntryKey::Oscontainer => "oscontainer",
            EntryKey::BaseOscontainer => "base-oscontainer",
            EntryKey::ExtensionsContainer => "extensions-container",
            EntryKey::Kubevirt => "kubevirt",
        }
    }
}

/// A key that is not an entry key.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum KeyName {
    /// `buildid`-like keys found in meta.json.
    Known(u8),
    /// A key with escapes, non-ASCII or control characters.
    Odd(u8),
}

impl KeyName {
    fn text(self) -> Text {
        const KNOWN: [&str; 8] = [
            "ostree-commit",
            "name",
            "images",
            "coreos-assembler.basearch",
            "pkgdiff",
            "a",
            "zz-last",
            "",
        ];
        const ODD: [&str; 6] = ["ké/y~", "tab\tkey", "😀", "x\u{0}y", "\"q\"", "back\\slash"];
        match self {
            KeyName::Known(i) => Text::plain(KNOWN[usize::from(i) % KNOWN.len()]),
            KeyName::Odd(i) => Text::escaped(ODD[usize::from(i) % ODD.len()], i),
        }
    }
}

/// A string value and how its characters are written.
#[derive(Debug, Clone, Arbitrary)]
pub struct Text {
    /// The decoded value.
    pub value: String,
    /// How to escape it: below 224 plain, else a pattern of `\uXXXX` / `\/` escapes.
    pub escapes: u8,
}

impl Text {
    fn plain(value: &str) -> Text {
        Text {
            value: value.to_owned(),
            escapes: 0,
        }
    }

    fn escaped(value: &str, escapes: u8) -> Text {
        Text {
            value: value.to_owned(),
            escapes,
        }
    }
}

/// A value that is not an entry.
#[derive(Debug, Clone, Arbitrary)]
pub enum Scalar {
    /// A string.
    Str(Text),
    /// A number, written in one of several forms.
    Number(u8),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An empty or short array of numbers.
    Array(u8),
    /// `{}`.
    EmptyObject,
}

/// `MIN..=MAX` items, the count read from the next byte (not from the end of the data,
/// as `Vec`'s own `Arbitrary` does, which leaves most lists empty).
fn small_vec<'a, T: Arbitrary<'a>, const MIN: usize, const MAX: usize>(
    u: &mut Unstructured<'a>,
) -> arbitrary::Result<Vec<T>> {
    let count = MIN + usize::from(u8::arbitrary(u)?) % (MAX - MIN + 1);
    (0..count).map(|_| T::arbitrary(u)).collect()
}

/// An entry value.
#[derive(Debug, Clone)]
pub enum EntrySpec {
    /// A shape seen in the wild, filled in.
    Shape(ShapeSpec),
    /// Any fields, in any order, duplicates possible.
    Fields(Vec<FieldSpec>),
    /// Not an object at all.
    NotObject(Scalar),
}

impl<'a> Arbitrary<'a> for EntrySpec {
    /// Mostly the shapes seen in the wild, so that most documents have something to fix.
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..=179 => EntrySpec::Shape(ShapeSpec::arbitrary(u)?),
            180..=234 => EntrySpec::Fields(small_vec::<FieldSpec, 1, 6>(u)?),
            _ => EntrySpec::NotObject(Scalar::arbitrary(u)?),
        })
    }
}

/// The shapes of the domain notes.
#[derive(Debug, Clone, Arbitrary)]
pub struct ShapeSpec {
    /// Which shape.
    pub kind: ShapeKind,
    /// The repository.
    pub repo: Repo,
    /// Which digest (index into a small set so that equal digests happen).
    pub digest: u8,
    /// Tags for the tagged shape / the image's tag.
    #[arbitrary(with = small_vec::<TagSpec, 1, 4>)]
    pub tags: Vec<TagSpec>,
    /// Extra fields of the extended form.
    #[arbitrary(with = small_vec::<FieldSpec, 0, 2>)]
    pub extra: Vec<FieldSpec>,
    /// Additional images.
    #[arbitrary(with = small_vec::<ItemSpec, 0, 2>)]
    pub additional: Vec<ItemSpec>,
    /// Its own layout (e.g. compact inside an indented document).
    pub layout: Option<LayoutSpec>,
    /// Escapes in the keys and in the image and digest strings (0: none).
    pub escapes: u8,
}

/// Which shape.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum ShapeKind {
    /// `{digest, image}`
    Split,
    /// `{image, digest, tags}`
    Tagged,
    /// `{image: repo@digest}`
    Embedded,
    /// `{image: repo:tag@digest}`
    EmbeddedTagged,
    /// `{image: repo:tag}`
    TaggedImage,
    /// `{image: repo}`
    ImageOnly,
    /// no `image`
    NoImage,
    /// image with digest and a conflicting `digest`
    Conflict,
    /// `image@D` plus `digest: D` written in upper case
    EmbeddedAndUpper,
}

/// A repository (valid and not).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Repo(pub u8);

impl Repo {
    fn text(self) -> &'static str {
        const REPOS: [&str; 12] = [
            "quay.io/fedora/fedora-coreos",
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev",
            "registry.example.com:5000/a/b",
            "localhost/x",
            "[2001:db8::1]:443/os",
            "fedora",
            "docker.io/library/fedora",
            "Quay.io/Fedora/coreos",
            "quay.io/a//b",
            "",
            "quay.io/a/b:",
            "q.io/é",
        ];
        REPOS[usize::from(self.0) % REPOS.len()]
    }
}

/// A tag (valid and not).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum TagSpec {
    /// From a list.
    Listed(u8),
    /// Not a string.
    NotString(u8),
}

const TAGS: [&str; 10] = [
    "stable",
    "36.20221014.3.0",
    "latest",
    "x86_64",
    "stable",
    "-bad",
    "",
    "tag with space",
    "v1.0-rc_1",
    "ünïcode",
];

/// A field of an entry.
#[derive(Debug, Clone, Arbitrary)]
pub enum FieldSpec {
    /// `image` with an optional tag and digest.
    Image(Repo, Option<u8>, Option<u8>),
    /// `image` of another type.
    ImageWrong(Scalar),
    /// `digest`.
    Digest(DigestSpec),
    /// `tags` as an array.
    Tags(#[arbitrary(with = small_vec::<TagSpec, 0, 4>)] Vec<TagSpec>),
    /// `tags` as one string.
    TagString(u8),
    /// `tags` of another type.
    TagsWrong(Scalar),
    /// `manifest-list-digest`.
    ManifestList(DigestSpec),
    /// `comment`.
    Comment(Scalar),
    /// `additional-images` as an array.
    Additional(#[arbitrary(with = small_vec::<ItemSpec, 0, 3>)] Vec<ItemSpec>),
    /// `additional-images` of another type.
    AdditionalWrong(Scalar),
    /// A field the agreed form does not know (typos included).
    Unknown(u8, Scalar),
}

/// An item of `additional-images`.
#[derive(Debug, Clone, Arbitrary)]
pub enum ItemSpec {
    /// An object with these fields.
    Object(#[arbitrary(with = small_vec::<FieldSpec, 1, 4>)] Vec<FieldSpec>),
    /// Something else.
    NotObject(Scalar),
}

/// A digest value.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum DigestSpec {
    /// `sha256:<hex>`, one of three.
    Valid(u8),
    /// Upper-case hex (repairable).
    Upper(u8),
    /// 64 hex without `sha256:` (repairable).
    NoAlgorithm(u8),
    /// `sha512:<128 hex>`.
    Sha512,
    /// Too short, unsupported algorithm, empty, garbage.
    Broken(u8),
    /// Not a string.
    NotString(u8),
}

impl DigestSpec {
    fn value(self) -> Value {
        let hex = |i: u8| HEX[usize::from(i) % HEX.len()];
        match self {
            DigestSpec::Valid(i) => Value::str(&format!("sha256:{}", hex(i))),
            DigestSpec::Upper(i) => Value::str(&format!("sha256:{}", hex(i).to_uppercase())),
            DigestSpec::NoAlgorithm(i) => Value::str(hex(i)),
            DigestSpec::Sha512 => Value::str(&format!("sha512:{}{}", HEX[0], HEX[1])),
            DigestSpec::Broken(i) => {
                const BROKEN: [&str; 6] =
                    ["sha256:abcd", "md5:0123", "", "sha256:", ":", "sha384:zz"];
                Value::str(BROKEN[usize::from(i) % BROKEN.len()])
            }
            DigestSpec::NotString(i) => scalar_value(&number_or_null(i)),
        }
    }
}

fn number_or_null(i: u8) -> Scalar {
    match i % 3 {
        0 => Scalar::Number(i),
        1 => Scalar::Null,
        _ => Scalar::Array(i),
    }
}

/// A JSON value ready to be written.
#[derive(Debug, Clone)]
enum Value {
    /// Raw JSON text (numbers, literals).
    Raw(String),
    /// A string with its escape pattern.
    Str(Text),
    /// Members in order.
    Object(Vec<(Text, Value)>, Option<LayoutSpec>),
    /// Items.
    Array(Vec<Value>),
}

impl Value {
    fn str(s: &str) -> Value {
        Value::Str(Text::plain(s))
    }
}

fn scalar_value(s: &Scalar) -> Value {
    match s {
        Scalar::Str(t) => Value::Str(Text {
            value: t.value.chars().take(40).collect(),
            escapes: t.escapes,
        }),
        Scalar::Number(i) => {
            const NUMBERS: [&str; 10] = [
                "0",
                "-0",
                "1.0",
                "1.5e10",
                "-2E-3",
                "42",
                "12345678901234567890",
                "0.1",
                "1e308",
                "3",
            ];
            Value::Raw(NUMBERS[usize::from(*i) % NUMBERS.len()].to_owned())
        }
        Scalar::Bool(b) => Value::Raw(b.to_string()),
        Scalar::Null => Value::Raw("null".to_owned()),
        Scalar::Array(n) => Value::Array((0..n % 3).map(|i| Value::Raw(i.to_string())).collect()),
        Scalar::EmptyObject => Value::Object(Vec::new(), None),
    }
}

fn tag_value(t: &TagSpec) -> Value {
    match t {
        TagSpec::Listed(i) => Value::str(TAGS[usize::from(*i) % TAGS.len()]),
        TagSpec::NotString(i) => scalar_value(&number_or_null(*i)),
    }
}

fn image_text(repo: Repo, tag: Option<u8>, digest: Option<u8>) -> String {
    let mut s = repo.text().to_owned();
    if let Some(t) = tag {
        s.push(':');
        s.push_str(TAGS[usize::from(t) % TAGS.len()]);
    }
    if let Some(d) = digest {
        s.push_str("@sha256:");
        s.push_str(HEX[usize::from(d) % HEX.len()]);
    }
    s
}

fn field_value(f: &FieldSpec) -> (Text, Value) {
    let key = |k: &str| Text::plain(k);
    match f {
        FieldSpec::Image(repo, tag, digest) => {
            (key("image"), Value::str(&image_text(*repo, *tag, *digest)))
        }
        FieldSpec::ImageWrong(s) => (key("image"), scalar_value(s)),
        FieldSpec::Digest(d) => (key("digest"), d.value()),
        FieldSpec::Tags(tags) => (
            key("tags"),
            Value::Array(tags.iter().take(5).map(tag_value).collect()),
        ),
        FieldSpec::TagString(i) => (key("tags"), Value::str(TAGS[usize::from(*i) % TAGS.len()])),
        FieldSpec::TagsWrong(s) => (key("tags"), scalar_value(s)),
        FieldSpec::ManifestList(d) => (key("manifest-list-digest"), d.value()),
        FieldSpec::Comment(s) => (key("comment"), scalar_value(s)),
        FieldSpec::Additional(items) => (
            key("additional-images"),
            Value::Array(items.iter().take(3).map(item_value).collect()),
        ),
        FieldSpec::AdditionalWrong(s) => (key("additional-images"), scalar_value(s)),
        FieldSpec::Unknown(i, s) => {
            const UNKNOWN: [&str; 6] = [
                "digets",
                "Image",
                "tag",
                "manifest_list_digest",
                "arch",
                "image ",
            ];
            (
                key(UNKNOWN[usize::from(*i) % UNKNOWN.len()]),
                scalar_value(s),
            )
        }
    }
}

fn item_value(item: &ItemSpec) -> Value {
    match item {
        ItemSpec::Object(fields) => {
            Value::Object(fields.iter().take(6).map(field_value).collect(), None)
        }
        ItemSpec::NotObject(s) => scalar_value(s),
    }
}

fn entry_value(e: &EntrySpec) -> Value {
    match e {
        EntrySpec::NotObject(s) => scalar_value(s),
        EntrySpec::Fields(fields) => {
            Value::Object(fields.iter().take(8).map(field_value).collect(), None)
        }
        EntrySpec::Shape(s) => {
            let hex = HEX[usize::from(s.digest) % HEX.len()];
            let digest = format!("sha256:{hex}");
            let repo = s.repo.text();
            let first_tag = s.tags.first().map_or("stable", |t| match t {
                TagSpec::Listed(i) => TAGS[usize::from(*i) % TAGS.len()],
                TagSpec::NotString(_) => "latest",
            });
            let tags = Value::Array(s.tags.iter().take(4).map(tag_value).collect());
            let mut members: Vec<(Text, Value)> = match s.kind {
                ShapeKind::Split => vec![
                    (Text::plain("digest"), Value::str(&digest)),
                    (Text::plain("image"), Value::str(repo)),
                ],
                ShapeKind::Tagged => vec![
                    (Text::plain("image"), Value::str(repo)),
                    (Text::plain("digest"), Value::str(&digest)),
                    (Text::plain("tags"), tags),
                ],
                ShapeKind::Embedded => vec![(
                    Text::plain("image"),
                    Value::str(&format!("{repo}@{digest}")),
                )],
                ShapeKind::EmbeddedTagged => vec![(
                    Text::plain("image"),
                    Value::str(&format!("{repo}:{first_tag}@{digest}")),
                )],
                ShapeKind::TaggedImage => vec![(
                    Text::plain("image"),
                    Value::str(&format!("{repo}:{first_tag}")),
                )],
                ShapeKind::ImageOnly => vec![(Text::plain("image"), Value::str(repo))],
                ShapeKind::NoImage => vec![(Text::plain("digest"), Value::str(&digest))],
                ShapeKind::Conflict => vec![
                    (
                        Text::plain("image"),
                        Value::str(&format!("{repo}@{digest}")),
                    ),
                    (
                        Text::plain("digest"),
                        Value::str(&format!(
                            "sha256:{}",
                            HEX[(usize::from(s.digest) + 1) % HEX.len()]
                        )),
                    ),
                ],
                ShapeKind::EmbeddedAndUpper => vec![
                    (
                        Text::plain("image"),
                        Value::str(&format!("{repo}@{digest}")),
                    ),
                    (Text::plain("digest"), Value::str(&digest.to_uppercase())),
                ],
            };
            if s.escapes >= 224 {
                for (key, value) in &mut members {
                    key.escapes = s.escapes.rotate_left(3) | 0xE0;
                    if let Value::Str(t) = value {
                        t.escapes = s.escapes;
                    }
                }
            }
            members.extend(s.extra.iter().take(3).map(field_value));
            if !s.additional.is_empty() {
                members.push((
                    Text::plain("additional-images"),
                    Value::Array(s.additional.iter().take(3).map(item_value).collect()),
                ));
            }
            Value::Object(members, s.layout)
        }
    }
}

impl DocSpec {
    /// The spec `bytes` describe (missing bytes read as zeros, so any input gives one).
    pub fn from_bytes(bytes: &[u8]) -> DocSpec {
        let mut u = Unstructured::new(bytes);
        match DocSpec::arbitrary(&mut u) {
            Ok(spec) => spec,
            Err(_) => {
                DocSpec::arbitrary(&mut Unstructured::new(&[])).expect("a spec from no bytes")
            }
        }
    }

    /// Writes the document.
    pub fn render(&self) -> String {
        let mut others: Vec<(Text, Value)> = Vec::new();
        for m in self.members.iter().take(8) {
            others.push(match m {
                TopMember::Entry(k, e) => (Text::plain(k.name()), entry_value(e)),
                TopMember::BuildId(t) => (
                    Text::plain("buildid"),
                    Value::Str(Text {
                        value: t.value.chars().take(30).collect(),
                        escapes: t.escapes,
                    }),
                ),
                TopMember::Other(k, s) => (k.text(), scalar_value(s)),
                TopMember::Nested(k, members) => (
                    k.text(),
                    Value::Object(
                        members
                            .iter()
                            .take(4)
                            .map(|(k, s)| (k.text(), scalar_value(s)))
                            .collect(),
                        None,
                    ),
                ),
            });
        }
        let mut entries = self
            .entries
            .iter()
            .take(5)
            .map(|(k, e)| (Text::plain(k.name()), entry_value(e)));
        let mut others = others.into_iter();
        let mut top: Vec<(Text, Value)> = Vec::new();
        for bit in 0.. {
            let next = if (self.order >> (bit % 32)) & 1 == 1 {
                entries.next().or_else(|| others.next())
            } else {
                others.next().or_else(|| entries.next())
            };
            match next {
                Some(member) => top.push(member),
                None => break,
            }
        }
        let mut w = Writer {
            out: String::new(),
            sorted: self.sorted,
        };
        let layout = self.layout;
        match self.form {
            Form::Object => w.value(&Value::Object(top, None), &layout, 0),
            Form::Bare => w.value(&entry_value(&self.bare), &layout, 0),
            Form::Fragment { trailing_comma } => {
                let mut members = top;
                if members.is_empty() {
                    members.push((Text::plain("kubevirt"), entry_value(&self.bare)));
                }
                w.members(&mut members, &layout, 0, true);
                if trailing_comma {
                    w.out.push(',');
                }
            }
        }
        if self.final_newline {
            w.out.push_str(newline(&layout));
        }
        w.out
    }
}

fn newline(layout: &LayoutSpec) -> &'static str {
    if layout.crlf {
        "\r\n"
    } else {
        "\n"
    }
}

struct Writer {
    out: String,
    sorted: bool,
}

impl Writer {
    fn indent(&mut self, layout: &LayoutSpec, depth: usize) {
        match layout.indent {
            Some(Indent::Spaces(n)) => {
                for _ in 0..depth * usize::from(n % 9) {
                    self.out.push(' ');
                }
            }
            Some(Indent::Tab) => {
                for _ in 0..depth {
                    self.out.push('\t');
                }
            }
            None => {}
        }
    }

    fn string(&mut self, t: &Text) {
        self.out.push('"');
        for (i, c) in t.value.chars().enumerate() {
            // One string in eight has escapes, on the characters the pattern picks.
            let escape = t.escapes >= 224 && (usize::from(t.escapes) >> (i % 5)) & 1 == 1;
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '/' if escape => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                c if escape => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        self.out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn members(
        &mut self,
        members: &mut [(Text, Value)],
        layout: &LayoutSpec,
        depth: usize,
        fragment: bool,
    ) {
        if self.sorted {
            members.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        }
        let colon = match layout.colon {
            Colon::Tight => ":",
            Colon::Space => ": ",
            Colon::Both => " : ",
            Colon::Tab => ":\t",
        };
        let count = members.len();
        for (i, (key, value)) in members.iter().enumerate() {
            if layout.indent.is_some() {
                if !(fragment && i == 0) {
                    if layout.trailing_space && i > 0 {
                        self.out.push(' ');
                    }
                    self.out.push_str(newline(layout));
                }
                self.indent(layout, depth + usize::from(!fragment));
            } else if i > 0 && layout.space_after_comma {
                self.out.push(' ');
            }
            self.string(key);
            self.out.push_str(colon);
            self.value(value, layout, depth + usize::from(!fragment));
            if i + 1 < count {
                self.out.push(',');
            }
        }
    }

    fn value(&mut self, v: &Value, layout: &LayoutSpec, depth: usize) {
        match v {
            Value::Raw(s) => self.out.push_str(s),
            Value::Str(t) => self.string(t),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    if layout.indent.is_some() {
                        self.out.push_str(newline(layout));
                        self.indent(layout, depth + 1);
                    } else if i > 0 && layout.space_after_comma {
                        self.out.push(' ');
                    }
                    self.value(item, layout, depth + 1);
                }
                if layout.indent.is_some() && !items.is_empty() {
                    self.out.push_str(newline(layout));
                    self.indent(layout, depth);
                }
                self.out.push(']');
            }
            Value::Object(members, own) => {
                let layout = own.as_ref().unwrap_or(layout);
                let mut members = members.clone();
                self.out.push('{');
                self.members(&mut members, layout, depth, false);
                if !members.is_empty() {
                    if layout.trailing_space {
                        self.out.push(' ');
                    }
                    if layout.indent.is_some() {
                        self.out.push_str(newline(layout));
                        self.indent(layout, depth);
                    }
                }
                self.out.push('}');
            }
        }
    }
}
