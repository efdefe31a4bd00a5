import { ok, type Route } from '../context';

/**
 * `GET /metadata`: where this API lives (the SDKs read it to build resource names, `srn://…scw.eu`).
 * The answer is the recorded one (held-out secret/secret-with-kms-key, 2026-10-06).
 */
export function metadataRoutes(): Route[] {
  return [
    { method: 'GET', pattern: '/metadata', product: '', handler: () => ok({ platform: 'external', partition: 'scw', domain: 'scw.eu' }) },
  ];
}
