import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundledSnapshot, type CatalogSnapshot } from '../../core/catalog';
import { costText, estimateCost } from '../../core/cost/estimate';
import { buildPriceBook, bundledProductCatalog, type PriceBook } from '../../core/cost/price-book';
import { desiredResources } from '../../core/desired';
import { validateText } from '../../core/validate';
import { readOnlyClients } from '../../scaleway/client';
import { CredentialsError, resolveProfile } from '../../scaleway/profiles';
import { readInstancePrices, readProductCatalog } from '../../scaleway/readers/product-catalog';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { readLandingZoneFile } from '../input';
import { fileArg, parseOptions } from '../options';

const USAGE = `Usage: landing-zone cost [FILE] [--file FILE] [--format text|json] [--offline] [--profile NAME]

Monthly price and estimated emissions (kg CO₂e) of what the file declares, per resource and per
project, from Scaleway's public product catalog (retail price per unit, unit of measure, and the
estimated kg CO₂e per SKU); Kapsule node types also from the Instance catalog's hourly price.
Resources the catalogs do not price are listed as not priced, never guessed, and are not in the
total.

The catalog is read live once a day with the profile's API (and cached with its date); --offline,
or without credentials, uses the snapshot that ships with the tool, and says so with its date.

Exit codes: 0 report written, 1 the file has errors, 2 usage error or unreadable input.`;

const sameDay = (a: string, b: string) => a.slice(0, 10) === b.slice(0, 10);

function cachePath(env: NodeJS.ProcessEnv, apiUrl: string | undefined): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const host = (apiUrl ?? 'https://api.scaleway.com').replace(/^https?:\/\//, '').replace(/[^a-zA-Z0-9.-]/g, '_');
  return join(base, 'scaleway-landing-zone', `product-catalog-${host}.json`);
}

interface Cached { product: CatalogSnapshot; instance: CatalogSnapshot }

/**
 * The price book: today's cached live read, a new live read, or the bundled snapshot — and a line
 * that says which and why.
 */
async function loadPriceBook(io: CliIo, zones: readonly string[], options: { offline: boolean; profile?: string }): Promise<{ book: PriceBook; note: string }> {
  const snapshot = () => buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  if (options.offline) return { book: snapshot(), note: 'offline: the bundled catalog snapshot' };
  let profile;
  try {
    profile = await resolveProfile({ profile: options.profile, env: io.env });
  } catch (err) {
    if (err instanceof CredentialsError) return { book: snapshot(), note: `no credentials (${err.message.split('\n')[0]}): the bundled catalog snapshot` };
    throw err;
  }
  const today = new Date().toISOString().slice(0, 10);
  const path = cachePath(io.env, profile.apiUrl);
  try {
    const cached = JSON.parse(await readFile(path, 'utf8')) as Cached;
    const covered = zones.length > 0 && zones.every((z) => Object.keys(cached.instance.answers).some((k) => k.includes(`/zones/${z}/`)));
    if (sameDay(cached.product.takenAt, today) && covered) return { book: buildPriceBook(cached.product, cached.instance, 'live'), note: `the live catalog read today (cached in ${path})` };
  } catch { /* no cache yet, or unreadable: read again */ }
  const clients = readOnlyClients(profile);
  const [product, instance] = await Promise.all([readProductCatalog(clients, [...new Set(zones.map((z) => z.replace(/-\d+$/, '')))], today), readInstancePrices(clients, zones, today)]);
  if ('error' in product) return { book: snapshot(), note: `${product.error}: the bundled catalog snapshot` };
  // a zone that could not be read keeps the snapshot's answer, which says its own date
  const merged: CatalogSnapshot = { takenAt: today, answers: { ...bundledSnapshot().answers } };
  for (const k of Object.keys(merged.answers)) {
    const zone = /\/zones\/([^/]+)\/products\/servers/.exec(k)?.[1];
    if (zone && `GET /instance/v1/zones/${zone}/products/servers` in instance.snapshot.answers) delete merged.answers[k];
  }
  Object.assign(merged.answers, instance.snapshot.answers);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ product: product.snapshot, instance: merged } satisfies Cached));
  } catch { /* a cache that cannot be written only costs a read next time */ }
  const unread = instance.unread.length ? `; not read: ${instance.unread.join('; ')}` : '';
  return { book: buildPriceBook(product.snapshot, merged, 'live'), note: `the live catalog read ${today}${unread}` };
}

export const costCommand: CliCommand = {
  name: 'cost',
  summary: 'monthly price and kg CO₂e of the file, per resource and project, from Scaleway\'s product catalog',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      file: { type: 'string' },
      profile: { type: 'string' },
      format: { type: 'string', default: 'text' },
      offline: { type: 'boolean', default: false },
    });
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
    const file = fileArg(values, positionals, USAGE) ?? 'landing-zone.yaml';
    const text = await readLandingZoneFile(file, io.cwd, io.stdin);
    const result = validateText(text, file, { reader: 'fast' });
    if (!result.model) {
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      io.stderr.write(`landing-zone cost: ${file} has ${errors} syntax or schema error(s); run \`landing-zone validate ${file}\`\n`);
      return ExitCode.findings;
    }
    const desired = desiredResources(result.model);
    const zones = [...new Set(desired.filter((d) => d.kind === 'pool' && d.zone).map((d) => d.zone!))];
    const { book, note } = await loadPriceBook(io, zones, { offline: values.offline, profile: values.profile });
    io.stderr.write(`cost: prices from ${note}\n`);
    const report = estimateCost(desired, book);
    io.stdout.write(values.format === 'json' ? JSON.stringify({ file, ...report }, null, 2) + '\n' : costText(report, file));
    return ExitCode.ok;
  },
};
