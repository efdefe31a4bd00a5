import type { DriftStatus } from '../drift';
import type { SymbolKind } from '../model';
import { flow } from './schema-docs';
import type { IndexedSymbol } from './symbol-index';
import { asRecord } from './values';

/** What drift found for one resource, as the hover and the explorer show it. */
export interface LiveSummary {
  /** The drift report's status of the resource (core's words: `in-sync`, `changed`, `missing`, `unmanaged`, `not-checked`). */
  state: DriftStatus;
  /** One line per difference or fact, already free of secret values. */
  details?: string[];
  /** When the state was read. */
  checkedAt?: string;
}

/** One version of a secret: metadata only. There is deliberately no field for the value. */
export interface SecretVersionMeta {
  revision: number;
  status: string;
  createdAt?: string;
}

/** Live facts the editor may know once a command ran; every lookup is optional. */
export interface LiveLookups {
  /** By resource id (`prod/cluster/apps`). */
  resource?(resourceId: string): LiveSummary | undefined;
  /** By secret id (`security/ci-scw-key`). */
  secretVersions?(secretId: string): SecretVersionMeta[] | undefined;
}

/** The resource id (as drift and tags name it) of a symbol. */
export function resourceIdOf(symbol: Pick<IndexedSymbol, 'kind' | 'name' | 'project'>): string {
  if (symbol.kind === 'project') return `${symbol.name}/project`;
  if (symbol.kind === 'application') return `iam/application/${symbol.name}`;
  return `${symbol.project}/${symbol.kind}/${symbol.name}`;
}

const TITLES: Record<SymbolKind, string> = {
  project: 'Project', key: 'Key Manager key', secret: 'Secret', bucket: 'Object Storage bucket',
  cluster: 'Kapsule cluster', database: 'Managed Database', application: 'IAM application',
};

/** Markdown about a definition: what it is and its main settings (never a secret value). */
export function describeSymbol(symbol: IndexedSymbol, live: LiveLookups = {}): string {
  const v = asRecord(symbol.value);
  const lines: string[] = [`**${TITLES[symbol.kind]}** \`${symbol.id}\``];
  const facts: string[] = [];
  const fact = (label: string, value: unknown) => { if (value !== undefined && value !== null && value !== '') facts.push(`${label}: \`${typeof value === 'object' ? flow(value) : String(value)}\``); };
  switch (symbol.kind) {
    case 'project':
      fact('role', v.role);
      fact('region', v.region);
      fact('subnet', asRecord(asRecord(v.network).privateNetwork).subnet);
      break;
    case 'key':
      fact('usage', v.usage);
      fact('rotation every', v.rotationPeriod);
      break;
    case 'secret':
      fact('pinned version', v.version);
      fact('path', v.path);
      fact('type', v.type ?? 'opaque');
      fact('encrypted by', v.encryptionKey);
      fact('replicated to', asRecord(v.replication).regions);
      break;
    case 'bucket':
      fact('versioning', v.versioning ?? false);
      fact('object lock', v.objectLock ?? false);
      break;
    case 'cluster':
      fact('Kubernetes', v.version);
      fact('pools', Object.keys(asRecord(v.pools)).join(', ') || undefined);
      break;
    case 'database':
      fact('engine', v.engine);
      fact('node type', v.nodeType);
      fact('high availability', v.ha ?? false);
      break;
    case 'application':
      fact('purpose', v.purpose);
      fact('API key stored in', asRecord(v.apiKey).storedIn);
      break;
  }
  if (facts.length) lines.push(facts.map((f) => `- ${f}`).join('\n'));
  if (typeof v.description === 'string') lines.push(v.description);
  if (symbol.kind === 'secret') {
    const versions = live.secretVersions?.(symbol.id);
    if (versions?.length) {
      lines.push('Versions in Secret Manager (metadata only):\n' + versions
        .map((ver) => `- revision ${ver.revision}: ${ver.status}${ver.createdAt ? `, created ${ver.createdAt}` : ''}${ver.revision === v.version ? ' ← pinned' : ''}`)
        .join('\n'));
    }
  }
  const state = live.resource?.(resourceIdOf(symbol));
  if (state) lines.push(liveMarkdown(resourceIdOf(symbol), state));
  lines.push(`Defined on line ${symbol.nameRange.start.line + 1}.`);
  return lines.join('\n\n');
}

/** Markdown for a resource's live state from the last drift run. */
export function liveMarkdown(resourceId: string, state: LiveSummary): string {
  const head = `**Live** \`${resourceId}\`: ${state.state}${state.checkedAt ? ` (checked ${state.checkedAt})` : ''}`;
  return state.details?.length ? `${head}\n${state.details.map((d) => `- ${d}`).join('\n')}` : head;
}
