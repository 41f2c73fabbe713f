// One policy for the <meta> tag in index.html and the server's response header.
// style-src needs no 'unsafe-inline' and no nonce: the editors live in shadow roots, where
// CodeMirror's styles are constructed style sheets, which CSP does not govern (see docs/page.md).
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
