import type { TopologyEdgeKind, TopologyNodeKind } from '../topology';
import type { ProjectRole } from '../schema';
import { ICONS, type IconName } from './icons';
import { DIAGRAM_CSS, THEME_VARIABLES } from './style';
import type { DiagramDecorations, DiagramEdge, DiagramGroup, DiagramLayout, DiagramNode, DriftState, FailureStatus } from './types';

/*
 * Rendering: laid-out graph + decorations → an SVG element tree. The CLI serialises the tree to a
 * file (toSvgString escapes every text and attribute); the webview turns the same tree into DOM
 * with createElementNS/setAttribute/textContent, so no YAML text is ever parsed as markup and
 * both look the same.
 */

/** An SVG element: tag, attributes and children (strings are text nodes). */
export interface SvgElement {
  tag: string;
  attrs: Record<string, string>;
  children: SvgChild[];
}
export type SvgChild = SvgElement | string;

export interface RenderOptions {
  /** Embed the stylesheet (standalone .svg files and exports). */
  standalone?: boolean;
  /** Resolved theme colours to pin in a standalone file (the webview's export passes them). */
  themeValues?: Record<string, string>;
}

/** Height of the title and legend band above the diagram. */
export const HEADER_HEIGHT = 92;

const el = (tag: string, attrs: Record<string, string | number | undefined>, ...children: SvgChild[]): SvgElement => {
  const a: Record<string, string> = {};
  for (const [k, val] of Object.entries(attrs)) if (val !== undefined) a[k] = typeof val === 'number' ? fmt(val) : val;
  return { tag, attrs: a, children };
};
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

const NODE_ICONS: Record<TopologyNodeKind, IconName> = {
  'private-network': 'type-hierarchy',
  'public-gateway': 'globe',
  'gateway-ip': 'plug',
  cluster: 'server-environment',
  'load-balancer': 'server-process',
  database: 'database',
  bucket: 'archive',
  key: 'key',
  secret: 'lock',
  application: 'robot',
  sso: 'account',
  'backup-copy': 'cloud-upload',
  'dr-site': 'history',
};
const ROLE_ICONS: Record<ProjectRole, IconName> = { security: 'shield', devops: 'rocket', monitoring: 'pulse', shared: 'package', environment: 'layers' };
const DRIFT_ICONS: Record<DriftState, IconName> = { 'in-sync': 'pass', changed: 'diff', missing: 'circle-slash', unmanaged: 'question' };
const FAIL_ICONS: Partial<Record<FailureStatus, IconName>> = { restored: 'history', failover: 'pass', unrecoverable: 'error' };
const EDGE_ARROWS: Record<TopologyEdgeKind, string> = {
  attachment: 'grey', exposes: 'grey', acl: 'orange', 'key-use': 'purple', 'stored-in': 'purple', endpoint: 'purple', backup: 'green', copy: 'green',
};
const EDGE_TEXT: Record<TopologyEdgeKind, string> = {
  attachment: 'attached to', exposes: 'exposes', acl: 'ACL admits', 'key-use': 'uses key', 'stored-in': 'API key stored in', endpoint: 'publishes endpoint in', backup: 'backs up to', copy: 'copies to',
};
const DRIFT_TEXT: Record<DriftState, string> = { 'in-sync': 'in sync', changed: 'changed', missing: 'missing', unmanaged: 'unmanaged' };
const FAIL_TEXT: Record<FailureStatus, string> = { lost: 'lost', restored: 'restored', failover: 'fails over', unrecoverable: 'no recovery path' };

/** A 16×16 codicon at (x, y), scaled to `size`. */
function icon(name: IconName, x: number, y: number, cls = 'lz-icon', size = 16): SvgElement {
  const paths = ICONS[name].map((p) => el('path', { d: p.d, 'fill-rule': p.evenOdd ? 'evenodd' : undefined }));
  const scale = size === 16 ? '' : ` scale(${fmt(size / 16)})`;
  return el('g', { class: cls, transform: `translate(${fmt(x)},${fmt(y)})${scale}` }, ...paths);
}

/** Rough text width; the webview uses the same estimate so clipping is identical everywhere. */
export function textWidth(text: string, px: number, bold = false): number {
  return text.length * px * (bold ? 0.6 : 0.56);
}

/** Clips text to a width with an ellipsis. */
export function clip(text: string, width: number, px: number, bold = false): string {
  if (textWidth(text, px, bold) <= width) return text;
  const max = Math.max(1, Math.floor(width / (px * (bold ? 0.6 : 0.56))) - 1);
  return `${text.slice(0, max)}…`;
}

