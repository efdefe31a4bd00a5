import { z } from 'zod';

/*
 * The contract between the CLI and the editor for what the editor runs through the bundled CLI
 * (DR readiness and restores, which carry the Kubernetes client): the CLI's JSON output, as zod
 * schemas. The CLI builds its output with these types and the editor parses it with these
 * schemas; neither side reads the other's human text.
 */

/** A 1-based range in landing-zone.yaml (end exclusive), as every JSON report of the CLI writes it. */
const JsonRange = z.object({
  start: z.object({ line: z.number().int().positive(), column: z.number().int().positive() }),
  end: z.object({ line: z.number().int().positive(), column: z.number().int().positive() }),
});
export type JsonRange = z.infer<typeof JsonRange>;

/** `landing-zone dr check --format json`. */
export const DrCheckReport = z.object({
  score: z.number().min(0).max(100),
  projects: z.array(z.object({
    project: z.string(),
    score: z.number().min(0).max(100),
    checks: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string(), range: JsonRange })),
  })),
  findings: z.array(z.object({ ruleId: z.string(), project: z.string(), message: z.string(), range: JsonRange })),
});
export type DrCheckReport = z.infer<typeof DrCheckReport>;

/** One step of a restore runbook: what it does and the API calls it makes. */
const RestoreStep = z.object({ id: z.string(), title: z.string(), calls: z.array(z.string()) });

/** `landing-zone restore zone|region --dry-run --format json`: the runbook, no request made. */
export const RestoreDryRun = z.object({
  kind: z.enum(['zone', 'region']),
  project: z.string(),
  /** Where the failure is: the zone (zone restore) or the region (region restore). */
  from: z.string(),
  /** Where the replacement goes: the fallback zone or region. */
  to: z.string(),
  steps: z.array(RestoreStep),
});
export type RestoreDryRun = z.infer<typeof RestoreDryRun>;

/** `landing-zone restore zone|region --yes --format json`: how the run ended, step by step. */
export const RestoreOutcome = z.object({
  kind: z.enum(['zone', 'region']),
  project: z.string(),
  /** The run's journal id (`rz-…`, `rr-…`). */
  run: z.string().optional(),
  /** A Velero restore ended PartiallyFailed: finished, with warnings. */
  partial: z.boolean(),
  steps: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), detail: z.string().optional() })),
  /** The report lines (the text output), for the log. */
  lines: z.array(z.string()),
});
export type RestoreOutcome = z.infer<typeof RestoreOutcome>;

/** Parses a CLI's JSON output with its schema, or says what was wrong (never the output itself: it may be long). */
export function parseCliJson<T>(schema: z.ZodType<T>, stdout: string, what: string): { ok: true; value: T } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return { ok: false, problem: `${what}: the CLI wrote no JSON report` };
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, problem: `${what}: the CLI's report does not match the protocol (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'})` };
  }
  return { ok: true, value: r.data };
}
