// The diagram app: renders the host's snapshots, pans and zooms, toggles layers, asks the host to
// reveal a clicked box or simulate a failure, and exports SVG/PNG. Browser code only.
// zod-config must stay the first import (see there).
import './zod-config';
import { diagramMap, renderMap, useMap, type DiagramMap } from '../src/core/diagram/map';
import { DEFAULT_HIDDEN_LAYERS, diagramSvg, HEADER_HEIGHT, relatedTo, renderDiagram, toSvgString, type DetailLevel } from '../src/core/diagram/render';
import { changedBoxes, REVIEW_MARK, reviewLegendItems } from '../src/core/diagram/review-text';
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
/** A large organisation's map opens the project under the pointer when zoomed in this far beyond its fitted size. */
const MAP_OPEN_FACTOR = 3;
/** …and the arrangement gives way to the map when zoomed out below this (its cards no longer hold a name). */
const LAYOUT_MIN_ZOOM = 0.3;
/** A minimap from this many projects on. */
const MINIMAP_FROM = 21;
/** Zoom steps, fits and jumps are animated over this long (wheel and pinch follow the hand directly). */
const ANIMATE_MS = 160;

interface View { k: number; x: number; y: number }
type Box = { x: number; y: number; width: number; height: number };

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
  /** A large organisation is shown as a map of its projects until one is opened (useMap). */
  private mode: 'map' | 'layout' = 'layout';
  private map: DiagramMap | undefined;
  private mapAspect = 0;
  private animation = 0;
  private matches: string[] = [];
  private matchAt = -1;
  private readonly canvas: HTMLDivElement;
  private readonly search: HTMLInputElement;
  private readonly minimap: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  /** Plan mode: the plan's title, its legend with counts, and the way back to the live diagram. */
  private readonly planBar: HTMLDivElement;
  private readonly scenarioSelect: HTMLSelectElement;
  private readonly layerButtons = new Map<TopologyLayer, HTMLButtonElement>();

  constructor(private readonly host: Host, root: HTMLElement) {
    this.state = host.getState();
    this.view = this.state.view;
    const toolbar = el('div', 'lz-toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.append(
      button('Fit', 'Fit the diagram to the panel (0)', () => this.fit()),
      button('+', 'Zoom in (+)', () => this.zoomBy(STEP, undefined, undefined, true)),
      button('−', 'Zoom out (-)', () => this.zoomBy(1 / STEP, undefined, undefined, true)),
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
    this.search = document.createElement('input');
    this.search.type = 'search';
    this.search.className = 'lz-search';
    this.search.placeholder = 'Find…';
    this.search.title = 'Find a project or resource by name (Enter: next match, Escape: clear)';
    this.search.setAttribute('aria-label', 'Find a project or resource');
    this.search.addEventListener('input', () => this.find(this.search.value));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); this.nextMatch(e.shiftKey ? -1 : 1); }
      else if (e.key === 'Escape') { this.search.value = ''; this.find(''); }
    });
    toolbar.append(label, separator(), this.search, separator(),
      button('Export SVG', 'Save the diagram as an SVG file', () => this.exportSvg()),
      button('Export PNG', 'Save the diagram as a PNG image', () => void this.exportPng()));
    this.status = el('span', 'lz-status');
    this.status.setAttribute('aria-live', 'polite');
    toolbar.append(this.status);
    this.canvas = el('div', 'lz-canvas');
    this.canvas.tabIndex = 0;
    this.canvas.textContent = 'Waiting for the landing zone…';
    this.minimap = el('div', 'lz-minimap');
    this.minimap.hidden = true;
    this.minimap.title = 'Minimap: click or drag to move the view';
    this.minimap.setAttribute('aria-hidden', 'true');
    this.planBar = el('div', 'lz-plan-bar');
    this.planBar.hidden = true;
    this.planBar.setAttribute('role', 'region');
    this.planBar.setAttribute('aria-label', 'Plan on the diagram');
    const stage = el('div', 'lz-stage');
    stage.append(this.canvas, this.minimap);
    root.append(toolbar, this.planBar, stage);
    this.installMinimap();
    this.updateLayerButtons();
    this.installPanZoom();
    host.onMessage((data) => this.receive(data));
    window.addEventListener('resize', () => {
      if (this.mode === 'map') { this.render(); this.fit(); } else if (!this.state.view) this.fit();
      if (this.viewportTimer) clearTimeout(this.viewportTimer);
      this.viewportTimer = setTimeout(() => this.postViewport(), 200);
    });
    host.post({ type: 'ready' });
    this.postViewport();
    // the host forgets the simulation across reloads; the webview's state remembers it
    if (this.state.scenario) host.post({ type: 'simulate', scenario: this.state.scenario });
  }

  private viewportTimer: ReturnType<typeof setTimeout> | undefined;
  private viewportSent: { width: number; height: number } | undefined;

  /** The canvas's size, so that the host lays the projects out to the panel's shape (a change of shape of 10 % or more). */
  private postViewport(): void {
    const r = this.canvas.getBoundingClientRect();
    const width = Math.round(r.width);
    const height = Math.round(r.height);
    if (width < 1 || height < 1) return;
    const was = this.viewportSent;
    if (was && Math.abs(Math.log((width / height) / (was.width / was.height))) < 0.1) return;
    this.viewportSent = { width, height };
    this.host.post({ type: 'viewport', width, height });
  }

  private receive(data: unknown): void {
    const message = parseMessage(hostToWebview, data);
    if (!message) {
      this.dropped++;
      console.debug(`landing-zone diagram: dropped an invalid message (${this.dropped} so far)`);
      return;
    }
    if (this.snapshot && message.seq < this.snapshot.seq) return; // a late, older snapshot
    const first = !this.snapshot;
    this.snapshot = message;
    this.map = undefined;
    if (!useMap(message.layout)) this.mode = 'layout';
    // a large organisation opens on its map, unless the panel remembers a view of the arrangement
    else if (first && !this.state.view) { this.mode = 'map'; this.view = undefined; }
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
    let scene;
    let lod: { detail: DetailLevel; bucket: number };
    if (this.mode === 'map') {
      const map = this.currentMap();
      if (!this.view) this.view = this.fittedView();
      lod = { detail: 'overview', bucket: 0 };
      scene = renderMap(s.layout, map, this.decorations());
    } else {
      if (!this.view) this.view = this.fittedView();
      lod = this.lod(this.view?.k ?? 1);
      scene = renderDiagram(s.layout, this.decorations(), { detail: lod.detail, zoom: STEP ** lod.bucket });
    }
    const focused = (document.activeElement as Element | null)?.getAttribute?.('data-id');
    const svg = toDom(scene) as SVGSVGElement;
    svg.removeAttribute('viewBox');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    svg.querySelector('.lz-bg')?.remove(); // the page background is the editor's
    for (const n of svg.querySelectorAll<SVGGElement>('.lz-node, .lz-group-head, .lz-chip')) {
      n.setAttribute('tabindex', '0');
      n.setAttribute('role', 'button');
    }
    this.canvas.replaceChildren(svg);
    this.svg = svg;
    this.drawn = lod;
    this.viewport = svg.querySelector<SVGGElement>('.lz-viewport') ?? undefined;
    this.markMatches();
    this.drawMinimap();
    this.applyView();
    if (focused) svg.querySelector<SVGGElement>(`[data-id="${CSS.escape(focused)}"][tabindex]`)?.focus({ preventScroll: true });
    this.updateScenarioSelect();
    const c = s.counts;
    const parts = [`${s.layout.groups.filter((g) => g.kind === 'project').length} projects`];
    if (this.mode === 'map') parts.push('map: double-click to open');
    if (c.errors || c.warnings) parts.push(`${c.errors} errors, ${c.warnings} warnings`);
    if (s.stale) parts.push('the file has errors: showing its last valid diagram');
    if (this.matches.length > 0 || this.search.value) parts.push(`${this.matches.length} match${this.matches.length === 1 ? '' : 'es'}`);
    this.status.textContent = parts.join(' · ');
    this.updatePlanBar();
    this.status.classList.toggle('lz-stale', s.stale);
    if (s.decorations.highlighted && this.mode === 'layout') this.scrollIntoView(s.decorations.highlighted);
    this.save();
  }

  /** The map for the panel's current shape (computed again when the panel changes shape). */
  private currentMap(): DiagramMap {
    const r = this.canvas.getBoundingClientRect();
    const aspect = r.width > 0 && r.height > 0 ? r.width / r.height : 1;
    if (!this.map || Math.abs(Math.log(aspect / this.mapAspect)) > 0.05) {
      this.map = diagramMap(this.snapshot!.layout, aspect);
      this.mapAspect = aspect;
    }
    return this.map;
  }

  /** Size of what is drawn, and where the boxes start in it (the arrangement has its header band above). */
  private scene(): { width: number; height: number; top: number } {
    const s = this.snapshot!;
    if (this.mode === 'map') { const m = this.currentMap(); return { width: m.width, height: m.height, top: 0 }; }
    return { width: Math.max(s.layout.width, 960), height: s.layout.height + HEADER_HEIGHT, top: HEADER_HEIGHT };
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

  /**
   * The plan's legend above the canvas, in the panel's own text size at any zoom (the drawing's
   * legend is part of the full-detail picture only): each state with its swatch, its mark and its
   * count, and "Back to live diagram".
   */
  private updatePlanBar(): void {
    const review = this.snapshot?.decorations.review;
    this.planBar.hidden = !review;
    if (!review) { this.planBar.replaceChildren(); return; }
    const title = el('strong', 'lz-plan-title');
    title.textContent = review.title;
    const items = reviewLegendItems(review).map(({ state: st, text }) => {
      const item = el('span', 'lz-plan-item');
      item.dataset.state = st;
      const swatch = el('span', `lz-plan-swatch lz-plan-swatch-${st}`);
      swatch.textContent = REVIEW_MARK[st];
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, text);
      return item;
    });
    const hint = el('span', 'lz-plan-hint');
    const boxes = changedBoxes(review);
    hint.textContent = boxes === 0 ? 'nothing on the diagram changes' : `hover one of the ${boxes} coloured box${boxes === 1 ? '' : 'es'} for the fields that change`;
    const back = button('Back to live diagram', 'Leave plan mode and show the diagram of the file as it is', () => this.host.post({ type: 'leavePlan' }));
    back.classList.add('lz-plan-leave');
    this.planBar.replaceChildren(title, ...items, hint, back);
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
    for (const e of this.svg?.querySelectorAll('.lz-node, .lz-group, .lz-chip, .lz-edge') ?? []) {
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
    const top = this.scene().top;
    const x = this.view.x + n.x * this.view.k;
    const y = this.view.y + (n.y + top) * this.view.k;
    if (x >= 0 && y >= 0 && x + n.width * this.view.k <= r.width && y + n.height * this.view.k <= r.height) return;
    this.animateTo({ k: this.view.k, x: r.width / 2 - (n.x + n.width / 2) * this.view.k, y: r.height / 2 - (n.y + top + n.height / 2) * this.view.k });
  }

  // --- pan and zoom -------------------------------------------------------------------------

  /** The view that shows the whole diagram in the panel. */
  private fittedView(): View | undefined {
    const s = this.snapshot;
    if (!s) return undefined;
    const r = this.canvas.getBoundingClientRect();
    const { width: w, height: h, top } = this.scene();
    const fitK = (height: number) => Math.max(0.02, Math.min(2, Math.min((r.width - 16) / w, (r.height - 16) / height)));
    // cards need no legend, and the band above them would stay empty: fitted as cards, the boxes fill the panel alone
    const cards = fitK(h - top);
    if (this.mode === 'layout' && top > 0 && this.lod(cards).detail === 'overview') {
      return { k: cards, x: (r.width - w * cards) / 2, y: Math.max(8, (r.height - (h - top) * cards) / 2) - top * cards };
    }
    const k = fitK(h);
    return { k, x: (r.width - w * k) / 2, y: Math.max(8, (r.height - h * k) / 2) };
  }

  private fit(): void {
    if (this.snapshot && useMap(this.snapshot.layout) && this.mode !== 'map') {
      this.mode = 'map';
      this.view = undefined;
      this.render();
    }
    const v = this.fittedView();
    if (!v) return;
    this.state.view = undefined; // "fitted" is remembered as no explicit view
    this.animateTo(v);
    this.save();
  }

  /** Zooms so that a box fills most of the panel (double-click, Enter on a card, a search match). */
  private zoomTo(box: Box, minK = FULL_DETAIL_ZOOM, maxK = 2): void {
    const r = this.canvas.getBoundingClientRect();
    const top = this.scene().top;
    const k = Math.max(minK, Math.min(maxK, Math.min((r.width - 48) / box.width, (r.height - 48) / box.height)));
    const view = { k, x: r.width / 2 - (box.x + box.width / 2) * k, y: r.height / 2 - (box.y + top + box.height / 2) * k };
    if (this.mode === 'layout') this.state.view = view;
    this.animateTo(view);
    this.save();
  }

  /** From the map to the arrangement, zoomed to a project (or to a box in it). */
  private open(id: string): void {
    const s = this.snapshot;
    if (!s) return;
    const target = s.layout.nodes.find((n) => n.id === id) ?? s.layout.groups.find((g) => g.id === id);
    if (!target) return;
    if (this.mode === 'map') {
      this.mode = 'layout';
      // start where the chip was, at the zoom where cards read, so the jump is followed by the eye
      const r = this.canvas.getBoundingClientRect();
      const k = 0.5;
      this.view = { k, x: r.width / 2 - (target.x + target.width / 2) * k, y: r.height / 2 - (target.y + HEADER_HEIGHT + target.height / 2) * k };
      this.render();
    }
    // a project fills the panel; a resource is shown with what is around it
    if ('kind' in target && s.layout.nodes.includes(target as never)) this.zoomTo(target, FULL_DETAIL_ZOOM, 1.1);
    else this.zoomTo(target);
  }

  private zoomBy(factor: number, cx?: number, cy?: number, animate = false): void {
    if (!this.view) return;
    const r = this.canvas.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const from = this.target ?? this.view;
    const k = Math.max(0.02, Math.min(8, from.k * factor));
    const f = k / from.k;
    const view = { k, x: px - (px - from.x) * f, y: py - (py - from.y) * f };
    if (this.mode === 'map' && factor > 1) {
      const fitted = this.fittedView();
      if (fitted && k > fitted.k * MAP_OPEN_FACTOR) {
        // zoomed far into the map: open the project nearest the pointer
        const id = this.nearestChip((px - from.x) / from.k, (py - from.y) / from.k);
        if (id) { this.open(id); return; }
      }
    }
    if (this.mode === 'layout' && factor < 1 && k < LAYOUT_MIN_ZOOM && this.snapshot && useMap(this.snapshot.layout)) {
      this.fit();
      return;
    }
    if (this.mode === 'layout') this.state.view = view;
    if (animate) this.animateTo(view);
    else { this.stopAnimation(); this.view = view; this.applyView(); }
    this.save();
  }

  /** Where an animation is going (zoom steps add up from there). */
  private target: View | undefined;

  /** Moves the view to `to` over a short ease-out, a frame at a time. */
  private animateTo(to: View): void {
    this.stopAnimation();
    const from = this.view;
    if (!from || matchMedia('(prefers-reduced-motion: reduce)').matches) { this.view = to; this.applyView(); return; }
    const t0 = performance.now();
    this.target = to;
    this.canvas.dataset.animating = '1';
    const step = () => {
      const t = Math.min(1, (performance.now() - t0) / ANIMATE_MS);
      const e = 1 - (1 - t) ** 3;
      // zoom in log space, so the picture scales at an even pace
      const k = from.k * (to.k / from.k) ** e;
      const a = (to.k - k) / (to.k - from.k || 1);
      this.view = t >= 1 ? to : Math.abs(to.k - from.k) < 1e-9
        ? { k, x: from.x + (to.x - from.x) * e, y: from.y + (to.y - from.y) * e }
        : { k, x: to.x + (from.x - to.x) * a, y: to.y + (from.y - to.y) * a };
      this.applyView();
      if (t < 1) this.animation = requestAnimationFrame(step);
      else { this.animation = 0; this.target = undefined; delete this.canvas.dataset.animating; }
    };
    this.animation = requestAnimationFrame(step);
  }

  private stopAnimation(): void {
    if (this.animation) cancelAnimationFrame(this.animation);
    this.animation = 0;
    this.target = undefined;
    delete this.canvas.dataset.animating;
  }

  /** The map's chip nearest a point of the map. */
  private nearestChip(x: number, y: number): string | undefined {
    let best: { id: string; d: number } | undefined;
    for (const s of this.currentMap().sections) {
      for (const c of s.chips) {
        const d = Math.hypot(Math.max(c.x - x, 0, x - c.x - c.width), Math.max(c.y - y, 0, y - c.y - c.height));
        if (!best || d < best.d) best = { id: c.id, d };
      }
    }
    return best?.id;
  }

  private applyView(): void {
    if (this.viewport && this.view) this.viewport.setAttribute('transform', `translate(${this.view.x.toFixed(1)},${this.view.y.toFixed(1)}) scale(${this.view.k.toPrecision(6)})`);
    this.moveMinimapView();
    // crossing into another level of detail (or card-text size) draws the picture again, once per frame
    if (this.view && this.drawn && !this.pending && this.mode === 'layout') {
      const want = this.lod(this.view.k);
      if (want.detail !== this.drawn.detail || want.bucket !== this.drawn.bucket) {
        this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
      }
    }
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;
    // two fingers on a touch screen: pinch to zoom about their middle
    const touches = new Map<number, { x: number; y: number }>();
    let pinch: { d: number } | undefined;
    const spread = () => { const [a, b] = [...touches.values()]; return a && b ? { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : undefined; };
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'touch') {
        touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
        const sp = spread();
        if (sp) { pinch = { d: sp.d }; drag = undefined; return; }
      }
      if (!this.view || e.button !== 0) return;
      this.stopAnimation();
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (touches.has(e.pointerId)) touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pinch) {
        const sp = spread();
        if (sp && sp.d > 0 && pinch.d > 0) {
          const r = this.canvas.getBoundingClientRect();
          this.zoomBy(sp.d / pinch.d, sp.x - r.left, sp.y - r.top);
          pinch.d = sp.d;
        }
        return;
      }
      if (!drag || !this.view) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.view = { k: this.view.k, x: drag.vx + dx, y: drag.vy + dy };
      this.applyView();
    });
    const lift = (e: PointerEvent) => {
      touches.delete(e.pointerId);
      if (touches.size < 2) pinch = undefined;
    };
    this.canvas.addEventListener('pointercancel', lift);
    this.canvas.addEventListener('pointerup', (e) => {
      lift(e);
      const wasDrag = drag?.moved;
      drag = undefined;
      if (wasDrag) { if (this.mode === 'layout') this.state.view = this.view; this.save(); return; }
      const hit = (e.target as Element | null)?.closest?.('.lz-node, .lz-group-head, .lz-chip');
      const id = hit?.getAttribute('data-id');
      if (id) this.select(id);
    });
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = this.canvas.getBoundingClientRect();
      // a trackpad's pinch arrives as a wheel with ctrlKey and small deltas; lines and pages are scaled to pixels
      const px = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1);
      this.zoomBy(Math.exp(-px * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    this.canvas.addEventListener('dblclick', (e) => {
      const id = (e.target as Element | null)?.closest?.('.lz-node, .lz-group-head, .lz-chip')?.getAttribute('data-id');
      if (!id) return;
      if (this.mode === 'map') { this.open(id); return; }
      const box = this.boxOf(id);
      if (box) this.zoomTo(box);
    });
    this.canvas.addEventListener('keydown', (e) => {
      const target = e.target as Element;
      const id = target.getAttribute?.('data-id');
      if ((e.key === 'Enter' || e.key === ' ') && id) {
        e.preventDefault();
        this.select(id);
        // on a chip of the map, Enter opens the project; on a card, it zooms in to its resources
        if (this.mode === 'map') { this.open(id); return; }
        const card = this.drawn?.detail === 'overview' ? this.boxOf(id) : undefined;
        if (card) this.zoomTo(card);
      } else if (e.key.startsWith('Arrow')) {
        e.preventDefault();
        this.moveFocus(id ?? undefined, e.key.slice(5).toLowerCase() as 'up' | 'down' | 'left' | 'right');
      } else if (e.key === '+' || e.key === '=') this.zoomBy(STEP, undefined, undefined, true);
      else if (e.key === '-') this.zoomBy(1 / STEP, undefined, undefined, true);
      else if (e.key === '0') this.fit();
      else if (e.key === 'f' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.search.focus(); }
    });
  }

  /** Where a box is drawn now: a chip on the map, or the box in the arrangement. */
  private boxOf(id: string): Box | undefined {
    if (this.mode === 'map') {
      for (const s of this.currentMap().sections) { const c = s.chips.find((x) => x.id === id); if (c) return c; }
      return undefined;
    }
    return this.snapshot?.layout.nodes.find((n) => n.id === id) ?? this.snapshot?.layout.groups.find((g) => g.id === id);
  }

  // --- search ---------------------------------------------------------------------------------

  /** Every project and resource whose name, id or details contain the text (projects first). */
  private find(text: string): void {
    const s = this.snapshot;
    const q = text.trim().toLowerCase();
    this.matches = !s || !q ? [] : [
      ...s.layout.groups.filter((g) => g.label.toLowerCase().includes(q) || g.id.toLowerCase().includes(q)).map((g) => g.id),
      ...s.layout.nodes.filter((n) => n.label.toLowerCase().includes(q) || n.id.toLowerCase().includes(q) || (n.detail ?? '').toLowerCase().includes(q)).map((n) => n.id),
    ];
    this.matchAt = -1;
    this.markMatches();
    const projects = s?.layout.groups.filter((g) => g.kind === 'project').length ?? 0;
    this.status.textContent = q ? `${this.matches.length} match${this.matches.length === 1 ? '' : 'es'} for “${text.trim()}” · Enter shows the next` : `${projects} projects`;
  }

  private markMatches(): void {
    const set = new Set(this.matches);
    for (const e of this.svg?.querySelectorAll('.lz-node, .lz-chip, .lz-group') ?? []) e.classList.toggle('lz-match', set.has(e.getAttribute('data-id') ?? ''));
  }

  /** Reveals the next match: opens its project when it is a resource, zooms to it, selects it. */
  private nextMatch(dir: 1 | -1): void {
    if (this.matches.length === 0) return;
    this.matchAt = (this.matchAt + dir + this.matches.length) % this.matches.length;
    const id = this.matches[this.matchAt]!;
    const s = this.snapshot!;
    const isNode = s.layout.nodes.some((n) => n.id === id);
    if (this.mode === 'map' && isNode) this.open(id);
    else if (this.mode === 'map') {
      const chip = this.boxOf(id)!;
      const fitted = this.fittedView();
      this.zoomTo(chip, Math.min((fitted?.k ?? 1) * STEP * STEP, 2));
    } else {
      const box = this.boxOf(id);
      // a resource with what is around it, at the size its names read at
      if (box) this.zoomTo(box, isNode ? FULL_DETAIL_ZOOM : 0.5, isNode ? 1.1 : 2);
    }
    this.select(id);
    this.status.textContent = `match ${this.matchAt + 1} of ${this.matches.length}: ${id}`;
  }

  // --- minimap --------------------------------------------------------------------------------

  private minimapWanted = false;

  /**
   * The whole picture in a corner, the view as a frame on it; beyond 20 projects, while part of
   * the picture is out of view (fitted, it would only hide the cards in its corner).
   */
  private drawMinimap(): void {
    const s = this.snapshot;
    const projects = s?.layout.groups.filter((g) => g.kind === 'project').length ?? 0;
    this.minimapWanted = !!s && projects >= MINIMAP_FROM;
    if (!this.minimapWanted || !s) { this.minimap.hidden = true; return; }
    const { width, height, top } = this.scene();
    const scale = Math.min(180 / width, 140 / height);
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', String(Math.round(width * scale)));
    svg.setAttribute('height', String(Math.round(height * scale)));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const boxes: (Box & { hub?: boolean })[] = this.mode === 'map' ? this.currentMap().sections.flatMap((x) => x.chips.map((c) => ({ ...c, hub: c.group.hub }))) : s.layout.groups.map((g) => ({ x: g.x, y: g.y + top, width: g.width, height: g.height, hub: g.hub }));
    for (const b of boxes) {
      const r = document.createElementNS(NS, 'rect');
      r.setAttribute('x', String(b.x)); r.setAttribute('y', String(b.y)); r.setAttribute('width', String(b.width)); r.setAttribute('height', String(b.height));
      r.setAttribute('class', b.hub ? 'lz-mini-box lz-mini-hub' : 'lz-mini-box');
      svg.append(r);
    }
    const frame = document.createElementNS(NS, 'rect');
    frame.setAttribute('class', 'lz-mini-frame');
    svg.append(frame);
    this.minimap.replaceChildren(svg);
    this.moveMinimapView();
  }

  private moveMinimapView(): void {
    const frame = this.minimapWanted ? this.minimap.querySelector('.lz-mini-frame') : null;
    if (!frame || !this.view) return;
    const r = this.canvas.getBoundingClientRect();
    const { width, height, top } = this.scene();
    const v = this.view;
    // cards draw nothing in the legend's band: the picture is whole when the cards are
    const from = this.mode === 'layout' && this.drawn?.detail === 'overview' ? top : 0;
    const whole = v.x >= -0.5 && v.y + from * v.k >= -0.5 && v.x + width * v.k <= r.width + 0.5 && v.y + height * v.k <= r.height + 0.5;
    this.minimap.hidden = whole;
    frame.setAttribute('x', String(-this.view.x / this.view.k));
    frame.setAttribute('y', String(-this.view.y / this.view.k));
    frame.setAttribute('width', String(r.width / this.view.k));
    frame.setAttribute('height', String(r.height / this.view.k));
  }

  private installMinimap(): void {
    let dragging = false;
    const centre = (e: PointerEvent) => {
      const svg = this.minimap.querySelector('svg');
      if (!svg || !this.view) return;
      const b = svg.getBoundingClientRect();
      const { width } = this.scene();
      const x = ((e.clientX - b.left) / b.width) * width;
      const y = ((e.clientY - b.top) / b.width) * width;
      const r = this.canvas.getBoundingClientRect();
      this.stopAnimation();
      this.view = { k: this.view.k, x: r.width / 2 - x * this.view.k, y: r.height / 2 - y * this.view.k };
      if (this.mode === 'layout') this.state.view = this.view;
      this.applyView();
    };
    this.minimap.addEventListener('pointerdown', (e) => { e.stopPropagation(); dragging = true; this.minimap.setPointerCapture(e.pointerId); centre(e); });
    this.minimap.addEventListener('pointermove', (e) => { if (dragging) centre(e); });
    this.minimap.addEventListener('pointerup', () => { dragging = false; this.save(); });
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
    if (this.mode === 'map') return `<?xml version="1.0" encoding="UTF-8"?>\n${toSvgString(renderMap(s.layout, this.currentMap(), this.decorations(), { standalone: true, themeValues }), true).trimStart()}\n`;
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
      const { width: w, height: h } = this.scene();
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
