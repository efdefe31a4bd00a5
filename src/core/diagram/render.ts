import type { TopologyEdgeKind, TopologyLayer, TopologyNodeKind } from '../topology';
import type { ProjectRole } from '../schema';
import { ICONS, type IconName } from './icons';
import { REVIEW_MARK, REVIEW_TEXT, reviewLegendItems } from './review-text';
import { DIAGRAM_CSS, THEME_VARIABLES } from './style';
import type { DiagramDecorations, DiagramEdge, DiagramGroup, DiagramLayout, DiagramNode, DriftState, FailureStatus, Point, ReviewState } from './types';

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

/** `overview`: a card per project and only hub↔spoke edges; `full`: every resource and edge. */
export type DetailLevel = 'overview' | 'full';

export interface RenderOptions {
  /** Embed the stylesheet (standalone .svg files and exports). */
  standalone?: boolean;
  /** Resolved theme colours to pin in a standalone file (the webview's export passes them). */
  themeValues?: Record<string, string>;
  /** Level of detail (default full). */
  detail?: DetailLevel;
  /**
   * The scale the drawing is shown at (the webview's zoom). Card text is drawn at 1/zoom, so that
   * it reads at its CSS size however far the picture is zoomed out. Default 1.
   */
  zoom?: number;
}

/** Edge layers hidden when the decorations say nothing: key, secret and backup edges are shown on demand. */
export const DEFAULT_HIDDEN_LAYERS: readonly TopologyLayer[] = ['iam', 'dr'];

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

/*
 * Advance widths in em, close to DejaVu Sans — the widest of the usual UI fonts (Segoe UI, SF,
 * Ubuntu and Cantarell run narrower) — so that text measured here fits wherever it is drawn.
 */
const NARROW = new Set([...'iljI.,:;|!\'']);
const WIDTHS: Record<string, number> = { f: 0.36, t: 0.4, r: 0.42, ' ': 0.32, '-': 0.37, '/': 0.34, '(': 0.4, ')': 0.4, '[': 0.4, ']': 0.4, m: 0.98, w: 0.82, M: 0.87, W: 1.0, '·': 0.32, '…': 1.0, '@': 1.0, '%': 0.95, '→': 0.84, '+': 0.84, '_': 0.5 };
function charWidth(c: string): number {
  if (NARROW.has(c)) return 0.3;
  const w = WIDTHS[c];
  if (w !== undefined) return w;
  if (c >= '0' && c <= '9') return 0.64;
  if (c >= 'A' && c <= 'Z') return 0.74;
  return 0.63;
}

/** Text width in px; the webview uses the same estimate, so text is shortened the same everywhere. */
export function textWidth(text: string, px: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charWidth(c);
  return em * px * (bold ? 1.13 : 1);
}

/** Clips text to a width with an ellipsis. */
function clip(text: string, width: number, px: number, bold = false): string {
  if (textWidth(text, px, bold) <= width) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, px, bold) > width) chars.pop();
  return `${chars.join('')}…`;
}

/**
 * Shortens text in the middle to a width (`elasticsearch-credentials` → `elastic…entials`): names
 * differ at both ends as often as at the start. The full text goes in a `<title>`.
 */
