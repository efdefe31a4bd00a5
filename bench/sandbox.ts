// Requests per second of the sandbox for list and get with 10,000 private networks in one region.
// Run: node --import tsx bench/sandbox.ts [--count N] [--seconds S] [--concurrency C]  (prints JSON)
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient, Vpc } from '@scaleway/sdk';
import { startSandbox, type Sandbox } from '../src/sandbox/server';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' } },
});
const COUNT = Number(values.count);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

/** Runs `next()` from `CONCURRENCY` loops for SECONDS; returns requests/s and latency percentiles. */
async function load(sb: Sandbox, next: () => string): Promise<{ rps: number; p50: number; p99: number; requests: number; errors: number; cpuUsPerRequest: number }> {
  const deadline = performance.now() + SECONDS * 1000;
  const cpu0 = process.cpuUsage();
  const times: number[] = [];
  let errors = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const res = await fetch(`${sb.url}${next()}`, { headers: { 'X-Auth-Token': sb.secretKey } });
      await res.arrayBuffer();
      if (res.status !== 200) errors += 1;
      times.push(performance.now() - t0);
    }
  }));
  times.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0) * 100) / 100;
  // CPU time (client and sandbox together, one process) per request: unlike requests/s, it hardly moves with the machine's load
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerRequest = Math.round((cpu.user + cpu.system) / Math.max(1, times.length));
  return { rps: Math.round(times.length / SECONDS), p50: pct(0.5), p99: pct(0.99), requests: times.length, errors, cpuUsPerRequest };
}

void (async () => {
  const sb = await startSandbox({ transitionMs: 0 });
  try {
    // one network made by the API is the template, so the 10,000 have the real shape
    const client = createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultProjectId: sb.projectId, defaultRegion: 'fr-par', defaultZone: 'fr-par-1' });
    const vpc = new Vpc.v2.API(client);
    const created = await vpc.createPrivateNetwork({ name: 'template', tags: [], defaultRoutePropagationEnabled: false });
    const template = sb.state.get('vpc.private_network', created.id)!;
    const t0 = performance.now();
    const ids: string[] = [];
    const items = Array.from({ length: COUNT - 1 }, (_, i) => {
      const id = randomUUID();
      ids.push(id);
      return { ...template, id, name: `pn-${i}`, tags: i % 10 === 0 ? ['lz:managed', `lz:id=bench/private-network/pn-${i}`] : [], created_at: new Date(Date.now() + i).toISOString() };
    });
    sb.state.bulkInsert('vpc.private_network', 'fr-par', items);
    const insertMs = Math.round(performance.now() - t0);

    let page = 0;
    const pages = Math.ceil(COUNT / 100);
    const list = await load(sb, () => `/vpc/v2/regions/fr-par/private-networks?page=${(page++ % pages) + 1}&page_size=100`);
    const listByTag = await load(sb, () => '/vpc/v2/regions/fr-par/private-networks?tags=lz%3Amanaged&page_size=100');
    let i = 0;
    const get = await load(sb, () => `/vpc/v2/regions/fr-par/private-networks/${ids[(i++ * 7919) % ids.length]!}`);
    const t1 = performance.now();
    const all = await vpc.listPrivateNetworks({ pageSize: 100 }).all();
    const sdkAllMs = Math.round(performance.now() - t1);
    if (all.length !== COUNT) throw new Error(`.all() returned ${all.length} of ${COUNT}`);

    process.stdout.write(`${JSON.stringify({
      resources: COUNT, region: 'fr-par', kind: 'vpc.private_network', concurrency: CONCURRENCY, seconds: SECONDS, node: process.version,
      // client and server share this process; on a busy machine the numbers say more about the machine
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) },
      insertMs,
      list: { pageSize: 100, ...list },
      listByTag: { pageSize: 100, ...listByTag },
      get,
      sdkListAll: { ms: sdkAllMs, pages, items: all.length },
    }, null, 2)}\n`);
  } finally {
    await sb.close();
  }
})();
