import { relative } from 'node:path';
import { KIND_ORDER } from '../../core/desired';
import { describeEntry, describeUnread, fixFor, groupUnread, type DriftEntry, type DriftReport } from '../../core/drift';
import type { Range } from '../../core/issues';
import type { ResourceKind } from '../../core/model';
import { readDrift } from '../../scaleway/engine';
import { describeProfile, type ScalewayProfile } from '../../scaleway/profiles';
import { openSession, type Session } from '../../scaleway/session';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { ENGINE_OPTIONS, fileArg, parseOptions } from '../options';

// the shared options live in ../options; re-exported for the commands that still import them from here
export { ENGINE_OPTIONS, fileArg } from '../options';

/** Opens the session or throws the usage error that says why not (exit 2). */
export async function engineSession(io: CliIo, file: string | undefined, profile: string | undefined, reader?: 'fast'): Promise<Session> {
  const opened = await openSession({ file: file ?? 'landing-zone.yaml', cwd: io.cwd, profile: { profile, env: io.env }, ...(reader ? { reader } : {}) });
  if (!opened.ok) throw new UsageError(opened.message);
  return opened.session;
}

const USAGE = `Usage: landing-zone drift [FILE] [--file FILE] [--profile NAME] [--format text|json|sarif]
                          [--accept-not-checked KIND...]

Compares the file with the Scaleway organisation (read-only) and reports what is missing,
changed, unmanaged or not checked. Credentials: --profile, the SCW_* variables, or the scw
config file (~/.config/scw/config.yaml).

A kind that could not be read (permission denied, an error, or a kind this version does not
read) is not checked, and a comparison with anything not checked is not "in sync": exit 3,
with what could not be read, with which credentials, why, and the permission set it needs.
--accept-not-checked KIND... (repeatable, or comma-separated) accepts those kinds unread: they
are still listed, as accepted, but no longer fail the run. Kinds: ${KIND_ORDER.join(', ')}.

Exit 0 in sync (or nothing differs and every unread kind is accepted), 3 drift or not checked,
1 error, 2 usage.`;

const RULES: Record<string, { level: 'error' | 'warning' | 'note'; text: string }> = {
  'drift-missing': { level: 'error', text: 'A declared resource does not exist in the account.' },
  'drift-changed': { level: 'error', text: 'A resource differs from its declaration.' },
  'drift-unmanaged': { level: 'warning', text: 'A resource in the account is not declared in the file.' },
  'drift-not-checked': { level: 'error', text: 'A resource kind could not be read: the comparison is incomplete.' },
  'drift-not-checked-accepted': { level: 'note', text: 'A resource kind could not be read, and the run accepts it unread (--accept-not-checked).' },
  'drift-expired-ignore': { level: 'error', text: 'A drift.ignore entry has expired.' },
};

/**
 * `--accept-not-checked KIND...`: the values of the option (repeatable, comma-separated) and the
 * kind names that follow it, which parseArgs would otherwise take for FILE.
 */
export function takeAcceptedKinds(argv: readonly string[]): { argv: string[]; kinds: ResourceKind[] } {
  const rest: string[] = [];
  const kinds: string[] = [];
  const known = new Set<string>(KIND_ORDER);
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const eq = a.startsWith('--accept-not-checked=') ? a.slice('--accept-not-checked='.length) : undefined;
    if (a !== '--accept-not-checked' && eq === undefined) {
      rest.push(a);
      continue;
    }
    const first = eq ?? argv[++i];
    if (first === undefined || first === '' || first.startsWith('-')) throw new UsageError(`--accept-not-checked needs one or more kinds: ${KIND_ORDER.join(", ")}`);
    kinds.push(...first.split(','));
    while (i + 1 < argv.length && argv[i + 1]!.split(',').every((k) => known.has(k))) kinds.push(...argv[++i]!.split(','));
  }
  const bad = kinds.filter((k) => !known.has(k));
  if (bad.length) throw new UsageError(`--accept-not-checked: unknown kind ${bad.join(', ')}; kinds: ${KIND_ORDER.join(', ')}`);
  return { argv: rest, kinds: [...new Set(kinds)] as ResourceKind[] };
}

