import type { Writer } from './writer';
import { declared, gone } from './writer';

export const projectWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.account.listProjects({ organizationId: ctx.organizationId, name: op.name }).all();
    const p = list.find((x) => x.name === op.name);
    return p ? { scalewayId: p.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const p = await ctx.clients.account.createProject({ name: op.name, organizationId: ctx.organizationId, description: String(declared(op, ctx).description ?? '') });
    return { scalewayId: p.id, attrs: {} };
  },
  async update(op, ctx) {
    await ctx.clients.account.updateProject({ projectId: op.scalewayId!, description: String(declared(op, ctx).description ?? '') });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.account.deleteProject({ projectId: op.scalewayId! }));
  },
};
