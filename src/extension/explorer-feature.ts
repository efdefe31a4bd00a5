import * as vscode from 'vscode';
import type { DriftStatus } from '../core/drift';
import type { LiveSummary } from '../core/language/describe';
import { resourceIdOf } from '../core/language/describe';
import { explorerRange, type ExplorerEntry, type ExplorerShape } from '../core/language/explorer-tree';
import type { SymbolKind } from '../core/model';
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
  /** Where to reveal it in the document: its slot among the tree's positions. */
  at?: { uri: vscode.Uri; slot: number };
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


/** Projects → resources of the open landing zone (the worker's tree), each with its drift state once drift has run. */
function buildTree(tree: ExplorerShape, uri: vscode.Uri, resources: Map<string, LiveSummary> | undefined): Node[] {
  const at = (slot: number) => ({ uri, slot });
  // each node looks only at its project's resources: every node scanning all of them was
  // projects × resources (500 × 9,500 after a drift of the 500-project file) on the host's thread
  const byProject = new Map<string, Map<string, LiveSummary>>();
  for (const [id, st] of resources ?? []) {
    const p = id.slice(0, id.indexOf('/'));
    let group = byProject.get(p);
    if (!group) byProject.set(p, (group = new Map()));
    group.set(id, st);
  }
  const of = (project: string | undefined) => (resources ? byProject.get(project ?? '') ?? new Map<string, LiveSummary>() : undefined);
  const leaf = (s: ExplorerEntry, project: string | undefined, description: string | undefined): Node => {
    const rid = resourceIdOf({ kind: s.kind as SymbolKind, name: s.name, project });
    // a cluster stands for its pools and its load balancer with frontends and ACLs too
    const state = s.kind === 'cluster'
      ? aggregate(of(project), rid, (id) => id.startsWith(`${project}/pool/${s.name}-`) || new RegExp(`^${project}/(load-balancer|lb-ip|lb-frontend|lb-acl)/${s.name}-lb`).test(id))
      : resources?.get(rid);
    return {
      id: rid, label: s.name, description: [description, state?.state].filter(Boolean).join(' · '),
      tooltip: [rid, state ? `${state.state}${state.details?.length ? `\n${state.details.join('\n')}` : ''}` : 'drift not checked yet'].join('\n'),
      icon: stateIcon(s.kind, state), at: at(s.at), contextValue: `resource.${s.kind}`,
    };
  };
  const projects = tree.projects.map((p): Node => {
    const children: Node[] = [];
    for (const part of p.parts) {
      if (part.kind !== 'private-network' && part.kind !== 'public-gateway') {
        children.push(leaf(part, p.name, part.detail));
        continue;
      }
      const kind = part.kind;
      const rid = `${p.name}/${kind}/${part.name}`;
      const state = kind === 'public-gateway'
        ? aggregate(of(p.name), rid, (id) => id.startsWith(`${p.name}/gateway-ip/${part.name}`) || id.startsWith(`${p.name}/gateway-network/${part.name}`))
        : resources?.get(rid);
      children.push({ id: rid, label: part.name, description: [kind.replace('-', ' '), part.detail, state?.state].filter(Boolean).join(' · '), tooltip: [rid, ...(state?.details ?? [])].join('\n'),
        icon: stateIcon(kind, state), at: at(part.at), contextValue: `resource.${kind}` });
    }
    const state = aggregate(of(p.name), `${p.name}/project`, (id) => id.startsWith(`${p.name}/`));
    for (const [id, st] of of(p.name) ?? []) {
      if (st.state === 'unmanaged' && id.startsWith(`${p.name}/`)) children.push({ id, label: id.split('/').slice(2).join('/') || id, description: `${id.split('/')[1]} · unmanaged`, tooltip: [id, ...(st.details ?? [])].join('\n'), icon: stateIcon('', st), contextValue: 'resource.unmanaged' });
    }
    return { id: `${p.name}/project`, label: p.name, description: [p.role ?? '', state?.state].filter(Boolean).join(' · '),
      tooltip: `${p.name} (${p.role ?? 'no role'})`, icon: stateIcon('project', state), children, at: at(p.at), contextValue: 'project' };
  });
  const apps = tree.applications.map((a) => leaf(a, undefined, 'application'));
  if (apps.length) projects.push({ id: 'iam', label: 'IAM applications', icon: new vscode.ThemeIcon('organization'), children: apps, contextValue: 'group' });
  return projects;
}

/** The "Landing Zone" explorer view. */
export function activateExplorerFeature(owner: DisposableOwner, deps: { cloud: CloudState; analyses: DocumentAnalyses }): { roots(): Node[] } {
  const changed = owner.own(new vscode.EventEmitter<Node | undefined>());
  let roots: Node[] = [];
  /** Where the entries of the tree shown are: the newest positions the worker sent. */
  let ranges: Int32Array | undefined;
  // The tree comes from the validation worker (explorer-tree.ts): this thread never parses the file.
  const refresh = () => {
    const doc = activeLandingZoneDocument();
    const tree = doc && deps.analyses.explorerTreeOf(doc);
    const drift = deps.cloud.drift;
    roots = doc && tree ? buildTree(tree.shape, doc.uri, drift?.uri === doc.uri.toString() ? drift.resources : undefined) : [];
    ranges = tree?.ranges;
    changed.fire(undefined);
  };
  // Lines typed above an entry move it, not the tree: the items shown get their new place once typing pauses.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const moved = () => { clearTimeout(timer); timer = setTimeout(() => changed.fire(undefined), 500); };
  owner.own({ dispose: () => clearTimeout(timer) });
  owner.own(deps.analyses.onDidChangeTree(({ uri, shapeChanged }) => {
    const doc = activeLandingZoneDocument();
    if (!doc || doc.uri.toString() !== uri) return;
    if (shapeChanged || !ranges) refresh();
    else {
      ranges = deps.analyses.explorerTreeOf(doc)?.ranges;
      moved();
    }
  }));

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
      if (n.at && ranges) item.command = { command: 'vscode.open', title: 'Reveal in landing-zone.yaml', arguments: [n.at.uri, { selection: toRange(explorerRange(ranges, n.at.slot)) }] };
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
  refresh();
  return { roots: () => roots };
}
