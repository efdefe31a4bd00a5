import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve } from 'node:path';
import { bundledSnapshot } from '../../core/catalog';
import { estimateCost, monthlyDelta } from '../../core/cost/estimate';
import { buildPriceBook, bundledProductCatalog, round } from '../../core/cost/price-book';
import { DiagramLayoutEngine } from '../../core/diagram/layout';
import { diagramSvg } from '../../core/diagram/render';
import { diffReview } from '../../core/diagram/review';
import { buildDiagram } from '../../core/diagram/snapshot';
import { threeWay, threeWayMarkdown, threeWayText } from '../../core/diff/three-way';
import { computeDrift } from '../../core/drift';
import { readDrift } from '../../scaleway/engine';
import { describeProfile } from '../../scaleway/profiles';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { svgToPng } from '../png';
import { ENGINE_OPTIONS, fileArg, parseOptions } from '../options';
import { engineSession } from './drift';
import { baseResources } from './review-support';

const USAGE = `Usage: landing-zone diff [FILE] [--file FILE] [--base REV] [--profile NAME]
                         [--format text|json|markdown] [--out FILE] [--picture OUT.png|OUT.svg]
                         [--picture-url URL | --picture-link URL]

Three-way review of a change: the file at a git revision (--base; default: the merge base of HEAD
with the default branch), the file now, and the live account (read-only). Says what the change
adds, modifies and removes, what drifted in the account since the base, and where both moved the
same field to different values (a conflict). Needs git; the file must be in a repository.

  --format markdown   a summary ready to post as a merge-request comment, with the picture
  --picture FILE      also draw the change on the diagram (PNG or SVG); the Markdown shows it
  --picture-url URL   where the comment's reader will find the picture (default: FILE as given)
  --picture-link URL  link to the picture instead of showing it (where images cannot be embedded,
                      e.g. a GitHub Actions run's artifacts)
  --out FILE          write the report to FILE (stdout gets the one-line summary)

Exit codes: 0 no conflict, 3 conflicts, 1 the account could not be read, 2 usage error (no git,
no such revision, unreadable file).`;

function withCost(base: Parameters<typeof estimateCost>[0], now: Parameters<typeof estimateCost>[0]): string {
  const book = buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  const before = estimateCost(base, book);
  const after = estimateCost(now, book);
  return `${monthlyDelta(round(after.eurPerMonth - before.eurPerMonth, 2))} for the priced resources (catalog snapshot ${after.catalog.date}${after.catalog.dateInferred ? ', inferred' : ''}; ${after.unpriced.length} resource(s) not priced)`;
}

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'three-way review of a change: the file at a git revision, the file now, and the account',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      ...ENGINE_OPTIONS,
      base: { type: 'string' },
      format: { type: 'string', default: 'text' },
      picture: { type: 'string' },
      'picture-url': { type: 'string' },
      'picture-link': { type: 'string' },
      out: { type: 'string' },
    });
    if (values['picture-url'] && values['picture-link']) throw new UsageError('give either --picture-url or --picture-link, not both');
    if (!['text', 'json', 'markdown'].includes(String(values.format))) throw new UsageError(`--format must be text, json or markdown\n${USAGE}`);
    const picture = values.picture;
    if (picture && !['.png', '.svg'].includes(extname(picture).toLowerCase())) throw new UsageError(`--picture must end in .png or .svg, got "${picture}"`);
    const file = fileArg(values, positionals, USAGE) ?? 'landing-zone.yaml';
    // git first: without it there is nothing to compare, and no account is read for nothing
    const base = await baseResources(io, file, values.base);
    const session = await engineSession(io, file, values.profile);
    io.stderr.write(`diff: base ${'desired' in base ? base.label : base.absent}; organisation ${session.profile.organizationId} via ${describeProfile(session.profile)} (read-only)\n`);
    const baseDesired = 'desired' in base ? base.desired : [];
    let drift;
    try {
      const read = await readDrift(session);
      drift = computeDrift(baseDesired, read.inventory, { ignores: session.model.spec.drift?.ignore ?? [] });
    } catch (err) {
      io.stderr.write(`landing-zone diff: cannot read the account: ${(err as Error).message}\n`);
      return ExitCode.findings;
    }
    const shown = relative(io.cwd, session.file) || file;
    const report = threeWay(baseDesired, session.desired, drift, { base: { label: 'desired' in base ? base.label : `(none: ${base.absent})`, commit: base.commit }, file: shown });
    const cost = withCost(baseDesired, session.desired);

    let pictureRef: string | undefined;
    if (picture) {
      const build = await buildDiagram(session.validation, new DiagramLayoutEngine());
      if (build) {
        const svg = diagramSvg(build.layout, { badges: build.badges, title: build.title, review: diffReview(report, build.topology) });
        const target = resolve(io.cwd, picture);
        await mkdir(dirname(target), { recursive: true });
        if (extname(picture).toLowerCase() === '.png') {
          const { png, error } = await svgToPng(svg, build.layout.width, build.layout.height);
          if (!png) throw new UsageError(`--picture ${picture}: ${error}`, ExitCode.findings);
          await writeFile(target, png);
        } else await writeFile(target, svg, 'utf8');
        pictureRef = values['picture-url'] ?? values['picture-link'] ?? picture;
        io.stderr.write(`diff: wrote ${picture}\n`);
      }
    }
    const text = values.format === 'json' ? JSON.stringify({ ...report, cost }, null, 2) + '\n'
      : values.format === 'markdown' ? threeWayMarkdown(report, { ...(pictureRef ? (values['picture-link'] ? { pictureLink: pictureRef } : { picture: pictureRef }) : {}), cost })
      : threeWayText(report) + `Cost: ${cost}\n`;
    if (values.out) {
      const target = resolve(io.cwd, values.out);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text, 'utf8');
      const s = report.summary;
      io.stdout.write(`wrote ${values.out}: ${s.added} added, ${s.modified} modified, ${s.removed} removed, ${s.drifted} drifted, ${s.conflict} conflict(s)\n`);
    } else io.stdout.write(text);
    return report.summary.conflict > 0 ? ExitCode.drift : ExitCode.ok;
  },
};
