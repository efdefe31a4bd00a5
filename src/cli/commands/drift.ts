import { relative } from 'node:path';
import { describeEntry, type DriftEntry, type DriftReport } from '../../core/drift';
import type { Range } from '../../core/issues';
import { readDrift } from '../../scaleway/engine';
import { describeProfile } from '../../scaleway/profiles';
import { openSession, type Session } from '../../scaleway/session';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { parseOptions } from '../main';

/** Options every engine command shares: FILE, --file, --profile. */
export const ENGINE_OPTIONS = {
  file: { type: 'string' },
  profile: { type: 'string' },
} as const;

/** Opens the session or throws the usage error that says why not (exit 2). */
export async function engineSession(io: CliIo, file: string | undefined, profile: string | undefined): Promise<Session> {
  const opened = await openSession({ file: file ?? 'landing-zone.yaml', cwd: io.cwd, profile: { profile, env: io.env } });
  if (!opened.ok) throw new UsageError(opened.message);
  return opened.session;
}

/** The FILE positional or --file, never both. */
export function fileArg(values: { file?: string }, positionals: string[], usage: string): string | undefined {
  if (positionals.length > 1 || (positionals.length === 1 && values.file)) throw new UsageError(`one file at most\n${usage}`);
  return values.file ?? positionals[0];
}

const USAGE = `Usage: landing-zone drift [FILE] [--file FILE] [--profile NAME] [--format text|json|sarif]

Compares the file with the Scaleway organisation (read-only) and reports what is missing,
changed, unmanaged or not checked. Credentials: --profile, the SCW_* variables, or the scw
config file (~/.config/scw/config.yaml). Exit 0 in sync, 3 drift, 1 error, 2 usage.`;

const RULES: Record<string, { level: 'error' | 'warning' | 'note'; text: string }> = {
  'drift-missing': { level: 'error', text: 'A declared resource does not exist in the account.' },
  'drift-changed': { level: 'error', text: 'A resource differs from its declaration.' },
  'drift-unmanaged': { level: 'warning', text: 'A resource in the account is not declared in the file.' },
  'drift-not-checked': { level: 'note', text: 'A declared resource kind could not be read.' },
  'drift-expired-ignore': { level: 'error', text: 'A drift.ignore entry has expired.' },
};

function ruleOf(e: DriftEntry): string {
  return `drift-${e.status}`;
}

/** The range of a declared resource in the file (0-based), or the file's start for unmanaged ones. */
function rangeOf(session: Session, path: (string | number)[] | undefined): Range {
  if (!path) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return session.validation.source.rangeOf(path);
}

/** The JSON report: sorted, 1-based ranges, no timestamps, so two runs on the same account are identical. */
export function driftJson(report: DriftReport, session: Session, file: string): Record<string, unknown> {
  return {
    version: 1,
    file,
    organizationId: report.organizationId,
    inSync: report.inSync,
    summary: report.summary,
    entries: report.entries.map((e) => {
      const r = e.path ? rangeOf(session, e.path) : undefined;
      const { path: _path, ...rest } = e;
      return r ? { ...rest, range: { start: { line: r.start.line + 1, column: r.start.character + 1 }, end: { line: r.end.line + 1, column: r.end.character + 1 } } } : rest;
    }),
    expiredIgnores: report.expiredIgnores.map((x) => {
      const r = rangeOf(session, ['drift', 'ignore', x.index]);
      return { ...x, range: { start: { line: r.start.line + 1, column: r.start.character + 1 }, end: { line: r.end.line + 1, column: r.end.character + 1 } } };
    }),
  };
}

