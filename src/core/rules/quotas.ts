import type { DocPath } from '../document';
import type { Issue } from '../issues';
import { keysOf, entriesOf, finding, keyAt, type ModelRule, type RuleContext } from './rule';

/*
 * Organisation quotas that Scaleway enforces: apply would stop in the middle, with part of the
 * landing zone created, at the first resource over the quota. The figures are Scaleway's published
 * defaults (each rule's `source`); Scaleway also publishes an organisation's actual quotas by API
 * (GET /iam/v1alpha1/quota, `Iam.v1alpha1 listQuota`), which no recording we know of answers yet,
 * so the documented default is what is checked. An organisation whose quota support raised turns
 * the rule off in the file's `rules:` section (or suppresses it with a reason).
 */

const QUOTA_API = 'Scaleway also publishes each organisation\'s quotas by API: GET /iam/v1alpha1/quota (Iam.v1alpha1 listQuota).';

interface Quota {
  id: string;
  limit: number;
  /** `API keys`, for messages. */
  what: string;
  why: string;
  source: string;
  /** What the file creates that counts against the quota, in document order: where each one is. */
  items(ctx: RuleContext): DocPath[];
  /** Extra words for the message (what else counts). */
  note: string;
}

function quotaRule(q: Quota): ModelRule {
  const rule: ModelRule = {
    id: q.id,
    layer: 'semantic',
    input: 'model',
    severity: 'error',
    why: q.why,
    fix: `Declare at most ${q.limit} ${q.what} in the organisation, or ask Scaleway support for a higher quota and then turn the rule off in the file's rules: section.`,
    source: `${q.source} ${QUOTA_API}`,
    check(ctx) {
      const items = q.items(ctx);
      if (items.length <= q.limit) return [];
      // one finding, at the first one over the quota: that is where apply would stop
      return [finding(rule, keyAt(ctx.source, items[q.limit]!),
        `This file declares ${items.length} ${q.what}; Scaleway allows ${q.limit} per organisation by default${q.note}. Apply would stop here, at number ${q.limit + 1}, with the landing zone half made.`)];
    },
  };
  return rule;
}

const applications = (ctx: RuleContext): DocPath[] => keysOf(ctx.model.spec.iam?.applications).map((a) => ['iam', 'applications', a]);

const quotaApiKeys = quotaRule({
  id: 'quota-api-keys',
  limit: 100,
  what: 'API keys',
  why: 'An organisation has at most 100 API keys by default; every application\'s apiKey is one, and users\' own keys count too.',
  source: 'Scaleway IAM FAQ, "How many API keys can I create? Each Organization can have up to 100 API keys": https://www.scaleway.com/en/docs/iam/faq/',
  items: (ctx) => entriesOf(ctx.model.spec.iam?.applications).filter(([, a]) => a.apiKey).map(([a]) => ['iam', 'applications', a, 'apiKey']),
  note: ' (users\' keys count too, and a rotation briefly needs one more)',
});

const quotaApplications = quotaRule({
  id: 'quota-applications',
  limit: 100,
  what: 'IAM applications',
  why: 'An organisation has at most 100 IAM applications by default.',
  source: 'Scaleway IAM FAQ, "How many IAM applications can I create? Each Organization can have up to 100 IAM applications": https://www.scaleway.com/en/docs/iam/faq/',
  items: applications,
  note: ' (applications made outside this file count too)',
});

const quotaPolicies = quotaRule({
  id: 'quota-policies',
  limit: 50,
  what: 'IAM policies',
  why: 'An organisation has at most 50 IAM policies by default; apply makes one policy per application.',
  source: 'Scaleway IAM FAQ, "How many IAM policies can I create? Each Organization can have up to 50 IAM policies": https://www.scaleway.com/en/docs/iam/faq/',
  items: (ctx) => applications(ctx).map((p) => [...p, 'policy']),
  note: ' (apply makes one per application; policies of users and groups count too)',
});

const quotaPrivateNetworks = quotaRule({
  id: 'quota-private-networks',
  limit: 255,
  what: 'Private Networks',
  why: 'An organisation has at most 255 Private Networks by default; every project\'s network is one.',
  source: 'Scaleway VPC FAQ, "Up to 255 Private Networks per Organization": https://www.scaleway.com/en/docs/vpc/faq/ (since October 2025 the VPC quotas are listed on https://www.scaleway.com/en/docs/organizations-and-projects/additional-content/organization-quotas/).',
  items: (ctx) => entriesOf(ctx.model.spec.projects).filter(([, p]) => p.network).map(([p]) => ['projects', p, 'network', 'privateNetwork']),
  note: ' (a restore in the fallback region makes new ones while the old still exist)',
});

export const quotaRules: ModelRule[] = [quotaApiKeys, quotaApplications, quotaPolicies, quotaPrivateNetworks];
