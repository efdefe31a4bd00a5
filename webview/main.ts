// The diagram app: renders the host's snapshots, pans and zooms, toggles layers, asks the host to
// reveal a clicked box or simulate a failure, and exports SVG/PNG. Browser code only.
// zod-config must stay the first import (see there).
import './zod-config';
import { DEFAULT_HIDDEN_LAYERS, diagramSvg, HEADER_HEIGHT, relatedTo, renderDiagram, type DetailLevel } from '../src/core/diagram/render';
import { THEME_VARIABLES } from '../src/core/diagram/style';
import type { DiagramDecorations } from '../src/core/diagram/types';
import type { TopologyLayer } from '../src/core/topology';
import { hostToWebview, parseMessage, scenarioSchema, type SnapshotMessage, type WebviewState } from '../src/protocol/diagram-messages';
import { toDom } from './dom';
import { connectHost, type Host } from './host';

const LAYERS: { id: TopologyLayer; label: string; title: string }[] = [
  { id: 'network', label: 'Network', title: 'Show or hide the network edges (attachments, load balancers, ACLs)' },
  { id: 'iam', label: 'Keys & secrets', title: 'Show every key-use, API-key and endpoint edge (otherwise only the selected box\'s)' },
  { id: 'dr', label: 'Backups', title: 'Show every backup and cross-region copy edge (otherwise only the selected box\'s)' },
];

/** Zoom from which each project shows its resources; below it a project is a card. */
export const FULL_DETAIL_ZOOM = 0.85;
/** One zoom step (buttons and keys). */
const STEP = 1.25;

interface View { k: number; x: number; y: number }

class DiagramApp {
  private snapshot: SnapshotMessage | undefined;
  private state: WebviewState;
  private view: View | undefined;
  private svg: SVGSVGElement | undefined;
  private viewport: SVGGElement | undefined;
  private dropped = 0;
  /** What the drawn SVG was rendered for: the level of detail and the zoom bucket of its card text. */
  private drawn: { detail: DetailLevel; bucket: number } | undefined;
  private pending = 0;
  private readonly canvas: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly scenarioSelect: HTMLSelectElement;
  private readonly layerButtons = new Map<TopologyLayer, HTMLButtonElement>();

  constructor(private readonly host: Host, root: HTMLElement) {
    this.state = host.getState();
    this.view = this.state.view;
    const toolbar = el('div', 'lz-toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.append(
      button('Fit', 'Fit the diagram to the panel (0)', () => this.fit()),
      button('+', 'Zoom in (+)', () => this.zoomBy(STEP)),
      button('−', 'Zoom out (-)', () => this.zoomBy(1 / STEP)),
      separator(),
    );
    for (const layer of LAYERS) {
      const b = button(layer.label, layer.title, () => this.toggleLayer(layer.id));
      b.classList.add('lz-toggle');
      this.layerButtons.set(layer.id, b);
      toolbar.append(b);
    }
    toolbar.append(separator());
    const label = el('label', 'lz-label');
    label.textContent = 'Simulate failure ';
    this.scenarioSelect = document.createElement('select');
    this.scenarioSelect.className = 'lz-select';
    this.scenarioSelect.addEventListener('change', () => this.simulate(this.scenarioSelect.value));
    label.append(this.scenarioSelect);
    toolbar.append(label, separator(),
      button('Export SVG', 'Save the diagram as an SVG file', () => this.exportSvg()),
      button('Export PNG', 'Save the diagram as a PNG image', () => void this.exportPng()));
    this.status = el('span', 'lz-status');
    this.status.setAttribute('aria-live', 'polite');
    toolbar.append(this.status);
    this.canvas = el('div', 'lz-canvas');
    this.canvas.tabIndex = 0;
    this.canvas.textContent = 'Waiting for the landing zone…';
    root.append(toolbar, this.canvas);
    this.updateLayerButtons();
    this.installPanZoom();
    host.onMessage((data) => this.receive(data));
    window.addEventListener('resize', () => { if (!this.state.view) this.fit(); });
    host.post({ type: 'ready' });
    // the host forgets the simulation across reloads; the webview's state remembers it
    if (this.state.scenario) host.post({ type: 'simulate', scenario: this.state.scenario });
  }

