import { z } from 'zod';

/*
 * The landing-zone.yaml v1 format. This zod schema is the single source of truth: the JSON
 * Schema in schemas/ is generated from it (hover text, completion in other YAML tools), the
 * validator checks documents against it, and the README's format section follows it.
 *
 * Every field carries a description and an example (`meta`), because they become hover text.
 * Objects are strict: an unknown key is a finding with a "did you mean" hint, not ignored.
 */

/** Scaleway regions where the services of a landing zone are available. */
export const REGIONS = ['fr-par', 'nl-ams', 'pl-waw', 'it-mil'] as const;
/** Availability zones per region. */
export const ZONES_BY_REGION: Readonly<Record<Region, readonly string[]>> = {
  'fr-par': ['fr-par-1', 'fr-par-2', 'fr-par-3'],
  'nl-ams': ['nl-ams-1', 'nl-ams-2', 'nl-ams-3'],
  'pl-waw': ['pl-waw-1', 'pl-waw-2', 'pl-waw-3'],
  'it-mil': ['it-mil-1'],
};
export const ZONES = Object.values(ZONES_BY_REGION).flat();

export const PROJECT_ROLES = ['security', 'devops', 'monitoring', 'shared', 'environment'] as const;
/** Roles whose projects are hubs of the hub-and-spoke network. */
export const HUB_ROLES: readonly ProjectRole[] = ['security', 'devops'];
const CNIS = ['cilium', 'calico', 'kilo', 'none'] as const;
const KEY_USAGES = ['symmetric_encryption', 'asymmetric_encryption', 'asymmetric_signing'] as const;
const SSO_PROTOCOLS = ['oidc', 'oauth2', 'saml'] as const;
const SECRET_TYPES = ['opaque', 'database_credentials', 'key_value', 'basic_credentials', 'certificate', 'ssh_key'] as const;
const SECRET_ALPHABETS = ['alphanumeric', 'hex', 'base64url', 'printable'] as const;
/** What the file's `rules:` section may set a rule to. */
export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;

export type Region = (typeof REGIONS)[number];
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** A name usable as a map key: a project, key, secret, bucket, cluster, database or application. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** `90d`, `6h`, `30m`, `2w`: a number and one unit (minutes, hours, days, weeks). */
const DURATION_PATTERN = /^(\d+)(m|h|d|w)$/;
/** `project/name`: how one part of the file names another. */
const REFERENCE_PATTERN = /^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/;
const CRON_PATTERN = /^(\S+\s+){4}\S+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CIDR_SHAPE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

const doc = <T extends z.ZodType>(schema: T, description: string, example: unknown): T =>
  schema.meta({ description, examples: [example] });

const duration = (description: string, example: string) =>
  doc(z.string().regex(DURATION_PATTERN, 'expected a duration such as 90d, 12h, 30m or 2w'), description, example);
const reference = (description: string, example: string) =>
  doc(z.string().regex(REFERENCE_PATTERN, 'expected a reference of the form project/name'), description, example);
const projectName = (description: string, example: string) =>
  doc(z.string().regex(NAME_PATTERN, 'expected a project name (lowercase letters, digits and dashes)'), description, example);
const cron = (description: string, example: string) =>
  doc(z.string().regex(CRON_PATTERN, 'expected a five-field cron expression such as "0 */6 * * *"'), description, example);
const regionEnum = (description: string, example: Region) => doc(z.enum(REGIONS), description, example);
const zoneEnum = (description: string, example: string) => doc(z.enum(ZONES as [string, ...string[]]), description, example);

/** A map keyed by resource names; names are checked by the semantic layer (ranges on keys). */
const named = <T extends z.ZodType>(value: T, description: string, example: Record<string, unknown>) =>
  doc(z.record(z.string(), value), description, example);

const bastionSchema = z
  .object({
    port: doc(z.number().int().min(1024).max(65535), 'TCP port of the SSH bastion on the gateway\'s public IP.', 61000),
    allowedIps: doc(z.array(z.string().regex(CIDR_SHAPE, 'expected an IPv4 CIDR such as 203.0.113.0/24')).optional(),
      'Source ranges allowed to reach the bastion. Empty or absent: nobody from outside.', ['203.0.113.0/24']),
  })
  .strict()
  .meta({ description: 'An SSH bastion on the Public Gateway, the only SSH entry into the Private Network.', examples: [{ port: 61000 }] });

