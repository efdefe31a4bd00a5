import { base, type Reader } from './reader';

const LB_KINDS = ['load-balancer', 'lb-backend', 'lb-frontend', 'lb-certificate', 'lb-acl'] as const;

/** Load balancers and, under each, its frontends (with their ACLs), backends and certificates, per zone. */
export const lbReader: Reader = {
  kinds: LB_KINDS,
  read: async (ctx) => {
    await Promise.all(ctx.zones.map((zone) => {
      const region = zone.replace(/-\d+$/, '');
      return ctx.guard([...LB_KINDS], async () => {
        // load balancers → frontends → ACLs is the longest chain of lists: it goes first
        const lbs = await ctx.clients.at(3).lb.listLbs({ zone, organizationId: ctx.organizationId, pageSize: 100 }).all();
        await Promise.all(lbs.map(async (lb) => {
          const live = base('load-balancer', { ...lb, region, zone });
          live.fields = { type: lb.type };
          live.attrs = { ip: lb.ip[0]?.ipAddress, status: lb.status };
          ctx.push({ live });
          const [frontends, certificates] = await Promise.all([
            ctx.clients.at(2).lb.listFrontends({ zone, lbId: lb.id, pageSize: 100 }).all(),
            ctx.clients.at(2).lb.listCertificates({ zone, lbId: lb.id, pageSize: 100 }).all(),
          ]);
          // each frontend carries its whole backend: the backend list is read only when the LB
          // counts more backends than its frontends use (a leftover, or one made by hand)
          const used = new Map(frontends.flatMap((f) => (f.backend ? [[f.backend.id, f.backend] as const] : [])));
          const backends = lb.backendCount > used.size
            ? await ctx.clients.at(2).lb.listBackends({ zone, lbId: lb.id, pageSize: 100 }).all()
            : [...used.values()];
          for (const be of backends) {
            const b = base('lb-backend', { id: be.id, projectId: lb.projectId, name: be.name, region, zone, parentId: lb.id });
            b.fields = { forwardProtocol: be.forwardProtocol, forwardPort: be.forwardPort };
            b.attrs = { lb: lb.name };
            ctx.push({ live: b, links: [{ field: 'servers', kind: 'backend-servers', value: [...be.pool] }] });
          }
          for (const cert of certificates) {
            const ct = base('lb-certificate', { id: cert.id, projectId: lb.projectId, name: cert.name, region, zone, parentId: lb.id });
            // the API spells the Let's Encrypt type `letsencryt`; the SAN list may repeat the common name
            ct.fields = {
              type: cert.type === 'custom' ? 'custom' : 'letsencrypt', commonName: cert.commonName,
              subjectAlternativeNames: cert.subjectAlternativeName.filter((n) => n !== cert.commonName), status: cert.status,
            };
            ct.attrs = { lb: lb.name, ...(cert.statusDetails ? { statusDetails: cert.statusDetails } : {}) };
            const attachedTo = frontends.filter((f) => (f.certificateIds ?? []).includes(cert.id)).map((f) => f.name).sort();
            ctx.push({ live: ct, links: [{ field: 'frontend', kind: 'certificate-frontend', value: attachedTo }] });
          }
          await Promise.all(frontends.map(async (fe) => {
            const f = base('lb-frontend', { id: fe.id, projectId: lb.projectId, name: fe.name, region, zone, parentId: lb.id });
            f.fields = { inboundPort: fe.inboundPort };
            f.attrs = { lb: lb.name, backendId: fe.backend?.id, certificateIds: fe.certificateIds ?? [] };
            ctx.push({ live: f });
            for (const acl of await ctx.clients.at(1).lb.listAcls({ zone, frontendId: fe.id, pageSize: 100 }).all()) {
              const a = base('lb-acl', { id: acl.id, projectId: lb.projectId, name: acl.name, region, zone, parentId: fe.id });
              a.fields = { action: acl.action?.type ?? 'allow', index: acl.index };
              a.attrs = { lb: lb.name, frontend: fe.name };
              ctx.push({ live: a, links: [{ field: 'match', kind: 'acl-subnets', value: acl.match?.ipSubnet ?? [] }] });
            }
          }));
        }));
      }, region);
    }));
  },
};
