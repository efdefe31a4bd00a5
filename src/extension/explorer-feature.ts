import * as vscode from 'vscode';
import type { DriftStatus } from '../core/drift';
import type { LiveSummary } from '../core/language/describe';
import { resourceIdOf } from '../core/language/describe';
import { PROJECT_PARTS, type IndexedSymbol, type SymbolIndex } from '../core/language/symbol-index';
import { asRecord } from '../core/language/values';
import { activeLandingZoneDocument, isLandingZoneDocument, toRange, type DocumentAnalyses } from './documents';
import type { DisposableOwner } from './owner';
import type { CloudState } from './cloud-state';

interface Node {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: vscode.ThemeIcon;
  children?: Node[];
  /** Where to reveal it in the document. */
  at?: { uri: vscode.Uri; range: vscode.Range };
  contextValue: string;
}

/** An icon per drift status, in core's words (the same as `landing-zone drift` and the diagram). */
const STATE_ICON: Record<DriftStatus, [string, string | undefined]> = {
  'in-sync': ['pass', 'testing.iconPassed'],
  changed: ['warning', 'list.warningForeground'],
  missing: ['diff-added', 'gitDecoration.addedResourceForeground'],
  unmanaged: ['question', 'list.warningForeground'],
  'not-checked': ['circle-slash', 'list.deemphasizedForeground'],
};
const WORST: DriftStatus[] = ['missing', 'changed', 'unmanaged'];

/** The worst state among the resources a node stands for (a cluster: its pools, load balancer, ACLs). */
function aggregate(resources: Map<string, LiveSummary> | undefined, own: string, belongs: (id: string) => boolean): LiveSummary | undefined {
  if (!resources) return undefined;
  const mine = [...resources.entries()].filter(([id]) => id === own || belongs(id));
  if (mine.length === 0) return undefined;
  const details = mine.filter(([, s]) => s.state !== 'in-sync').flatMap(([id, s]) => [`${id}: ${s.state}`, ...(s.details ?? []).map((d) => `  ${d}`)]);
  for (const worst of WORST) if (mine.some(([, s]) => s.state === worst)) return { state: worst, details };
  // a part that could not be read makes the whole unchecked, never in sync
  if (mine.some(([, s]) => s.state === 'not-checked')) return { state: 'not-checked', details };
  return resources.get(own) ?? { state: mine.every(([, s]) => s.state === 'in-sync') ? 'in-sync' : 'not-checked', details };
}
const KIND_ICON: Record<string, string> = {
  project: 'folder', key: 'key', secret: 'lock', bucket: 'database', cluster: 'server-environment',
  database: 'database', application: 'person', 'private-network': 'type-hierarchy', 'public-gateway': 'globe',
};

function stateIcon(kind: string, state: LiveSummary | undefined): vscode.ThemeIcon {
  const s = state && STATE_ICON[state.state];
  if (s) return new vscode.ThemeIcon(s[0], s[1] ? new vscode.ThemeColor(s[1]) : undefined);
  return new vscode.ThemeIcon(KIND_ICON[kind] ?? 'circle-outline');
}


