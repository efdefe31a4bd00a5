import { DIAGRAM_CSS } from '../core/diagram/style';

/* The "Plan on Diagram" panel's page, without vscode so that Chromium tests load it as it is. */

/** The panel's HTML: the SVG inline (hover titles work), our CSS by nonce, no script at all. */
export function planDiagramHtml(svg: string, cspSource: string, nonce: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; img-src ${cspSource} data:;">
<style nonce="${nonce}">body { margin: 0; padding: 8px; background: var(--vscode-editor-background); } svg { max-width: none; }\n${DIAGRAM_CSS}</style>
</head><body>${svg}</body></html>`;
}
