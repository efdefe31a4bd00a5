import { childName, LZ_MANAGED_TAG, LZ_ID_PREFIX } from '../../core/desired';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import { kubeReadSource, type KubeReadSource } from '../kube-reads';
import type { Cluster } from './reader';
import { durationOfGo, idOfLabel, listSchedules, LZ_ID_LABEL } from './velero-objects';

/*
 * Velero Schedules of every ready cluster of a region, from the list the cluster reader made (a
 * cluster that is still provisioning has no Velero yet). Read through the read-only K8s client
 * (the kubeconfig is a GET) and a Kubernetes list: nothing here writes.
 */

export async function readVeleroSchedules(c: ScalewayClients, region: string, clusters: readonly Cluster[], kube: KubeReadSource = kubeReadSource(c)): Promise<LiveResource[]> {
  const out: LiveResource[] = [];
  await Promise.all(clusters.filter((k) => k.status === 'ready').map(async (k) => {
    for (const s of await listSchedules(await kube(region, k.id))) {
      const id = s.labels[LZ_ID_LABEL];
      out.push({
        kind: 'velero-schedule', scalewayId: `${k.id}/${s.name}`, naturalId: '', projectId: k.projectId, name: childName(k.name, s.name), region,
        tags: id ? [LZ_MANAGED_TAG, `${LZ_ID_PREFIX}${idOfLabel(id)}`] : [], parentId: k.id,
        fields: { schedule: s.schedule, ttl: durationOfGo(s.ttl) ?? null, bucket: s.storageLocation ?? null },
        attrs: { clusterId: k.id, cluster: k.name, schedule: s.name, paused: s.paused },
      });
    }
  }));
  return out;
}
