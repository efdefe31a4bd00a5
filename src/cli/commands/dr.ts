import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { githubWorkflow, gitlabPipeline } from '../../core/dr/pipeline';
import { DR_CHECKS, drReadiness, readinessIssues, type DrReadiness } from '../../core/dr/readiness';
import { formatSarif } from '../../core/format/sarif';
import { formatText } from '../../core/format/text';
import type { SourceDocument } from '../../core/document';
import type { DrCheckReport } from '../../protocol/cli-output';
import { ENGINE_OPTIONS, fileArg, parseOptions } from '../options';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { gatherDrFacts } from '../../scaleway/operations/dr-facts';
import { describeFailure, loadModel } from '../../scaleway/operations/operation-session';
import { withOperationSession } from './operation-support';

const usage = `Usage: landing-zone dr check [FILE] [--file FILE] [--format text|json|sarif]
       landing-zone dr pipeline --ci gitlab|github [--file FILE] [--out FILE] [--image IMAGE]

dr check     Disaster-recovery readiness per project, read from the account with read-only
             clients: database backups on with the declared retention, last good backup younger
             than the RPO, backups stored in another region, an active Velero schedule with a
             recent completed backup, versioning and object lock on the Velero bucket, the
             backup-copy function deployed and ready with credentials, its cron, the age of the
             newest copy in the DR region against the RPO (a copy that never ran is a finding),
             valid fallback zone and region. Prints a score and
             one line per finding (file:line:col severity ruleId message). Exit 3 when anything
             is missing.
dr pipeline  Writes CI jobs (GitLab CI, or a GitHub Actions workflow) that run \`dr check\` and, per
             project, zone and region restores (a dry run, then the restore) behind manual gates.
             The jobs install the CLI from its pinned npm package, so they run in a repository
             that holds only the landing-zone file; --image runs them in the CLI's container
             image instead. To stdout, or --out FILE.

Options:
  --file FILE      landing-zone.yaml (default ./landing-zone.yaml)
  --format FORMAT  text (default), json or sarif (dr check)
  --ci CI          the CI system (dr pipeline): gitlab or github
  --image IMAGE    run the pipeline's jobs in this image of the CLI (dr pipeline)
  --out FILE       where to write the pipeline (default: stdout)
  --profile NAME   Scaleway profile
`;

export const drCommand: CliCommand = {
  name: 'dr',
  summary: 'disaster-recovery readiness (dr check) and CI jobs of restores (dr pipeline, GitLab or GitHub)',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'check') return check(rest, io);
    if (sub === 'pipeline') return pipeline(rest, io);
    throw new UsageError(`expected "dr check" or "dr pipeline"${sub ? `, not "dr ${sub}"` : ''}\n${usage}`);
  },
};

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...ENGINE_OPTIONS, format: { type: 'string', default: 'text' } });
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const file = fileArg(values, positionals, usage) ?? 'landing-zone.yaml';
  return withOperationSession(io, 'dr check', { file, profile: values.profile, readOnly: true, quiet: format !== 'text' }, async (s) => {
    s.ctx.progress('reading backups, Velero, buckets, the copy function and its last copy…');
    const readiness = drReadiness(s.model, await gatherDrFacts(s.ctx.read, s.model), s.ctx.now());
    if (format === 'json') io.stdout.write(`${JSON.stringify(jsonReport(readiness, s.source), null, 2)}\n`);
    else if (format === 'sarif') io.stdout.write(formatSarif(readinessIssues(readiness, s.source), { file, rules: DR_CHECKS, toolVersion: '0.1.0' }));
    else io.stdout.write(formatReadiness(readiness, s.source, file));
    return readiness.findings.length > 0 ? ExitCode.drift : ExitCode.ok;
  });
}

/** The text report: findings first (editor-clickable, the shared format), then the score per project. */
function formatReadiness(r: DrReadiness, source: SourceDocument, file: string): string {
  const lines: string[] = [];
  const findings = formatText(readinessIssues(r, source), { file });
  if (findings) lines.push(findings);
  for (const p of r.projects) {
    lines.push(`${p.project}: ${p.score}/100`);
    for (const c of p.checks) lines.push(`  ${c.ok ? 'ok  ' : 'MISS'} ${c.id.padEnd(22)} ${c.message}`);
  }
  lines.push(`DR readiness ${r.score}/100: ${r.findings.length === 0 ? 'ready' : `${r.findings.length} finding(s)`}`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(r: DrReadiness, source: SourceDocument): DrCheckReport {
  const range = (path: (string | number)[]) => {
    const x = source.rangeOf(path);
    return { start: { line: x.start.line + 1, column: x.start.character + 1 }, end: { line: x.end.line + 1, column: x.end.character + 1 } };
  };
  return {
    score: r.score,
    projects: r.projects.map((p) => ({ project: p.project, score: p.score, checks: p.checks.map((c) => ({ id: c.id, ok: c.ok, message: c.message, range: range(c.path) })) })),
    findings: r.findings.map((f) => ({ ruleId: `dr-${f.id}`, project: f.project, message: f.message, range: range(f.path) })),
  };
}

async function pipeline(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, { file: ENGINE_OPTIONS.file, ci: { type: 'string' }, out: { type: 'string' }, image: { type: 'string' } });
  if (values.ci !== 'gitlab' && values.ci !== 'github') throw new UsageError(`--ci gitlab or --ci github is required${values.ci ? `, not "${values.ci}"` : ''}`);
  const file = fileArg(values, positionals, usage) ?? 'landing-zone.yaml';
  try {
    const { model } = await loadModel(resolve(io.cwd, file));
    const options = { file, ...(values.image ? { image: values.image } : {}) };
    const text = values.ci === 'gitlab' ? gitlabPipeline(model, options) : githubWorkflow(model, options);
    if (values.out) {
      await writeFile(resolve(io.cwd, values.out), text);
      io.stderr.write(`wrote ${values.out}\n`);
    } else io.stdout.write(text);
    return ExitCode.ok;
  } catch (err) {
    const f = describeFailure(err);
    io.stderr.write(`landing-zone dr pipeline: ${f.message}\n`);
    return f.usage ? ExitCode.usage : ExitCode.findings;
  }
}