/** The diagram as an SVG element tree. */
export function renderDiagram(layout: DiagramLayout, deco: DiagramDecorations = {}, options: RenderOptions = {}): SvgElement {
  const width = Math.max(layout.width, 960);
  const height = layout.height + HEADER_HEIGHT;
  const classes = ['lz-diagram', ...(deco.hiddenLayers ?? []).map((l) => `lz-hide-${l}`), ...(deco.failure ? ['lz-fail-dimmed'] : [])];
  const root = el('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${fmt(width)} ${fmt(height)}`, width, height, class: classes.join(' '), role: 'img', 'aria-label': deco.title ? `Landing zone diagram of ${deco.title}` : 'Landing zone diagram' });
  if (options.standalone) root.children.push(el('style', {}, standaloneCss(options.themeValues)));
  root.children.push(el('defs', {}, ...['grey', 'orange', 'purple', 'green'].map((c) =>
    el('marker', { id: `lz-arrow-${c}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: `lz-arrow-${c}` })))));
  root.children.push(el('rect', { class: 'lz-bg', x: 0, y: 0, width, height }));
  const viewport = el('g', { class: 'lz-viewport' });
  root.children.push(viewport);
  viewport.children.push(header(layout, deco, width));
  const body = el('g', { class: 'lz-body', transform: `translate(0,${HEADER_HEIGHT})` });
  viewport.children.push(body);
  const unmanagedBy = new Map<string, number>();
  for (const u of deco.overlay?.unmanaged ?? []) if (u.project) unmanagedBy.set(u.project, (unmanagedBy.get(u.project) ?? 0) + 1);
  for (const g of layout.groups) body.children.push(group(g, deco, unmanagedBy.get(g.label) ?? 0));
  const edges = el('g', { class: 'lz-edges' });
  for (const e of layout.edges) edges.children.push(edge(e));
  body.children.push(edges);
  for (const n of layout.nodes) body.children.push(node(n, deco));
  return root;
}

function standaloneCss(themeValues?: Record<string, string>): string {
  const values = { ...THEME_VARIABLES, ...(themeValues ?? {}) };
  // pin the variables on the root so a file opened outside VS Code gets the same colours
  const vars = Object.entries(values).filter(([k]) => k in THEME_VARIABLES).map(([k, val]) => `${k}: ${val.replace(/[;{}<>]/g, '')};`).join(' ');
  return `.lz-diagram { ${vars} }\n${DIAGRAM_CSS}`;
}

function header(layout: DiagramLayout, deco: DiagramDecorations, width: number): SvgElement {
  const g = el('g', { class: 'lz-header' });
  const title = deco.title ? `${deco.title} — landing zone` : 'Landing zone';
  g.children.push(el('text', { class: 'lz-title', x: 24, y: 28 }, title));
  const projects = layout.groups.filter((x) => x.kind === 'project');
  const summary = `${projects.length} projects · hubs: ${projects.filter((x) => x.hub).map((x) => x.label).join(', ') || 'none'}`;
  g.children.push(el('text', { class: 'lz-legend-text', x: 24 + textWidth(title, 16, true) + 16, y: 28 }, clip(summary, width - textWidth(title, 16, true) - 64, 11)));

  // legend, one row of items that wraps
  const items: { swatch: SvgElement; text: string; strong?: boolean }[] = [];
  const line = (cls: string, dash?: string) => el('path', { class: `lz-edge ${cls}`, d: 'M0,0 L22,0', 'stroke-dasharray': dash });
  items.push({ swatch: line('lz-edge-attachment'), text: 'attachment' });
  items.push({ swatch: line('lz-edge-acl'), text: 'LB ACL admits hub gateway IP' });
  items.push({ swatch: line('lz-edge-key-use'), text: 'key use' });
  items.push({ swatch: line('lz-edge-stored-in'), text: 'secret / endpoint' });
  items.push({ swatch: line('lz-edge-backup'), text: 'backup / cross-region copy' });
  items.push({ swatch: el('rect', { class: 'lz-swatch-hub', x: 0, y: -6, width: 22, height: 12, rx: 3 }), text: 'hub project' });
  if (deco.overlay) {
    const states = Object.values(deco.overlay.states);
    const count = (s: DriftState) => states.filter((x) => x === s).length + (s === 'unmanaged' ? deco.overlay?.unmanaged?.length ?? 0 : 0);
    const coverage = deco.overlay.coverage ?? driftCoverage(deco.overlay.states);
    items.push({ swatch: el('g', {}), text: `Drift: coverage ${Math.round(coverage)}%`, strong: true });
    for (const s of ['in-sync', 'changed', 'missing', 'unmanaged'] as DriftState[]) items.push({ swatch: icon(DRIFT_ICONS[s], 3, -8, `lz-drift-icon-${s}`), text: `${DRIFT_TEXT[s]} ${count(s)}` });
  }
  if (deco.failure) {
    const f = deco.failure;
    const what = f.scenario.kind === 'zone' ? `zone ${f.scenario.zone}` : `region ${f.scenario.region}`;
    items.push({ swatch: el('g', {}), text: `Simulated failure of ${what}${f.fallback ? ` → DR to ${f.fallback}` : ' (no fallback in the DR plan)'}`, strong: true });
    items.push({ swatch: el('rect', { class: 'lz-swatch-lost', x: 0, y: -6, width: 22, height: 12, rx: 3 }), text: `lost ${f.summary.lost}` });
    items.push({ swatch: icon('history', 3, -8, 'lz-fail-icon-restored'), text: `restored ${f.summary.restored}` });
    items.push({ swatch: icon('pass', 3, -8, 'lz-fail-icon-failover'), text: `fails over ${f.summary.failover}` });
    items.push({ swatch: icon('error', 3, -8, 'lz-fail-icon-unrecoverable'), text: `no recovery path ${f.summary.unrecoverable}` });
  }
  let x = 24;
  let y = 56;
  for (const item of items) {
    const hasSwatch = item.swatch.tag !== 'g' || item.swatch.children.length > 0;
    const w = (hasSwatch ? 28 : 0) + textWidth(item.text, 11, item.strong) + 22;
    if (x + w > width - 16 && x > 24) { x = 24; y += 22; }
    const sw = el('g', { transform: `translate(${fmt(x)},${fmt(y)})` }, item.swatch);
    g.children.push(sw, el('text', { class: item.strong ? 'lz-legend-strong' : 'lz-legend-text', x: x + (hasSwatch ? 28 : 0), y: y + 4 }, item.text));
    x += w;
  }
  return g;
}

/** Share of described resources that are in sync, 0..100 (unmanaged ones do not count). */
export function driftCoverage(states: Record<string, DriftState>): number {
  const desired = Object.values(states).filter((s) => s !== 'unmanaged');
  return desired.length === 0 ? 100 : (100 * desired.filter((s) => s === 'in-sync').length) / desired.length;
}

function group(g: DiagramGroup, deco: DiagramDecorations, unmanaged: number): SvgElement {
  const cls = ['lz-group', g.hub ? 'lz-hub' : '', g.kind !== 'project' ? 'lz-pseudo' : '', deco.selected === g.id ? 'lz-selected' : ''].filter(Boolean).join(' ');
  const out = el('g', { class: cls, 'data-id': g.id });
  out.children.push(el('rect', { class: 'lz-group-box', x: g.x, y: g.y, width: g.width, height: g.height, rx: 10 }));
  const iconName: IconName = g.role ? ROLE_ICONS[g.role] : g.kind === 'iam' ? 'organization' : 'history';
  const sub = g.kind === 'project'
    ? [g.role, g.hub ? 'hub' : undefined, g.zone ?? g.region].filter(Boolean).join(' · ')
    : g.kind === 'iam' ? 'organisation-wide' : 'off-site backups';
  const head = el('g', { class: 'lz-group-head', 'data-id': g.id },
    el('title', {}, `${g.label} (${sub})`),
    icon(iconName, g.x + 14, g.y + 12),
    el('text', { class: 'lz-group-title', x: g.x + 38, y: g.y + 22 }, clip(g.label, g.width - 60, 13, true)),
    el('text', { class: 'lz-group-sub', x: g.x + 38, y: g.y + 37 }, clip(sub, g.width - 60, 11)));
  out.children.push(head);
  const badge = deco.badges?.[g.id];
  if (badge) out.children.push(badgeEl(g.x + g.width - 8, g.y - 6, badge.severity, badge.count));
  if (unmanaged > 0) {
    const text = `+${unmanaged} unmanaged`;
    // bold digits and lower case run wider than the average estimate: give the chip room
    const w = textWidth(text, 10, true) * 1.2 + 16;
    out.children.push(el('g', { class: 'lz-unmanaged' },
      el('title', {}, `${unmanaged} resource(s) in this project are not described in the file`),
      el('rect', { class: 'lz-unmanaged-chip', x: g.x + g.width - w - 14, y: g.y + 12, width: w, height: 18, rx: 9 }),
      el('text', { class: 'lz-unmanaged-text', x: g.x + g.width - 14 - w / 2, y: g.y + 25, 'text-anchor': 'middle' }, text)));
  }
  return out;
}

function badgeEl(cx: number, cy: number, severity: string, count: number): SvgElement {
  return el('g', { class: 'lz-badge' },
    el('circle', { class: `lz-badge-${severity}`, cx, cy, r: 9 }),
    el('text', { class: 'lz-badge-text', x: cx, y: cy + 3.5, 'text-anchor': 'middle' }, count > 99 ? '99+' : String(count)));
}

function edge(e: DiagramEdge): SvgElement {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(p.x)},${fmt(p.y)}`).join(' ');
  return el('path', { class: `lz-edge lz-edge-${e.kind} lz-layer-${e.layer}`, d, 'marker-end': `url(#lz-arrow-${EDGE_ARROWS[e.kind]})`, 'data-id': e.id },
    el('title', {}, `${e.source} ${EDGE_TEXT[e.kind]} ${e.target}${e.label ? ` (${e.label})` : ''}`));
}

function node(n: DiagramNode, deco: DiagramDecorations): SvgElement {
  const drift = deco.overlay?.states[n.id];
  const impact = deco.failure?.impacts[n.id];
  const badge = deco.badges?.[n.id];
  const cls = ['lz-node', `lz-layer-${n.layer}`, `lz-kind-${n.kind}`,
    drift ? `lz-drift-${drift}` : '', impact ? `lz-fail-${impact.status}` : '',
    deco.selected === n.id ? 'lz-selected' : '', deco.highlighted === n.id ? 'lz-highlighted' : ''].filter(Boolean).join(' ');
  const tip = [`${n.label}${n.detail ? ` — ${n.detail}` : ''}`, n.id];
  if (badge) tip.push(...badge.messages.map((m) => `${badge.severity}: ${m}`));
  if (drift) tip.push(`drift: ${DRIFT_TEXT[drift]}`);
  if (impact) tip.push(`${FAIL_TEXT[impact.status]}: ${impact.note}`);
  const out = el('g', { class: cls, 'data-id': n.id, transform: `translate(${fmt(n.x)},${fmt(n.y)})` }, el('title', {}, tip.join('\n')));
  out.children.push(el('rect', { class: 'lz-node-box', x: 0, y: 0, width: n.width, height: n.height, rx: 6 }));
  out.children.push(el('rect', { class: 'lz-node-strip', x: 1, y: 1, width: 4, height: n.height - 2, rx: 2 }));
  out.children.push(icon(NODE_ICONS[n.kind], 13, (n.height - 16) / 2));
  let right = n.width - 8;
  if (drift) { right -= 18; out.children.push(icon(DRIFT_ICONS[drift], right, 6, `lz-drift-icon-${drift}`, 14)); }
  const failIcon = impact ? FAIL_ICONS[impact.status] : undefined;
  if (impact && failIcon) { right -= 18; out.children.push(icon(failIcon, right, 6, `lz-fail-icon-${impact.status}`, 14)); }
  const textX = 37;
  out.children.push(el('text', { class: 'lz-node-label', x: textX, y: 19 }, clip(n.label, right - textX - 4, 12, true)));
  // In a simulation the second line says what happens to the box; the tooltip has the whole note.
  const second = impact ? impact.short : n.detail;
  if (second) {
    const secondCls = impact ? `lz-node-detail lz-fail-note-${impact.status}` : 'lz-node-detail';
    out.children.push(el('text', { class: secondCls, x: textX, y: 35 }, clip(second, n.width - textX - 8, 11)));
  }
  if (badge) out.children.push(badgeEl(n.width - 2, -2, badge.severity, badge.count));
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;

/** Serialises an element tree to SVG text, escaping every attribute value and text node. */
export function toSvgString(root: SvgElement, pretty = false): string {
  const out: string[] = [];
  const walk = (e: SvgElement, depth: number) => {
    if (!NAME.test(e.tag)) throw new Error(`bad element name ${e.tag}`); // our own code builds these: a bug
    const attrs = Object.entries(e.attrs).map(([k, val]) => {
      if (!NAME.test(k)) throw new Error(`bad attribute name ${k}`);
      return ` ${k}="${escapeXml(val)}"`;
    }).join('');
    const pad = pretty ? '\n' + '  '.repeat(depth) : '';
    if (e.children.length === 0) { out.push(`${pad}<${e.tag}${attrs}/>`); return; }
    out.push(`${pad}<${e.tag}${attrs}>`);
    const onlyText = e.children.every((c) => typeof c === 'string');
    for (const c of e.children) {
      if (typeof c === 'string') out.push(e.tag === 'style' ? c.replace(/<\/?style/gi, '') : escapeXml(c));
      else walk(c, depth + 1);
    }
    out.push(`${onlyText || !pretty ? '' : '\n' + '  '.repeat(depth)}</${e.tag}>`);
  };
  walk(root, 0);
  return out.join('');
}

/** A standalone SVG document of the diagram (what the CLI writes and the webview exports). */
export function diagramSvg(layout: DiagramLayout, deco: DiagramDecorations = {}, options: Omit<RenderOptions, 'standalone'> = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toSvgString(renderDiagram(layout, deco, { ...options, standalone: true }), true).trimStart()}\n`;
}
