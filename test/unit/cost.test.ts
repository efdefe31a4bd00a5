import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundledSnapshot } from '../../src/core/catalog';
import { estimateCost } from '../../src/core/cost/estimate';
import { buildPriceBook, bundledProductCatalog, describePrice, HOURS_PER_MONTH, nodeTypePrice, parseProductCatalog, PRODUCT_CATALOG_KEY } from '../../src/core/cost/price-book';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { readOnlyClients } from '../../src/scaleway/client';
import { readInstancePrices, readProductCatalog } from '../../src/scaleway/readers/product-catalog';
import { runCli } from './ops/helpers';
import { exampleText, modelOf, sandboxEnv, sandboxProfile } from './engine/helpers';

/** The recorded answers themselves, read here independently of the parser under test. */
const recordedProducts = (bundledProductCatalog().answers[PRODUCT_CATALOG_KEY]!.body as { products: { sku: string; product: string; locality: { zone?: string }; price: { retail_price: { units: number; nanos: number } }; unit_of_measure: { unit: string }; environmental_impact_estimation?: { kg_co2_equivalent: number } }[] }).products;
const recordedInstance = (type: string): number => {
  for (const [k, a] of Object.entries(bundledSnapshot().answers)) {
    if (!k.startsWith('GET /instance/v1/zones/fr-par-1/products/servers')) continue;
    const s = (a.body as { servers: Record<string, { hourly_price: number }> }).servers[type];
    if (s) return s.hourly_price;
  }
  throw new Error(`${type} not recorded`);
};

let sb: Sandbox;
let dir: string;
before(async () => {
  sb = await startSandbox({ transitionMs: 10 });
  dir = mkdtempSync(join(tmpdir(), 'lz-cost-'));
  writeFileSync(join(dir, 'landing-zone.yaml'), exampleText(sb));
});
after(async () => { await sb.close(); });

test('the product catalog snapshot: every recorded priced product, Money as units + nanos, kg CO₂e where the answer has it, with its source', () => {
  const entries = parseProductCatalog(bundledProductCatalog().answers[PRODUCT_CATALOG_KEY]!.body);
  assert.equal(entries.length, recordedProducts.length);
  for (const p of recordedProducts) {
    const e = entries.find((x) => x.sku === p.sku)!;
    assert.equal(e.eurPerUnit, p.price.retail_price.units + p.price.retail_price.nanos / 1e9, p.sku);
    assert.equal(e.unit, p.unit_of_measure.unit);
    assert.equal(e.kgCo2ePerUnit, p.environmental_impact_estimation?.kg_co2_equivalent);
  }
  const book = buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  assert.match(book.source, /mixxor\/eu-cloud-prices .*1c9fbba/);
  assert.equal(book.totalCount, 5452, 'the real answer counted 5452 products; the excerpt says so');
  // a node type both catalogs price: the product catalog wins (it carries the carbon estimate)
  const pop = nodeTypePrice(book, 'POP2-2C-8G', 'fr-par-1')!;
  assert.equal(pop.from, 'product-catalog');
  assert.match(describePrice(book, pop), /€0\.0735\/h, €53\.66\/month, 0\.895 kg CO₂e\/month \(product catalog 2026-08-14 \(inferred\)\)/);
  assert.equal(nodeTypePrice(book, 'PRO2-S', 'fr-par-1')?.from, 'instance-catalog');
  assert.equal(nodeTypePrice(book, 'NOPE-1', 'fr-par-1'), undefined);
  // money in another currency is not a price in euros
  assert.equal(parseProductCatalog({ products: [{ sku: '/x', product: 'X', price: { retail_price: { currency_code: 'USD', units: 1, nanos: 0 } }, unit_of_measure: { unit: 'hour', size: 1 } }] }).length, 0);
});

test('cost of the example: node pools priced from the recorded catalogs, everything else listed as not priced with its reason', () => {
  const { desired } = modelOf(readFileSync('examples/landing-zone.yaml', 'utf8'));
  const report = estimateCost(desired, buildPriceBook(bundledProductCatalog(), bundledSnapshot()));
  const pools = desired.filter((d) => d.kind === 'pool');
  assert.deepEqual(report.priced.map((l) => l.id).sort(), pools.map((p) => p.id).sort());
  for (const p of pools) {
    const line = report.priced.find((l) => l.id === p.id)!;
    const expected = Number((recordedInstance(String(p.fields.nodeType)) * HOURS_PER_MONTH * Number(p.fields.size)).toFixed(2));
    assert.equal(line.eurPerMonth, expected, p.id);
  }
  assert.equal(report.eurPerMonth, Math.round(report.priced.reduce((a, l) => a + l.eurPerMonth, 0) * 100) / 100);
  assert.equal(report.priced.length + report.unpriced.length, desired.length);
  const reason = (id: string) => report.unpriced.find((u) => u.id === id)?.reason ?? '';
  assert.match(reason('prod/database/main'), /no SKU for database DB-PRO2-XS/);
  assert.match(reason('prod/load-balancer/apps-lb'), /no SKU for load-balancer LB-GP-M/);
  assert.match(reason('prod/bucket/velero'), /billed by use/);
  assert.equal(report.byProject.prod!.eurPerMonth, report.priced.filter((l) => l.project === 'prod').reduce((a, l) => a + l.eurPerMonth, 0));
  assert.equal(report.catalog.date, '2026-08-14');
});

