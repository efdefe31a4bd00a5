// Generated landing zones for the layout tests and bench/layout.ts: two hubs and n environment
// projects whose shapes vary (1–3 clusters, with or without load balancer, keys, database, bucket).
/** A valid landing zone with two hubs and `n` environment projects of varying shapes. */
export function generatedLandingZone(n: number): string {
  const lines = [
    'version: 1', 'organization: { id: 6a4c2f1e-8b3d-4e5f-9a7b-1c2d3e4f5a6b, name: generated }', 'defaults: { region: fr-par, zone: fr-par-1 }', 'projects:',
    '  security:', '    role: security', '    network: { privateNetwork: { subnet: 10.0.0.0/24 }, publicGateway: { type: VPC-GW-S, reservedIp: true } }',
    '    keys:', '      app-data: { usage: symmetric_encryption, rotationPeriod: 90d }',
    '  devops:', '    role: devops', '    network: { privateNetwork: { subnet: 10.0.1.0/24 }, publicGateway: { type: VPC-GW-S, reservedIp: true } }',
  ];
  for (let i = 0; i < n; i++) {
    const subnet = `10.${20 + Math.floor(i / 64)}.${(i % 64) * 4}.0/22`; // distinct /22s, no overlaps
    lines.push(`  env-${i}:`, '    role: environment', `    network: { privateNetwork: { subnet: ${subnet} }, publicGateway: { type: VPC-GW-S, reservedIp: true } }`);
    lines.push('    clusters:');
    for (let c = 0; c < 1 + (i % 3); c++) {
      lines.push(`      c${c}:`, '        version: "1.35"', '        pools: { default: { nodeType: PRO2-S, size: 3 } }');
      if ((i + c) % 2 === 0) lines.push('        loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops] }');
      if (i % 4 === 0) lines.push('        keys: [security/app-data]');
    }
    if (i % 2 === 1) lines.push('    databases:', '      main: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 24, retentionDays: 7, sameRegion: true } }');
    if (i % 5 === 0) lines.push('    buckets:', '      data: { versioning: true }');
  }
  return lines.join('\n') + '\n';
}
