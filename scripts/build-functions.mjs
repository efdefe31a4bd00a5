// Bundles the Serverless Functions this repository deploys (functions/<name>/handler.ts) with
// their dependencies into the zip the Functions API takes: `handler.js` at the root, handler
// `handler.handle`, for Scaleway's Node runtime. The zip is byte-for-byte reproducible (fixed
// dates, sorted entries), so its SHA-256 names the code: apply tags the function with it and
// redeploys when it changes. Writes dist/functions/<name>.zip; called by esbuild.mjs.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export const FUNCTIONS = existsSync('functions') ? readdirSync('functions').filter((n) => existsSync(join('functions', n, 'handler.ts'))) : [];

/** A zip (deflate, no extra fields, DOS date 1980-01-01) of the given files. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6); head.writeUInt16LE(8, 8);
    head.writeUInt16LE(0, 10); head.writeUInt16LE(0x21, 12); head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22); head.writeUInt16LE(nameBuf.length, 26); head.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(0x0314, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); central.writeUInt32LE(offset, 42);
    locals.push(head, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += head.length + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.size, 8); end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export async function buildFunctions(outDir = 'dist/functions') {
  mkdirSync(outDir, { recursive: true });
  const built = [];
  for (const name of FUNCTIONS) {
    const r = await esbuild.build({
      entryPoints: [join('functions', name, 'handler.ts')], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20',
      minify: true, legalComments: 'none', logLevel: 'warning', outfile: 'handler.js',
    });
    const code = Buffer.from(r.outputFiles[0].contents);
    const archive = zip(new Map([['handler.js', code]]));
    writeFileSync(join(outDir, `${name}.zip`), archive);
    built.push({ name, bytes: archive.length, sha256: createHash('sha256').update(archive).digest('hex') });
  }
  return built;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const f of await buildFunctions()) console.log(`dist/functions/${f.name}.zip ${f.bytes} bytes sha256 ${f.sha256}`);
}
