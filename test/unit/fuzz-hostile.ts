import { generateLandingZone } from '../../bench/generate';
import { prng } from './fuzz-mutate';

/*
 * Hostile inputs of a given size, as a careless colleague or a generator gone wrong would write
 * them: each is a shape that once made validation quadratic, exponential or crash (issue 13).
 * Used by test/unit/validate-bounds.test.ts at moderate sizes and by bench/hostile.ts up to the
 * 1 MB size limit (core/yaml-limits.ts).
 */

const HEAD = 'version: 1\norganization: { id: 6a4c2f1e-8b3d-4e5f-9a7b-1c2d3e4f5a6b, name: acme }\ndefaults: { region: fr-par, zone: fr-par-1 }\n';

/** Repeats `line(i)` until the text reaches `bytes`. */
function fill(head: string, bytes: number, line: (i: number) => string, tail = ''): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** Lines of broken (and some valid) YAML, mixed at random: every construct that may be open where reading stops. */
export const BROKEN = [
  (i: number) => `k${i}: { a: 1\n`, (i: number) => `k${i}: [a, b\n`, (i: number) => `k${i}: "open\n`, (i: number) => `k${i}: 'open\n`,
  (i: number) => `k${i}:\n  - a\n - b\n`, (i: number) => `k${i}: |\n  text {\n  "more\n`, (i: number) => `k${i}: >-\n   x\n  y\n`,
  (i: number) => `k${i}: *nowhere${i}\n`, (i: number) => `k${i}: &a${i} [x]\nl${i}: *a${i}\n`, (i: number) => `k${i}: !!int x\n`,
  (i: number) => `k${i}:\tx\n`, () => 'k: 1\nk: 2\n', () => '- a\n', () => '? [a\n', () => ': x\n', () => '---\n', () => '...\n',
  () => '%YAML 1.2\n', () => '# comment {\n', () => '  indented: x\n', (i: number) => `k${i}: { a: [1, { b: 2 }\n  ]\n`,
  (i: number) => `k${i}: "multi\n  line"\n`, (i: number) => `k${i}: [a,\n  b,\n`, (i: number) => `"k${i}\n": x\n`, () => '{ a: 1 }\n',
  () => '[\n', () => ']\n', () => '}\n', () => 'a: b: c\n', (i: number) => `k${i}: x #c\n`, () => '-?:,[]{}#&*!|>\'"%@`\n',
];

export function brokenText(rand: () => number, size: number, pool = BROKEN): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const line = pool[Math.floor(rand() * pool.length)]!(i);
    parts.push(line);
    n += line.length;
  }
  return parts.join('');
}

/** The broken lines without a second document (`---`, `...`, a directive), which ends what yaml reads at once. */
export const ONE_DOCUMENT = BROKEN.filter((line) => !/^(?:---|\.\.\.|%)/.test(line(0)));

export const HOSTILE: Record<string, (bytes: number) => string> = {
  /** One anchor of n items aliased n times (20 KB for n = 2,000). */
  aliasBomb: (bytes) => {
    const n = Math.max(10, Math.floor(Math.sqrt(bytes / 5)));
    return `a: &a [${Array(n).fill('x').join(', ')}]\n${Array.from({ length: n }, (_, i) => `k${i}: *a`).join('\n')}\n`;
  },
  /** Nested aliases, each level nine of the one before ("billion laughs"). */
  nestedAliases: () => {
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    return `${levels.join('\n')}\n`;
  },
  /** Every project on one subnet: every pair overlaps. */
  sharedSubnet: (bytes) => fill(`${HEAD}projects:\n`, bytes, (i) => `  p${i}:\n    role: environment\n    network: { privateNetwork: { subnet: 10.0.0.0/24 }, publicGateway: { type: VPC-GW-S, reservedIp: true } }\n`),
  /** Projects without a network: each gets a fix with a free subnet. */
  noNetwork: (bytes) => fill(`${HEAD}projects:\n`, bytes, (i) => `  p${i}: { role: environment }\n`),
  /** One key repeated: a duplicate-key finding each. */
  duplicateKeys: (bytes) => fill('', bytes, () => 'k: 1\n'),
  /** Duplicate project names inside the projects map. */
  duplicateProjects: (bytes) => fill(`${HEAD}projects:\n`, bytes, () => '  p: { role: environment }\n'),
  /** Unclosed flow maps, one per line: a syntax error each. */
  unclosedFlow: (bytes) => fill('', bytes, (i) => `k${i}: { a: 1\n`),
  /** Flow nesting far beyond any limit. */
  deepFlow: (bytes) => `a: ${'['.repeat(Math.floor(bytes / 2))}${']'.repeat(Math.floor(bytes / 2))}\n`,
  /** Block nesting far beyond any limit. */
  deepBlock: (bytes) => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < bytes; i++) { const l = `${' '.repeat(i)}k:\n`; lines.push(l); size += l.length; }
    return lines.join('');
  },
  /** One scalar the size of the file. */
  longScalar: (bytes) => `${HEAD}description: ${'x'.repeat(bytes)}\n`,
  /** One key the size of the file. */
  longKey: (bytes) => `${'k'.repeat(bytes)}: 1\n`,
  /** A flow sequence of a million hub names. */
  hugeFlowSequence: (bytes) => `${HEAD}projects:\n  security: { role: security, network: { privateNetwork: { subnet: 10.0.0.0/24 }, publicGateway: { type: VPC-GW-S, reservedIp: true } } }\n  prod:\n    role: environment\n    clusters:\n      apps:\n        version: "1.31"\n        pools: { default: { nodeType: PRO2-S, size: 3 } }\n        loadBalancer: { type: LB-S, https: true, allowFrom: [${fill('security', bytes, (i) => `, h${i}`)}] }\n`,
  /** Unknown keys everywhere: a schema finding each. */
  unknownKeys: (bytes) => fill(`${HEAD}projects:\n`, bytes, (i) => `  p${i}: { role: environment, rolle: x${i} }\n`),
  /** Names that are Object.prototype members. */
  prototypeNames: (bytes) => fill(`${HEAD}projects:\n`, bytes, (i) => `  ${['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'][i % 5]}${i < 5 ? '' : i}: { role: environment }\n`),
  /** A large, valid landing zone: every rule runs over every project. */
  largeValid: (bytes) => generateLandingZone(Math.max(4, Math.floor(bytes / 1040))),
  /** Broken lines of every kind mixed (unclosed brackets and quotes, stray indicators, bad indentation, tabs). */
  brokenMix: (bytes) => brokenText(prng(13), bytes, ONE_DOCUMENT),
  /** Long lines of YAML indicators. */
  indicatorSoup: (bytes) => fill('', bytes, (i) => `${'-?:,[]{}#&*!|>\'"%@`'[i % 19]}${i % 7 === 0 ? '\n' : ' '}`),
};
