import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_DOCUMENT_BYTES } from '../core/yaml-limits';
import { UsageError } from './command';

/** The engine's own size limit (core/yaml-limits.ts says why): the CLI refuses a larger file before reading it. */
const MAX_INPUT_BYTES = MAX_DOCUMENT_BYTES;

/**
 * Reads a landing-zone file for a command. Every way it can be unreadable — missing, a directory,
 * too large, binary, not UTF-8 — becomes a one-line UsageError (exit 2), never a stack trace.
 * `-` reads standard input.
 */
export async function readLandingZoneFile(file: string, cwd: string, stdin?: NodeJS.ReadableStream): Promise<string> {
  let bytes: Buffer;
  if (file === '-') {
    if (!stdin) throw new UsageError('cannot read standard input');
    bytes = await readStream(stdin);
  } else {
    const path = resolve(cwd, file);
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${reason(err)}`);
    }
    if (info.isDirectory()) throw new UsageError(`${file} is a directory; pass the landing-zone.yaml file inside it`);
    if (!info.isFile()) throw new UsageError(`${file} is not a regular file`);
    if (info.size > MAX_INPUT_BYTES) throw new UsageError(`${file} is ${megabytes(info.size)}; landing-zone files are limited to ${megabytes(MAX_INPUT_BYTES)} (about 1,000 projects; see docs/rules/document-size.md)`);
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${reason(err)}`);
    }
  }
  if (bytes.length > MAX_INPUT_BYTES) throw new UsageError(`${file} is ${megabytes(bytes.length)}; landing-zone files are limited to ${megabytes(MAX_INPUT_BYTES)} (about 1,000 projects; see docs/rules/document-size.md)`);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new UsageError(`${file} is not a text file (NUL byte at offset ${nul})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function reason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? (err instanceof Error ? err.message : String(err));
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(2).replace(/\.?0+$/, '')} MB`;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`standard input is larger than ${megabytes(MAX_INPUT_BYTES)}; landing-zone files are limited to that`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
