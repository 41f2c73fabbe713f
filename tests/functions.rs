//! No function in `src/` is over 120 lines (issue 14): a function longer than that can no
//! longer be read at once, so it is split along its steps. Each `fn` item of every `.rs`
//! file under `src/`, folders (`src/entry/`) included, is counted from the line of its `fn` keyword to the line of its closing brace; test modules
//! (`#[cfg(test)] mod …`) are left out. Comments, strings and character literals are blanked
//! first so that a brace inside one of them does not count.

mod common;
use common::rust_sources as sources;
use std::path::{Path, PathBuf};

/// The most lines one function may have.
const LIMIT: usize = 120;

/// A function found in a source: its name, the 1-based line of `fn`, and its lines.
#[derive(Debug, PartialEq, Eq)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// The source with comments and the insides of string and character literals replaced by
/// spaces (newlines kept, so that byte offsets and line numbers stay the source's).
fn blank(source: &str) -> Vec<u8> {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let mut at = 0;
    let clear = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| at + n);
            clear(&mut out, at, end);
            at = end;
        } else if rest.starts_with(b"/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            let mut end = at;
            while end < bytes.len() {
                if bytes[end..].starts_with(b"/*") {
                    depth += 1;
                    end += 2;
                } else if bytes[end..].starts_with(b"*/") {
                    depth -= 1;
                    end += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    end += 1;
                }
            }
            clear(&mut out, at, end);
            at = end;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#") || rest.starts_with(b"br"))
            && (at == 0 || !is_ident(bytes[at - 1]))
            && raw_string_end(bytes, at).is_some()
        {
            let end = raw_string_end(bytes, at).unwrap_or(bytes.len());
            clear(&mut out, at, end);
            at = end;
        } else if rest[0] == b'"' {
            let mut end = at + 1;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(bytes.len());
            clear(&mut out, at, end);
            at = end;
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '\u{7b}', 'é') or a lifetime ('a, 'static).
            let end = if rest.get(1) == Some(&b'\\') {
                rest.iter()
                    .skip(2)
                    .position(|&b| b == b'\'')
                    .map(|n| at + 2 + n + 1)
            } else {
                let width = source
                    .get(at + 1..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                (rest.get(1 + width) == Some(&b'\'')).then_some(at + 1 + width + 1)
            };
            match end {
                Some(end) => {
                    clear(&mut out, at, end);
                    at = end;
                }
                None => at += 1,
            }
        } else {
            at += 1;
        }
    }
    out
}

/// The end of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting at `at`.
fn raw_string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + if bytes[at] == b'b' { 2 } else { 1 };
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    i += hashes;
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let from = i + 1;
    bytes[from..]
        .windows(close.len())
        .position(|w| w == close.as_slice())
        .map(|n| from + n + close.len())
}

/// The offset just past the brace that closes the one at `open`.
fn closing(code: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, &b) in code.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// Whether the keyword `word` stands at `at` (not inside a longer identifier).
fn keyword_at(code: &[u8], at: usize, word: &[u8]) -> bool {
    let is_ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    code[at..].starts_with(word)
        && (at == 0 || !is_ident(&code[at - 1]))
        && !code.get(at + word.len()).is_some_and(is_ident)
}

