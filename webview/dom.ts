import type { SvgElement } from '../src/core/diagram/render';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Builds DOM from the renderer's element tree with createElementNS, setAttribute and text nodes:
 * labels from the YAML are never parsed as markup. The stylesheet element is skipped (the page
 * has it, under the CSP nonce).
 */
export function toDom(e: SvgElement, doc: Document = document): SVGElement {
  const node = doc.createElementNS(SVG_NS, e.tag);
  for (const [k, v] of Object.entries(e.attrs)) if (k !== 'xmlns') node.setAttribute(k, v);
  for (const c of e.children) {
    if (typeof c === 'string') node.appendChild(doc.createTextNode(c));
    else if (c.tag !== 'style') node.appendChild(toDom(c, doc));
  }
  return node;
}