const networkSchema = z
  .object({
    privateNetwork: z
      .object({
        subnet: doc(z.string().regex(CIDR_SHAPE, 'expected an IPv4 CIDR such as 10.0.0.0/24'),
          'IPv4 subnet of the project\'s Private Network. Must not overlap another project\'s.', '10.0.0.0/24'),
        name: doc(z.string().optional(), 'Name of the Private Network in Scaleway. Default: <project>-pn.', 'prod-pn'),
      })
      .strict()
      .meta({ description: 'The project\'s Private Network (VPC). Every project has one.', examples: [{ subnet: '10.0.0.0/24' }] }),
    publicGateway: z
      .object({
        type: doc(z.string().min(1), 'Public Gateway type, one the zone\'s gateway-types catalog offers; size it for the project\'s egress traffic.', 'VPC-GW-S'),
        reservedIp: doc(z.boolean().default(true),
          'Attach a reserved (flexible) IP so the gateway keeps its address; the hubs\' IPs are what load balancers admit.', true),
        bastion: bastionSchema.optional(),
        name: doc(z.string().optional(), 'Name of the gateway in Scaleway. Default: <project>-gw.', 'prod-gw'),
      })
      .strict()
      .meta({ description: 'The project\'s Public Gateway, attached to its Private Network; egress and bastion.', examples: [{ type: 'VPC-GW-S', reservedIp: true }] }),
  })
  .strict()
  .meta({ description: 'The project\'s network: one Private Network and one Public Gateway with a reserved IP.', examples: [{ privateNetwork: { subnet: '10.0.0.0/24' }, publicGateway: { type: 'VPC-GW-S' } }] });

const keySchema = z
  .object({
    usage: doc(z.enum(KEY_USAGES), 'What the key does (Key Manager usage).', 'symmetric_encryption'),
    rotationPeriod: duration('How often Key Manager rotates the key. At most 365d.', '90d'),
    description: doc(z.string().optional(), 'What this key protects.', 'Encrypts shared secrets'),
  })
  .strict()
  .meta({ description: 'A Key Manager key. Keys live in a project other than the workloads that use them.', examples: [{ usage: 'symmetric_encryption', rotationPeriod: '90d' }] });

const secretSchema = z
  .object({
    path: doc(z.string().regex(/^\/[A-Za-z0-9_/-]*$/, 'expected an absolute path such as /shared').default('/'), 'Folder of the secret in Secret Manager.', '/shared'),
    version: doc(z.union([z.number().int().min(1), z.literal('latest')]),
      'The version (revision) consumers read. Pin a number — `latest` changes under their feet.', 2),
    type: doc(z.enum(SECRET_TYPES).default('opaque'), 'Secret Manager secret type.', 'opaque'),
    encryptionKey: reference('The Key Manager key (project/key) that encrypts this secret.', 'security/secrets-key').optional(),
    replication: z
      .object({
        regions: doc(z.array(z.enum(REGIONS)).min(1), 'Regions that hold a replica of the secret.', ['nl-ams']),
      })
      .strict()
      .meta({ description: 'Where copies of the secret live, so it survives a region failure.', examples: [{ regions: ['nl-ams'] }] })
      .optional(),
    rotation: z
      .object({
        every: duration('How often the secret is rotated.', '90d').optional(),
        gracePeriod: doc(z.string().regex(DURATION_PATTERN, 'expected a duration such as 7d').default('7d'),
          'How long the previous version stays enabled after a rotation, before it is disabled.', '7d'),
        length: doc(z.number().int().min(16).max(4096).default(32), 'Length of a generated value.', 32),
        alphabet: doc(z.enum(SECRET_ALPHABETS).default('alphanumeric'), 'Characters of a generated value.', 'alphanumeric'),
      })
      .strict()
      .meta({ description: 'How `landing-zone rotate-secret` rotates this secret.', examples: [{ every: '90d', gracePeriod: '7d', length: 32 }] })
      .optional(),
    description: doc(z.string().optional(), 'What the secret is for and who reads it.', 'Elasticsearch credentials for log shippers'),
  })
  .strict()
  .meta({ description: 'A secret in Secret Manager. Only its metadata is here — never its value.', examples: [{ path: '/shared', version: 2, encryptionKey: 'security/secrets-key' }] });