function sarif(report: DriftReport, session: Session, file: string): Record<string, unknown> {
  const results: Record<string, unknown>[] = [];
  const loc = (r: Range) => [{ physicalLocation: { artifactLocation: { uri: file }, region: { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 } } }];
  for (const e of report.entries) {
    if (e.status === 'in-sync') continue;
    const ruleId = ruleOf(e);
    results.push({ ruleId, level: RULES[ruleId]!.level, message: { text: describeEntry(e) }, locations: loc(rangeOf(session, e.path)), properties: { resourceId: e.id, kind: e.kind } });
  }
  for (const x of report.expiredIgnores) {
    results.push({ ruleId: 'drift-expired-ignore', level: 'error', message: { text: `the ignore of ${x.resource}${x.field ? ` ${x.field}` : ''} expired on ${x.expires}` }, locations: loc(rangeOf(session, ['drift', 'ignore', x.index])) });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'landing-zone', informationUri: 'https://example.invalid/scaleway-landing-zone', rules: Object.entries(RULES).map(([id, r]) => ({ id, shortDescription: { text: r.text }, defaultConfiguration: { level: r.level } })) } },
      results,
    }],
  };
}

function text(report: DriftReport, session: Session, file: string): string {
  const lines: string[] = [];
  for (const e of report.entries) {
    const r = rangeOf(session, e.path);
    const at = `${file}:${r.start.line + 1}:${r.start.character + 1}`;
    if (e.status !== 'in-sync' || e.matchedBy === 'name') {
      const sev = e.status === 'in-sync' || e.status === 'not-checked' ? 'info' : e.status === 'unmanaged' ? 'warning' : 'error';
      lines.push(`${at} ${sev} ${e.status === 'in-sync' ? 'drift-matched-by-name' : ruleOf(e)} ${describeEntry(e)}`);
    }
    for (const ig of e.ignored ?? []) lines.push(`${at} info drift-ignored ${e.id}: ${ig.field} differs (declared ${JSON.stringify(ig.declared)}, live ${JSON.stringify(ig.live)}), ignored: ${ig.reason}`);
  }
  for (const x of report.expiredIgnores) {
    const r = rangeOf(session, ['drift', 'ignore', x.index]);
    lines.push(`${file}:${r.start.line + 1}:${r.start.character + 1} error drift-expired-ignore the ignore of ${x.resource}${x.field ? ` ${x.field}` : ''} expired on ${x.expires}`);
  }
  const s = report.summary;
  lines.push(`${report.inSync ? 'in sync' : 'drift'}: ${s.declared} declared, ${s.inSync} in sync, ${s.missing} missing, ${s.changed} changed, ${s.unmanaged} unmanaged, ${s.notChecked} not checked (coverage ${s.coverage}%)${s.matchedByName ? `, ${s.matchedByName} matched by name` : ''}${s.ignoredChanges ? `, ${s.ignoredChanges} ignored difference(s)` : ''}${s.expiredIgnores ? `, ${s.expiredIgnores} expired ignore(s)` : ''}`);
  return lines.join('\n') + '\n';
}

/** Reads the account (read-only) and computes the drift report for an open session. */
export const driftOf = (session: Session) => readDrift(session);

export const driftCommand: CliCommand = {
  name: 'drift',
  summary: 'Compare the file with the Scaleway organisation (read-only)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, { ...ENGINE_OPTIONS, format: { type: 'string', default: 'text' } });
    const format = values.format;
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif\n${USAGE}`);
    const session = await engineSession(io, fileArg(values, positionals, USAGE), values.profile);
    io.stderr.write(`drift: organisation ${session.profile.organizationId} via ${describeProfile(session.profile)}\n`);
    let report: DriftReport;
    try {
      ({ report } = await driftOf(session));
    } catch (err) {
      io.stderr.write(`landing-zone drift: cannot read the account: ${(err as Error).message}\n`);
      return ExitCode.findings;
    }
    const file = relative(io.cwd, session.file) || session.file;
    if (format === 'json') io.stdout.write(JSON.stringify(driftJson(report, session, file), null, 2) + '\n');
    else if (format === 'sarif') io.stdout.write(JSON.stringify(sarif(report, session, file), null, 2) + '\n');
    else io.stdout.write(text(report, session, file));
    return report.inSync ? ExitCode.ok : ExitCode.drift;
  },
};
