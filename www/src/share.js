// Share links carry the document in the URL fragment, which browsers never send to a
// server: `#profile=compat&doc=<base64url of deflate(UTF-8 text)>`.

const FORMAT = 'deflate';

async function pipeBytes(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the call stack on large documents.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function encodeShare({ text, profile }) {
  const compressed = await pipeBytes(new TextEncoder().encode(text), new CompressionStream(FORMAT));
  return new URLSearchParams({ profile, doc: toBase64Url(compressed) }).toString();
}

/** Returns `{text, profile}`, `null` when the fragment is no share link, or throws when it is a damaged one. */
export async function decodeShare(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const doc = params.get('doc');
  if (doc === null) return null;
  const bytes = await pipeBytes(fromBase64Url(doc), new DecompressionStream(FORMAT));
  const profile = params.get('profile') === 'compat' ? 'compat' : 'canonical';
  return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), profile };
}
