import { DIAGRAM_CSS } from './style';

/** What the page needs from its host: URIs the webview may load and a fresh nonce. */
export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin of local resources. */
  cspSource: string;
  /** A random nonce from crypto, new for every page. */
  nonce: string;
  scriptUri: string;
  cssUri: string;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The diagram page: a strict CSP (nothing by default, scripts and the diagram stylesheet only by
 * nonce, images only local, data: and blob: for the PNG export), one script, no inline script,
 * no remote content. Nothing from the YAML is in this page: the app draws it with DOM calls.
 */
export function diagramWebviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('the nonce must be a long random token');
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.cssUri)}" nonce="${o.nonce}">
<style nonce="${o.nonce}">${DIAGRAM_CSS}</style>
<title>Landing zone diagram</title>
</head>
<body>
<div id="app"></div>
<script nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