/** An API URL without whatever user:password it may carry. */
function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable API URL)';
  }
}

/** The credentials a report was read with, as reports may show them: never the secret key. */
const credentialsOf = (p: ScalewayProfile) => ({ profile: p.name, accessKey: p.accessKey, organizationId: p.organizationId, ...(p.apiUrl ? { apiUrl: withoutUserInfo(p.apiUrl) } : {}) });

function ruleOf(e: DriftEntry): string {
  return e.status === 'not-checked' && e.accepted ? 'drift-not-checked-accepted' : `drift-${e.status}`;
}

/** The range of a declared resource in the file (0-based), or the file's start for unmanaged ones. */
function rangeOf(session: Session, path: (string | number)[] | undefined): Range {
  if (!path) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return session.validation.source.rangeOf(path);
}

/** The JSON report: sorted, 1-based ranges, no timestamps, so two runs on the same account are identical. */
function driftJson(report: DriftReport, session: Session, file: string): Record<string, unknown> {
  return {
    version: 1,
    file,
    organizationId: report.organizationId,
    inSync: report.inSync,
    verdict: report.verdict,
    credentials: credentialsOf(session.profile),
    notChecked: report.notChecked.map((n) => ({ ...n, fix: fixFor(n) })),
    acceptedNotChecked: [...new Set(report.notChecked.filter((n) => n.accepted).map((n) => n.kind))],
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
    scalewayManaged: report.scalewayManaged,
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
  // one result per unread kind too: a kind nothing in the file declares still hides unmanaged resources
  const who = describeProfile(session.profile);
  for (const n of report.notChecked) {
    const ruleId = n.accepted ? 'drift-not-checked-accepted' : 'drift-not-checked';
    results.push({
      ruleId, level: RULES[ruleId]!.level, message: { text: `could not read ${describeUnread(n)} — with ${who}; ${n.accepted ? 'accepted unread' : fixFor(n)}` },
      locations: loc(rangeOf(session, undefined)), properties: { kind: n.kind, ...(n.region ? { region: n.region } : {}), cause: n.cause ?? 'failed', accepted: n.accepted, ...(n.needs ? { needs: n.needs } : {}) },
    });
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
      const sev = e.status === 'in-sync' || (e.status === 'not-checked' && e.accepted) ? 'info' : e.status === 'unmanaged' ? 'warning' : 'error';
      lines.push(`${at} ${sev} ${e.status === 'in-sync' ? 'drift-matched-by-name' : ruleOf(e)} ${describeEntry(e)}`);
    }
    for (const ig of e.ignored ?? []) lines.push(`${at} info drift-ignored ${e.id}: ${ig.field} differs (declared ${JSON.stringify(ig.declared)}, live ${JSON.stringify(ig.live)}), ignored: ${ig.reason}`);
  }
  for (const x of report.expiredIgnores) {
    const r = rangeOf(session, ['drift', 'ignore', x.index]);
    lines.push(`${file}:${r.start.line + 1}:${r.start.character + 1} error drift-expired-ignore the ignore of ${x.resource}${x.field ? ` ${x.field}` : ''} expired on ${x.expires}`);
  }
  lines.push(...notCheckedBlock(report, session.profile));
  if (report.scalewayManaged.length) {
    lines.push(`info: ${report.scalewayManaged.length} resource(s) created and owned by Scaleway left out (neither declared nor drift): ${report.scalewayManaged.map((m) => `${m.kind} "${m.name}"`).join(', ')}`);
  }
  lines.push(verdictLine(report));
  return lines.join('\n') + '\n';
}

