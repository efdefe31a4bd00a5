/*
 * The one redaction of text that may carry a credential, before it reaches stderr, a log, a
 * report, a journal or an error message: the user:password part of any URL (an API URL written
 * `http://user:key@host`), credential assignments and bearer tokens, and the known secret values
 * given by the caller.
 */

const PATTERNS: [RegExp, string][] = [
  // user:password@ (or user@) in a URL: the whole user information goes
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, '$1***@'],
  // X-Auth-Token headers, secret_key fields and SCW_SECRET_KEY assignments, in any quoting
  // (a standalone word only: `gitlab-token: grace period…` is a secret's name, not a token)
  [/((?<![\w-])(?:x-auth-token|secret[_-]?key|scw_secret_key|secretKey|password|token)["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, '$1***'],
  // anything that looks like a Scaleway secret key right after the word "secret"
  [/(secret(?:[\s_-]?key)?\W{1,20})[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '$1***'],
  // bearer tokens
  [/(bearer\s+)[\w.~+/-]+=*/gi, '$1***'],
];

/** Masks known secrets (8 characters or more), URL user information and credential-looking assignments. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('***');
  for (const [p, by] of PATTERNS) out = out.replace(p, by);
  return out;
}