/// The blanked code with every `#[cfg(test)] mod …` blanked as well.
fn without_test_modules(mut code: Vec<u8>) -> Vec<u8> {
    let marker = b"#[cfg(test)]";
    let mut at = 0;
    while let Some(found) = code[at..].windows(marker.len()).position(|w| w == marker) {
        let start = at + found;
        let mut item = start + marker.len();
        // Skip the whitespace and further attributes up to the item itself.
        loop {
            while item < code.len() && code[item].is_ascii_whitespace() {
                item += 1;
            }
            if code[item..].starts_with(b"#[") {
                item += code[item..].iter().position(|&b| b == b']').unwrap_or(0) + 1;
            } else {
                break;
            }
        }
        if code[item..].starts_with(b"pub ") {
            item += 4;
        }
        let end = if keyword_at(&code, item, b"mod") {
            match code[item..].iter().position(|&b| b == b'{' || b == b';') {
                Some(n) if code[item + n] == b'{' => closing(&code, item + n),
                Some(n) => item + n + 1,
                None => code.len(),
            }
        } else {
            item
        };
        for b in &mut code[start..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        at = end.max(start + 1);
    }
    code
}

/// Every function item with a body in `source`, outside test modules.
fn functions(source: &str) -> Vec<Function> {
    let code = without_test_modules(blank(source));
    let line_of = |offset: usize| 1 + code[..offset].iter().filter(|&&b| b == b'\n').count();
    let mut found = Vec::new();
    for at in 0..code.len() {
        if !keyword_at(&code, at, b"fn") {
            continue;
        }
        let after = at + 2;
        let name_start = after
            + code[after..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let name: String = code[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .map(|&b| char::from(b))
            .collect();
        // `fn(u8) -> u8` is a type, not an item.
        if name.is_empty() || name_start == after {
            continue;
        }
        // The body is the first `{` outside the parameter list; a `;` first means none.
        let mut parens = 0i32;
        let mut body = None;
        for (i, &b) in code.iter().enumerate().skip(name_start) {
            match b {
                b'(' | b'[' => parens += 1,
                b')' | b']' => parens -= 1,
                b'{' if parens == 0 => {
                    body = Some(i);
                    break;
                }
                b';' if parens == 0 => break,
                _ => {}
            }
        }
        let Some(open) = body else { continue };
        let close = closing(&code, open);
        let line = line_of(at);
        found.push(Function {
            name,
            line,
            lines: line_of(close.saturating_sub(1)) - line + 1,
        });
    }
    found
}

/// The files under `src`, how many functions they have, and each one over [`LIMIT`] as
/// `path:line fn name: n lines` (the path relative to `src`'s parent).
fn over_limit(src: &Path) -> (Vec<PathBuf>, usize, Vec<String>) {
    let files = sources(src);
    let root = src.parent().unwrap_or(src);
    let mut counted = 0;
    let mut long = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("source");
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        for function in functions(&text) {
            counted += 1;
            if function.lines > LIMIT {
                long.push(format!(
                    "{name}:{} fn {}: {} lines",
                    function.line, function.name, function.lines
                ));
            }
        }
    }
    (files, counted, long)
}

#[test]
fn no_function_in_src_is_over_120_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (files, counted, long) = over_limit(&src);
    assert!(files.len() >= 15, "{files:?}");
    assert!(
        files.iter().any(|p| p.starts_with(src.join("entry"))),
        "no file under src/entry/ was read: {files:?}"
    );
    assert!(counted > 100, "only {counted} functions found");
    assert!(
        long.is_empty(),
        "functions over {LIMIT} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn a_long_function_in_a_subfolder_is_reported() {
    let src = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("functions-{}", std::process::id()))
        .join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(src.join("room/inner")).expect("mkdir");
    let body = |lines: usize| format!("fn long() {{\n{}}}\n", "    step();\n".repeat(lines - 2));
    std::fs::write(src.join("lib.rs"), "fn short() {}\n").expect("write");
    std::fs::write(src.join("room/mod.rs"), body(LIMIT)).expect("write");
    std::fs::write(src.join("room/inner/deep.rs"), body(LIMIT + 1)).expect("write");
    let (files, counted, long) = over_limit(&src);
    let _ = std::fs::remove_dir_all(src.parent().expect("crate dir"));
    assert_eq!(files.len(), 3, "{files:?}");
    assert_eq!(counted, 3);
    assert_eq!(
        long,
        [format!(
            "src/room/inner/deep.rs:1 fn long: {} lines",
            LIMIT + 1
        )]
    );
}

#[test]
fn the_count_skips_literals_comments_and_test_modules() {
    let source = r####"
/// Doc } comment.
pub(crate) fn one<'a>(x: &'a str) -> &'a str {
    let _ = '{';
    let _ = "}}";
    let _ = r#"}"#;
    /* } /* nested } */ } */
    // }
    x
}

fn pointer(f: fn(u8) -> u8, p: Point { x, y }: Point) where T: Fn() {
    fn inner() {}
}

trait T {
    fn declared(&self);
}

#[cfg(test)]
mod tests {
    fn hidden() {
    }
}

fn after() {
}
"####;
    let found = functions(source);
    let expect = |name: &str, line: usize, lines: usize| Function {
        name: name.to_owned(),
        line,
        lines,
    };
    assert_eq!(
        found,
        vec![
            expect("one", 3, 8),
            expect("pointer", 12, 3),
            expect("inner", 13, 1),
            expect("after", 26, 2),
        ]
    );
}
