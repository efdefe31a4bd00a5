// `node scripts/refresh-product-catalog.mjs [--all] [--out catalog/product-catalog.json] [--api URL]`
//
// Replaces the bundled product catalog snapshot with Scaleway's live public catalog
// (GET /product-catalog/v2alpha1/public-catalog/products; public, no credentials are sent). By
// default only the Instance products (what `landing-zone cost` prices: Kapsule node types) are
// kept, one raw answer body merged from every page; --all keeps every product type (several MB:
// more than the .vsix budget). The new `takenAt` and `recordedAt` are today. Nothing is invented:
// a page that cannot be read stops the script and the old snapshot stays.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const out = arg('--out') ?? join(root, 'catalog/product-catalog.json');
const api = (arg('--api') ?? 'https://api.scaleway.com').replace(/\/$/, '');
const all = process.argv.includes('--all');
const say = (s) => process.stderr.write(`[refresh-product-catalog] ${s}\n`);
const today = new Date().toISOString().slice(0, 10);
const PATH = '/product-catalog/v2alpha1/public-catalog/products';

const products = [];
let total = Infinity;
for (let page = 1; products.length < total && page <= 200; page++) {
  const url = `${api}${PATH}?page=${page}&page_size=100${all ? '' : '&product_types=instance'}`;
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) { say(`${url}: HTTP ${res.status}; the snapshot is left as it was`); process.exit(1); }
  const body = await res.json();
  total = body.total_count ?? 0;
  if (!Array.isArray(body.products) || body.products.length === 0) break;
  products.push(...body.products);
  say(`page ${page}: ${products.length} of ${total}`);
}
const snapshot = {
  takenAt: today,
  note: `Scaleway's public product catalog read from ${api} on ${today}${all ? '' : ' (Instance products only: what the cost estimate prices)'}, by scripts/refresh-product-catalog.mjs.`,
  answers: {
    [`GET ${PATH}`]: { source: `${api}${PATH}${all ? '' : '?product_types=instance'} read ${today}`, recordedAt: today, body: { products, total_count: total } },
  },
};
writeFileSync(out, JSON.stringify(snapshot, null, 1) + '\n');
say(`wrote ${out}: ${products.length} products`);
