import type { Issue } from '../issues';
import { finding, type TextRule } from './rule';

/** Scaleway access keys: SCW followed by 17 uppercase letters or digits. */
const ACCESS_KEY = /(?<![A-Za-z0-9])SCW[A-Z0-9]{17}(?![A-Za-z0-9])/g;
/** Scaleway secret keys are UUIDs; so are ids, which are fine where the key says so. */
const UUID = /(?<![0-9A-Fa-f-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Fa-f-])/g;
/** `id:`, `organizationId:`, `project_id:` — keys whose value is meant to be an identifier. */
const ID_KEY = /(?:^|[\s{,-])(?:["']?)(?:id|[A-Za-z]+Id|[a-z]+_id)(?:["']?)\s*:\s*["']?$/;

/**
 * Credentials never belong in landing-zone.yaml, not even in a comment: the file is reviewed,
 * committed and copied. The scan runs on the raw text, so it also protects a file that does not
 * parse. Messages say where and what to do; they never repeat the value.
 */
const noCredentials: TextRule = {
  id: 'no-credentials',
  layer: 'policy',
  input: 'text',
  severity: 'error',
  why: 'Secret values and API keys never appear in the file: it is reviewed, committed and copied.',
  fix: 'Delete the value, revoke the key in the Scaleway console (IAM > API keys), and keep the new one in Secret Manager, referenced by apiKey.storedIn.',
  check({ source }) {
    const text = source.text;
    const out: Issue[] = [];
    const report = (start: number, end: number, what: string) => {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const before = text.slice(lineStart, start);
      const inComment = /(^|\s)#/.test(before);
      const { path } = source.pathAt(start);
      const where = inComment ? 'a comment' : path.length ? path.join('.') : 'the file';
      const line = source.position(start).line + 1;
      out.push(finding(noCredentials, { range: source.range(start, end), path },
        `Line ${line}: ${where === 'a comment' ? 'a comment' : `the value of ${where}`} looks like ${what}. Remove it from the file, revoke the key in the Scaleway console (IAM > API keys) and keep its replacement in Secret Manager, referenced by apiKey.storedIn.`,
        { title: 'Remove the credential from the file and revoke it.' }));
    };
    for (const m of text.matchAll(ACCESS_KEY)) report(m.index, m.index + m[0].length, 'a Scaleway access key');
    for (const m of text.matchAll(UUID)) {
      const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
      if (ID_KEY.test(text.slice(lineStart, m.index))) continue;
      report(m.index, m.index + m[0].length, 'a Scaleway secret key (a UUID outside an id field)');
    }
    return out;
  },
};

export const credentialRules: TextRule[] = [noCredentials];