  private receive(data: unknown): void {
    const message = parseMessage(hostToWebview, data);
    if (!message) {
      this.dropped++;
      console.debug(`landing-zone diagram: dropped an invalid message (${this.dropped} so far)`);
      return;
    }
    if (this.snapshot && message.seq < this.snapshot.seq) return; // a late, older snapshot
    this.snapshot = message;
    this.state.documentUri = message.documentUri;
    this.render();
  }

  private hiddenLayers(): TopologyLayer[] {
    return this.state.hiddenLayers ?? [...DEFAULT_HIDDEN_LAYERS];
  }

  private decorations(): DiagramDecorations {
    const s = this.snapshot!;
    return { ...s.decorations, hiddenLayers: this.hiddenLayers(), ...(this.state.selected ? { selected: this.state.selected } : {}) };
  }

  /** The level of detail and card-text bucket for a zoom: the picture is drawn again when either changes. */
  private lod(k: number): { detail: DetailLevel; bucket: number } {
    const detail: DetailLevel = k >= FULL_DETAIL_ZOOM ? 'full' : 'overview';
    return { detail, bucket: detail === 'full' ? 0 : Math.round(Math.log(k) / Math.log(STEP)) };
  }

  private render(): void {
    const s = this.snapshot;
    if (!s) return;
    if (!this.view) this.view = this.fittedView();
    const lod = this.lod(this.view?.k ?? 1);
    const focused = (document.activeElement as Element | null)?.getAttribute?.('data-id');
    const scene = renderDiagram(s.layout, this.decorations(), { detail: lod.detail, zoom: STEP ** lod.bucket });
    const svg = toDom(scene) as SVGSVGElement;
    svg.removeAttribute('viewBox');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    svg.querySelector('.lz-bg')?.remove(); // the page background is the editor's
    for (const n of svg.querySelectorAll<SVGGElement>('.lz-node, .lz-group-head')) {
      n.setAttribute('tabindex', '0');
      n.setAttribute('role', 'button');
    }
    this.canvas.replaceChildren(svg);
    this.svg = svg;
    this.drawn = lod;
    this.viewport = svg.querySelector<SVGGElement>('.lz-viewport') ?? undefined;
    this.applyView();
    if (focused) svg.querySelector<SVGGElement>(`[data-id="${CSS.escape(focused)}"][tabindex]`)?.focus({ preventScroll: true });
    this.updateScenarioSelect();
    const c = s.counts;
    const parts = [`${s.layout.groups.filter((g) => g.kind === 'project').length} projects`];
    if (c.errors || c.warnings) parts.push(`${c.errors} errors, ${c.warnings} warnings`);
    if (s.stale) parts.push('the file has errors: showing its last valid diagram');
    this.status.textContent = parts.join(' · ');
    this.status.classList.toggle('lz-stale', s.stale);
    if (s.decorations.highlighted) this.scrollIntoView(s.decorations.highlighted);
    this.save();
  }

  private updateScenarioSelect(): void {
    const s = this.snapshot!;
    const current = s.scenario ? `${s.scenario.kind}:${s.scenario.kind === 'zone' ? s.scenario.zone : s.scenario.region}` : '';
    const options: [string, string][] = [['', 'none'],
      ...s.choices.zones.map((z): [string, string] => [`zone:${z}`, `zone ${z}`]),
      ...s.choices.regions.map((r): [string, string] => [`region:${r}`, `region ${r}`])];
    this.scenarioSelect.replaceChildren(...options.map(([value, text]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      return o;
    }));
    this.scenarioSelect.value = options.some(([v]) => v === current) ? current : '';
  }

  private simulate(value: string): void {
    const [kind, name] = value.split(':');
    const scenario = parseMessage(scenarioSchema, kind === 'zone' ? { kind, zone: name } : kind === 'region' ? { kind, region: name } : undefined);
    this.state.scenario = scenario;
    this.save();
    this.host.post({ type: 'simulate', scenario: scenario ?? null });
  }

  private toggleLayer(layer: TopologyLayer): void {
    const hidden = new Set(this.hiddenLayers());
    if (hidden.has(layer)) hidden.delete(layer);
    else hidden.add(layer);
    this.state.hiddenLayers = [...hidden];
    this.svg?.classList.toggle(`lz-hide-${layer}`, hidden.has(layer));
    this.updateLayerButtons();
    this.save();
  }

  private updateLayerButtons(): void {
    const hidden = new Set(this.hiddenLayers());
    for (const [layer, b] of this.layerButtons) b.setAttribute('aria-pressed', String(!hidden.has(layer)));
  }

