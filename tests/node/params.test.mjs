// Every export of the generated glue that takes options takes them as one params object
// (its JSON text), read by src/params.rs into the function's own struct: an unknown key is
// the TypeError with a did-you-mean straight from Rust, whoever calls the export, and the
// wrapper's own check of keys is gone.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../../pkg/node.js';
import * as glue from '../../pkg/wasm/oscontainer.js';

const EMPTY = new Uint8Array(0);

/** An empty staged input: its length. */
function nothingStaged() {
  glue.stageInput(0);
  return 0;
}
const NO_DOCS = JSON.stringify({ documents: [] });
const WITH_RELEASE = JSON.stringify({ release: { length: 0, positions: true }, documents: [] });

/** Each export that takes params, called with `params` as its params text. */
const EXPORTS = {
  validateStaged: (params) => glue.validateStaged(nothingStaged(), true, params),
  upgradeStaged: (params) => glue.upgradeStaged(nothingStaged(), true, params),
  releaseViewStaged: (params) => glue.releaseViewStaged(nothingStaged(), true, params),
  compareArchesBytes: (params) => glue.compareArchesBytes(EMPTY, NO_DOCS, params),
  checkBuildBytes: (params) => glue.checkBuildBytes(EMPTY, NO_DOCS, params),
  checkReleaseBytes: (params) => glue.checkReleaseBytes(EMPTY, WITH_RELEASE, params),
  parseReference: (params) => glue.parseReference('fedora', params),
  checkParams: (params) => glue.checkParams('validate', params),
};

/** The unknown key each export is given, and the message it must throw. */
const EXPECTED = {
  validateStaged: ['{"buildid":"36.1"}', 'validate(): unknown option "buildid"; did you mean "buildId"?'],
  upgradeStaged: ['{"shcema":"{}"}', 'upgrade(): unknown option "shcema"; did you mean "schema"?'],
  releaseViewStaged: ['{"profil":"compat"}', 'releaseView(): unknown option "profil"; did you mean "profile"?'],
  compareArchesBytes: ['{"presense":{}}', 'compareArches(): unknown option "presense"; did you mean "presence"?'],
  checkBuildBytes: ['{"buildID":"1"}', 'checkBuild(): unknown option "buildID"; did you mean "buildId"?'],
  checkReleaseBytes: ['{"profiles":"compat"}', 'checkRelease(): unknown option "profiles"; did you mean "profile"?'],
  parseReference: ['{"normalise":true}', 'parseReference(): unknown option "normalise"; did you mean "normalize"?'],
  checkParams: ['{"biuldId":"1"}', 'validate(): unknown option "biuldId"; did you mean "buildId"?'],
};

test('every export that takes params refuses an unknown key with a TypeError and a did-you-mean', () => {
  const takingParams = Object.keys(glue).filter((name) => name in EXPORTS);
  assert.deepEqual(takingParams.sort(), Object.keys(EXPORTS).sort());
  for (const [name, call] of Object.entries(EXPORTS)) {
    const [params, message] = EXPECTED[name];
    assert.throws(() => call(params), (error) => error instanceof TypeError && error.message === message, name);
    // The same export with no params, or with known ones, does not throw.
    call(undefined);
  }
});

test('the option names come from Rust, for the message about options that are not an object', () => {
  assert.deepEqual(glue.optionNames('validate'), ['profile', 'schema', 'buildId']);
  assert.deepEqual(glue.optionNames('checkRelease'), ['profile', 'buildId', 'presence']);
  assert.deepEqual(glue.optionNames('parseReference'), ['normalize']);
  assert.equal(glue.optionNames('verify'), undefined);
});