export function shortenMiddle(text: string, width: number, px: number, bold = false): string {
  if (textWidth(text, px, bold) <= width) return text;
  const chars = [...text];
  let head = Math.ceil(chars.length / 2);
  let tail = chars.length - head;
  const fits = () => textWidth(`${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`, px, bold) <= width;
  while (head + tail > 1 && !fits()) { if (head > tail) head--; else tail--; }
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`;
}

/**
 * Shortens a card's line of facts (`1 cluster · 1 database · 1 bucket`) by whole items from the
 * end (`1 cluster · 1 database · …`): half a word of each says nothing. A single item is shortened
 * in the middle. The full line is in the card's `<title>`.
 */
function shortenList(text: string, width: number, px: number): string {
  if (textWidth(text, px) <= width) return text;
  const items = text.split(' · ');
  for (let n = items.length - 1; n >= 1; n--) {
    const line = `${items.slice(0, n).join(' · ')} · …`;
    if (textWidth(line, px) <= width) return line;
  }
  return shortenMiddle(text, width, px);
}

/**
 * Breaks a name into at most `lines` lines of the width, at `-`, `_`, `.`, `/` or spaces, the
 * last line shortened in the middle if it still does not fit.
 */
function wrapName(text: string, width: number, px: number, bold: boolean, lines: number): string[] {
  if (lines <= 1 || textWidth(text, px, bold) <= width) return [shortenMiddle(text, width, px, bold)];
  // between words first ("DR site" / "nl-ams", not "DR site nl-" / "ams"), when that fits
  const words = text.split(/(?<= )/);
  const byWords: string[] = [];
  for (const w of words) {
    const last = byWords[byWords.length - 1];
    if (last !== undefined && textWidth(last + w, px, bold) <= width) byWords[byWords.length - 1] = last + w;
    else byWords.push(w);
  }
  if (byWords.length <= lines && byWords.every((l) => textWidth(l.trimEnd(), px, bold) <= width)) return byWords.map((l) => l.trimEnd());
  const parts = text.split(/(?<=[-_./ ])/);
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < parts.length; i++) {
    const next = line + parts[i]!;
    if (line && textWidth(next, px, bold) > width) {
      out.push(line);
      if (out.length === lines - 1) { out.push(shortenMiddle(parts.slice(i).join(''), width, px, bold)); return out; }
      line = parts[i]!;
    } else line = next;
  }
  out.push(shortenMiddle(line, width, px, bold));
  return out.length > lines ? [...out.slice(0, lines - 1), shortenMiddle(out.slice(lines - 1).join(''), width, px, bold)] : out;
}

/** The diagram as an SVG element tree. */
export function renderDiagram(layout: DiagramLayout, deco: DiagramDecorations = {}, options: RenderOptions = {}): SvgElement {
  const detail = options.detail ?? 'full';
  const zoom = options.zoom && options.zoom > 0 ? options.zoom : 1;
  const hidden = new Set(deco.hiddenLayers ?? DEFAULT_HIDDEN_LAYERS);
  const width = Math.max(layout.width, 960);
  const height = layout.height + HEADER_HEIGHT;
  const related = relatedTo(layout, deco.selected);
  const classes = ['lz-diagram', `lz-detail-${detail}`, ...[...hidden].map((l) => `lz-hide-${l}`), ...(deco.failure ? ['lz-fail-dimmed'] : []), ...(related.nodes.size > 0 ? ['lz-has-selection'] : [])];
  const root = el('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${fmt(width)} ${fmt(height)}`, width, height, class: classes.join(' '), role: 'group', 'aria-label': deco.title ? `Landing zone diagram of ${deco.title}` : 'Landing zone diagram' });
  if (options.standalone) root.children.push(el('style', {}, standaloneCss(options.themeValues)));
  root.children.push(el('defs', {}, ...['grey', 'orange', 'purple', 'green'].map((c) =>
    el('marker', { id: `lz-arrow-${c}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: `lz-arrow-${c}` }))),
  // the overview's ticks are as short as a gutter: an arrow that fits in it
  el('marker', { id: 'lz-arrow-orange-small', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 3.5, markerHeight: 3.5, orient: 'auto-start-reverse' },
    el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'lz-arrow-orange' }))));
  root.children.push(el('rect', { class: 'lz-bg', x: 0, y: 0, width, height }));
  const viewport = el('g', { class: 'lz-viewport' });
  root.children.push(viewport);
  // the legend explains resources and their edges: a picture of cards needs none (the toolbar says the rest)
  if (detail === 'full') viewport.children.push(header(layout, deco, width, hidden));
  const body = el('g', { class: 'lz-body', transform: `translate(0,${HEADER_HEIGHT})` });
  viewport.children.push(body);
  const unmanagedBy = new Map<string, number>();
  for (const u of deco.overlay?.unmanaged ?? []) if (u.project) unmanagedBy.set(u.project, (unmanagedBy.get(u.project) ?? 0) + 1);
  if (detail === 'overview') {
    const byGroup = new Map<string, DiagramNode[]>();
    for (const n of layout.nodes) { let l = byGroup.get(n.group); if (!l) byGroup.set(n.group, (l = [])); l.push(n); }
    // the spokes' edges run beneath the cards: from the hub straight to each spoke, like a star
    const edges = el('g', { class: 'lz-edges' });
    for (const e of overviewEdges(layout, Math.max(1, 1 / zoom))) edges.children.push(e);
    body.children.push(edges);
    for (const g of layout.groups) body.children.push(card(g, byGroup.get(g.id) ?? [], layout, deco, unmanagedBy.get(g.label) ?? 0, Math.max(1, 1 / zoom), zoom));
    return root;
  }
  for (const g of layout.groups) body.children.push(group(g, deco, unmanagedBy.get(g.label) ?? 0));
  const edges = el('g', { class: 'lz-edges' });
  for (const e of layout.edges) {
    const on = !hidden.has(e.layer) || related.edges.has(e.id);
    // a file shows what is on; the panel keeps every edge and toggles layers with a class
    if (options.standalone && !on) continue;
    edges.children.push(edge(e, related.edges.has(e.id)));
  }
  body.children.push(edges);
  for (const n of layout.nodes) body.children.push(node(n, deco, related.nodes.has(n.id)));
  return root;
}

/** The edges of the selected node, and the nodes at their other ends. */
export function relatedTo(layout: DiagramLayout, selected: string | undefined): { edges: Set<string>; nodes: Set<string> } {
  const edges = new Set<string>();
  const nodes = new Set<string>();
  if (!selected || !layout.nodes.some((n) => n.id === selected)) return { edges, nodes };
  nodes.add(selected);
  for (const e of layout.edges) {
    if (e.source !== selected && e.target !== selected) continue;
    edges.add(e.id);
    nodes.add(e.source === selected ? e.target : e.source);
  }
  return { edges, nodes };
}

/**
 * The overview's edges, as one tree per side of the hubs: a trunk runs down the gutter on the
 * hub side of each column of spokes, each spoke that admits a hub gets a short straight tick from
 * it (the arrow), and the trunks join the hubs through the gaps between cards. Fifty spokes drawn
 * hub to card would be a fan of lines converging on two boxes, crossing the cards between; here
 * every line runs in a gutter or a gap, and what each spoke admits is in its tick's tooltip.
 */
function overviewEdges(layout: DiagramLayout, scale: number): SvgElement[] {
  const groupOf = new Map(layout.nodes.map((n) => [n.id, n.group]));
  // The portrait arrangement (hubs in a band, spokes in rows above and below) is the column
  // arrangement turned a quarter: its trees are drawn in x and y swapped, and swapped back.
  const hubBoxes = layout.groups.filter((g) => g.hub);
  const hubL0 = Math.min(...hubBoxes.map((h) => h.x));
  const hubR0 = Math.max(...hubBoxes.map((h) => h.x + h.width));
  const turned = hubBoxes.length > 0 && layout.groups.some((g) => !g.hub && g.x < hubR0 && g.x + g.width > hubL0);
  const groups = new Map(layout.groups.map((g) => [g.id, turned ? { ...g, x: g.y, y: g.x, width: g.height, height: g.width } : g]));
  const pathOf = (pts: Point[]) => pathOfPoints(turned ? pts.map((p) => ({ x: p.y, y: p.x })) : pts);
  // per spoke: the hubs it admits and on how many load balancers
  const admits = new Map<string, { hubs: Set<string>; lbs: Set<string> }>();
  for (const e of layout.edges) {
    if (e.kind !== 'acl' || !e.crossGroup) continue;
    const hub = groups.get(groupOf.get(e.source) ?? '');
    const spoke = groups.get(groupOf.get(e.target) ?? '');
    if (!hub || !spoke) continue;
    let a = admits.get(spoke.id);
    if (!a) admits.set(spoke.id, (a = { hubs: new Set(), lbs: new Set() }));
    a.hubs.add(hub.id);
    a.lbs.add(e.target);
  }
  const out: SvgElement[] = [];
  if (admits.size === 0) return out;
  const hubIds = new Set([...admits.values()].flatMap((a) => [...a.hubs]));
  const hubs = [...hubIds].map((id) => groups.get(id)!);
  const hubL = Math.min(...hubs.map((h) => h.x));
  const hubR = Math.max(...hubs.map((h) => h.x + h.width));
  // columns: the cards of a column share the side that faces the hubs (turned, a row's cards differ in height and hug the band)
  const columns = new Map<string, DiagramGroup[]>();
  for (const g of groups.values()) {
    if (hubIds.has(g.id) || (g.x < hubR && g.x + g.width > hubL)) continue;
    const key = g.x >= hubR ? `e${g.x}` : `w${g.x + g.width}`;
    let c = columns.get(key);
    if (!c) columns.set(key, (c = []));
    c.push(g);
  }
  const trunk = (pts: Point[]) => el('path', { class: 'lz-edge lz-edge-acl lz-layer-network lz-edge-overview lz-edge-trunk', d: pathOf(pts), 'stroke-width': fmt(2 * scale) });
  for (const east of [true, false]) {
    // nearest the hubs first
    const cols = [...columns.entries()].filter(([key]) => key.startsWith(east ? 'e' : 'w'))
      .map(([, cards]) => ({ cards: [...cards].sort((p, q) => p.y - q.y), x0: Math.min(...cards.map((g) => g.x)), x1: Math.max(...cards.map((g) => g.x + g.width)) }))
      .sort((a, b) => (east ? a.x0 - b.x0 : b.x1 - a.x1));
    // from the innermost column to the last one that holds a spoke admitting a hub
    let last = -1;
    cols.forEach((c, i) => { if (c.cards.some((g) => admits.has(g.id))) last = i; });
    if (last < 0) continue;
    // a column's trunk: in the middle of the gutter on its hub side
    const trunkX = cols.map((c, i) => {
      const inner = i === 0 ? (east ? hubR : hubL) : east ? cols[i - 1]!.x1 : cols[i - 1]!.x0;
      return east ? (inner + c.x0) / 2 : (inner + c.x1) / 2;
    });
    const ys: number[][] = cols.map(() => []);
    const trunkPaths: Point[][] = [];
    for (let i = 0; i <= last; i++) {
      for (const g of cols[i]!.cards) {
        const a = admits.get(g.id);
        if (!a) continue;
        const y = g.y + g.height / 2;
        ys[i]!.push(y);
        const names = [...a.hubs].map((id) => groups.get(id)!.label);
        const tip = `${g.label} admits the gateway IP of ${names.join(' and ')} on ${a.lbs.size} load balancer${a.lbs.size === 1 ? '' : 's'}`;
        out.push(el('path', { class: 'lz-edge lz-edge-acl lz-layer-network lz-edge-overview', d: pathOf([{ x: trunkX[i]!, y }, { x: east ? g.x : g.x + g.width, y }]), 'stroke-width': fmt(2 * scale), 'marker-end': 'url(#lz-arrow-orange-small)', 'data-id': `overview:${g.id}` },
          el('title', {}, tip)));
      }
    }
    // outermost first: each trunk joins the next one in through the gap of that column nearest its middle
    for (let i = last; i > 0; i--) {
      const mine = ys[i]!;
      const mid = mine.length > 0 ? (Math.min(...mine) + Math.max(...mine)) / 2 : 0;
      const cards = cols[i - 1]!.cards;
      // between two cards, or in the margin above the first or below the last
      const gaps = [cards[0]!.y - 14, ...cards.slice(1).map((g, j) => (cards[j]!.y + cards[j]!.height + g.y) / 2), cards[cards.length - 1]!.y + cards[cards.length - 1]!.height + 14];
      const y = gaps.reduce((b, v) => (Math.abs(v - mid) < Math.abs(b - mid) ? v : b), gaps[0]!);
      mine.push(y);
      ys[i - 1]!.push(y);
      trunkPaths.push([{ x: trunkX[i]!, y }, { x: trunkX[i - 1]!, y }]);
    }
    // the innermost trunk joins each hub from its side, level with the trunk's middle where the hub spans it
    const inner = ys[0]!;
    const mid = (Math.min(...inner) + Math.max(...inner)) / 2;
    for (const h of hubs) {
      const inset = Math.min(24 * scale, h.height / 2);
      const y = Math.min(Math.max(mid, h.y + inset), h.y + h.height - inset);
      inner.push(y);
      trunkPaths.push([{ x: east ? h.x + h.width : h.x, y }, { x: trunkX[0]!, y }]);
    }
    for (let i = 0; i <= last; i++) {
      if (ys[i]!.length < 2) continue;
      trunkPaths.push([{ x: trunkX[i]!, y: Math.min(...ys[i]!) }, { x: trunkX[i]!, y: Math.max(...ys[i]!) }]);
    }
    // the trunks first, beneath the ticks and their arrows
    out.unshift(...trunkPaths.map(trunk));
  }
  return out;
}

const pathOfPoints = (pts: Point[]) => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(p.x)},${fmt(p.y)}`).join(' ');

const COUNTED: { kind: TopologyNodeKind; one: string; many: string }[] = [
  { kind: 'cluster', one: 'cluster', many: 'clusters' },
  { kind: 'database', one: 'database', many: 'databases' },
  { kind: 'secret', one: 'secret', many: 'secrets' },
  { kind: 'key', one: 'key', many: 'keys' },
  { kind: 'bucket', one: 'bucket', many: 'buckets' },
  { kind: 'application', one: 'application', many: 'applications' },
];

/**
 * What a plan does to a project, for its card: the strongest state of its boxes (and of what it
 * removes) for the card's border, and the counts in words (`2 created · 1 updated`).
 */
function cardReview(g: DiagramGroup, nodes: DiagramNode[], deco: DiagramDecorations): { state: ReviewState; text: string } | undefined {
  const r = deco.review;
  if (!r) return undefined;
  const boxes = new Map<ReviewState, number>();
  for (const n of nodes) { const st = r.states[n.id]; if (st && st !== 'unchanged') boxes.set(st, (boxes.get(st) ?? 0) + 1); }
  const removed = g.kind === 'project' ? r.removed.filter((x) => x.project === g.label).length : 0;
  if (removed) boxes.set('delete', (boxes.get('delete') ?? 0) + removed);
  // the words count resources, as the legend and the title do; the border takes the strongest box
  const own = r.groups?.[g.id];
  const counts = own ? new Map(Object.entries(own).filter(([st, n]) => st !== 'unchanged' && n! > 0) as [ReviewState, number][]) : boxes;
  if (counts.size === 0 && boxes.size === 0) return { state: 'unchanged', text: '' };
  const order: ReviewState[] = ['conflict', 'delete', 'create', 'added', 'update', 'drifted', 'repair', 'not-checked'];
  const border = order.find((st) => boxes.has(st)) ?? order.find((st) => counts.has(st))!;
  return { state: border, text: order.filter((st) => counts.has(st)).map((st) => `${REVIEW_MARK[st]}${counts.get(st)} ${REVIEW_TEXT[st]}`).join(' · ') };
}

/** What a project card says beyond its name: counts, drift and DR, each as words (icons repeat them). */
export function cardFacts(g: DiagramGroup, nodes: DiagramNode[], layout: DiagramLayout, deco: DiagramDecorations): { sub: string; counts: string; drift?: { icon: IconName; cls: string; text: string }; dr?: { icon: IconName; cls: string; text: string }; findings: { severity: 'error' | 'warning' | 'info'; count: number } | undefined } {
  const sub = g.kind === 'project'
    ? [g.role, g.hub ? 'hub' : undefined, g.zone ?? g.region].filter(Boolean).join(' · ')
    : g.kind === 'iam' ? 'organisation-wide' : 'off-site backups';
  const counts = COUNTED.map(({ kind, one, many }) => {
    const n = nodes.filter((x) => x.kind === kind).length;
    return n === 0 ? '' : `${n} ${n === 1 ? one : many}`;
  }).filter(Boolean).join(' · ');
  let drift: { icon: IconName; cls: string; text: string } | undefined;
  if (deco.overlay) {
    const states = nodes.map((n) => deco.overlay!.states[n.id]).filter((x): x is DriftState => !!x);
    const bad = (['missing', 'changed', 'unmanaged'] as DriftState[]).map((st) => ({ st, n: states.filter((x) => x === st).length })).filter((x) => x.n > 0);
    if (bad.length > 0) drift = { icon: DRIFT_ICONS[bad[0]!.st], cls: `lz-drift-icon-${bad[0]!.st}`, text: bad.map((x) => `${x.n} ${DRIFT_TEXT[x.st]}`).join(', ') };
    else if (states.length > 0) drift = { icon: 'pass', cls: 'lz-drift-icon-in-sync', text: 'in sync' };
  }
  let dr: { icon: IconName; cls: string; text: string } | undefined;
  if (deco.failure) {
    const impacts = nodes.map((n) => deco.failure!.impacts[n.id]).filter((x): x is NonNullable<typeof x> => !!x);
    const n = (st: FailureStatus) => impacts.filter((x) => x.status === st).length;
    if (n('unrecoverable') > 0) dr = { icon: 'error', cls: 'lz-fail-icon-unrecoverable', text: `${n('unrecoverable')} without recovery` };
    else if (impacts.length > 0) dr = { icon: 'history', cls: 'lz-fail-icon-restored', text: `${n('restored') + n('failover')} recovered, ${n('lost')} recreated` };
    else dr = { icon: 'pass', cls: 'lz-fail-icon-failover', text: 'not affected' };
  } else {
    // what the file says: clusters that Velero backs up, databases with backups in another region
    const backedUp = new Set(layout.edges.filter((e) => e.kind === 'backup').map((e) => e.source));
    const data = nodes.filter((x) => x.kind === 'cluster' || x.kind === 'database');
    if (data.length > 0) {
      const ok = data.filter((x) => backedUp.has(x.id)).length;
      dr = ok === data.length ? { icon: 'pass', cls: 'lz-fail-icon-failover', text: 'backed up off-site' }
        : { icon: 'warning', cls: 'lz-badge-warning-icon', text: `${data.length - ok} of ${data.length} not backed up off-site` };
    }
  }
  let findings: { severity: 'error' | 'warning' | 'info'; count: number } | undefined;
  for (const id of [g.id, ...nodes.map((n) => n.id)]) {
    const b = deco.badges?.[id];
    if (!b) continue;
    const rank = { error: 3, warning: 2, info: 1 };
    findings = { severity: !findings || rank[b.severity] > rank[findings.severity] ? b.severity : findings.severity, count: (findings?.count ?? 0) + b.count };
  }
  return { sub, counts, drift, dr, findings };
}

/** A project at low zoom: its box with name, role and region, counts, drift and DR, at a readable size. */
function card(g: DiagramGroup, nodes: DiagramNode[], layout: DiagramLayout, deco: DiagramDecorations, unmanaged: number, scale: number, zoom: number): SvgElement {
  const plan = cardReview(g, nodes, deco);
  const cls = ['lz-group', 'lz-card', g.hub ? 'lz-hub' : '', g.kind !== 'project' ? 'lz-pseudo' : '', deco.selected === g.id ? 'lz-selected' : '', plan ? `lz-review-${plan.state}` : ''].filter(Boolean).join(' ');
  const facts = cardFacts(g, nodes, layout, deco);
  const out = el('g', { class: cls, 'data-id': g.id });
  out.children.push(el('rect', { class: 'lz-group-box', x: g.x, y: g.y, width: g.width, height: g.height, rx: 10 * Math.min(scale, 4) }));
  // a card too low for one line at the zoom's size gets a little smaller text rather than none
  scale = Math.max(1, Math.min(scale, (g.height - 4) / 18));
  const pad = Math.max(1, Math.min(10, (g.height / scale - 16) / 2));
  // text is laid out in card-local units at its CSS size, then scaled to the zoom
  const w = g.width / scale - 2 * pad;
  // a name too long for one line takes two where the card is high enough, its top margin shrinking first
  const withIcon = w >= 22 + textWidth(g.label, 13, true) || w >= 140;
  const tx = withIcon ? 20 : 0;
  const twoLines = textWidth(g.label, 13, true) > w - tx && g.height / scale - 2 * 2 >= 32;
  const padY = twoLines ? Math.max(2, Math.min(pad, (g.height / scale - 32) / 2)) : pad;
  const h = g.height / scale - 2 * padY;
  const lines: SvgChild[] = [];
  // too narrow for a letter at this zoom: the box alone (its title and accessible name stay)
  // …or too small to read: text below 9 px on screen is noise
  const room = w >= textWidth('M…', 13, true) && 13 * scale * zoom >= 9;
  const iconName: IconName = g.role ? ROLE_ICONS[g.role] : g.kind === 'iam' ? 'organization' : 'history';
  const nameLines = room ? wrapName(g.label, w - tx, 13, true, h >= 56 || twoLines ? 2 : 1) : [];
  if (withIcon) lines.push(icon(iconName, 0, 0));
  let y = 12;
  for (const line of nameLines) { lines.push(el('text', { class: 'lz-card-title', x: tx, y }, line)); y += 16; }
  const more: { text: string; cls: string; ic?: { icon: IconName; cls: string } }[] = [];
  // in plan mode what the plan does to the project comes first: it is what the reviewer reads
  if (plan?.text) more.push({ text: plan.text, cls: 'lz-card-text lz-card-review' });
  more.push({ text: facts.sub, cls: 'lz-card-text' });
  if (facts.counts) more.push({ text: facts.counts, cls: 'lz-card-text' });
  if (facts.drift) more.push({ text: `drift: ${facts.drift.text}`, cls: 'lz-card-text', ic: facts.drift });
  if (facts.dr) more.push({ text: facts.dr.text, cls: 'lz-card-text', ic: facts.dr });
  if (unmanaged > 0) more.push({ text: `+${unmanaged} unmanaged`, cls: 'lz-card-text', ic: { icon: 'question', cls: 'lz-drift-icon-unmanaged' } });
  y += 1;
  for (const m of room ? more : []) {
    if (y + 3 > h) break;
    const x = m.ic ? 18 : 0;
    if (m.ic) lines.push(icon(m.ic.icon, 0, y - 11, m.ic.cls, 14));
    lines.push(el('text', { class: m.cls, x, y }, shortenList(m.text, w - x, 12)));
    y += 16;
  }
  const label = [`${g.kind === 'project' ? 'project' : g.kind === 'iam' ? 'IAM' : 'DR site'} ${g.label}`, plan?.text ? `plan: ${plan.text}` : '', facts.sub, facts.counts, facts.drift ? `drift: ${facts.drift.text}` : '', facts.dr ? `DR: ${facts.dr.text}` : '', facts.findings ? `${facts.findings.count} finding(s)` : ''].filter(Boolean).join(', ');
  out.children.push(el('g', { class: 'lz-group-head lz-card-body', 'data-id': g.id, 'aria-label': label, transform: `translate(${fmt(g.x + pad * scale)},${fmt(g.y + padY * scale)}) scale(${scale.toFixed(4)})` },
    el('title', {}, label), el('rect', { class: 'lz-hit', x: -pad, y: -padY, width: g.width / scale, height: g.height / scale }), ...lines));
  if (facts.findings) {
    const b = badgeEl(0, 0, facts.findings.severity, facts.findings.count);
    out.children.push(el('g', { transform: `translate(${fmt(g.x + g.width - 4 * scale)},${fmt(g.y + 4 * scale)}) scale(${scale.toFixed(4)})` }, b));
  }
  return out;
}

export function standaloneCss(themeValues?: Record<string, string>): string {
  const values = { ...THEME_VARIABLES, ...(themeValues ?? {}) };
  // pin the variables on the root so a file opened outside VS Code gets the same colours
  const vars = Object.entries(values).filter(([k]) => k in THEME_VARIABLES).map(([k, val]) => `${k}: ${val.replace(/[;{}<>]/g, '')};`).join(' ');
  return `.lz-diagram { ${vars} }\n${DIAGRAM_CSS}`;
}

function header(layout: DiagramLayout, deco: DiagramDecorations, width: number, hidden: Set<TopologyLayer>): SvgElement {
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
  // the legend says which on-demand layers are shown, so a picture without them is not misread
  const onDemand = (layer: TopologyLayer) => (hidden.has(layer) ? ' (shown for the selection)' : '');
  items.push({ swatch: line('lz-edge-key-use'), text: `key use${onDemand('iam')}` });
  items.push({ swatch: line('lz-edge-stored-in'), text: `secret / endpoint${onDemand('iam')}` });
  items.push({ swatch: line('lz-edge-backup'), text: `backup / cross-region copy${onDemand('dr')}` });
  items.push({ swatch: el('rect', { class: 'lz-swatch-hub', x: 0, y: -6, width: 22, height: 12, rx: 3 }), text: 'hub project' });
  if (deco.overlay) {
    const states = Object.values(deco.overlay.states);
    const count = (s: DriftState) => states.filter((x) => x === s).length + (s === 'unmanaged' ? deco.overlay?.unmanaged?.length ?? 0 : 0);
    const coverage = deco.overlay.coverage ?? driftCoverage(deco.overlay.states);
    items.push({ swatch: el('g', {}), text: `Drift: coverage ${Math.round(coverage)}%`, strong: true });
    for (const s of ['in-sync', 'changed', 'missing', 'unmanaged'] as DriftState[]) items.push({ swatch: icon(DRIFT_ICONS[s], 3, -8, `lz-drift-icon-${s}`), text: `${DRIFT_TEXT[s]} ${count(s)}` });
  }
  if (deco.review) {
    const r = deco.review;
    items.push({ swatch: el('g', {}), text: r.title, strong: true });
    for (const { state: st, text } of reviewLegendItems(r)) items.push({ swatch: el('rect', { class: `lz-review-swatch-${st}`, x: 0, y: -6, width: 22, height: 12, rx: 3 }), text });
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
    ? [g.role, g.hub ? 'hub' : undefined, g.zone ?? g.region, deco.costs?.[g.label]].filter(Boolean).join(' · ')
    : g.kind === 'iam' ? 'organisation-wide' : 'off-site backups';
  const head = el('g', { class: 'lz-group-head', 'data-id': g.id },
    el('title', {}, `${g.label} (${sub})`),
    // the whole header band answers a click, not only its glyphs
    el('rect', { class: 'lz-hit', x: g.x, y: g.y, width: g.width, height: 44 }),
    icon(iconName, g.x + 14, g.y + 12),
    el('text', { class: 'lz-group-title', x: g.x + 38, y: g.y + 22 }, shortenMiddle(g.label, g.width - 60 - unmanagedWidth(unmanaged), 13, true)),
    el('text', { class: 'lz-group-sub', x: g.x + 38, y: g.y + 37 }, shortenMiddle(sub, g.width - 60 - unmanagedWidth(unmanaged), 11)));
  head.attrs['aria-label'] = `${g.kind === 'project' ? 'project' : g.kind === 'iam' ? 'IAM' : 'DR site'} ${g.label}, ${sub}`;
  out.children.push(head);
  const badge = deco.badges?.[g.id];
  if (badge) out.children.push(badgeEl(g.x + g.width - 8, g.y - 6, badge.severity, badge.count));
  if (unmanaged > 0) {
    const text = `+${unmanaged} unmanaged`;
    const w = unmanagedWidth(unmanaged) - 8;
    out.children.push(el('g', { class: 'lz-unmanaged' },
      el('title', {}, `${unmanaged} resource(s) in this project are not described in the file`),
      el('rect', { class: 'lz-unmanaged-chip', x: g.x + g.width - w - 14, y: g.y + 12, width: w, height: 18, rx: 9 }),
      el('text', { class: 'lz-unmanaged-text', x: g.x + g.width - 14 - w / 2, y: g.y + 25, 'text-anchor': 'middle' }, text)));
  }
  const removed = g.kind === 'project' ? deco.review?.removed.filter((r) => r.project === g.label) ?? [] : [];
  if (removed.length > 0) {
    const text = `−${removed.length} deleted`;
    const w = textWidth(text, 10, true) + 16;
    out.children.push(el('g', { class: 'lz-review-removed' },
      el('title', {}, `deleted by the change:\n${removed.map((r) => `${r.kind} ${r.name}`).join('\n')}`),
      el('rect', { class: 'lz-review-swatch-delete', x: g.x + g.width - w - 14 - unmanagedWidth(unmanaged), y: g.y + 12, width: w, height: 18, rx: 9 }),
      el('text', { class: 'lz-unmanaged-text', x: g.x + g.width - 14 - unmanagedWidth(unmanaged) - w / 2, y: g.y + 25, 'text-anchor': 'middle' }, text)));
  }
  return out;
}

/** Room the `+n unmanaged` chip takes in a group's header (0 without one). */
function unmanagedWidth(unmanaged: number): number {
  return unmanaged > 0 ? textWidth(`+${unmanaged} unmanaged`, 10, true) + 24 : 0;
}

function badgeEl(cx: number, cy: number, severity: string, count: number): SvgElement {
  return el('g', { class: 'lz-badge' },
    el('circle', { class: `lz-badge-${severity}`, cx, cy, r: 9 }),
    el('text', { class: 'lz-badge-text', x: cx, y: cy + 3.5, 'text-anchor': 'middle' }, count > 99 ? '99+' : String(count)));
}

function edge(e: DiagramEdge, related: boolean): SvgElement {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(p.x)},${fmt(p.y)}`).join(' ');
  return el('path', { class: `lz-edge lz-edge-${e.kind} lz-layer-${e.layer}${related ? ' lz-related' : ''}`, d, 'marker-end': `url(#lz-arrow-${EDGE_ARROWS[e.kind]})`, 'data-id': e.id },
    el('title', {}, `${e.source} ${EDGE_TEXT[e.kind]} ${e.target}${e.label ? ` (${e.label})` : ''}`));
}

const KIND_TEXT: Record<TopologyNodeKind, string> = {
  'private-network': 'private network', 'public-gateway': 'public gateway', 'gateway-ip': 'gateway IP', cluster: 'cluster', 'load-balancer': 'load balancer',
  database: 'database', bucket: 'bucket', key: 'key', secret: 'secret', application: 'application', sso: 'SSO', 'backup-copy': 'backup copy function', 'dr-site': 'DR site',
};

function node(n: DiagramNode, deco: DiagramDecorations, related: boolean): SvgElement {
  const drift = deco.overlay?.states[n.id];
  const impact = deco.failure?.impacts[n.id];
  const badge = deco.badges?.[n.id];
  const review = deco.review?.states[n.id];
  const cls = ['lz-node', `lz-layer-${n.layer}`, `lz-kind-${n.kind}`,
    drift ? `lz-drift-${drift}` : '', impact ? `lz-fail-${impact.status}` : '', review ? `lz-review-${review}` : '',
    deco.selected === n.id ? 'lz-selected' : '', related && deco.selected !== n.id ? 'lz-related' : '', deco.highlighted === n.id ? 'lz-highlighted' : ''].filter(Boolean).join(' ');
  const tip = [`${n.label}${n.detail ? ` — ${n.detail}` : ''}`, n.id];
  if (badge) tip.push(...badge.messages.map((m) => `${badge.severity}: ${m}`));
  if (drift) tip.push(`drift: ${DRIFT_TEXT[drift]}`);
  if (impact) tip.push(`${FAIL_TEXT[impact.status]}: ${impact.note}`);
  if (review && review !== 'unchanged') tip.push(`${REVIEW_TEXT[review]}:`, ...(deco.review!.notes[n.id] ?? []).map((l) => `  ${l}`));
  // the accessible name: kind, name, and every state that colour shows
  const state = [review && review !== 'unchanged' ? REVIEW_TEXT[review] : '', drift ? `drift ${DRIFT_TEXT[drift]}` : '', impact ? `${FAIL_TEXT[impact.status]}: ${impact.short}` : '', badge ? `${badge.count} ${badge.severity}${badge.count === 1 ? '' : 's'}` : ''].filter(Boolean);
  const label = [`${KIND_TEXT[n.kind]} ${n.label}`, n.detail ?? '', ...state].filter(Boolean).join(', ');
  const out = el('g', { class: cls, 'data-id': n.id, 'aria-label': label, transform: `translate(${fmt(n.x)},${fmt(n.y)})` }, el('title', {}, tip.join('\n')));
  out.children.push(el('rect', { class: 'lz-node-box', x: 0, y: 0, width: n.width, height: n.height, rx: 6 }));
  out.children.push(el('rect', { class: 'lz-node-strip', x: 1, y: 1, width: 4, height: n.height - 2, rx: 2 }));
  out.children.push(icon(NODE_ICONS[n.kind], 13, (n.height - 16) / 2));
  let right = n.width - 8;
  if (review && REVIEW_MARK[review]) {
    right -= 18;
    out.children.push(el('g', { class: 'lz-review-mark' }, el('circle', { class: `lz-review-swatch-${review}`, cx: right + 7, cy: 13, r: 8 }),
      el('text', { class: 'lz-review-mark-text', x: right + 7, y: 17, 'text-anchor': 'middle' }, REVIEW_MARK[review])));
  }
  if (drift) { right -= 18; out.children.push(icon(DRIFT_ICONS[drift], right, 6, `lz-drift-icon-${drift}`, 14)); }
  const failIcon = impact ? FAIL_ICONS[impact.status] : undefined;
  if (impact && failIcon) { right -= 18; out.children.push(icon(failIcon, right, 6, `lz-fail-icon-${impact.status}`, 14)); }
  const textX = 37;
  out.children.push(el('text', { class: 'lz-node-label', x: textX, y: 19 }, shortenMiddle(n.label, right - textX - 4, 12, true)));
  // In a simulation the second line says what happens to the box; the tooltip has the whole note.
  const second = impact ? impact.short : n.detail;
  if (second) {
    const secondCls = impact ? `lz-node-detail lz-fail-note-${impact.status}` : 'lz-node-detail';
    out.children.push(el('text', { class: secondCls, x: textX, y: 35 }, shortenMiddle(second, n.width - textX - 8, 11)));
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
