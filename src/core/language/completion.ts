import { SourceDocument, type DocPath } from '../document';
import { bundledCatalog, kubernetesMinors, offerDate, type Catalog, type Offer } from '../catalog';
import { catalogFieldAt, fieldValues, offerAt } from '../catalog-fields';
import { HUB_ROLES, PROJECT_ROLES, ZONES_BY_REGION, type ProjectRole, type Region } from '../schema';
import { cursorContext, type CursorContext } from './cursor';
import { describeSymbol } from './describe';
import { fieldDocAt, fieldMarkdown, fieldsOf, type FieldDoc } from './schema-docs';
import { indexDocument, referenceFieldAt, type SymbolIndex } from './symbol-index';
import { asRecord, valueAt } from './values';

/** A completion proposal in editor-neutral terms; src/extension turns it into a vscode.CompletionItem. */
export interface LzCompletionItem {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'reference' | 'snippet';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** `insertText` uses snippet syntax (`$1`, `${1|a,b|}`); indentation is relative to the line. */
  snippet: boolean;
  sortText?: string;
  /** Offsets of the text the proposal replaces. */
  replaceStart: number;
  replaceEnd: number;
  /** Ask for completion again after inserting (a key whose value has proposals). */
  retrigger?: boolean;
}

/**
 * Offered values of a catalog field at a path: the document's region/zone, or, while the document
 * has no defaults yet, the first region/zone the catalog answers for.
 */
function catalogOffer(catalog: Catalog, root: unknown, path: DocPath): { offer: Offer; where: string } | undefined {
  const at = offerAt(catalog, root, path);
  const field = at?.field ?? catalogFieldAt(path);
  if (!field) return undefined;
  if (at?.offer) return { offer: at.offer, where: at.locality };
  const any = Object.entries(catalog.offers[field.kind] ?? {})[0];
  return any ? { offer: any[1], where: any[0] } : undefined;
}

/** Completion proposals at an offset. `index` may come from the last parseable text. */
export function completionsAt(text: string, offset: number, index?: SymbolIndex): LzCompletionItem[] {
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  const idx = index ?? indexDocument(new SourceDocument(text));
  const root = idx.source.value;
  if (ctx.position === 'key') return keyItems(ctx, root);
  const doc = fieldDocAt(ctx.path);
  // `- ` in a list of mappings: the first key of the new item.
  if (doc?.type === 'object') return keyItems({ ...ctx, position: 'key' }, root);
  return valueItems(ctx, doc, idx, root);
}

function keyItems(ctx: CursorContext, root: unknown): LzCompletionItem[] {
  const range = { replaceStart: ctx.replaceStart, replaceEnd: ctx.replaceEnd };
  if (ctx.path.length === 1 && ctx.path[0] === 'projects') return projectSnippets(root, range);
  const present = new Set(Object.keys(asRecord(valueAt(root, ctx.path))));
  present.delete(ctx.prefix);
  return fieldsOf(ctx.path)
    .filter((f) => f.name && !present.has(f.name))
    .map((f, i) => {
      const { insertText, retrigger } = keyInsertText(f, ctx, [...ctx.path, f.name!]);
      return {
        label: f.name!,
        kind: 'property' as const,
        detail: f.required ? `${typeLabel(f)} (required)` : typeLabel(f),
        documentation: fieldMarkdown(f),
        insertText,
        snippet: true,
        // required fields first, then the schema's own order
        sortText: `${f.required ? 0 : 1}${String(i).padStart(3, '0')}`,
        retrigger,
        ...range,
      };
    });
}

function keyInsertText(f: FieldDoc, ctx: CursorContext, path: DocPath): { insertText: string; retrigger: boolean } {
  const name = f.name!;
  const hasValueOffers = f.choices.length > 0 || !!referenceFieldAt(path) || !!catalogFieldAt(path);
  if (f.type === 'boolean') return { insertText: `${name}: \${1|true,false|}`, retrigger: false };
  if (f.choices.length > 0 && f.choices.length <= 12) return { insertText: `${name}: \${1|${f.choices.map(String).join(',')}|}`, retrigger: false };
  if (ctx.inFlow) return { insertText: `${name}: $0`, retrigger: hasValueOffers };
  if (f.type === 'object' || f.type === 'record') return { insertText: `${name}:\n  $0`, retrigger: f.type === 'object' };
  if (f.type === 'array') {
    const element = fieldDocAt([...path, 0]);
    return element?.type === 'object' ? { insertText: `${name}:\n  - $0`, retrigger: true } : { insertText: `${name}: [$0]`, retrigger: true };
  }
  return { insertText: `${name}: $0`, retrigger: hasValueOffers };
}

function typeLabel(f: FieldDoc): string {
  if (f.type === 'record') return 'mapping of names';
  if (f.type === 'object') return 'mapping';
  if (f.type === 'array') return 'list';
  if (f.type === 'enum') return 'one of ' + f.choices.length + ' values';
  return f.type;
}

