import { stringify } from 'yaml';
import { childName, IAM_PROJECT, names, nodesOf } from './desired';
import type { ResourceKind } from './model';
import { bucketName, NAME_PATTERN, PROJECT_ROLES, ZONES_BY_REGION, type ProjectRole, type Region } from './schema';
import type { Inventory, LiveResource } from './state';

/*
 * An existing organisation → landing-zone.yaml. The text validates, and it round-trips: planning
 * it against the same account shows no changes (for every kind the inventory reads). What the
 * format cannot express (a second private network in a project, a load balancer that fronts no
 * cluster, a name with capitals…) is listed in a comment at the top instead of being guessed.
 */

export interface ImportOptions {
  organizationName?: string;
  /** The clock, for API keys' remaining days. */
  now?: Date;
}

export interface ImportResult {
  text: string;
  /** Live resources the file does not describe, with why (also in the file's header comment). */
  notImported: { id: string; kind: ResourceKind; reason: string }[];
}

const ROLE_HINTS: [RegExp, ProjectRole][] = [[/secur|iam|vault/, 'security'], [/devops|ci|gitops/, 'devops'], [/monitor|observ|log/, 'monitoring']];

function duration(seconds: number): string {
  if (seconds % 604800 === 0 && seconds / 604800 < 10) return `${seconds / 604800}w`;
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${Math.max(1, Math.round(seconds / 60))}m`;
}

const mostCommon = <T>(xs: T[], fallback: T): T => {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = fallback;
  let n = 0;
  for (const [x, c] of counts) if (c > n) { best = x; n = c; }
  return best;
};

export function importLandingZone(inventory: Inventory, options: ImportOptions = {}): ImportResult {
  const now = options.now ?? new Date();
  const notImported: ImportResult['notImported'] = [];
  const used = new Set<LiveResource>();
  const skip = (l: LiveResource, reason: string) => notImported.push({ id: l.lzId ?? l.naturalId, kind: l.kind, reason });
  // what Scaleway created and owns (managed IAM) is not the organisation's to describe; the default
  // project stays: it is imported when something of the organisation lives in it
  const all = inventory.resources.filter((r) => !r.scalewayManaged || r.kind === 'project');
  const scalewayOwned = inventory.resources.filter((r) => r.scalewayManaged && r.kind !== 'project');
  const byKind = (k: ResourceKind) => all.filter((r) => r.kind === k);
  const inProject = (k: ResourceKind, projectId: string) => byKind(k).filter((r) => r.projectId === projectId);
  const children = (k: ResourceKind, parentId: string) => byKind(k).filter((r) => r.parentId === parentId);
  const idOf = (l: LiveResource) => l.lzId ?? l.naturalId;

  const regions = all.filter((r) => r.region && r.region !== 'global').map((r) => r.region as Region);
  const region = mostCommon(regions, 'fr-par' as Region);
  const zone = mostCommon(all.filter((r) => r.zone?.startsWith(region)).map((r) => r.zone!), ZONES_BY_REGION[region]?.[0] ?? `${region}-1`);

  const projects: Record<string, Record<string, unknown>> = {};
  const liveProjects = byKind('project').sort((a, b) => a.name.localeCompare(b.name));
  for (const p of liveProjects) {
    const owned = all.filter((r) => r.projectId === p.scalewayId && r.kind !== 'project');
    if (p.attrs?.isDefault && owned.length === 0) continue;
    if (!NAME_PATTERN.test(p.name)) {
      skip(p, 'project name is not lowercase letters, digits and dashes');
      continue;
    }
    used.add(p);
    const out: Record<string, unknown> = {};
    const hasWorkloads = inProject('cluster', p.scalewayId).length + inProject('database', p.scalewayId).length > 0;
    out.role = ROLE_HINTS.find(([re]) => re.test(p.name))?.[1] ?? (hasWorkloads ? 'environment' : 'shared');
    if (!PROJECT_ROLES.includes(out.role as ProjectRole)) out.role = 'shared';
    if (typeof p.fields.description === 'string' && p.fields.description) out.description = p.fields.description;
    const pRegion = mostCommon(owned.filter((r) => r.region).map((r) => r.region!), region);
    const pZone = mostCommon(owned.filter((r) => r.zone?.startsWith(pRegion)).map((r) => r.zone!), pRegion === region ? zone : `${pRegion}-1`);
    if (pRegion !== region) out.region = pRegion;
    if (pZone !== (pRegion === region ? zone : `${pRegion}-1`) || pRegion !== region) out.zone = pZone;

    // network: one private network and the gateway attached to it
    const gws = inProject('public-gateway', p.scalewayId);
    const pns = inProject('private-network', p.scalewayId);
    const gw = gws.find((g) => children('gateway-network', g.scalewayId).length > 0) ?? gws[0];
    const gwn = gw ? children('gateway-network', gw.scalewayId)[0] : undefined;
    const pn = (gwn && pns.find((x) => idOf(x) === gwn.fields.privateNetwork)) ?? pns[0];
    let pnId: string | undefined;
    if (gw && pn && Array.isArray(pn.fields.subnets) && pn.fields.subnets.length > 0) {
      used.add(gw).add(pn);
      if (gwn) used.add(gwn);
      pnId = idOf(pn);
      const privateNetwork: Record<string, unknown> = { subnet: (pn.fields.subnets as string[])[0] };
      if (pn.name !== `${p.name}-pn`) privateNetwork.name = pn.name;
      const publicGateway: Record<string, unknown> = { type: gw.fields.type, reservedIp: true };
      if (gw.fields.bastion) publicGateway.bastion = { port: gw.fields.bastionPort, ...((gw.fields.bastionAllowedIps as string[]).length ? { allowedIps: gw.fields.bastionAllowedIps } : {}) };
      if (gw.name !== `${p.name}-gw`) publicGateway.name = gw.name;
      out.network = { privateNetwork, publicGateway };
      for (const ip of byKind('gateway-ip').filter((x) => x.parentId === gw.scalewayId)) used.add(ip);
    }

    const keys: Record<string, unknown> = {};
    for (const k of inProject('key', p.scalewayId)) {
      if (!NAME_PATTERN.test(k.name) || typeof k.fields.rotationPeriod !== 'number') {
        skip(k, !NAME_PATTERN.test(k.name) ? 'name is not lowercase letters, digits and dashes' : 'no rotation period (the file requires one)');
        continue;
      }
      used.add(k);
      keys[k.name] = { usage: k.fields.usage, rotationPeriod: duration(k.fields.rotationPeriod), ...(k.fields.description ? { description: k.fields.description } : {}) };
    }
    if (Object.keys(keys).length) out.keys = keys;

    const secrets: Record<string, unknown> = {};
    for (const s of inProject('secret', p.scalewayId)) {
      if (!NAME_PATTERN.test(s.name) || !/^\/[A-Za-z0-9_/-]*$/.test(String(s.fields.path))) {
        skip(s, 'name or path cannot be written in the file');
        continue;
      }
      used.add(s);
      const enc = typeof s.fields.encryptionKey === 'string' && !s.fields.encryptionKey.startsWith('id:') ? { encryptionKey: s.fields.encryptionKey } : {};
      secrets[s.name] = { path: s.fields.path, version: Math.max(1, Number(s.fields.version ?? 1)), type: s.fields.type, ...enc, ...(s.fields.description ? { description: s.fields.description } : {}) };
      if (Number(s.fields.version ?? 0) === 0) notImported.push({ id: idOf(s), kind: 'secret', reason: 'has no version yet: the file pins version 1, which apply will generate' });
    }
    // replicas (made by apply) become the primary's replication regions; the keys' copies go with them
    for (const r of [...inProject('secret-replica', p.scalewayId), ...inProject('key-replica', p.scalewayId)]) {
      const primary = (r.kind === 'secret-replica' ? secrets : keys)[r.name] as { replication?: { regions: string[] } } | undefined;
      if (!primary || !r.region) continue;
      used.add(r);
      if (r.kind === 'secret-replica') primary.replication = { regions: [...(primary.replication?.regions ?? []), r.region].sort() };
    }
    if (Object.keys(secrets).length) out.secrets = secrets;

    const clusters: Record<string, unknown> = {};
    for (const c of inProject('cluster', p.scalewayId)) {
      if (!NAME_PATTERN.test(c.name)) {
        skip(c, 'name is not lowercase letters, digits and dashes');
        continue;
      }
      used.add(c);
      const pools: Record<string, unknown> = {};
      for (const pl of children('pool', c.scalewayId)) {
        if (!NAME_PATTERN.test(pl.name)) { skip(pl, 'name is not lowercase letters, digits and dashes'); continue; }
        used.add(pl);
        pools[pl.name] = {
          nodeType: pl.fields.nodeType, size: pl.fields.size,
          ...(pl.fields.autoscaling ? { autoscale: { min: pl.fields.minSize, max: pl.fields.maxSize } } : {}),
          ...(pl.zone && pl.zone !== pZone ? { zone: pl.zone } : {}),
        };
      }
      const cluster: Record<string, unknown> = { version: c.fields.version, cni: c.fields.cni, pools };
      const lb = inProject('load-balancer', p.scalewayId).find((x) => x.name === names.loadBalancer(c.name));
      if (lb) {
        const fe = children('lb-frontend', lb.scalewayId).find((f) => f.name === 'https' || f.name === 'http');
        if (fe) {
          used.add(lb).add(fe);
          const acls = children('lb-acl', fe.scalewayId).sort((a, b) => Number(a.fields.index) - Number(b.fields.index));
          const allowFrom: string[] = [];
          for (const a of acls) {
            const match = (a.fields.match as string[]) ?? [];
            const hub = match.length === 1 && match[0]!.startsWith('hub:') ? match[0]!.slice(4) : undefined;
            if (a.fields.action === 'allow' && hub && a.name === names.allowAcl(hub)) {
              allowFrom.push(hub);
              used.add(a);
            } else if (a.fields.action === 'deny' && a.name === names.denyAcl && match.length === 1 && match[0] === '0.0.0.0/0') {
              used.add(a);
            }
          }
          const https = fe.name === 'https' && fe.fields.inboundPort === 443;
          // the frontend's managed certificate is the file's domains; its backend, the cluster's nodes
          const cert = children('lb-certificate', lb.scalewayId).find((x) => x.fields.frontend === fe.name && x.fields.type === 'letsencrypt');
          const domains = cert ? [String(cert.fields.commonName), ...((cert.fields.subjectAlternativeNames as string[] | undefined) ?? [])] : [];
          if (cert && https) used.add(cert);
          const backend = children('lb-backend', lb.scalewayId).find((x) => x.scalewayId === fe.attrs?.backendId);
          if (backend) {
            used.add(backend);
            const port = domains.length ? 80 : Number(fe.fields.inboundPort);
            const wanted = { forwardProtocol: domains.length ? 'http' : 'tcp', forwardPort: port, servers: nodesOf(idOf(c)) };
            const differs = Object.entries(wanted).filter(([k, v]) => JSON.stringify(backend.fields[k]) !== JSON.stringify(v)).map(([k]) => k);
            if (differs.length) {
              notImported.push({ id: idOf(backend), kind: 'lb-backend', reason: `forwards ${String(backend.fields.forwardProtocol)} to port ${String(backend.fields.forwardPort)} of ${JSON.stringify(backend.fields.servers)}; the file's load balancer sends ${wanted.forwardProtocol} to port ${port} of the cluster's nodes, so the plan changes ${differs.join(', ')}` });
            }
          }
          cluster.loadBalancer = { type: lb.fields.type, https, allowFrom, ...(https && domains.length ? { domains } : {}) };
        }
      }
      if (pnId && c.fields.privateNetwork !== undefined && c.fields.privateNetwork !== pnId) notImported.push({ id: idOf(c), kind: 'cluster', reason: `is on ${String(c.fields.privateNetwork)}, not the project's private network` });
      clusters[c.name] = cluster;
    }
    if (Object.keys(clusters).length) out.clusters = clusters;

    const databases: Record<string, unknown> = {};
    for (const d of inProject('database', p.scalewayId)) {
      if (!NAME_PATTERN.test(d.name) || !/^(PostgreSQL|MySQL)-\d+$/.test(String(d.fields.engine)) || !Number(d.fields.backupEveryHours)) {
        skip(d, !Number(d.fields.backupEveryHours) ? 'automatic backups are off (the file requires them)' : 'name or engine cannot be written in the file');
        continue;
      }
      used.add(d);
      databases[d.name] = {
        engine: d.fields.engine, nodeType: d.fields.nodeType, ha: d.fields.ha, encryptedAtRest: d.fields.encryptedAtRest,
        ...(d.fields.volumeType ? { volume: { type: d.fields.volumeType, sizeGb: d.fields.volumeSizeGb } } : {}),
        backups: { everyHours: d.fields.backupEveryHours, retentionDays: d.fields.backupRetentionDays, sameRegion: d.fields.backupSameRegion },
      };
    }
    if (Object.keys(databases).length) out.databases = databases;
    const buckets = importBuckets(inProject('bucket', p.scalewayId), p.name, pRegion, options.organizationName ?? 'imported', used, skip);
    if (Object.keys(buckets).length) out.buckets = buckets;
    projects[p.name] = out;
  }

  const applications: Record<string, unknown> = {};
  for (const a of byKind('application').sort((x, y) => x.name.localeCompare(y.name))) {
    const pol = byKind('policy').find((x) => x.parentId === a.scalewayId && x.name === a.name) ?? byKind('policy').find((x) => x.parentId === a.scalewayId);
    const rules = (pol?.fields.rules as { permissionSets: string[]; projects?: string[]; organization?: boolean }[] | undefined) ?? [];
    if (!NAME_PATTERN.test(a.name) || !pol || rules.length === 0 || rules.some((r) => (r.projects ?? []).some((x) => !projects[x]))) {
      skip(a, !pol || rules.length === 0 ? 'has no policy rules (the file requires least-privilege rules)' : 'name or policy cannot be written in the file');
      continue;
    }
    used.add(a).add(pol);
    const app: Record<string, unknown> = {
      purpose: typeof a.fields.description === 'string' && a.fields.description ? a.fields.description : a.name,
      policy: rules.map((r) => (r.organization ? { permissionSets: r.permissionSets, organization: true } : { permissionSets: r.permissionSets, projects: r.projects })),
    };
    const key = byKind('api-key').find((k) => k.parentId === a.scalewayId && typeof k.fields.storedIn === 'string');
    if (key) {
      used.add(key);
      const expires = typeof key.attrs?.expiresAt === 'string' ? Date.parse(key.attrs.expiresAt) : NaN;
      const days = Number.isFinite(expires) ? Math.min(365, Math.max(1, Math.round((expires - now.getTime()) / 86_400_000))) : 90;
      app.apiKey = { storedIn: key.fields.storedIn, expiresInDays: days, ...(typeof key.fields.defaultProject === 'string' && projects[key.fields.defaultProject] ? { defaultProject: key.fields.defaultProject } : {}) };
    }
    applications[a.name] = app;
  }
  for (const k of byKind('api-key')) if (!used.has(k)) skip(k, 'API key whose vault secret is unknown (created outside the tool)');

  const disasterRecovery = importDisasterRecovery(all, projects, options.organizationName ?? 'imported', used);
  const drKinds = new Set<ResourceKind>(['bucket', 'velero-schedule', 'backup-copy']);
  for (const l of all) {
    if (!used.has(l) && drKinds.has(l.kind)) {
      skip(l, l.kind === 'bucket' ? 'not named <organization>-<project>-<bucket> after a project of the file'
        : l.kind === 'velero-schedule' ? 'not the "velero" Schedule of an imported cluster writing to an imported bucket'
          : 'not the backup-copy function of an imported project, or it has no cron');
    }
    if (used.has(l) || notImported.some((n) => n.id === idOf(l) && n.kind === l.kind)) continue;
    if (l.kind === 'project' && l.attrs?.isDefault) continue;
    if (l.kind === 'gateway-ip' && l.parentId) continue;
    // Velero in a cluster follows from disasterRecovery.velero: nothing of its own to import
    if (l.kind === 'velero-install') continue;
    if (l.projectName === IAM_PROJECT && (l.kind === 'policy' || l.kind === 'api-key')) { skip(l, 'not attached to an imported application'); continue; }
    skip(l, l.kind === 'load-balancer' ? `not named after a cluster (${names.loadBalancer('<cluster>')}) of its project`
      : l.kind === 'lb-frontend' || l.kind === 'lb-acl' ? `not one the file describes (frontend https/http; ACLs ${names.allowAcl('<hub>')}, ${names.denyAcl})`
      : l.kind === 'gateway-network' ? `attaches another network than the project's (${childName('<gateway>', '<network>')})`
      : 'the file holds one private network and one public gateway per project');
  }

  const doc: Record<string, unknown> = {
    version: 1,
    organization: { id: inventory.organizationId, name: options.organizationName ?? 'imported' },
    defaults: { region, zone },
    projects,
    ...(Object.keys(applications).length ? { iam: { applications } } : {}),
    ...(disasterRecovery ? { disasterRecovery } : {}),
  };
  const header = [
    `Imported on ${inventory.readAt.slice(0, 10)} by landing-zone import.`,
    'Review the project roles: they are guessed from names and contents.',
    'Not read by this version, so not imported: SSO (Keycloak runs inside a project).',
    ...(scalewayOwned.length ? [`Left out, created and owned by Scaleway: ${scalewayOwned.map((r) => `${r.kind} "${r.name}"`).join(', ')}.`] : []),
    ...inventory.notChecked.filter((n) => n.cause !== 'not-read').map((n) => `NOT READ, so not imported (accepted with --accept-not-checked): ${n.kind}${n.region ? ` in ${n.region}` : ''}: ${n.reason}`),
    ...(notImported.length ? ['Not described by this file:', ...notImported.sort((a, b) => a.id.localeCompare(b.id)).map((n) => `  ${n.kind} ${n.id}: ${n.reason}`)] : []),
  ];
  const text = header.map((l) => `# ${l}`).join('\n') + '\n' + stringify(doc, { lineWidth: 0 });
  return { text, notImported };
}

