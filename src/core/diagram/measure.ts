import { textWidth, type SvgElement } from './render';
import type { DiagramLayout, Point } from './types';

/*
 * What a picture looks like, in numbers: how much of the canvas the projects cover, how long the
 * edges run against the canvas, and whether any label sticks out of its box or lies on another.
 * Computed on the layout and on the rendered element tree (text widths by the estimate the
 * renderer shortens with), so the bench, the CLI's tests and the Chromium tests hold the same figures.
 */

export interface LayoutFigures {
  canvas: [number, number];
  /** Area of the project (and pseudo-group) boxes over the canvas area. */
  contentFill: number;
  /** The longest edge, and the longest ACL edge, over half the canvas diagonal. */
  longestEdgeVsHalfDiagonal: number;
  longestAclEdgeVsHalfDiagonal: number;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const length = (pts: Point[]) => pts.slice(1).reduce((n, p, i) => n + Math.hypot(p.x - pts[i]!.x, p.y - pts[i]!.y), 0);

export function layoutFigures(l: DiagramLayout): LayoutFigures {
  const half = Math.hypot(l.width, l.height) / 2;
  return {
    canvas: [Math.round(l.width), Math.round(l.height)],
    contentFill: round(l.groups.reduce((n, g) => n + g.width * g.height, 0) / (l.width * l.height)),
    longestEdgeVsHalfDiagonal: round(Math.max(0, ...l.edges.map((e) => length(e.points))) / half),
    longestAclEdgeVsHalfDiagonal: round(Math.max(0, ...l.edges.filter((e) => e.kind === 'acl').map((e) => length(e.points))) / half),
  };
}

/** Font size and weight of each text class the renderer uses. */
const FONTS: Record<string, [number, boolean]> = {
  'lz-node-label': [12, true], 'lz-node-detail': [11, false], 'lz-group-title': [13, true], 'lz-group-sub': [11, false],
  'lz-card-title': [13, true], 'lz-card-text': [12, false], 'lz-badge-text': [10, true], 'lz-unmanaged-text': [10, true],
  'lz-title': [16, true], 'lz-legend-text': [11, false], 'lz-legend-strong': [11, true], 'lz-chip-text': [12, true], 'lz-section-title': [13, true],
};

export interface LabelFigures {
  /** Texts drawn in the diagram's body. */
  labels: number;
  /** Texts whose box sticks out of the box that holds them (a resource, a project, a card, a chip). */
  clipped: string[];
  /** Pairs of texts that overlap. */
  overlaps: string[];
  /** The smallest project name, in px of the picture as rendered (before any zoom of the viewer). */
  minNamePx: number;
}

interface Affine { tx: number; ty: number; k: number }
interface Rect { x0: number; y0: number; x1: number; y1: number }

function parseTransform(t: string | undefined, a: Affine): Affine {
  if (!t) return a;
  let out = a;
  for (const m of t.matchAll(/(translate|scale)\(([^)]*)\)/g)) {
    const v = m[2]!.split(/[ ,]+/).filter(Boolean).map(Number);
    if (m[1] === 'translate') out = { tx: out.tx + out.k * (v[0] ?? 0), ty: out.ty + out.k * (v[1] ?? 0), k: out.k };
    else out = { ...out, k: out.k * (v[0] ?? 1) };
  }
  return out;
}

/** Labels in the body of a rendered diagram: clipped ones, overlapping pairs, the smallest name. */
export function labelFigures(root: SvgElement): LabelFigures {
  const texts: { r: Rect; text: string }[] = [];
  const clipped: string[] = [];
  let minNamePx = Infinity;
  const holderRect = (e: SvgElement, a: Affine): Rect | undefined => {
    const box = e.children.find((c): c is SvgElement => typeof c !== 'string' && c.tag === 'rect' && /\blz-(node-box|group-box|chip-box)\b/.test(c.attrs.class ?? ''));
    if (!box) return undefined;
    const x = Number(box.attrs.x ?? 0); const y = Number(box.attrs.y ?? 0);
    return { x0: a.tx + a.k * x, y0: a.ty + a.k * y, x1: a.tx + a.k * (x + Number(box.attrs.width)), y1: a.ty + a.k * (y + Number(box.attrs.height)) };
  };
  const walk = (e: SvgElement, a: Affine, inBody: boolean, holder: Rect | undefined, inBadge: boolean) => {
    const at = parseTransform(e.attrs.transform, a);
    const cls = e.attrs.class ?? '';
    const body = inBody || /\blz-body\b/.test(cls);
    const hold = /\blz-(node|group|chip)\b/.test(cls) ? holderRect(e, at) ?? holder : holder;
    const badge = inBadge || /\blz-(badge|unmanaged)\b/.test(cls);
    if (e.tag === 'text' && body) {
      const text = e.children.filter((c): c is string => typeof c === 'string').join('');
      const font = Object.entries(FONTS).find(([c]) => cls.split(/\s+/).includes(c))?.[1] ?? [12, false];
      const px = font[0] * at.k;
      const w = textWidth(text, px, font[1]);
      let x = at.tx + at.k * Number(e.attrs.x ?? 0);
      const y = at.ty + at.k * Number(e.attrs.y ?? 0);
      if (e.attrs['text-anchor'] === 'middle') x -= w / 2;
      else if (e.attrs['text-anchor'] === 'end') x -= w;
      // from the ascender to the descender of DejaVu Sans
      const r = { x0: x, y0: y - 0.76 * px, x1: x + w, y1: y + 0.24 * px };
      if (/\blz-(card-title|group-title|chip-text)\b/.test(cls)) minNamePx = Math.min(minNamePx, px);
      if (!badge) {
        if (hold && (r.x0 < hold.x0 - 0.5 || r.x1 > hold.x1 + 0.5 || r.y0 < hold.y0 - 0.5 || r.y1 > hold.y1 + 0.5)) clipped.push(text);
        texts.push({ r, text });
      }
    }
    for (const c of e.children) if (typeof c !== 'string') walk(c, at, body, hold, badge);
  };
  walk(root, { tx: 0, ty: 0, k: 1 }, false, undefined, false);
  const overlaps: string[] = [];
  texts.sort((p, q) => p.r.x0 - q.r.x0);
  for (let i = 0; i < texts.length; i++) {
    const a = texts[i]!.r;
    for (let j = i + 1; j < texts.length && texts[j]!.r.x0 < a.x1 - 0.5; j++) {
      const b = texts[j]!.r;
      if (a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) overlaps.push(`${texts[i]!.text} / ${texts[j]!.text}`);
    }
  }
  return { labels: texts.length, clipped, overlaps, minNamePx: minNamePx === Infinity ? 0 : round(minNamePx, 1) };
}