  private select(id: string): void {
    const s = this.snapshot;
    if (!s) return;
    const target = s.layout.nodes.find((n) => n.id === id) ?? s.layout.groups.find((g) => g.id === id);
    if (!target) return;
    this.state.selected = id;
    // in place (a redraw would lose a double-click): the selection's own edges show, what it
    // depends on and what depends on it stand out, the rest is dimmed
    const related = relatedTo(s.layout, id);
    this.svg?.classList.toggle('lz-has-selection', related.nodes.size > 0);
    for (const e of this.svg?.querySelectorAll('.lz-node, .lz-group, .lz-edge') ?? []) {
      const eid = e.getAttribute('data-id') ?? '';
      e.classList.toggle('lz-selected', eid === id && !e.classList.contains('lz-edge'));
      e.classList.toggle('lz-related', e.classList.contains('lz-edge') ? related.edges.has(eid) : related.nodes.has(eid) && eid !== id);
    }
    this.save();
    if (target.range) this.host.post({ type: 'reveal', nodeId: id, range: target.range });
  }

  private scrollIntoView(id: string): void {
    const n = this.boxOf(id);
    if (!n || !this.view) return;
    const r = this.canvas.getBoundingClientRect();
    const x = this.view.x + n.x * this.view.k;
    const y = this.view.y + (n.y + HEADER_HEIGHT) * this.view.k;
    if (x >= 0 && y >= 0 && x + n.width * this.view.k <= r.width && y + n.height * this.view.k <= r.height) return;
    this.view = { k: this.view.k, x: r.width / 2 - (n.x + n.width / 2) * this.view.k, y: r.height / 2 - (n.y + HEADER_HEIGHT + n.height / 2) * this.view.k };
    this.applyView();
  }

  // --- pan and zoom -------------------------------------------------------------------------

  /** The view that shows the whole diagram in the panel. */
  private fittedView(): View | undefined {
    const s = this.snapshot;
    if (!s) return undefined;
    const r = this.canvas.getBoundingClientRect();
    const w = Math.max(s.layout.width, 960);
    const h = s.layout.height + HEADER_HEIGHT;
    const k = Math.max(0.02, Math.min(2, Math.min((r.width - 16) / w, (r.height - 16) / h)));
    return { k, x: (r.width - w * k) / 2, y: Math.max(8, (r.height - h * k) / 2) };
  }

  private fit(): void {
    const v = this.fittedView();
    if (!v) return;
    this.view = v;
    this.state.view = undefined; // "fitted" is remembered as no explicit view
    this.applyView();
    this.save();
  }

  /** Zooms so that a box fills most of the panel (double-click, Enter on a card). */
  private zoomTo(box: { x: number; y: number; width: number; height: number }): void {
    const r = this.canvas.getBoundingClientRect();
    const k = Math.max(FULL_DETAIL_ZOOM, Math.min(2, Math.min((r.width - 48) / box.width, (r.height - 48) / box.height)));
    this.view = { k, x: r.width / 2 - (box.x + box.width / 2) * k, y: r.height / 2 - (box.y + HEADER_HEIGHT + box.height / 2) * k };
    this.state.view = this.view;
    this.applyView();
    this.save();
  }

