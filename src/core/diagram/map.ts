import type { ProjectRole } from '../schema';
import { ICONS, type IconName } from './icons';
import { cardFacts, shortenMiddle, standaloneCss, textWidth, type SvgChild, type SvgElement } from './render';
import type { Box, DiagramDecorations, DiagramGroup, DiagramLayout, DiagramNode } from './types';

/*
 * The overview of a large organisation: a map of project chips grouped by role. At the scale that
 * fits hundreds of projects in a panel, the arrangement's cards are a few pixels wide and hold no
 * name; the map gives every project a chip just wide enough for its name at a size that reads
 * after one zoom step, sections in the order of the arrangement (hubs, monitoring, shared,
 * environments, then the organisation-wide groups). Zooming in on a chip opens the project in the
 * arrangement (the webview does that); the CLI's `--detail overview` draws the same map.
 */

/** Beyond this many groups the overview is the map (cards hold readable names up to about 60 projects in a half-width panel). */
const MAP_THRESHOLD = 60;

export const useMap = (layout: DiagramLayout): boolean => layout.groups.length > MAP_THRESHOLD;

export interface MapChip extends Box {
  id: string;
  group: DiagramGroup;
}

export interface MapSection extends Box {
  title: string;
  chips: MapChip[];
}

export interface DiagramMap {
  width: number;
  height: number;
  sections: MapSection[];
}

const CHIP_PX = 12;
const CHIP_H = 19;
const CHIP_PAD = 5;
/** Room for one state icon (drift, DR, findings) beside the name. */
const MARK_W = 15;
const GAP = 4;
const SECTION_HEAD = 22;
const SECTION_GAP = 12;
const MARGIN = 12;
const MAX_CHIP_W = 200;

const ROLE_TITLE: Record<ProjectRole, string> = { security: 'security', devops: 'devops', monitoring: 'monitoring', shared: 'shared services', environment: 'environments' };
// the centre first (hubs, organisation-wide), then the spokes by role; sections of one row share a band
const ORDER: (ProjectRole | 'hubs' | 'organisation')[] = ['hubs', 'organisation', 'security', 'devops', 'monitoring', 'shared', 'environment'];
const TITLE_PX = 13;
const BAND_GAP = 24;

/**
 * The map's geometry. Every chip has the width of the longest name (up to a cap: longer names are
 * shortened in the middle), all sections share the same columns, and the number of columns makes
 * the map about as wide as `aspect` (the panel's width over height) asks.
 */
