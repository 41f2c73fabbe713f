// A coreos-assembler builds directory made from real documents (../shared/corpus/meta/),
// for the tests of oscontainer/fs and `oscontainer builds`: builds.json, newest first, and
// builds/<id>/<arch>/meta.json, each the real meta.json of an RHCOS build with its real
// oscontainer digest, the other architectures given the real digests of other builds. One
// build is clean; the others have a missing arch file, one that cannot be read (a
// directory where the file should be: the tests run as root, where chmod 000 stops
// nothing), a broken one, and the 2022-style shared digest.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { corpus } from './helpers.mjs';

/** The corpus files used, by what they are. */
const SOURCES = {
  rhcos410: 'openshift-installer__data_data_rhcos-amd64@ab3300096.json',
  rhcos45: 'openshift-installer__data_data_rhcos-amd64@18d578307.json',
  rhcos43: 'openshift-installer__data_data_rhcos@1ce995b13.json',
  ootpa0425: 'openshift-installer__data_data_rhcos@d75a38e46.json',
  ootpa0325: 'openshift-installer__data_data_rhcos@e080f0494.json',
  s390x47: 'openshift-eng-art-tools__doozer_tests_resources_rhcos1_47.83.202107261211-0.meta.json',
};

/** The ids of the generated builds, newest first, as builds.json lists them. */
export const IDS = {
  clean: '410.84.202110140201-0',
  missing: '45.81.202005200134-0',
  unreadable: '43.81.201912110942.0',
  broken: '410.8.20190425.0',
  shared: '410.8.20190325.0',
};

/** The oscontainer digest a document records. */
function digestOf(text) {
  return JSON.parse(text).oscontainer.digest;
}

/** `text` with its oscontainer digest replaced by `digest` (the same bytes otherwise). */
function withDigest(text, digest) {
  const own = digestOf(text);
  return text.replace(`"digest": "${own}"`, `"digest": "${digest}"`);
}

/**
 * The documents: `{ ok, reason, texts }`, `texts` by corpus key; `ok` false (and a printed
 * reason) when the corpus is missing outside CI.
 */
export function sources() {
  const { files, reason } = corpus('meta');
  if (files === null) return { ok: false, reason, texts: null };
  const byName = new Map(files);
  const texts = Object.fromEntries(Object.entries(SOURCES).map(([key, name]) => [key, byName.get(name)]));
  for (const [key, text] of Object.entries(texts)) if (text === undefined) throw new Error(`corpus file ${SOURCES[key]} is missing`);
  return { ok: true, reason: undefined, texts };
}

/**
 * The builds and the bytes of each file, relative to the builds directory. `text` is the
 * broken file's text: a real document cut after the opening of its oscontainer entry.
 */
export function layout(texts) {
  const { rhcos410, rhcos45, rhcos43, ootpa0425, ootpa0325, s390x47 } = texts;
  const digests = [rhcos410, rhcos45, rhcos43, s390x47, ootpa0425].map(digestOf);
  const files = {};
  const put = (id, arch, text) => {
    files[`${id}/${arch}/meta.json`] = text;
  };
  const clean = ['x86_64', 'aarch64', 'ppc64le', 's390x'];
  clean.forEach((arch, i) => put(IDS.clean, arch, withDigest(rhcos410, digests[i])));
  put(IDS.missing, 'x86_64', rhcos45);
  put(IDS.unreadable, 'x86_64', rhcos43);
  const cut = ootpa0425.indexOf('"oscontainer": {') + '"oscontainer": {'.length;
  const broken = ootpa0425.slice(0, cut);
  put(IDS.broken, 'x86_64', broken);
  put(IDS.broken, 'aarch64', withDigest(ootpa0425, digests[1]));
  put(IDS.shared, 'x86_64', ootpa0325);
  put(IDS.shared, 'aarch64', ootpa0325);
  const builds = [
    { id: IDS.clean, arches: clean },
    { id: IDS.missing, arches: ['x86_64', 's390x'] },
    { id: IDS.unreadable, arches: ['x86_64', 'aarch64'] },
    { id: IDS.broken, arches: ['x86_64', 'aarch64'] },
    { id: IDS.shared, arches: ['x86_64', 'aarch64'] },
  ];
  files['builds.json'] = `${JSON.stringify({ 'schema-version': '1.0.0', builds, timestamp: '2021-10-14T02:01:00Z' }, null, 4)}\n`;
  return { builds, files, broken };
}

const made = [];

/** Removes the directories `tree` made (call it from `after`). */
export function cleanUp() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes `files` ({relative path: text}) below a new temporary directory, and makes each of
 * `directories` a directory (where a file may be expected); returns the directory.
 */
export function tree(files, directories = []) {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-builds-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const path of directories) mkdirSync(join(dir, path), { recursive: true });
  return dir;
}

/** The whole builds directory in `<tmp>/builds`; returns `<tmp>` (the tests run there, so paths are `builds/...`). */
export function buildsTree(texts) {
  const { files } = layout(texts);
  const prefixed = Object.fromEntries(Object.entries(files).map(([path, text]) => [`builds/${path}`, text]));
  return tree(prefixed, [`builds/${IDS.unreadable}/aarch64/meta.json`]);
}
