/*
 * The diagram's stylesheet. Every colour is a VS Code theme variable, so the webview follows the
 * user's theme; the fallbacks (VS Code's Light Modern values) are what a standalone SVG from the
 * CLI shows. The webview receives this text in a nonce'd <style> and an exported SVG embeds it.
 */

/** CSS custom properties the diagram reads, with their fallbacks. */
export const THEME_VARIABLES: Readonly<Record<string, string>> = {
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#5f6a79',
  '--vscode-sideBar-background': '#f8f8f8',
  '--vscode-panel-border': '#d0d7de',
  '--vscode-editorWidget-background': '#ffffff',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-icon-foreground': '#424242',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-editorError-foreground': '#e51400',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-editorInfo-foreground': '#1a85ff',
  '--vscode-disabledForeground': '#8b8b8b',
  '--vscode-badge-foreground': '#ffffff',
  '--vscode-editor-selectionHighlightBackground': '#add6ff80',
};

const v = (name: string) => `var(${name}, ${THEME_VARIABLES[name] ?? 'inherit'})`;

export const DIAGRAM_CSS = `
.lz-diagram { font-family: ${v('--vscode-font-family')}; color: ${v('--vscode-editor-foreground')}; }
.lz-diagram text { font-family: ${v('--vscode-font-family')}; }
.lz-bg { fill: ${v('--vscode-editor-background')}; }
.lz-title { font-size: 16px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-legend-text { font-size: 11px; fill: ${v('--vscode-descriptionForeground')}; }
.lz-legend-strong { font-size: 11px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-group-box { fill: ${v('--vscode-sideBar-background')}; stroke: ${v('--vscode-panel-border')}; stroke-width: 1; }
.lz-group.lz-hub .lz-group-box { stroke: ${v('--vscode-charts-blue')}; stroke-width: 1.5; }
.lz-swatch-hub { fill: ${v('--vscode-sideBar-background')}; stroke: ${v('--vscode-charts-blue')}; stroke-width: 1.5; }
.lz-swatch-lost { fill: ${v('--vscode-editorWidget-background')}; stroke: ${v('--vscode-editorWidget-border')}; opacity: 0.38; stroke-dasharray: 3 3; }
.lz-group.lz-pseudo .lz-group-box { stroke-dasharray: 6 4; }
.lz-group-title { font-size: 13px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-group-sub { font-size: 11px; fill: ${v('--vscode-descriptionForeground')}; }
.lz-icon { fill: ${v('--vscode-icon-foreground')}; }
.lz-node-box { fill: ${v('--vscode-editorWidget-background')}; stroke: ${v('--vscode-editorWidget-border')}; stroke-width: 1; }
.lz-node-strip { stroke: none; }
.lz-layer-network .lz-node-strip { fill: ${v('--vscode-charts-blue')}; }
.lz-layer-iam .lz-node-strip { fill: ${v('--vscode-charts-purple')}; }
.lz-layer-dr .lz-node-strip { fill: ${v('--vscode-charts-green')}; }
.lz-node-label { font-size: 12px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-node-detail { font-size: 11px; fill: ${v('--vscode-descriptionForeground')}; }
.lz-node, .lz-group-head { cursor: pointer; }
.lz-node.lz-selected .lz-node-box, .lz-group.lz-selected > .lz-group-box { stroke: ${v('--vscode-focusBorder')}; stroke-width: 2.5; }
.lz-node.lz-highlighted .lz-node-box { fill: ${v('--vscode-editor-selectionHighlightBackground')}; stroke: ${v('--vscode-focusBorder')}; stroke-width: 1.5; }
.lz-edge { fill: none; }
.lz-edge:not(.lz-edge-overview) { stroke-width: 1.4; }
.lz-edge-attachment, .lz-edge-exposes { stroke: ${v('--vscode-disabledForeground')}; }
.lz-edge-acl { stroke: ${v('--vscode-charts-orange')}; }
.lz-edge-acl:not(.lz-edge-overview) { stroke-width: 1.8; }
.lz-edge.lz-related:not(.lz-edge-overview) { stroke-width: 2.6; }
.lz-card-title { font-size: 13px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-card-text { font-size: 12px; fill: ${v('--vscode-descriptionForeground')}; }
.lz-badge-warning-icon { fill: ${v('--vscode-editorWarning-foreground')}; }
.lz-group-box { vector-effect: non-scaling-stroke; }
.lz-hit { fill: transparent; stroke: none; }
.lz-has-selection .lz-node:not(.lz-selected):not(.lz-related) { opacity: 0.45; }
.lz-has-selection .lz-edge:not(.lz-related) { opacity: 0.3; }
.lz-edge-key-use { stroke: ${v('--vscode-charts-purple')}; stroke-dasharray: 5 3; }
.lz-edge-stored-in, .lz-edge-endpoint { stroke: ${v('--vscode-charts-purple')}; stroke-dasharray: 2 3; }
.lz-edge-backup, .lz-edge-copy { stroke: ${v('--vscode-charts-green')}; stroke-dasharray: 7 3; stroke-width: 1.6; }
.lz-arrow-grey { fill: ${v('--vscode-disabledForeground')}; }
.lz-arrow-orange { fill: ${v('--vscode-charts-orange')}; }
.lz-arrow-purple { fill: ${v('--vscode-charts-purple')}; }
.lz-arrow-green { fill: ${v('--vscode-charts-green')}; }
.lz-badge-error { fill: ${v('--vscode-editorError-foreground')}; }
.lz-badge-warning { fill: ${v('--vscode-editorWarning-foreground')}; }
.lz-badge-info { fill: ${v('--vscode-editorInfo-foreground')}; }
.lz-badge-text { font-size: 10px; font-weight: 700; fill: ${v('--vscode-badge-foreground')}; }
.lz-drift-in-sync .lz-node-box { stroke: ${v('--vscode-charts-green')}; stroke-width: 2; }
.lz-drift-changed .lz-node-box { stroke: ${v('--vscode-charts-orange')}; stroke-width: 2; }
.lz-drift-missing .lz-node-box { stroke: ${v('--vscode-charts-red')}; stroke-width: 2; stroke-dasharray: 5 3; }
.lz-drift-unmanaged .lz-node-box { stroke: ${v('--vscode-charts-purple')}; stroke-width: 2; }
.lz-drift-icon-in-sync, .lz-swatch-in-sync { fill: ${v('--vscode-charts-green')}; }
.lz-drift-icon-changed, .lz-swatch-changed { fill: ${v('--vscode-charts-orange')}; }
.lz-drift-icon-missing, .lz-swatch-missing { fill: ${v('--vscode-charts-red')}; }
.lz-drift-icon-unmanaged, .lz-swatch-unmanaged { fill: ${v('--vscode-charts-purple')}; }
.lz-unmanaged-chip { fill: ${v('--vscode-charts-purple')}; }
.lz-unmanaged-text { font-size: 10px; font-weight: 600; fill: ${v('--vscode-badge-foreground')}; }
.lz-fail-lost { opacity: 0.38; }
.lz-fail-lost .lz-node-box { stroke-dasharray: 3 3; }
.lz-fail-restored .lz-node-box { stroke: ${v('--vscode-charts-green')}; stroke-width: 2; stroke-dasharray: 6 3; }
.lz-fail-failover .lz-node-box { stroke: ${v('--vscode-charts-blue')}; stroke-width: 2; stroke-dasharray: 6 3; }
.lz-fail-unrecoverable .lz-node-box { stroke: ${v('--vscode-charts-red')}; stroke-width: 2.5; }
.lz-fail-note-restored { fill: ${v('--vscode-charts-green')}; font-weight: 600; }
.lz-fail-note-failover { fill: ${v('--vscode-charts-blue')}; font-weight: 600; }
.lz-fail-note-unrecoverable { fill: ${v('--vscode-charts-red')}; font-weight: 600; }
.lz-fail-note-lost { fill: ${v('--vscode-descriptionForeground')}; }
.lz-fail-icon-unrecoverable { fill: ${v('--vscode-charts-red')}; }
.lz-fail-icon-restored { fill: ${v('--vscode-charts-green')}; }
.lz-fail-icon-failover { fill: ${v('--vscode-charts-blue')}; }
.lz-fail-dimmed .lz-body .lz-edge { opacity: 0.35; }
.lz-section-title { font-size: 13px; font-weight: 600; fill: ${v('--vscode-descriptionForeground')}; }
.lz-chip { cursor: pointer; }
.lz-chip-box { fill: ${v('--vscode-sideBar-background')}; stroke: ${v('--vscode-panel-border')}; stroke-width: 1; vector-effect: non-scaling-stroke; }
.lz-chip.lz-hub .lz-chip-box { stroke: ${v('--vscode-charts-blue')}; stroke-width: 1.5; }
.lz-chip.lz-pseudo .lz-chip-box { stroke-dasharray: 4 3; }
.lz-chip-text { font-size: 12px; font-weight: 600; fill: ${v('--vscode-editor-foreground')}; }
.lz-chip.lz-selected .lz-chip-box, .lz-chip:focus-visible .lz-chip-box { stroke: ${v('--vscode-focusBorder')}; stroke-width: 2.5; }
.lz-chip.lz-match .lz-chip-box, .lz-node.lz-match .lz-node-box { stroke: ${v('--vscode-focusBorder')}; stroke-width: 2; stroke-dasharray: 4 2; }
.lz-chip:focus { outline: none; }
.lz-review-create .lz-node-box, .lz-review-added .lz-node-box { stroke: ${v('--vscode-charts-green')}; stroke-width: 3; }
.lz-review-update .lz-node-box { stroke: ${v('--vscode-charts-blue')}; stroke-width: 3; }
.lz-review-delete .lz-node-box { stroke: ${v('--vscode-charts-red')}; stroke-width: 3; stroke-dasharray: 6 3; }
.lz-review-repair .lz-node-box { stroke: ${v('--vscode-charts-purple')}; stroke-width: 3; }
.lz-review-drifted .lz-node-box { stroke: ${v('--vscode-charts-orange')}; stroke-width: 3; }
.lz-review-conflict .lz-node-box { stroke: ${v('--vscode-charts-red')}; stroke-width: 4; }
.lz-review-unchanged { opacity: 0.5; }
.lz-card.lz-review-create > .lz-group-box { stroke: ${v('--vscode-charts-green')}; stroke-width: 3; vector-effect: non-scaling-stroke; }
.lz-card.lz-review-update > .lz-group-box { stroke: ${v('--vscode-charts-blue')}; stroke-width: 3; vector-effect: non-scaling-stroke; }
.lz-card.lz-review-delete > .lz-group-box { stroke: ${v('--vscode-charts-red')}; stroke-width: 3; stroke-dasharray: 6 3; vector-effect: non-scaling-stroke; }
.lz-card.lz-review-repair > .lz-group-box { stroke: ${v('--vscode-charts-purple')}; stroke-width: 3; vector-effect: non-scaling-stroke; }
.lz-card-review { font-weight: 600; }
.lz-review-not-checked .lz-node-box { stroke: ${v('--vscode-disabledForeground')}; stroke-width: 2; stroke-dasharray: 2 3; }
.lz-review-swatch-not-checked { fill: ${v('--vscode-disabledForeground')}; }
.lz-review-swatch-create, .lz-review-swatch-added { fill: ${v('--vscode-charts-green')}; }
.lz-review-swatch-update { fill: ${v('--vscode-charts-blue')}; }
.lz-review-swatch-delete, .lz-review-swatch-conflict { fill: ${v('--vscode-charts-red')}; }
.lz-review-swatch-repair { fill: ${v('--vscode-charts-purple')}; }
.lz-review-swatch-drifted { fill: ${v('--vscode-charts-orange')}; }
.lz-review-swatch-unchanged { fill: ${v('--vscode-disabledForeground')}; }
.lz-review-mark-text { font-size: 12px; font-weight: 700; fill: ${v('--vscode-badge-foreground')}; }
.lz-cost-text { font-weight: 600; }
.lz-hide-network .lz-edge.lz-layer-network:not(.lz-related):not(.lz-edge-overview),
.lz-hide-iam .lz-edge.lz-layer-iam:not(.lz-related),
.lz-hide-dr .lz-edge.lz-layer-dr:not(.lz-related) { display: none; }
`;