const poolSchema = z
  .object({
    nodeType: doc(z.string().min(1), 'Instance type of the pool\'s nodes, one the zone\'s Instance catalog offers.', 'PRO2-S'),
    size: doc(z.number().int().min(0).max(150), 'Number of nodes (the initial size when autoscaling).', 3),
    autoscale: z
      .object({
        min: doc(z.number().int().min(0), 'Fewest nodes.', 3),
        max: doc(z.number().int().min(1).max(150), 'Most nodes.', 6),
      })
      .strict()
      .meta({ description: 'Autoscaling bounds; absent means a fixed size.', examples: [{ min: 3, max: 6 }] })
      .optional(),
    zone: zoneEnum('Zone of the pool\'s nodes. Default: the project\'s zone.', 'fr-par-1').optional(),
  })
  .strict()
  .meta({ description: 'A Kapsule node pool.', examples: [{ nodeType: 'PRO2-S', size: 3, autoscale: { min: 3, max: 6 } }] });

const loadBalancerSchema = z
  .object({
    type: doc(z.string().min(1), 'Load Balancer type, one the zone\'s lb-types catalog offers.', 'LB-S'),
    https: doc(z.boolean().default(true), 'Serve HTTPS on 443 with a managed certificate.', true),
    allowFrom: doc(z.array(projectName('A hub project whose Public Gateway IP the frontend ACL admits.', 'security')).default([]),
      'Hub projects whose Public Gateway IPs the frontend ACLs admit; everything else is denied.', ['security', 'devops']),
    domains: doc(z.array(z.string()).optional(), 'Host names for the managed certificate.', ['apps.example.com']),
  })
  .strict()
  .meta({ description: 'The HTTPS Load Balancer that exposes the cluster, with ACLs that admit only the hubs.', examples: [{ type: 'LB-S', https: true, allowFrom: ['security', 'devops'] }] });

const clusterSchema = z
  .object({
    version: doc(z.string().regex(/^\d+\.\d+$/, 'expected a Kubernetes minor version such as "1.35"'), 'Kubernetes minor version; Kapsule must offer one of its patches in the region (its versions catalog).', '1.35'),
    cni: doc(z.enum(CNIS).default('cilium'), 'Container network interface.', 'cilium'),
    pools: named(poolSchema, 'Node pools by name.', { default: { nodeType: 'PRO2-S', size: 3 } }),
    loadBalancer: loadBalancerSchema.optional(),
    keys: doc(z.array(reference('A key this workload may use (project/key).', 'security/app-data')).optional(),
      'Key Manager keys this cluster\'s workloads may use; drives their IAM policy.', ['security/app-data']),
  })
  .strict()
  .meta({ description: 'A Kubernetes Kapsule cluster on the project\'s Private Network.', examples: [{ version: '1.35', cni: 'cilium', pools: { default: { nodeType: 'PRO2-S', size: 3 } } }] });

const databaseSchema = z
  .object({
    engine: doc(z.string().min(1), 'Database engine and major version, one the region\'s database-engines catalog offers.', 'PostgreSQL-16'),
    nodeType: doc(z.string().min(1), 'Managed Database node type, one the region\'s RDB node-types catalog offers.', 'DB-PRO2-XXS'),
    ha: doc(z.boolean().default(false), 'A standby node in another zone with automatic failover.', true),
    encryptedAtRest: doc(z.boolean().default(true), 'Encrypt the volume and backups at rest (Scaleway-managed keys).', true),
    encryptionKey: reference('A Key Manager key (project/key) that the application uses to encrypt sensitive columns.', 'security/app-data').optional(),
    volume: z
      .object({
        type: doc(z.enum(['sbs_5k', 'sbs_15k', 'lssd']).default('sbs_5k'), 'Volume type.', 'sbs_5k'),
        sizeGb: doc(z.number().int().min(5).max(10000).default(20), 'Volume size in GB.', 20),
      })
      .strict()
      .meta({ description: 'Storage of the instance.', examples: [{ type: 'sbs_5k', sizeGb: 20 }] })
      .optional(),
    backups: z
      .object({
        everyHours: doc(z.number().int().min(1).max(24 * 7), 'Hours between automatic backups.', 24),
        retentionDays: doc(z.number().int().min(1).max(365), 'Days an automatic backup is kept.', 14),
        sameRegion: doc(z.boolean().default(true), 'Keep backups in the instance\'s region; false stores them in another region.', false),
      })
      .strict()
      .meta({ description: 'Automatic backups of the instance.', examples: [{ everyHours: 24, retentionDays: 14, sameRegion: false }] }),
    endpointSecret: reference('A secret (project/secret) that publishes host and port to consumers; a restore writes a new version.', 'prod/main-db-endpoint').optional(),
  })
  .strict()
  .meta({ description: 'A Managed Database for PostgreSQL or MySQL on the project\'s Private Network.', examples: [{ engine: 'PostgreSQL-16', nodeType: 'DB-PRO2-XXS', ha: true, backups: { everyHours: 24, retentionDays: 14 } }] });

