import { lzIdOf } from '../../core/desired';
import type { ResourceKind } from '../../core/model';
import type { Region } from '../../core/schema';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import type { KubeReadSource } from '../kube-reads';

/*
 * What a reader of one product gets from the inventory (src/scaleway/inventory.ts), and what it
 * gives back. A reader lists its kinds in every region or zone the inventory reads, through the
 * read-only clients, and pushes one live resource per thing it finds, with its fields normalised
 * later and its references to other resources left as links the inventory resolves once
 * everything is read. Each list runs inside `guard`: a failure marks those kinds not checked
 * (there), instead of failing the whole read.
 */

/** A live resource as a reader found it, with the ids it refers to (translated into resource ids once everything is read). */
export interface Raw {
  live: LiveResource;
  links?: { field: string; kind: LinkKind; value: unknown }[];
}

export type LinkKind = 'private-network' | 'key-ref' | 'project-name' | 'acl-subnets' | 'backend-servers' | 'certificate-frontend';

/** A Kapsule cluster as the SDK lists it. */
export type Cluster = Awaited<ReturnType<ScalewayClients['k8s']['getCluster']>>;

export interface ReadContext {
  clients: ScalewayClients;
  organizationId: string;
  regions: readonly Region[];
  /** Every zone of those regions. */
  zones: readonly string[];
  push(r: Raw): void;
  /** Runs one list; a failure marks `kinds` not checked (in `region`, in `project` when given) with what Scaleway answered. */
  guard(kinds: ResourceKind[], fn: () => Promise<void>, region?: string, project?: { project: string; projectId: string }): Promise<void>;
  /** Scaleway project id → name, once the project list is read. */
  projectNames(): Promise<ReadonlyMap<string, string>>;
  /** A region's clusters, listed once for every reader that needs them. */
  clustersIn(region: Region): Promise<Cluster[]>;
  /** Each cluster's kubeconfig, fetched once for every reader. */
  kube: KubeReadSource;
}

/** The reader of one product: the kinds it reads, and how. */
export interface Reader {
  kinds: readonly ResourceKind[];
  read(ctx: ReadContext): Promise<void>;
}

/** A live resource's common part, from the fields every Scaleway list gives. */
export const base = (kind: ResourceKind, o: { id: string; projectId: string; name: string; tags?: string[]; region?: string; zone?: string; parentId?: string }): LiveResource => ({
  kind, scalewayId: o.id, lzId: lzIdOf(o.tags ?? []), naturalId: '', projectId: o.projectId, name: o.name,
  region: o.region, zone: o.zone, tags: o.tags ?? [], fields: {}, parentId: o.parentId,
});

/**
 * A key or secret that apply made as a replica carries `lz:id=<project>/<kind>-replica/…`: it is
 * read as that kind, so it is never mistaken for the primary (or for an unmanaged duplicate of it).
 */
export function replicaKind<K extends 'key' | 'secret'>(tags: readonly string[] | undefined, kind: K): K | `${K}-replica` {
  return lzIdOf(tags ?? [])?.split('/')[1] === `${kind}-replica` ? `${kind}-replica` : kind;
}

/** Pushes resources a reader built whole (the disaster-recovery kinds), their lz:id from their tags. */
export function pushAll(ctx: ReadContext, list: readonly LiveResource[]): void {
  for (const live of list) ctx.push({ live: { ...live, lzId: live.lzId ?? lzIdOf(live.tags) } });
}
