import { pushAll, type Reader } from './reader';
import { readVeleroInstalls } from './velero-install';
import { readVeleroSchedules } from './velero-schedules';

/*
 * Velero in each ready cluster of a region (its install, read in velero-install.ts, and its
 * Schedules, in velero-schedules.ts), through the cluster's Kubernetes API: the clusters come from
 * the list the Kubernetes reader made, the kubeconfig of each is fetched once for both.
 */

export const veleroReader: Reader = {
  kinds: ['velero-install', 'velero-schedule'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.flatMap((region) => [
      ctx.guard(['velero-schedule'], async () => pushAll(ctx, await readVeleroSchedules(ctx.clients, region, await ctx.clustersIn(region), ctx.kube)), region),
      ctx.guard(['velero-install'], async () => pushAll(ctx, await readVeleroInstalls(ctx.clients, region, await ctx.clustersIn(region), ctx.kube)), region),
    ]));
  },
};