export function diagramMap(layout: DiagramLayout, aspect = 1): DiagramMap {
  const bySection = new Map<string, DiagramGroup[]>();
  for (const g of layout.groups) {
    const key = g.kind !== 'project' ? 'organisation' : g.hub ? 'hubs' : g.role ?? 'environment';
    let list = bySection.get(key);
    if (!list) bySection.set(key, (list = []));
    list.push(g);
  }
  const keys = ORDER.filter((k) => bySection.has(k));
  // a chip is as wide as most names and one state icon (nine in ten fit); a longer name gets a wider chip
  const need = (g: DiagramGroup) => Math.ceil(textWidth(g.label, CHIP_PX, true) + 2 * CHIP_PAD + MARK_W);
  const widths = layout.groups.filter((g) => g.kind === 'project').map(need).sort((a, b) => a - b);
  const chipW = Math.min(MAX_CHIP_W, widths[Math.floor(widths.length * 0.9)] ?? 60);
  const ownW = (g: DiagramGroup) => Math.min(MAX_CHIP_W * 1.5, Math.max(chipW, need(g)));
  const widthFor = (cols: number) => Math.max(cols * (chipW + GAP) - GAP + 2 * MARGIN, 240);
  /**
   * Chips flow left to right in each section and wrap at the map's width. Sections that fit on one
   * row beside the previous one (hubs, organisation-wide, a lone monitoring project) share its band.
   */
  const flow = (cols: number, emit?: (s: MapSection) => void): number => {
    const right = widthFor(cols) - MARGIN;
    let y = MARGIN;
    let band: { x: number; height: number } | undefined;
    for (const k of keys) {
      const groups = bySection.get(k)!;
      const title = k === 'hubs' ? `hubs · ${groups.length}` : k === 'organisation' ? 'organisation-wide' : `${ROLE_TITLE[k as ProjectRole]} · ${groups.length} project${groups.length === 1 ? '' : 's'}`;
      const rowW = groups.reduce((n, g) => n + ownW(g) + GAP, -GAP);
      const w = Math.max(rowW, textWidth(title, TITLE_PX, true));
      const x0 = band && band.x + BAND_GAP + w <= right + 0.5 ? band.x + BAND_GAP : MARGIN;
      if (x0 === MARGIN && band) { y += band.height + GAP + SECTION_GAP; band = undefined; }
      let cx = x0;
      let row = 0;
      const chips = groups.map((g) => {
        const cw = ownW(g);
        if (cx > x0 && cx + cw > right + 0.5) { cx = x0; row++; }
        const c = { id: g.id, group: g, x: cx, y: y + SECTION_HEAD + row * (CHIP_H + GAP), width: cw, height: CHIP_H };
        cx += cw + GAP;
        return c;
      });
      const height = SECTION_HEAD + (row + 1) * (CHIP_H + GAP) - GAP;
      emit?.({ title, chips, x: x0, y, width: row === 0 ? w : right - x0, height });
      band = row === 0 ? { x: x0 + w, height: Math.max(band?.height ?? 0, height) } : { x: right, height };
    }
    return y + (band?.height ?? 0) + MARGIN;
  };
  let cols = 1;
  let best = Infinity;
  for (let c = 1; c <= Math.max(1, layout.groups.length); c++) {
    const score = Math.abs(Math.log(widthFor(c) / flow(c) / Math.max(0.2, aspect)));
    if (score < best - 1e-9) { best = score; cols = c; }
  }
  const sections: MapSection[] = [];
  const height = flow(cols, (x) => sections.push(x));
  return { width: widthFor(cols), height, sections };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const el = (tag: string, attrs: Record<string, string | number | undefined>, ...children: SvgChild[]): SvgElement => {
  const a: Record<string, string> = {};
  for (const [k, val] of Object.entries(attrs)) if (val !== undefined) a[k] = typeof val === 'number' ? fmt(val) : val;
  return { tag, attrs: a, children };
};
function icon(name: IconName, x: number, y: number, cls: string, size = 14): SvgElement {
  return el('g', { class: cls, transform: `translate(${fmt(x)},${fmt(y)}) scale(${fmt(size / 16)})` }, ...ICONS[name].map((p) => el('path', { d: p.d, 'fill-rule': p.evenOdd ? 'evenodd' : undefined })));
}

export interface MapRenderOptions {
  standalone?: boolean;
  themeValues?: Record<string, string>;
}

/** The map as an SVG element tree, in the structure `renderDiagram` gives (root, viewport, body). */
export function renderMap(layout: DiagramLayout, map: DiagramMap, deco: DiagramDecorations = {}, options: MapRenderOptions = {}): SvgElement {
  const root = el('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${fmt(map.width)} ${fmt(map.height)}`, width: map.width, height: map.height, class: 'lz-diagram lz-detail-overview lz-map', role: 'group', 'aria-label': deco.title ? `Map of the landing zone of ${deco.title}, projects by role` : 'Map of the landing zone, projects by role' });
  if (options.standalone) root.children.push(el('style', {}, standaloneCss(options.themeValues)));
  root.children.push(el('rect', { class: 'lz-bg', x: 0, y: 0, width: map.width, height: map.height }));
  const viewport = el('g', { class: 'lz-viewport' });
  const body = el('g', { class: 'lz-body' });
  root.children.push(viewport);
  viewport.children.push(body);
  const byGroup = new Map<string, DiagramNode[]>();
  for (const n of layout.nodes) { let l = byGroup.get(n.group); if (!l) byGroup.set(n.group, (l = [])); l.push(n); }
  for (const s of map.sections) {
    body.children.push(el('text', { class: 'lz-section-title', x: s.x, y: s.y + 15 }, s.title));
    for (const c of s.chips) body.children.push(chip(c, byGroup.get(c.id) ?? [], layout, deco));
  }
  return root;
}

function chip(c: MapChip, nodes: DiagramNode[], layout: DiagramLayout, deco: DiagramDecorations): SvgElement {
  const g = c.group;
  const facts = cardFacts(g, nodes, layout, deco);
  // states that colour alone would tell get an icon each: drift, no recovery path, findings
  const marks: { icon: IconName; cls: string }[] = [];
  if (facts.drift && facts.drift.icon !== 'pass') marks.push(facts.drift);
  if (facts.dr && facts.dr.icon !== 'pass' && facts.dr.icon !== 'history') marks.push(facts.dr);
  if (facts.findings && facts.findings.severity !== 'info') marks.push({ icon: facts.findings.severity === 'error' ? 'error' : 'warning', cls: facts.findings.severity === 'error' ? 'lz-badge-error' : 'lz-badge-warning-icon' });
  const cls = ['lz-chip', g.hub ? 'lz-hub' : '', g.kind !== 'project' ? 'lz-pseudo' : '', deco.selected === g.id ? 'lz-selected' : ''].filter(Boolean).join(' ');
  const label = [`${g.kind === 'project' ? 'project' : g.kind === 'iam' ? 'IAM' : 'DR site'} ${g.label}`, facts.sub, facts.counts, facts.drift ? `drift: ${facts.drift.text}` : '', facts.dr ? `DR: ${facts.dr.text}` : '', facts.findings ? `${facts.findings.count} finding(s)` : ''].filter(Boolean).join(', ');
  const room = c.width - 2 * CHIP_PAD - marks.length * MARK_W;
  const out = el('g', { class: cls, 'data-id': g.id, 'aria-label': label },
    el('title', {}, label),
    el('rect', { class: 'lz-chip-box', x: c.x, y: c.y, width: c.width, height: c.height, rx: 4 }),
    el('text', { class: 'lz-chip-text', x: c.x + CHIP_PAD, y: c.y + 13.5 }, shortenMiddle(g.label, room, CHIP_PX, true)));
  marks.forEach((m, i) => out.children.push(icon(m.icon, c.x + c.width - CHIP_PAD - 13 - i * MARK_W, c.y + 3, m.cls, 13)));
  return out;
}