const bucketSchema = z
  .object({
    versioning: doc(z.boolean().default(false), 'Keep every version of every object.', true),
    objectLock: doc(z.boolean().default(false), 'Write-once objects (needs versioning); protects backups from deletion.', true),
    region: regionEnum('Region of the bucket. Default: the project\'s region.', 'fr-par').optional(),
    name: doc(z.string().optional(),
      'Bucket name in Object Storage. Bucket names are global across every Scaleway customer and must be DNS-valid (3–63 lowercase letters, digits, dashes). Default: <organization>-<project>-<bucket>.',
      'acme-prod-velero'),
  })
  .strict()
  .meta({ description: 'An Object Storage bucket.', examples: [{ versioning: true, objectLock: true }] });

const ssoSchema = z
  .object({
    keycloak: z
      .object({
        protocols: doc(z.array(z.enum(SSO_PROTOCOLS)).min(1), 'Protocols the identity provider speaks to applications.', ['oidc', 'saml']),
        realm: doc(z.string().default('landing-zone'), 'Keycloak realm.', 'acme'),
      })
      .strict()
      .meta({ description: 'Keycloak as the central identity provider, in this (dedicated) project.', examples: [{ protocols: ['oidc', 'saml'] }] }),
  })
  .strict()
  .meta({ description: 'Central single sign-on.', examples: [{ keycloak: { protocols: ['oidc', 'saml'] } }] });

const projectSchema = z
  .object({
    role: doc(z.enum(PROJECT_ROLES), 'What the project is for. security and devops projects are the hubs.', 'environment'),
    description: doc(z.string().optional(), 'Shown in Scaleway as the project description.', 'Production workloads'),
    production: doc(z.boolean().optional(),
      'Holds production: stricter disaster-recovery rules (backups in another region, backups at least as frequent as the RPO). Default: true for environment projects whose name starts with prod.',
      true),
    region: regionEnum('Region of the project\'s resources. Default: defaults.region.', 'fr-par').optional(),
    zone: zoneEnum('Zone of the project\'s zoned resources. Default: defaults.zone.', 'fr-par-1').optional(),
    network: networkSchema.optional(),
    sso: ssoSchema.optional(),
    keys: named(keySchema, 'Key Manager keys by name.', { 'secrets-key': { usage: 'symmetric_encryption', rotationPeriod: '90d' } }).optional(),
    secrets: named(secretSchema, 'Secret Manager secrets by name (metadata only).', { 'elasticsearch-credentials': { path: '/shared', version: 2 } }).optional(),
    clusters: named(clusterSchema, 'Kapsule clusters by name.', { apps: { version: '1.35', pools: { default: { nodeType: 'PRO2-S', size: 3 } } } }).optional(),
    databases: named(databaseSchema, 'Managed Databases by name.', { main: { engine: 'PostgreSQL-16', nodeType: 'DB-PRO2-XXS', backups: { everyHours: 24, retentionDays: 14 } } }).optional(),
    buckets: named(bucketSchema, 'Object Storage buckets by name.', { velero: { versioning: true, objectLock: true } }).optional(),
  })
  .strict()
  .meta({ description: 'A Scaleway project with one role.', examples: [{ role: 'environment', network: { privateNetwork: { subnet: '10.10.0.0/22' }, publicGateway: { type: 'VPC-GW-S' } } }] });

const policyRuleSchema = z
  .object({
    permissionSets: doc(z.array(z.string().regex(/^[A-Za-z]+$/, 'expected a permission set name such as VPCFullAccess')).min(1),
      'IAM permission sets granted.', ['VPCFullAccess']),
    projects: doc(z.array(projectName('A project the rule applies to.', 'devops')).optional(), 'Projects the rule applies to.', ['devops']),
    organization: doc(z.boolean().optional(), 'Apply the rule to the whole organisation (avoid: least privilege).', false),
  })
  .strict()
  .meta({ description: 'One IAM rule: permission sets on projects.', examples: [{ permissionSets: ['VPCFullAccess'], projects: ['devops'] }] });