/** Projects → resources of the open landing zone, each with its drift state once drift has run. */
function buildTree(index: SymbolIndex, uri: vscode.Uri, resources: Map<string, LiveSummary> | undefined): Node[] {
  const at = (s: IndexedSymbol) => ({ uri, range: toRange(s.nameRange) });
  const leaf = (s: IndexedSymbol, description: string | undefined): Node => {
    const rid = resourceIdOf(s);
    const p = s.project;
    // a cluster stands for its pools and its load balancer with frontends and ACLs too
    const state = s.kind === 'cluster'
      ? aggregate(resources, rid, (id) => id.startsWith(`${p}/pool/${s.name}-`) || new RegExp(`^${p}/(load-balancer|lb-ip|lb-frontend|lb-acl)/${s.name}-lb`).test(id))
      : resources?.get(rid);
    return {
      id: rid, label: s.name, description: [description, state?.state].filter(Boolean).join(' · '),
      tooltip: [rid, state ? `${state.state}${state.details?.length ? `\n${state.details.join('\n')}` : ''}` : 'drift not checked yet'].join('\n'),
      icon: stateIcon(s.kind, state), at: at(s), contextValue: `resource.${s.kind}`,
    };
  };
  const projects = index.symbols.filter((s) => s.kind === 'project').map((p): Node => {
    const v = asRecord(p.value);
    const children: Node[] = [];
    const network = asRecord(v.network);
    const pn = asRecord(network.privateNetwork);
    const gw = asRecord(network.publicGateway);
    for (const [kind, value, name, detail] of [
      ['private-network', pn, String(pn.name ?? `${p.name}-pn`), pn.subnet],
      ['public-gateway', gw, String(gw.name ?? `${p.name}-gw`), gw.type],
    ] as const) {
      if (Object.keys(value).length === 0) continue;
      const rid = `${p.name}/${kind}/${name}`;
      const state = kind === 'public-gateway'
        ? aggregate(resources, rid, (id) => id.startsWith(`${p.name}/gateway-ip/${name}`) || id.startsWith(`${p.name}/gateway-network/${name}`))
        : resources?.get(rid);
      children.push({ id: rid, label: name, description: [kind.replace('-', ' '), detail, state?.state].filter(Boolean).join(' · '), tooltip: [rid, ...(state?.details ?? [])].join('\n'),
        icon: stateIcon(kind, state), at: { uri, range: toRange(index.source.keyRangeOf(['projects', p.name, 'network', kind === 'private-network' ? 'privateNetwork' : 'publicGateway'])) }, contextValue: `resource.${kind}` });
    }
    for (const { kind } of PROJECT_PARTS) {
      for (const s of index.symbols.filter((x) => x.kind === kind && x.project === p.name)) {
        const sv = asRecord(s.value);
        const detail = kind === 'secret' ? `secret v${String(sv.version ?? '?')}` : kind === 'cluster' ? `cluster ${String(sv.version ?? '')}` : kind === 'database' ? `database ${String(sv.engine ?? '')}` : kind;
        children.push(leaf(s, detail));
      }
    }
    const state = aggregate(resources, `${p.name}/project`, (id) => id.startsWith(`${p.name}/`));
    for (const [id, st] of resources ?? []) {
      if (st.state === 'unmanaged' && id.startsWith(`${p.name}/`)) children.push({ id, label: id.split('/').slice(2).join('/') || id, description: `${id.split('/')[1]} · unmanaged`, tooltip: [id, ...(st.details ?? [])].join('\n'), icon: stateIcon('', st), contextValue: 'resource.unmanaged' });
    }
    return { id: `${p.name}/project`, label: p.name, description: [String(v.role ?? ''), state?.state].filter(Boolean).join(' · '),
      tooltip: `${p.name} (${String(v.role ?? 'no role')})`, icon: stateIcon('project', state), children, at: at(p), contextValue: 'project' };
  });
  const apps = index.symbols.filter((s) => s.kind === 'application').map((a) => leaf(a, 'application'));
  if (apps.length) projects.push({ id: 'iam', label: 'IAM applications', icon: new vscode.ThemeIcon('organization'), children: apps, contextValue: 'group' });
  return projects;
}

/** The "Landing Zone" explorer view. */
export function activateExplorerFeature(owner: DisposableOwner, deps: { cloud: CloudState; analyses: DocumentAnalyses }): { roots(): Node[] } {
  const changed = owner.own(new vscode.EventEmitter<Node | undefined>());
  let roots: Node[] = [];
  const refresh = () => {
    const doc = activeLandingZoneDocument();
    const drift = deps.cloud.drift;
    roots = doc ? buildTree(deps.analyses.bestIndex(doc), doc.uri, drift?.uri === doc.uri.toString() ? drift.resources : undefined) : [];
    changed.fire(undefined);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 400); };
  owner.own({ dispose: () => clearTimeout(timer) });

  const provider: vscode.TreeDataProvider<Node> = {
    onDidChangeTreeData: changed.event,
    getChildren: (n) => (n ? n.children ?? [] : roots),
    getTreeItem: (n) => {
      const item = new vscode.TreeItem(n.label, n.children?.length ? (n.contextValue === 'project' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded) : vscode.TreeItemCollapsibleState.None);
      item.id = n.id;
      item.description = n.description;
      item.tooltip = n.tooltip;
      item.iconPath = n.icon;
      item.contextValue = n.contextValue;
      if (n.at) item.command = { command: 'vscode.open', title: 'Reveal in landing-zone.yaml', arguments: [n.at.uri, { selection: n.at.range }] };
      return item;
    },
  };
  const view = owner.own(vscode.window.createTreeView('landingZone.resources', { treeDataProvider: provider, showCollapseAll: true }));
  const describe = () => {
    const d = deps.cloud.drift;
    const unread = d?.notRead?.length ? ` — not checked: could not read ${d.notRead.join(', ')}` : '';
    view.message = d ? `Drift checked ${new Date(d.checkedAt).toLocaleTimeString()}: ${Object.entries(d.counts).map(([k, v]) => `${v} ${k}`).join(', ')}${unread}` : undefined;
  };
  owner.own(deps.cloud.onDidChange(() => { describe(); refresh(); }));
  owner.own(vscode.window.onDidChangeActiveTextEditor((e) => { if (e && isLandingZoneDocument(e.document)) refresh(); }));
  owner.own(vscode.workspace.onDidChangeTextDocument((e) => { if (isLandingZoneDocument(e.document)) later(); }));
  owner.own(vscode.workspace.onDidOpenTextDocument((d) => { if (isLandingZoneDocument(d)) later(); }));
  refresh();
  return { roots: () => roots };
}