/** A project's buckets; the Object Storage name is written only when it is not the implied one. */
function importBuckets(live: LiveResource[], project: string, projectRegion: string, organization: string, used: Set<LiveResource>,
  skip: (l: LiveResource, reason: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of live) {
    if (!NAME_PATTERN.test(b.name)) { skip(b, 'name cannot be written in the file'); continue; }
    used.add(b);
    const s3 = String(b.attrs?.bucketName ?? b.name);
    out[b.name] = {
      versioning: b.fields.versioning === true, objectLock: b.fields.objectLock === true,
      ...(b.region && b.region !== projectRegion ? { region: b.region } : {}),
      ...(s3 !== bucketName(organization, project, b.name) ? { name: s3 } : {}),
    };
  }
  return out;
}

/**
 * The DR section from what the inventory found: Velero when every imported cluster's "velero"
 * Schedule agrees (one schedule, ttl and bucket), the copy function when it has a cron.
 */
function importDisasterRecovery(all: readonly LiveResource[], projects: Record<string, Record<string, unknown>>, organization: string,
  used: Set<LiveResource>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const idOf = (l: LiveResource) => l.lzId ?? l.naturalId;
  const bucketRefs = new Map<string, string>();
  for (const [p, spec] of Object.entries(projects)) {
    for (const [b, bs] of Object.entries((spec.buckets ?? {}) as Record<string, { name?: string }>)) bucketRefs.set(bucketName(organization, p, b, bs.name), `${p}/${b}`);
  }
  const schedules = all.filter((l) => l.kind === 'velero-schedule').flatMap((l) => {
    const [p, , n] = idOf(l).split('/') as [string, string, string];
    const cluster = n.endsWith('-velero') ? n.slice(0, -'-velero'.length) : undefined;
    const clusters = (projects[p]?.clusters ?? {}) as Record<string, unknown>;
    const bucket = bucketRefs.get(String(l.fields.bucket));
    return cluster && clusters[cluster] && bucket && typeof l.fields.ttl === 'number' ? [{ l, ref: `${p}/${cluster}`, bucket }] : [];
  });
  const first = schedules[0];
  if (first) {
    const same = schedules.filter((s) => s.bucket === first.bucket && s.l.fields.schedule === first.l.fields.schedule && s.l.fields.ttl === first.l.fields.ttl);
    for (const s of same) used.add(s.l);
    out.velero = { bucket: first.bucket, schedule: first.l.fields.schedule, ttl: duration(Number(first.l.fields.ttl)), clusters: same.map((s) => s.ref).sort() };
  }
  const copy = all.find((l) => l.kind === 'backup-copy' && typeof l.fields.schedule === 'string' && typeof l.fields.toRegion === 'string'
    && idOf(l) === `${idOf(l).split('/')[0]!}/backup-copy/backup-copy` && projects[idOf(l).split('/')[0]!]);
  if (copy) {
    used.add(copy);
    const backupCopy: Record<string, unknown> = { project: idOf(copy).split('/')[0], schedule: copy.fields.schedule, toRegion: copy.fields.toRegion };
    out.backupCopy = backupCopy;
    // the application whose key the namespace holds: the one whose API key is stored in that vault secret
    const storedIn = typeof copy.fields.credentials === 'string' ? copy.fields.credentials.split('@')[0] : undefined;
    const key = storedIn ? all.find((l) => l.kind === 'api-key' && l.fields.storedIn === storedIn) : undefined;
    if (key) backupCopy.application = idOf(key).split('/')[2];
  }
  return Object.keys(out).length ? out : undefined;
}
