import type { ScalewayClients } from '../client';
import { OperationError } from './context';

/*
 * Finding what the file names in the account. A landing-zone project is the Scaleway project of
 * the same name in the profile's organisation; named resources are matched by exact name.
 */

export async function projectIdByName(c: ScalewayClients, name: string): Promise<string> {
  const list = await c.account.listProjects({ organizationId: c.profile.organizationId, name }).all();
  const hit = list.find((p) => p.name === name);
  if (!hit) throw new OperationError(`project "${name}" does not exist in organisation ${c.profile.organizationId}; create it with landing-zone apply first`);
  return hit.id;
}

export async function findSecret(c: ScalewayClients, projectId: string, region: string, name: string, path: string) {
  const list = await c.secret.listSecrets({ region: region as never, projectId, name, scheduledForDeletion: false }).all();
  return list.find((s) => s.name === name && (s.path ?? '/') === path) ?? list.find((s) => s.name === name);
}

export async function mustFindSecret(c: ScalewayClients, projectId: string, region: string, ref: string, path: string) {
  const name = ref.split('/')[1]!;
  const s = await findSecret(c, projectId, region, name, path);
  if (!s) throw new OperationError(`secret ${ref} (path ${path}) does not exist in Secret Manager (${region}); create it with landing-zone apply first`);
  return s;
}
