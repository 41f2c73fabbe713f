#!/usr/bin/env node
// The command-line interface, `oscontainer check | upgrade | arches | release | builds`:
// this is its entry (the package's bin): the arguments parsed and checked, the command run,
// its exit status set. One file per command (check.js, upgrade.js, arches.js, release.js,
// builds.js: its help, its options, its run); the flags they share are options.js, what
// they print output.js, the files they read and write files.js.
//
// Plain Node (>= 20): node:util parseArgs, no framework. Checking and upgrading many files
// runs on a pool of worker_threads (run.js, worker.js), each loading the package once;
// the per-file work is task.js, shared with the main thread, which does small runs itself.
// Output comes in path order whatever the number of workers.
//
// Every command prints --format text|json|jsonl|github on stdout; json is one document
// for the whole run, so the records of check and upgrade are gathered and printed at the
// end. Usage and file errors and the summary go to stderr.
//
// Exit status: 0 nothing wrong, 1 findings, 2 usage errors, file errors or paths that
// match no file (these win over 1).

import { parseArgs } from 'node:util';

import { version } from '../api.js';
import * as arches from './arches.js';
import * as builds from './builds.js';
import * as check from './check.js';
import { UsageError } from './options.js';
import { either, err, out, stdoutWentAway } from './output.js';
import * as release from './release.js';
import * as upgrade from './upgrade.js';

const MAIN_HELP = `oscontainer ${version}: validate and upgrade the container-image entries of CoreOS meta.json files

Usage: oscontainer <command> [options] PATH...

Commands:
  check     report problems in the entries (like a compiler: file:line:col: ...)
  upgrade   rewrite the entries into the agreed form {image, digest, tags}
  arches    compare the meta.json files of one build across architectures
  release   show what cosa's release metadata would say about a meta.json
  builds    check every build of a builds directory (builds.json), or one build's directory

Options:
  -h, --help     help (also: oscontainer <command> --help)
  --version      print the version

Every command takes --format text|json|jsonl|github.
Exit status: 0 nothing wrong, 1 findings, 2 usage or file errors.
`;

/** The commands, in the order the help and the messages list them. */
const COMMANDS = { check, upgrade, arches, release, builds };

/**
 * Names other tools use, mapped to what does that here. A typo of a real name is found by
 * the library's did-you-mean instead (src/suggest.rs); these are too far from any.
 */
const COMMAND_ALIASES = { validate: 'check', lint: 'check', fix: 'upgrade --write', compare: 'arches' };
/** The same for options, per command (`*` for all): eslint's --fix, ruff's --output-format, biome's --reporter. */
const OPTION_ALIASES = {
  '*': { fix: 'oscontainer upgrade --write', 'output-format': '--format', reporter: '--format' },
  upgrade: { fix: '--write' },
};

/** The closest of `known` to `name`, from the library (src/suggest.rs); loaded only on this error path. */
async function closest(name, known) {
  await import('../node.js');
  const { didYouMean } = await import('../api.js');
  return didYouMean(name, known);
}

// ---- arguments ---------------------------------------------------------------------

/** The message for an unknown option of `command` (undefined: before any command). */
async function unknownOption(command, rawName) {
  const name = rawName.replace(/^--?/, '');
  const where = command === undefined ? 'oscontainer' : `oscontainer ${command}`;
  const alias = OPTION_ALIASES[command]?.[name] ?? OPTION_ALIASES['*'][name];
  if (alias?.startsWith('oscontainer ')) return `unknown option ${rawName}; did you mean \`${alias}\`?`;
  if (alias !== undefined && command !== undefined) return `unknown option ${rawName}; did you mean ${alias}?`;
  const takers = Object.keys(COMMANDS).filter((other) => name in COMMANDS[other].options);
  if (command === undefined) {
    if (takers.length > 0) return `unknown option ${rawName}; options go after the command, e.g. \`oscontainer ${takers[0]} ${rawName}\``;
    const close = await closest(name, ['help', 'version']);
    return `unknown option ${rawName}; ${close ? `did you mean --${close}?` : 'the options are --help and --version'}`;
  }
  const close = await closest(name, Object.keys(COMMANDS[command].options));
  if (close !== undefined) return `unknown option ${rawName}; did you mean --${close}?`;
  if (takers.length === 1) return `unknown option ${rawName}; did you mean \`oscontainer ${takers[0]} ${rawName}\`?`;
  if (takers.length > 1) return `unknown option ${rawName}; ${either(takers)} take it, ${command} does not`;
  return `unknown option ${rawName}; \`${where} --help\` lists the options`;
}

/** The message for an unknown command. */
async function unknownCommand(command) {
  const known = Object.keys(COMMANDS);
  const close = COMMAND_ALIASES[command.toLowerCase()] ?? (await closest(command, known));
  if (close !== undefined) return `unknown command "${command}"; did you mean \`oscontainer ${close}\`?`;
  return `unknown command "${command}"; the commands are ${known.join(', ')}`;
}

/**
 * The options and positionals of `command`. parseArgs runs leniently and the tokens are
 * checked here, so that every mistake is one line of ours (with a did-you-mean) rather
 * than Node's own text.
 */
async function parse(command, args) {
  const { options } = COMMANDS[command];
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) throw new UsageError(await unknownOption(command, token.rawName));
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (given "${token.value}")`);
    }
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-'))) {
      // A value that starts with a dash is most likely the next option: say so rather than
      // take it (one that does is written --format=-x).
      const hint = token.value === undefined ? '' : ` (got the option ${token.value})`;
      throw new UsageError(`${token.rawName} needs a value${hint}`);
    }
  }
  return { values, positionals };
}

// ---- main --------------------------------------------------------------------------

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--version') {
    out(`oscontainer ${version}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !(topic in COMMANDS)) {
      err(`oscontainer: ${await unknownCommand(topic)}\n`);
      return 2;
    }
    out(topic === undefined ? MAIN_HELP : COMMANDS[topic].help);
    return 0;
  }
  if (command === undefined) {
    err(`oscontainer: no command given\n\n${MAIN_HELP}`);
    return 2;
  }
  if (!(command in COMMANDS)) {
    const rawName = command.split('=')[0];
    const message = command.startsWith('-') && command !== '-' ? await unknownOption(undefined, rawName) : await unknownCommand(command);
    err(`oscontainer: ${message}\n`);
    return 2;
  }
  try {
    const { values, positionals } = await parse(command, rest);
    if (values.help) {
      out(COMMANDS[command].help);
      return 0;
    }
    return await COMMANDS[command].run(values, positionals);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`oscontainer ${command}: ${error.message}\n`);
    return 2;
  }
}

// A closed pipe is not an error of ours: the output stops, the work and the exit status
// stay what they would be (with one thread the run may even finish before Node notices).
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutWentAway();
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    err(`oscontainer: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