const applicationSchema = z
  .object({
    purpose: doc(z.string().min(1), 'The one thing this application does. One application, one purpose.', 'provision the devops project from CI'),
    policy: doc(z.array(policyRuleSchema).min(1), 'The least-privilege rules of the application\'s IAM policy.', [{ permissionSets: ['VPCFullAccess'], projects: ['devops'] }]),
    apiKey: z
      .object({
        storedIn: reference('The vault secret (project/secret) that holds the API key\'s secret key.', 'security/ci-scw-key'),
        expiresInDays: doc(z.number().int().min(1).max(365), 'Days until the API key expires; rotate before.', 90),
        defaultProject: projectName('Default project of the API key.', 'devops').optional(),
      })
      .strict()
      .meta({ description: 'The application\'s API key: never in code, kept in the vault.', examples: [{ storedIn: 'security/ci-scw-key', expiresInDays: 90 }] })
      .optional(),
  })
  .strict()
  .meta({ description: 'An IAM application: a single-purpose, least-privilege identity for a machine.', examples: [{ purpose: 'provision the devops project from CI', policy: [{ permissionSets: ['VPCFullAccess'], projects: ['devops'] }] }] });

const disasterRecoverySchema = z
  .object({
    velero: z
      .object({
        bucket: reference('The bucket (project/bucket) that Velero writes cluster backups to.', 'prod/velero'),
        schedule: cron('When Velero backs the clusters up (cron).', '0 */6 * * *'),
        ttl: duration('How long a Velero backup is kept.', '30d').optional(),
        clusters: doc(z.array(reference('A cluster (project/cluster) Velero backs up.', 'prod/apps')).optional(),
          'Clusters backed up. Default: every cluster of an environment project.', ['prod/apps']),
      })
      .strict()
      .meta({ description: 'Velero backups of the Kubernetes clusters.', examples: [{ bucket: 'prod/velero', schedule: '0 */6 * * *' }] })
      .optional(),
    backupCopy: z
      .object({
        project: projectName('The project that runs the copy function.', 'devops'),
        schedule: cron('When the Serverless Function copies backups (cron).', '0 3 * * *'),
        toRegion: regionEnum('The region that receives the copies.', 'nl-ams'),
        application: doc(z.string().regex(NAME_PATTERN, 'expected the name of an iam.applications entry').optional(),
          'The IAM application whose API key the function uses (apply puts the key from its apiKey.storedIn vault secret into the namespace\'s secret environment). Give it Object Storage in the Velero bucket\'s and this project, and RDB in the databases\' projects. Without it the function has no credentials and copies nothing.', 'backup-copy'),
      })
      .strict()
      .meta({ description: 'A scheduled Serverless Function that copies backups to another region.', examples: [{ project: 'devops', schedule: '0 3 * * *', toRegion: 'nl-ams', application: 'backup-copy' }] })
      .optional(),
    zoneFailure: z
      .object({ fallbackZone: zoneEnum('Where to restore after the primary zone fails.', 'fr-par-2') })
      .strict()
      .meta({ description: 'The plan after a zone failure: restore cluster and database in the fallback zone.', examples: [{ fallbackZone: 'fr-par-2' }] })
      .optional(),
    regionFailure: z
      .object({ fallbackRegion: regionEnum('Where to recreate the landing zone after a region failure.', 'nl-ams') })
      .strict()
      .meta({ description: 'The plan after a region failure or a deleted project.', examples: [{ fallbackRegion: 'nl-ams' }] })
      .optional(),
    objectives: z
      .object({
        rpo: duration('Recovery point objective: the most data you accept to lose.', '6h'),
        rto: duration('Recovery time objective: the longest acceptable outage.', '2h'),
      })
      .strict()
      .meta({ description: 'Recovery objectives that backups and runbooks are checked against.', examples: [{ rpo: '6h', rto: '2h' }] })
      .optional(),
  })
  .strict()
  .meta({ description: 'The disaster-recovery plan.', examples: [{ zoneFailure: { fallbackZone: 'fr-par-2' }, objectives: { rpo: '6h', rto: '2h' } }] });

const driftIgnoreSchema = z
  .object({
    resource: doc(z.string().regex(/^[a-z][a-z0-9-]*\/[a-z-]+(\/[a-z0-9-]+)?$/, 'expected a resource id such as prod/cluster/apps'),
      'The resource id (project/kind/name) as drift reports it.', 'prod/cluster/apps'),
    field: doc(z.string().optional(), 'The field to ignore; absent means every field of the resource.', 'pools.default.size'),
    reason: doc(z.string().min(1), 'Why this difference is accepted (shown in reports).', 'cluster autoscaler changes the size'),
    expires: doc(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-12-31').optional(),
      'After this date the ignore lapses and becomes a finding.', '2026-12-31'),
  })
  .strict()
  .meta({ description: 'A difference that drift detection accepts.', examples: [{ resource: 'prod/cluster/apps', field: 'pools.default.size', reason: 'autoscaler' }] });