/** What could not be read, with which credentials, why, and what to do; accepted kinds last. */
function notCheckedBlock(report: DriftReport, profile: ScalewayProfile): string[] {
  const open = report.notChecked.filter((n) => !n.accepted);
  const accepted = report.notChecked.filter((n) => n.accepted);
  const lines: string[] = [];
  if (open.length) {
    const groups = groupUnread(open);
    lines.push(`not checked: ${groups.length} kind(s) could not be read or compared, with ${describeProfile(profile)}:`);
    for (const n of groups) lines.push(`  ${describeUnread(n)}`, `    fix: ${fixFor(n)}`);
  }
  if (accepted.length) {
    lines.push(`accepted not checked (--accept-not-checked): ${groupUnread(accepted).map((n) => describeUnread(n)).join('; ')}`);
  }
  return lines;
}

/** The last line: the verdict, then the counts. Never "in sync" unless everything was read. */
function verdictLine(report: DriftReport): string {
  const s = report.summary;
  const accepted = [...new Set(report.notChecked.filter((n) => n.accepted).map((n) => n.kind))];
  const open = [...new Set(report.notChecked.filter((n) => !n.accepted).map((n) => n.kind))];
  const head = report.verdict === 'in-sync' ? 'in sync'
    : report.verdict === 'drift' ? `drift${open.length ? ` (and not checked: ${open.join(', ')})` : ''}`
      : report.verdict === 'not-checked' ? `not checked: could not read ${open.length > 5 ? `${open.length} kinds (${open.slice(0, 5).join(', ')}, …)` : open.join(', ')}; nothing differs in what was read`
        : `no drift in what was read; not checked, accepted: ${accepted.join(', ')}`;
  return `${head}: ${s.declared} declared, ${s.inSync} matching, ${s.missing} missing, ${s.changed} changed, ${s.unmanaged} unmanaged, ${s.notChecked} not checked${s.notCheckedAccepted ? ` (${s.notCheckedAccepted} accepted)` : ''} (coverage ${s.coverage}%)${s.matchedByName ? `, ${s.matchedByName} matched by name` : ''}${s.ignoredChanges ? `, ${s.ignoredChanges} ignored difference(s)` : ''}${s.expiredIgnores ? `, ${s.expiredIgnores} expired ignore(s)` : ''}${s.scalewayManaged ? `, ${s.scalewayManaged} Scaleway-managed left out` : ''}`;
}

/** Reads the account (read-only) and computes the drift report for an open session. */
const driftOf = (session: Session, acceptNotChecked: readonly ResourceKind[] = []) => readDrift(session, {}, { acceptNotChecked });

export const driftCommand: CliCommand = {
  name: 'drift',
  summary: 'Compare the file with the Scaleway organisation (read-only)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const accepted = takeAcceptedKinds(argv);
    const { values, positionals } = parseOptions(accepted.argv, { ...ENGINE_OPTIONS, format: { type: 'string', default: 'text' } });
    const format = values.format;
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif\n${USAGE}`);
    // read-only: the file is read as validate reads it (a cold drift spent 0.1–0.2 s in yaml's general parser)
    const session = await engineSession(io, fileArg(values, positionals, USAGE), values.profile, 'fast');
    io.stderr.write(`drift: organisation ${session.profile.organizationId} via ${describeProfile(session.profile)}\n`);
    let report: DriftReport;
    try {
      ({ report } = await driftOf(session, accepted.kinds));
    } catch (err) {
      io.stderr.write(`landing-zone drift: cannot read the account: ${(err as Error).message}\n`);
      return ExitCode.findings;
    }
    const file = relative(io.cwd, session.file) || session.file;
    if (format === 'json') io.stdout.write(JSON.stringify(driftJson(report, session, file), null, 2) + '\n');
    else if (format === 'sarif') io.stdout.write(JSON.stringify(sarif(report, session, file), null, 2) + '\n');
    else io.stdout.write(text(report, session, file));
    // the block goes to stderr as well when stdout is a report for machines: a CI log shows it
    if (format !== 'text') for (const l of notCheckedBlock(report, session.profile)) io.stderr.write(`${l}\n`);
    return report.verdict === 'in-sync' || report.verdict === 'accepted-not-checked' ? ExitCode.ok : ExitCode.drift;
  },
};