function valueItems(ctx: CursorContext, doc: FieldDoc | undefined, idx: SymbolIndex, root: unknown): LzCompletionItem[] {
  const range = { replaceStart: ctx.replaceStart, replaceEnd: ctx.replaceEnd };
  const ref = referenceFieldAt(ctx.path);
  if (ref) {
    const candidates = idx.symbols.filter((s) => s.kind === ref.kind);
    return candidates.map((s) => {
      const hub = s.kind === 'project' && HUB_ROLES.includes(asRecord(s.value).role as ProjectRole);
      const preferred = ref.field === 'allowFrom' ? hub : s.project !== undefined && asRecord(asRecord(asRecord(root).projects)[s.project]).role === 'security';
      return {
        label: s.id,
        kind: 'reference' as const,
        detail: `${s.kind}${hub ? ' (hub)' : ''}`,
        documentation: describeSymbol(s),
        insertText: s.id,
        snippet: false,
        sortText: `${preferred ? 0 : 1}${s.id}`,
        ...range,
      };
    });
  }
  const field = catalogFieldAt(ctx.path);
  const offered = field && catalogOffer(bundledCatalog(), root, ctx.path);
  if (field && offered) {
    const quote = field.kind === 'kubernetes-versions' && !ctx.prefix.startsWith('"');
    return fieldValues(field, offered.offer).map((v, i) => ({
      label: v.name,
      kind: 'value' as const,
      detail: [field.what, v.detail, v.status].filter(Boolean).join(' · '),
      documentation: `Offered in ${offered.where} (${offerDate(bundledCatalog(), offered.offer)}).`,
      insertText: quote ? `"${v.name}"` : v.name,
      snippet: false,
      // in-stock and available values first, in the catalog's order
      sortText: `${v.status ? 1 : 0}${String(i).padStart(3, '0')}`,
      ...range,
    }));
  }
  if (!doc || doc.choices.length === 0) return [];
  const preferredZones = zonesFirst(ctx.path, root);
  return doc.choices.map((c, i) => {
    const v = String(c);
    const rank = preferredZones.includes(v) ? 0 : 1;
    return {
      label: v,
      kind: 'enum' as const,
      detail: doc.name ? `${doc.name}` : undefined,
      documentation: doc.description,
      insertText: v,
      snippet: false,
      sortText: `${rank}${String(i).padStart(3, '0')}`,
      ...range,
    };
  });
}

/** For a zone field: the zones of the region in effect there, so they sort first. */
function zonesFirst(path: DocPath, root: unknown): readonly string[] {
  if (path[path.length - 1] !== 'zone' && path[path.length - 1] !== 'fallbackZone') return [];
  const r = asRecord(root);
  const defaults = asRecord(r.defaults);
  let region = defaults.region as Region | undefined;
  if (path[0] === 'projects' && typeof path[1] === 'string') region = (asRecord(asRecord(r.projects)[path[1]]).region as Region | undefined) ?? region;
  return (region && ZONES_BY_REGION[region]) || [];
}

/** Snippets for a new project of each role, with the next free /24 or /22 subnet. */
function projectSnippets(root: unknown, range: { replaceStart: number; replaceEnd: number }): LzCompletionItem[] {
  const used = new Set<number>();
  for (const p of Object.values(asRecord(asRecord(root).projects))) {
    const subnet = asRecord(asRecord(asRecord(p).network).privateNetwork).subnet;
    const m = typeof subnet === 'string' ? /^10\.(\d+)\./.exec(subnet) : null;
    if (m) used.add(Number(m[1]));
  }
  const free = (from: number) => { let n = from; while (used.has(n)) n++; return n; };
  const catalog = bundledCatalog();
  const gateways = catalogOffer(catalog, root, ['projects', 'p', 'network', 'publicGateway', 'type'])?.offer.values.map((v) => v.name) ?? [];
  const versions = catalogOffer(catalog, root, ['projects', 'p', 'clusters', 'c', 'version']);
  const newestMinor = versions ? kubernetesMinors(versions.offer)[0] : undefined;
  const gw = gateways.length > 0 ? `\${3|${gateways.join(',')}|}` : '${3:VPC-GW-S}';
  const body = (role: ProjectRole): string[] => {
    const octet = role === 'environment' ? free(10) : free(0);
    const mask = role === 'environment' ? 22 : 24;
    const lines = [
      `\${1:${role === 'environment' ? 'staging' : role}}:`,
      `  role: ${role}`,
      `  description: \${2:${describeRole(role)}}`,
      '  network:',
      `    privateNetwork: { subnet: 10.${octet}.0.0/${mask} }`,
      `    publicGateway: { type: ${gw}, reservedIp: true }`,
    ];
    if (role === 'security') {
      lines.push('  keys:', '    secrets-key: { usage: symmetric_encryption, rotationPeriod: 90d }',
        '  secrets:', '    ${4:shared-secret}: { path: /shared, version: 1, encryptionKey: ${1}/secrets-key }');
    }
    if (role === 'environment') {
      lines.push('  clusters:', '    apps:', `      version: "${newestMinor ?? '${5}'}"`, '      cni: cilium',
        '      pools:', '        default: { nodeType: PRO2-S, size: 3, autoscale: { min: 3, max: 6 } }',
        '      loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops] }');
    }
    lines.push('$0');
    return lines;
  };
  return PROJECT_ROLES.map((role, i) => ({
    label: `new ${role} project`,
    kind: 'snippet' as const,
    detail: `project with role ${role}`,
    documentation: `${describeRole(role)}.\n\n\`\`\`yaml\n${body(role).join('\n').replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{?\d+\}?/g, role)}\n\`\`\``,
    insertText: body(role).join('\n'),
    snippet: true,
    sortText: `0${i}`,
    ...range,
  }));
}

function describeRole(role: ProjectRole): string {
  switch (role) {
    case 'security': return 'IAM, SSO, vault, keys and shared secrets (a hub)';
    case 'devops': return 'CI/CD runners and GitOps (a hub)';
    case 'monitoring': return 'Logs and metrics';
    case 'shared': return 'Other shared services';
    case 'environment': return 'A business environment behind an HTTPS load balancer';
  }
}