/** The whole landing-zone.yaml document. */
export const landingZoneSchema = z
  .object({
    version: doc(z.literal(1), 'Format version of this file.', 1),
    organization: z
      .object({
        id: doc(z.string().regex(UUID_PATTERN, 'expected the organisation id, a UUID'), 'The Scaleway organisation id; commands refuse a profile of another organisation.', '11111111-2222-3333-4444-555555555555'),
        name: doc(z.string().min(1), 'A readable name for the organisation.', 'acme'),
      })
      .strict()
      .meta({ description: 'The Scaleway organisation this landing zone describes.', examples: [{ id: '11111111-2222-3333-4444-555555555555', name: 'acme' }] }),
    defaults: z
      .object({
        region: regionEnum('Primary region.', 'fr-par'),
        zone: zoneEnum('Primary zone; must be in the primary region.', 'fr-par-1'),
      })
      .strict()
      .meta({ description: 'Region and zone used where a project does not say otherwise.', examples: [{ region: 'fr-par', zone: 'fr-par-1' }] }),
    projects: named(projectSchema, 'The organisation\'s projects by name, each with one role.', { security: { role: 'security' } }),
    iam: z
      .object({
        applications: named(applicationSchema, 'IAM applications by name.', { 'gitlab-provisioner': { purpose: 'provision the devops project from CI', policy: [{ permissionSets: ['VPCFullAccess'], projects: ['devops'] }] } }).optional(),
      })
      .strict()
      .meta({ description: 'Identity and access management.', examples: [{ applications: {} }] })
      .optional(),
    disasterRecovery: disasterRecoverySchema.optional(),
    drift: z
      .object({ ignore: doc(z.array(driftIgnoreSchema).default([]), 'Accepted differences.', [{ resource: 'prod/cluster/apps', field: 'pools.default.size', reason: 'autoscaler' }]) })
      .strict()
      .meta({ description: 'Drift detection settings.', examples: [{ ignore: [] }] })
      .optional(),
    rules: doc(z.record(z.string(), z.enum(RULE_LEVELS)).optional(),
      'Rule selection for this file, as in an ESLint config: a rule id and off, info, warning or error. Syntax, schema and no-credentials cannot be changed. One finding is suppressed in place with a comment: # landing-zone-ignore <rule-id>: <reason>.',
      { 'monitoring-project': 'off', 'quota-policies': 'warning' }),
  })
  .strict()
  .meta({ title: 'Scaleway landing zone', description: 'A whole Scaleway organisation in one file: projects by role, hub-and-spoke network, IAM, keys, secrets and the disaster-recovery plan.', examples: [] });

/** A landing zone after defaults are applied (zod output type). */
export type LandingZone = z.output<typeof landingZoneSchema>;
export type Project = z.output<typeof projectSchema>;
export type Network = z.output<typeof networkSchema>;
export type KeySpec = z.output<typeof keySchema>;
export type SecretSpec = z.output<typeof secretSchema>;
export type ClusterSpec = z.output<typeof clusterSchema>;
export type PoolSpec = z.output<typeof poolSchema>;
export type LoadBalancerSpec = z.output<typeof loadBalancerSchema>;
export type DatabaseSpec = z.output<typeof databaseSchema>;
export type BucketSpec = z.output<typeof bucketSchema>;
export type ApplicationSpec = z.output<typeof applicationSchema>;
export type DisasterRecoverySpec = z.output<typeof disasterRecoverySchema>;
export type DriftIgnore = z.output<typeof driftIgnoreSchema>;

/**
 * The Object Storage name of a bucket: the explicit `name`, else `<organization>-<project>-<bucket>`,
 * because bucket names are global across every Scaleway customer and `velero` alone is taken.
 */
export function bucketName(organization: string, project: string, bucket: string, explicit?: string): string {
  return explicit ?? `${organization}-${project}-${bucket}`.toLowerCase();
}

/** Parses `90d` into seconds; undefined when it is not a duration. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return undefined;
  const unit = { m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

/** The JSON Schema (draft-07, what YAML tools understand) of the input format. */
export function landingZoneJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(landingZoneSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