  private zoomBy(factor: number, cx?: number, cy?: number): void {
    if (!this.view) return;
    const r = this.canvas.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = Math.max(0.02, Math.min(8, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { k, x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f };
    this.state.view = this.view;
    this.applyView();
    this.save();
  }

  private applyView(): void {
    if (this.viewport && this.view) this.viewport.setAttribute('transform', `translate(${this.view.x.toFixed(1)},${this.view.y.toFixed(1)}) scale(${this.view.k.toFixed(4)})`);
    // crossing into another level of detail (or card-text size) draws the picture again, once per frame
    if (this.view && this.drawn && !this.pending) {
      const want = this.lod(this.view.k);
      if (want.detail !== this.drawn.detail || want.bucket !== this.drawn.bucket) {
        this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
      }
    }
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      if (!this.view || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag || !this.view) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.view = { k: this.view.k, x: drag.vx + dx, y: drag.vy + dy };
      this.applyView();
    });
    this.canvas.addEventListener('pointerup', (e) => {
      const wasDrag = drag?.moved;
      drag = undefined;
      if (wasDrag) { this.state.view = this.view; this.save(); return; }
      const hit = (e.target as Element | null)?.closest?.('.lz-node, .lz-group-head');
      const id = hit?.getAttribute('data-id');
      if (id) this.select(id);
    });
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = this.canvas.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    this.canvas.addEventListener('dblclick', (e) => {
      const id = (e.target as Element | null)?.closest?.('.lz-node, .lz-group-head')?.getAttribute('data-id');
      const box = id ? this.boxOf(id) : undefined;
      if (box) this.zoomTo(box);
    });
    this.canvas.addEventListener('keydown', (e) => {
      const target = e.target as Element;
      const id = target.getAttribute?.('data-id');
      if ((e.key === 'Enter' || e.key === ' ') && id) {
        e.preventDefault();
        // on a card, Enter also zooms in to the project's resources
        const card = this.drawn?.detail === 'overview' ? this.boxOf(id) : undefined;
        this.select(id);
        if (card) this.zoomTo(card);
      } else if (e.key.startsWith('Arrow')) {
        e.preventDefault();
        this.moveFocus(id ?? undefined, e.key.slice(5).toLowerCase() as 'up' | 'down' | 'left' | 'right');
      } else if (e.key === '+' || e.key === '=') this.zoomBy(STEP);
      else if (e.key === '-') this.zoomBy(1 / STEP);
      else if (e.key === '0') this.fit();
    });
  }

  private boxOf(id: string): { x: number; y: number; width: number; height: number } | undefined {
    return this.snapshot?.layout.nodes.find((n) => n.id === id) ?? this.snapshot?.layout.groups.find((g) => g.id === id);
  }

  /** Arrow keys: focus the nearest box in that direction (by the boxes' centres). */
  private moveFocus(from: string | undefined, dir: 'up' | 'down' | 'left' | 'right'): void {
    const focusable = [...(this.svg?.querySelectorAll<SVGGElement>('[tabindex][data-id]') ?? [])];
    if (focusable.length === 0) return;
    const at = from ? this.boxOf(from) : undefined;
    if (!at) { focusable[0]!.focus(); return; }
    const cx = at.x + at.width / 2;
    const cy = at.y + at.height / 2;
    let best: { el: SVGGElement; score: number } | undefined;
    for (const el of focusable) {
      const id = el.getAttribute('data-id')!;
      if (id === from) continue;
      const b = this.boxOf(id);
      if (!b) continue;
      const dx = b.x + b.width / 2 - cx;
      const dy = b.y + b.height / 2 - cy;
      const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
      const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
      if (along <= 1) continue;
      const score = along + 2 * across;
      if (!best || score < best.score) best = { el, score };
    }
    if (!best) return;
    best.el.focus();
    const id = best.el.getAttribute('data-id')!;
    this.scrollIntoView(id);
  }

  // --- export -------------------------------------------------------------------------------

  /** A standalone SVG with the current theme's colours pinned, so the file looks like the panel. */
  private standaloneSvg(): string | undefined {
    const s = this.snapshot;
    if (!s) return undefined;
    const style = getComputedStyle(document.documentElement);
    const themeValues: Record<string, string> = {};
    for (const name of Object.keys(THEME_VARIABLES)) {
      const value = style.getPropertyValue(name).trim();
      if (value) themeValues[name] = value;
    }
    return diagramSvg(s.layout, this.decorations(), { themeValues, detail: this.drawn?.detail ?? 'full' });
  }

  private exportSvg(): void {
    const svg = this.standaloneSvg();
    if (svg) this.host.post({ type: 'export', format: 'svg', data: svg });
  }

  private async exportPng(): Promise<void> {
    const svg = this.standaloneSvg();
    const s = this.snapshot;
    if (!svg || !s) return;
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      await new Promise<void>((resolve, reject) => { img.onload = () => resolve(); img.onerror = () => reject(new Error('the SVG did not load as an image')); img.src = url; });
      const w = Math.max(s.layout.width, 960);
      const h = s.layout.height + HEADER_HEIGHT;
      // 2× for crisp text, within the canvas size limits of browsers
      const scale = Math.min(2, 16000 / w, 16000 / h);
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      const data = canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
      this.host.post({ type: 'export', format: 'png', data });
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  private save(): void {
    this.host.setState({ ...this.state });
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'lz-button');
  b.type = 'button';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function separator(): HTMLSpanElement {
  return el('span', 'lz-sep');
}

const root = document.getElementById('app');
if (root) new DiagramApp(connectHost(), root);
