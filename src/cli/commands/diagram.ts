import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { DiagramLayoutEngine } from '../../core/diagram/layout';
import { overlayFromJson } from '../../core/diagram/overlay';
import { diagramMap, renderMap, useMap } from '../../core/diagram/map';
import { diagramSvg, HEADER_HEIGHT, toSvgString, type DetailLevel } from '../../core/diagram/render';
import type { TopologyLayer } from '../../core/topology';
import { buildDiagram, diagramFailure } from '../../core/diagram/snapshot';
import type { DiagramDecorations, DiagramLayout, FailureScenario } from '../../core/diagram/types';
import { validateText } from '../../core/validate';
import { ZONES, REGIONS } from '../../core/schema';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { readLandingZoneFile } from '../input';
import { parseOptions } from '../options';
import { svgToPng } from '../png';
import { reviewDecorations } from './review-support';

const LAYERS: readonly TopologyLayer[] = ['network', 'iam', 'dr'];

const usage = `Usage: landing-zone diagram [FILE] [--file FILE] [--out OUT.svg|OUT.png] [--overlay DRIFT.json]
                         [--detail overview|full] [--layers network,iam,dr] [--aspect W:H]
                         [--fail-zone ZONE | --fail-region REGION]
                         [--plan [--profile NAME] | --plan-file PLAN.json] [--base REV] [--cost]

Draws the hub-and-spoke diagram of a landing-zone.yaml with the same layout and rendering as
the VS Code panel: projects as groups (the hubs in the middle, spokes around them), networks, gateways and their IPs,
load balancers with the hubs they admit, clusters, databases, buckets, keys, secrets and the
backup flows. Validation findings appear as badges. FILE defaults to ./landing-zone.yaml.

Options:
  --out FILE           where to write: .svg, or .png (rasterised in-process, no browser). Default: SVG on stdout
  --detail LEVEL       full (default): every resource and edge; overview: a card per project with its
                       counts, drift and DR state, and the hub-to-spoke edges — beyond 60 projects a
                       map of the projects grouped by role. The same pictures as the VS Code panel.
  --aspect W:H         the shape the projects are arranged for, as a panel's width:height (e.g.
                       16:10 for a full-width panel, 1.6 alike). Default 1:1, the half-width panel
                       beside the file; the VS Code panel sends its own
  --layers LIST        edge layers to draw, comma-separated: network (attachments, load balancers,
                       ACLs), iam (key uses, API keys, endpoints), dr (backups, copies). Default: network
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
      detail: { type: 'string' },
      layers: { type: 'string' },
      aspect: { type: 'string' },
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
    const detail = values.detail ?? 'full';
    if (detail !== 'full' && detail !== 'overview') throw new UsageError(`--detail must be overview or full, got "${detail}"`);
    const layers = values.layers === undefined ? ['network'] : values.layers.split(',').map((l) => l.trim()).filter(Boolean);
    const unknown = layers.filter((l) => !(LAYERS as readonly string[]).includes(l));
    if (unknown.length > 0) throw new UsageError(`--layers: unknown layer ${unknown.map((l) => `"${l}"`).join(', ')}; layers: ${LAYERS.join(', ')}`);

    const aspect = values.aspect === undefined ? undefined : aspectOf(values.aspect);
    const text = await readLandingZoneFile(file, io.cwd, io.stdin);
    const result = validateText(text, file);
    const engine = new DiagramLayoutEngine();
    if (aspect !== undefined) engine.aspect = aspect;
    const build = await buildDiagram(result, engine);
    if (!build) {
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      io.stderr.write(`landing-zone diagram: ${file} has ${errors} syntax or schema error(s) and cannot be drawn; run \`landing-zone validate ${file}\`\n`);
      return ExitCode.findings;
    }
    const deco: DiagramDecorations = { badges: build.badges, title: build.title, hiddenLayers: LAYERS.filter((l) => !layers.includes(l)) };
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
    const picture = draw(build.layout, deco, detail);
    const svg = picture.svg;

    if (!out) {
      io.stdout.write(svg);
      return ExitCode.ok;
    }
    const target = resolve(io.cwd, out);
    await mkdir(dirname(target), { recursive: true });
    if (format === '.png') {
      // twice the screen's size, for crisp text
      const { png, error } = await svgToPng(svg, picture.width, picture.height, 2 * picture.zoom);
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
    io.stdout.write(`wrote ${out} (${projects} projects, ${detail === 'full' ? `${build.layout.nodes.length} boxes, ${build.layout.edges.length} edges` : picture.map ? 'a map by role' : 'a card per project'}${findings ? `, ${findings} finding(s) as badges` : ''}${failure ? `, ${failure.summary.unrecoverable} without a recovery path` : ''}${deco.review ? `; ${deco.review.title}` : ''})\n`);
    return ExitCode.ok;
  },
};

/** The picture at a level of detail, as the panel draws it: beyond 60 projects the overview is the map. */
function draw(layout: DiagramLayout, deco: DiagramDecorations, detail: DetailLevel): { svg: string; width: number; height: number; map: boolean; zoom: number } {
  if (detail === 'overview' && useMap(layout)) {
    // a landscape page, a little wider than tall, as a merge request or a slide shows it
    const map = diagramMap(layout, 1.4);
    return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${toSvgString(renderMap(layout, map, deco, { standalone: true }), true).trimStart()}\n`, width: map.width, height: map.height, map: true, zoom: 1 };
  }
  const width = Math.max(layout.width, 960);
  // cards are drawn as a panel 1,200 px wide shows them fitted: their text at its size on that screen
  const zoom = detail === 'overview' ? Math.min(1, OVERVIEW_WIDTH / width) : 1;
  return { svg: diagramSvg(layout, deco, { detail, zoom }), width, height: layout.height + HEADER_HEIGHT, map: false, zoom };
}

/** The width of the screen an overview file is drawn for. */
const OVERVIEW_WIDTH = 1200;

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

/** `16:10`, `1.6` or `1600x1000`: a width / height between 0.4 and 4 (as the panel's). */
function aspectOf(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:[:x×/]\s*(\d+(?:\.\d+)?))?\s*$/.exec(raw);
  const value = m ? Number(m[1]) / (m[2] !== undefined ? Number(m[2]) : 1) : NaN;
  if (!Number.isFinite(value) || value < 0.4 || value > 4) throw new UsageError(`--aspect must be a width:height between 2:5 and 4:1 (e.g. 16:10 or 1.6), got "${raw}"`);
  return value;
}
