// What the CLI's launchers answer without loading the CLI (dist/cli.js in the repository,
// bin/landing-zone.mjs in the npm package): `--help`, `--version`, no command at all, and each
// command's own `--help`. The answers are what the built CLI's main() printed for those arguments
// when the build ran it, so they cannot differ from it (test/unit/cli-launcher.test.ts holds them
// equal to the source's); the launcher then parses a few kilobytes instead of the command's
// chunks (a subcommand's --help loaded the whole engine: 270 ms over Node's start).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** stdout, stderr and exit code of the built CLI (`entry`, its ES module) for each quick argument list. */
export async function quickAnswers(entry) {
  const cli = await import(`${pathToFileURL(resolve(entry)).href}?build=${Date.now()}`);
  const answers = {};
  const argvs = [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v'], ...cli.COMMANDS.map((c) => [c.name, '--help'])];
  for (const argv of argvs) {
    let out = '';
    let err = '';
    const io = { stdout: { write: (t) => { out += t; return true; } }, stderr: { write: (t) => { err += t; return true; } }, stdin: process.stdin, cwd: process.cwd(), env: {}, isTTY: false };
    const code = await cli.main(argv, io);
    answers[argv.join(' ')] = { out, err, code };
  }
  return answers;
}

/**
 * The launcher's lookup, as source text: the answer for `argv`, or undefined when the CLI must run.
 * A command's --help is answered when main() would print its usage: `--help` or `-h` anywhere
 * after a known command's name (main's own test).
 */
export const QUICK_LOOKUP = [
  'const quickAnswer = (quick, argv) => {',
  '  const own = (key) => (Object.prototype.hasOwnProperty.call(quick, key) ? quick[key] : undefined);',
  "  if (argv.length <= 1) return own(argv.join(' '));",
  "  const rest = argv.slice(1);",
  "  return rest.includes('--help') || rest.includes('-h') ? own(`${argv[0]} --help`) : undefined;",
  '};',
].join('\n');
