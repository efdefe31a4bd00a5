/** Escapes text for an XML element body or attribute. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<Name>text</Name>`, or nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${esc(String(value))}</${name}>`;
}

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A full document as S3 sends it: declaration, then one root element in the S3 namespace. */
export function doc(root: string, inner: string, ns = true): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns ? ` xmlns="${S3_NS}"` : ''}>${inner}</${root}>`;
}

/**
 * The text of the first `<name>` element in a request body. Request bodies of the operations we
 * serve are flat and tiny, so a regex is enough; a full XML parser would be dead weight here.
 */
export function textOf(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z0-9]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z0-9]+:)?${name}>`).exec(xml);
  return m ? unesc(m[1]!) : undefined;
}

function unesc(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
