// `landing-zone validate` through main() with an in-memory io (fast), plus one real process per
// unreadable-input case: exit codes, the three formats, and one clear line — never a stack trace.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import Ajv from 'ajv';
import type { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import type { JsonReport } from '../../src/core/format/json';

const root = join(__dirname, '..', '..');
const examplePath = join(root, 'examples', 'landing-zone.yaml');
const example = readFileSync(examplePath, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'lz-validate-'));
const write = (name: string, content: string | Buffer) => { const p = join(dir, name); writeFileSync(p, content); return p; };

const broken = write('broken.yaml', example.replace('keys: [security/app-data]\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XXS', 'keys: [security/app-dat]\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XXS'));
write('warning.yaml', example.replace('expiresInDays: 90, defaultProject: devops', 'expiresInDays: 120, defaultProject: devops'));

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough(); const stderr = new PassThrough();
  let out = ''; let err = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const io: CliIo = { stdout, stderr, stdin: Readable.from([stdin]), cwd: dir, env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}

test('clean file: exit 0, no findings on stdout, a count on stderr', async () => {
  const r = await run(['validate', examplePath]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /no findings/);
});

test('findings: exit 1, file:line:col severity ruleId message (1-based)', async () => {
  const r = await run(['validate', '--file', 'broken.yaml']);
  assert.equal(r.code, 1);
  const line = readFileSync(broken, 'utf8').split('\n').findIndex((l) => l.includes('security/app-dat]')) + 1;
  assert.ok(r.stdout.split('\n').includes(`broken.yaml:${line}:16 error ref-unresolved keys: security/app-dat is not a key; did you mean security/app-data?`), r.stdout);
  assert.match(r.stderr, /1 error/);
});

test('warnings alone fail too (exit 1)', async () => {
  const r = await run(['validate', 'warning.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /warning api-key-expiry/);
});

test('json: stable report with 1-based ranges and fixes', async () => {
  const r = await run(['validate', 'broken.yaml', '--format', 'json']);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.equal(report.version, 1);
  assert.deepEqual(report.counts, { errors: 1, warnings: 0, infos: 0 });
  const [issue] = report.issues;
  assert.deepEqual(Object.keys(issue!), ['ruleId', 'severity', 'message', 'range', 'path', 'fix', 'helpUri']);
  assert.match(issue!.helpUri!, /\/docs\/rules\/ref-unresolved\.md$/);
  assert.deepEqual(issue!.range.start.column, 16);
  assert.equal(issue!.range.end.column, 32);
  assert.equal(issue!.fix?.edits?.[0]?.newText, 'security/app-data');
  assert.equal((await run(['validate', 'broken.yaml', '--format', 'json'])).stdout, r.stdout, 'byte-identical across runs');
});

test('sarif: 2.1.0 with rule metadata, a result per finding, and its fix', async () => {
  const r = await run(['validate', 'broken.yaml', '--format', 'sarif']);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[]; fixes?: unknown[] }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0]!;
  const result = run0.results[0]!;
  assert.equal(result.ruleId, 'ref-unresolved');
  assert.equal(run0.tool.driver.rules[result.ruleIndex]!.id, 'ref-unresolved');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0]!.physicalLocation.region.startColumn, 16);
  assert.ok(result.fixes?.length);
  assert.ok(run0.tool.driver.rules.every((x) => x.shortDescription.text.length > 0));
});

test('--summary prints projects by role and hubs', async () => {
  const r = await run(['validate', examplePath, '--summary']);
  assert.match(r.stdout, /environment\s+dev, staging, prod/);
  assert.match(r.stdout, /hubs:\s+security, devops/);
  const json = JSON.parse((await run(['validate', examplePath, '--summary', '--format', 'json'])).stdout) as { summary: { hubs: string[] } };
  assert.deepEqual(json.summary.hubs, ['security', 'devops']);
});

test('stdin with -', async () => {
  const r = await run(['validate', '-'], example);
  assert.equal(r.code, 0);
});

test('default file is ./landing-zone.yaml', async () => {
  const r = await run(['validate']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'landing-zone validate: cannot read landing-zone.yaml: no such file\n');
});

test('usage errors: exit 2, one line', async () => {
  for (const argv of [['validate', 'a.yaml', 'b.yaml'], ['validate', examplePath, '--format', 'xml'], ['validate', '--bogus']]) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr);
  }
});

// Real processes: what a user sees in a terminal, including that nothing prints a stack trace.
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8' });

test('unreadable input: missing, directory, binary, invalid UTF-8, too large → exit 2, one line', () => {
  const cases: [string, RegExp][] = [
    ['test/missing.yaml', /cannot read test\/missing\.yaml: no such file/],
    [dir, /is a directory/],
    [write('nul.yaml', Buffer.from([0x76, 0x3a, 0x00, 0x31])), /not a text file \(NUL byte at offset 2\)/],
    [write('latin1.yaml', Buffer.from([0x76, 0x3a, 0x20, 0xe9, 0x0a])), /not UTF-8 text/],
    [write('huge.yaml', Buffer.alloc(1024 * 1024 + 1, 0x61)), /limited to 1 MB \(about 1,000 projects/],
  ];
  for (const [file, message] of cases) {
    const r = cli(['validate', file]);
    assert.equal(r.status, 2, `${file}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(!/\bat .*:\d+:\d+/.test(r.stderr), r.stderr);
  }
});

test('a real process: findings in text, exit 1', () => {
  const r = cli(['validate', broken]);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(r.stdout.startsWith(`${broken}:`), r.stdout);
  assert.match(r.stdout, /:\d+:16 error ref-unresolved /);
});

test('the JSON report shape is documented: ranges 1-based with line and column', async () => {
  const r = JSON.parse((await run(['validate', 'broken.yaml', '--format', 'json'])).stdout) as JsonReport;
  const ajv = new Ajv();
  const position = { type: 'object', required: ['line', 'column'], properties: { line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } }, additionalProperties: false };
  const range = { type: 'object', required: ['start', 'end'], properties: { start: position, end: position }, additionalProperties: false };
  const ok = ajv.validate({ type: 'object', required: ['version', 'file', 'counts', 'issues'], properties: { issues: { type: 'array', items: { type: 'object', required: ['ruleId', 'severity', 'message', 'range', 'path'], properties: { range } } } } }, r);
  assert.ok(ok, JSON.stringify(ajv.errors));
});
