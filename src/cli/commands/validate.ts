import { CLI_VERSION } from '../../core/distribution';
import { formatJson } from '../../core/format/json';
import { ruleHelpUri } from '../../core/format/rule-docs';
import { formatSarif } from '../../core/format/sarif';
import { countIssues, describeCounts, formatText } from '../../core/format/text';
import { formatSummary, summarize } from '../../core/summary';
import { ruleCatalog, validateText } from '../../core/validate';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { readLandingZoneFile } from '../input';
import { parseOptions } from '../options';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];


const usage = `Usage: landing-zone validate [FILE] [--file FILE] [--format text|json|sarif] [--summary]

Checks a landing-zone.yaml: YAML syntax, the v1 schema, references and names, networks,
regions and zones, and the landing-zone policy rules. FILE defaults to ./landing-zone.yaml;
\`-\` reads standard input.

Options:
  --file FILE        the file to check (same as the positional FILE)
  --format FORMAT    text (default): file:line:col severity ruleId message
                     json: a stable report with 1-based ranges and fixes
                     sarif: SARIF 2.1.0 for code-scanning tools
  --summary          also print projects by role, hubs and finding counts

Exit codes: 0 no errors or warnings, 1 errors or warnings, 2 usage error or unreadable file.
`;

/** `landing-zone validate`: the CI gate and the engine behind the editor's diagnostics. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check landing-zone.yaml (syntax, schema, references, policy rules)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      file: { type: 'string' },
      format: { type: 'string', default: 'text' },
      summary: { type: 'boolean', default: false },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
    if (positionals.length === 1 && values.file !== undefined && values.file !== positionals[0]) {
      throw new UsageError(`FILE given twice (${positionals[0]} and --file ${values.file})`);
    }
    const format = values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use text, json or sarif`);
    const file = positionals[0] ?? values.file ?? 'landing-zone.yaml';

    const text = await readLandingZoneFile(file, io.cwd, io.stdin);
    // read-only: the fast YAML path may answer (it is held equal to yaml); commands that write read with yaml
    const result = validateText(text, file, { reader: 'fast' });
    const summary = summarize(result);
    io.stdout.write(render(format as Format, result, file, values.summary ? summary : undefined));
    const counts = countIssues(result.issues);
    const suppressed = result.suppressed.length ? ` (${result.suppressed.length} suppressed by landing-zone-ignore)` : '';
    if (format === 'text') io.stderr.write(`${file}: ${describeCounts(counts)}${suppressed}\n`);
    return counts.errors + counts.warnings > 0 ? ExitCode.findings : ExitCode.ok;
  },
};

function render(format: Format, result: ReturnType<typeof validateText>, file: string, summary: ReturnType<typeof summarize> | undefined): string {
  const issues = result.issues;
  // every rule's doc (docs/rules/<id>.md) is linked; suppressed findings are listed with their reason
  const options = { file, helpUri: (id: string) => ruleHelpUri(id), suppressed: result.suppressed };
  switch (format) {
    case 'json':
      return formatJson(issues, options, summary ? { summary } : {});
    case 'sarif':
      return formatSarif(issues, { ...options, rules: ruleCatalog(), toolVersion: CLI_VERSION });
    case 'text':
      return formatText(issues, { file }) + (summary ? formatSummary(summary, file) : '');
  }
}
