import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { DiagramLayoutEngine } from '../../core/diagram/layout';
import { overlayFromJson } from '../../core/diagram/overlay';
import { diagramSvg } from '../../core/diagram/render';
import { buildDiagram, diagramFailure } from '../../core/diagram/snapshot';
import type { DiagramDecorations, FailureScenario } from '../../core/diagram/types';
import { validateText } from '../../core/validate';
import { ZONES, REGIONS } from '../../core/schema';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { readLandingZoneFile } from '../input';
import { parseOptions } from '../options';
import { svgToPng } from '../png';
import { reviewDecorations } from './review-support';

const usage = `Usage: landing-zone diagram [FILE] [--file FILE] [--out OUT.svg|OUT.png] [--overlay DRIFT.json]
                         [--fail-zone ZONE | --fail-region REGION]
                         [--plan [--profile NAME] | --plan-file PLAN.json] [--base REV] [--cost]

Draws the hub-and-spoke diagram of a landing-zone.yaml with the same layout and rendering as
the VS Code panel: projects as groups (hubs on the left), networks, gateways and their IPs,
load balancers with the hubs they admit, clusters, databases, buckets, keys, secrets and the
backup flows. Validation findings appear as badges. FILE defaults to ./landing-zone.yaml.

Options:
  --out FILE           where to write: .svg, or .png (rasterised in-process, no browser). Default: SVG on stdout
  --overlay FILE       drift JSON (\`landing-zone drift --format json\`) or an object of
                       resource id -> in-sync|changed|missing|unmanaged
  --fail-zone ZONE     simulate the failure of a zone (e.g. fr-par-1)
  --fail-region REGION simulate the failure of a region (e.g. fr-par)
  --plan               read the account (read-only) and draw the plan over the diagram: created,
                       updated (changed fields on hover), deleted, unchanged, with a legend and
                       the monthly price per project and the plan's +€ / month
  --plan-file FILE     the same from a saved plan (\`landing-zone plan --out FILE\`), no account read
  --base REV           with a plan: updates and creates that put back what the account lost while
                       the file did not change since REV are drawn as "drift repaired"
  --cost               the monthly price per project in its header (bundled catalog snapshot)

Exit codes: 0 written, 1 the file cannot be drawn (syntax or schema errors) or PNG export failed,
2 usage error or unreadable input.
`;

/** `landing-zone diagram`: `npm start` runs it on the example (`--out dist/landing-zone.svg`). */
export const diagramCommand: CliCommand = {
  name: 'diagram',
  summary: 'draw the hub-and-spoke diagram to SVG or PNG (drift overlay, failure simulation)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      file: { type: 'string' },
      out: { type: 'string' },
      overlay: { type: 'string' },
      'fail-zone': { type: 'string' },
      'fail-region': { type: 'string' },
      plan: { type: 'boolean', default: false },
      'plan-file': { type: 'string' },
      profile: { type: 'string' },
      base: { type: 'string' },
      cost: { type: 'boolean', default: false },
    });
    if (values.plan && values['plan-file']) throw new UsageError('give either --plan or --plan-file, not both');
    if (values.base && !values.plan && !values['plan-file']) throw new UsageError('--base goes with --plan or --plan-file');
    if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}\n${usage}`);
    if (positionals.length === 1 && values.file !== undefined && values.file !== positionals[0]) {
      throw new UsageError(`FILE given twice (${positionals[0]} and --file ${values.file})`);
    }
    const file = positionals[0] ?? values.file ?? 'landing-zone.yaml';
    const out = values.out;
    const format = out ? extname(out).toLowerCase() : '.svg';
    if (format !== '.svg' && format !== '.png') throw new UsageError(`--out must end in .svg or .png, got "${out}"`);
    if (format === '.png' && !out) throw new UsageError('PNG needs --out FILE.png');
    const scenario = scenarioOf(values['fail-zone'], values['fail-region']);

    const text = await readLandingZoneFile(file, io.cwd, io.stdin);
    const result = validateText(text, file);
    const engine = new DiagramLayoutEngine();
    const build = await buildDiagram(result, engine);
    if (!build) {
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      io.stderr.write(`landing-zone diagram: ${file} has ${errors} syntax or schema error(s) and cannot be drawn; run \`landing-zone validate ${file}\`\n`);
      return ExitCode.findings;
    }
    const deco: DiagramDecorations = { badges: build.badges, title: build.title };
    if (values.overlay) {
      const raw = await readJson(resolve(io.cwd, values.overlay));
      const overlay = overlayFromJson(raw, build.topology);
      if ('error' in overlay) throw new UsageError(`--overlay ${values.overlay}: ${overlay.error}`);
      deco.overlay = overlay;
    }
    if (values.plan || values['plan-file'] || values.cost) {
      const review = await reviewDecorations(io, file, build.topology, result, { plan: values.plan, planFile: values['plan-file'], profile: values.profile, base: values.base });
      Object.assign(deco, review);
    }
    const failure = diagramFailure(result, build.topology, scenario);
    if (failure) deco.failure = failure;
    const svg = diagramSvg(build.layout, deco);

    if (!out) {
      io.stdout.write(svg);
      return ExitCode.ok;
    }
    const target = resolve(io.cwd, out);
    await mkdir(dirname(target), { recursive: true });
    if (format === '.png') {
      const { png, error } = await svgToPng(svg, build.layout.width, build.layout.height);
      if (!png) {
        io.stderr.write(`landing-zone diagram: ${error}\n`);
        return ExitCode.findings;
      }
      await writeFile(target, png);
    } else {
      await writeFile(target, svg, 'utf8');
    }
    const projects = build.layout.groups.filter((g) => g.kind === 'project').length;
    const findings = build.counts.errors + build.counts.warnings + build.counts.infos;
    io.stdout.write(`wrote ${out} (${projects} projects, ${build.layout.nodes.length} boxes, ${build.layout.edges.length} edges${findings ? `, ${findings} finding(s) as badges` : ''}${failure ? `, ${failure.summary.unrecoverable} without a recovery path` : ''}${deco.review ? `; ${deco.review.title}` : ''})\n`);
    return ExitCode.ok;
  },
};

function scenarioOf(zone: string | undefined, region: string | undefined): FailureScenario | undefined {
  if (zone && region) throw new UsageError('give either --fail-zone or --fail-region, not both');
  if (zone) {
    if (!ZONES.includes(zone)) throw new UsageError(`unknown zone "${zone}"; zones: ${ZONES.join(', ')}`);
    return { kind: 'zone', zone };
  }
  if (region) {
    if (!(REGIONS as readonly string[]).includes(region)) throw new UsageError(`unknown region "${region}"; regions: ${REGIONS.join(', ')}`);
    return { kind: 'region', region };
  }
  return undefined;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON`);
  }
}
