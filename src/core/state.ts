import type { ResourceKind } from './model';

/*
 * The shapes that drift, plan, apply, import, the diagram overlay and the editor share.
 * Desired resources come from the model (src/core/desired.ts); live resources from the
 * inventory readers (src/scaleway); both use the same resource ids (`<project>/<kind>/<name>`).
 */

/** One resource the file asks for. */
export interface DesiredResource {
  /** Stable id, e.g. `prod/cluster/apps`; also the `lz:id=` tag value. */
  id: string;
  kind: ResourceKind;
  /** The landing-zone project name that owns it. */
  project: string;
  /** Name in Scaleway (e.g. `prod-pn`) — what untagged resources are matched by. */
  name: string;
  region: string;
  /** Present for zoned resources (gateways, IPs, load balancers, pools' nodes…). */
  zone?: string;
  /** The comparable fields, already normalised (e.g. ACL subnets without `/32`). */
  fields: Record<string, unknown>;
  /** Ids of resources that must exist before this one (project → private network → …). */
  dependsOn: string[];
  /** Where the file declares it, for diagnostics and "reveal in editor". */
  path: (string | number)[];
}

/** One resource read from the account. */
export interface LiveResource {
  kind: ResourceKind;
  /** The Scaleway id (UUID). */
  scalewayId: string;
  /** The `lz:id=` tag when the tool created or adopted it. */
  lzId?: string;
  /**
   * The id its project, parents and own name give it (`prod/pool/apps-default`): what an
   * untagged resource is matched by, and its id in reports when it is unmanaged.
   */
  naturalId: string;
  /** Owning Scaleway project: its id, and its name when known. */
  projectId: string;
  projectName?: string;
  name: string;
  region?: string;
  zone?: string;
  tags: string[];
  /** Comparable fields, normalised the same way as DesiredResource.fields. */
  fields: Record<string, unknown>;
  /** The Scaleway id of the parent (the cluster of a pool, the LB of a frontend…). */
  parentId?: string;
  /** Values that are not compared but that writers and import need (an IP's address, a status). */
  attrs?: Record<string, unknown>;
  /**
   * Set when Scaleway created and owns it (a managed IAM policy or application, the default
   * project): why, in a few words. Such a resource is never unmanaged drift, never imported and
   * never deleted: the landing zone neither declares nor controls it.
   */
  scalewayManaged?: string;
}

/** A kind the inventory could not read, with the reason (permission denied, not supported…). */
export interface NotChecked {
  kind: ResourceKind;
  /** Only this region (or a zone of it) could not be read; absent: nowhere. */
  region?: string;
  /**
   * Only this project could not be read (a key scoped to some projects: Scaleway lists what it
   * may see and answers 403 when asked for one project it may not); absent: every project.
   * `project` is the landing-zone name, `projectId` Scaleway's.
   */
  project?: string;
  projectId?: string;
  /** Only this resource (its id, `prod/secret/main-db-endpoint`): it names one that could not be read. */
  id?: string;
  reason: string;
  /**
   * `denied`: Scaleway answered 403; `failed`: another error; `depends`: its read needs another
   * kind (`dependsOn`) that could not be read; `not-read`: this version has no reader for it.
   * Absent (older callers): treated as `failed`.
   */
  cause?: 'denied' | 'failed' | 'depends' | 'not-read';
  /** The HTTP status Scaleway answered, when there was an answer. */
  status?: number;
  /** Scaleway's own words: the error body's type and message (never a credential). */
  scalewayMessage?: string;
  /** Permission sets any one of which lets this read through. */
  needs?: string[];
  /** Where those permission sets must be granted: organisation-wide, or on the projects to read. */
  scope?: 'organization' | 'projects';
  dependsOn?: ResourceKind;
}

/** What the read-only client saw of the account at one moment. */
export interface Inventory {
  organizationId: string;
  resources: LiveResource[];
  notChecked: NotChecked[];
  /** ISO time the reads finished. */
  readAt: string;
}