test('carbon comes with the product catalog price: a pool of a type the recorded answer estimates', () => {
  const text = readFileSync('examples/landing-zone.yaml', 'utf8').replace('nodeType: DEV1-L, size: 2', 'nodeType: POP2-2C-8G, size: 2');
  const { desired } = modelOf(text);
  const report = estimateCost(desired, buildPriceBook(bundledProductCatalog(), bundledSnapshot()));
  const line = report.priced.find((l) => l.id === 'dev/pool/apps-default')!;
  const rec = recordedProducts.find((p) => p.sku === '/compute/pop2_2c_8g/run_par1')!;
  assert.equal(line.eurPerMonth, Math.round((rec.price.retail_price.nanos / 1e9) * HOURS_PER_MONTH * 2 * 100) / 100);
  assert.equal(line.kgCo2ePerMonth, Math.round(rec.environmental_impact_estimation!.kg_co2_equivalent * HOURS_PER_MONTH * 2 * 1000) / 1000);
  assert.equal(report.kgCo2ePerMonth, line.kgCo2ePerMonth);
  assert.equal(report.carbonMissing, 2);
});

test('the sandbox serves the recorded product catalog through the real SDK, filtered and paged', async () => {
  const c = readOnlyClients(await sandboxProfile(sb));
  const r = await readProductCatalog(c, ['fr-par', 'nl-ams'], '2026-12-07');
  assert.ok('snapshot' in r);
  const live = buildPriceBook(r.snapshot, undefined, 'live');
  const snap = parseProductCatalog(bundledProductCatalog().answers[PRODUCT_CATALOG_KEY]!.body);
  assert.deepEqual(live.entries.map((e) => [e.sku, e.eurPerUnit, e.kgCo2ePerUnit]).sort(), snap.map((e) => [e.sku, e.eurPerUnit, e.kgCo2ePerUnit]).sort());
  // pages of 5 come back in order and stop at total_count
  const paged = await c.productCatalog.listPublicCatalogProducts({ pageSize: 5, productTypes: ['instance'], region: 'nl-ams' as never }).all();
  assert.deepEqual(paged.map((p) => p.sku), recordedProducts.filter((p) => p.locality.zone?.startsWith('nl-ams-')).map((p) => p.sku));
  const zoned = await c.productCatalog.listPublicCatalogProducts({ zone: 'nl-ams-1' as never });
  assert.ok(zoned.products.length > 0 && zoned.products.every((p) => p.locality?.zone === 'nl-ams-1'));
  const objectStorage = await c.productCatalog.listPublicCatalogProducts({ productTypes: ['object_storage'] });
  assert.equal(objectStorage.totalCount, 0, 'the recording holds no Object Storage product: none is invented');
  const inst = await readInstancePrices(c, ['fr-par-1'], '2026-12-07');
  assert.deepEqual(inst.unread, []);
  const book = buildPriceBook(r.snapshot, inst.snapshot, 'live');
  assert.equal(nodeTypePrice(book, 'PRO2-S', 'fr-par-1')?.eurPerUnit, recordedInstance('PRO2-S'));
});

test('landing-zone cost: live read (cached for the day), --offline with the snapshot date, JSON; plan shows the +€ / month', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'lz-cost-cache-'));
  const env = { ...sandboxEnv(sb), XDG_CACHE_HOME: cache };
  const live = await runCli(['cost', '--format', 'json'], env, dir);
  assert.equal(live.code, 0, live.stderr);
  assert.match(live.stderr, /prices from the live catalog read \d{4}-\d\d-\d\d/);
  const json = JSON.parse(live.stdout) as { eurPerMonth: number; priced: { id: string }[]; unpriced: { id: string; reason: string }[]; catalog: { origin: string } };
  assert.equal(json.catalog.origin, 'live');
  assert.equal(json.priced.length, 3);
  assert.ok(existsSync(join(cache, 'scaleway-landing-zone')), 'the live read is cached');
  const again = await runCli(['cost', '--format', 'json'], env, dir);
  assert.match(again.stderr, /read today \(cached/);
  assert.equal(JSON.parse(again.stdout).eurPerMonth, json.eurPerMonth);

  const offline = await runCli(['cost', '--offline'], {}, dir);
  assert.equal(offline.code, 0, offline.stderr);
  assert.match(offline.stdout, /^Cost of landing-zone\.yaml: €[\d.]+ \/ month for 3 priced resource\(s\); \d+ not priced \(not in the total\)/);
  assert.match(offline.stdout, /Catalog: snapshot 2026-08-14 \(date inferred\), 17 priced product\(s\) of 5452/);
  assert.match(offline.stdout, /Not priced:\n/);
  const none = await runCli(['cost'], { SCW_CONFIG_PATH: '/nonexistent/config.yaml' }, dir);
  assert.equal(none.code, 0);
  assert.match(none.stderr, /no credentials .*the bundled catalog snapshot/);
  assert.equal((await runCli(['cost', '--format', 'yaml'], {}, dir)).code, 2);

  const plan = await runCli(['plan'], sandboxEnv(sb), dir);
  assert.equal(plan.code, 0, plan.stderr);
  // the empty account: the plan creates everything, so its delta is the file's whole priced total
  const offlineJson = JSON.parse((await runCli(['cost', '--offline', '--format', 'json'], {}, dir)).stdout) as { eurPerMonth: number };
  assert.match(plan.stdout, new RegExp(`Cost: \\+€${offlineJson.eurPerMonth.toFixed(2)} / month \\(3 priced change\\(s\\)`));
});
