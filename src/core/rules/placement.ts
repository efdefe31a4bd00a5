import type { DocPath } from '../document';
import type { Issue } from '../issues';
import { ZONES_BY_REGION, type Region } from '../schema';
import { replaceValue, setKey } from './edits';
import { entriesOf, finding, list, valueAt, type ModelRule } from './rule';

const regionOfZone = (zone: string): Region | undefined =>
  (Object.keys(ZONES_BY_REGION) as Region[]).find((r) => ZONES_BY_REGION[r].includes(zone));

/**
 * A zone belongs to one region: the defaults, each project, and each pool must agree, because a
 * resource is created in its project's region and its nodes can only join a zone of that region.
 */
const zoneRegion: ModelRule = {
  id: 'zone-region',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'A zone must be in the region of the resources that use it, or Scaleway rejects the request.',
  fix: 'Pick a zone of the region (fr-par-1…3, nl-ams-1…3, pl-waw-1…3, it-mil-1), or set the project\'s `zone` with its `region`.',
  check({ model, source }) {
    const { spec } = model;
    const out: Issue[] = [];
    const mismatch = (zone: string, region: Region, path: DocPath, what: string) => {
      const zones = ZONES_BY_REGION[region];
      const suggestion = zones[0]!;
      out.push(finding(zoneRegion, valueAt(source, path), `${what}: zone ${zone} is not in region ${region} (its zones: ${list([...zones], 'or')}).`,
        { title: `Change to ${suggestion}`, edits: replaceValue(source, path, suggestion) }));
    };
    if (regionOfZone(spec.defaults.zone) !== spec.defaults.region) {
      mismatch(spec.defaults.zone, spec.defaults.region, ['defaults', 'zone'], 'defaults.zone');
    }
    for (const [pname, p] of entriesOf(spec.projects)) {
      const { region, zone } = model.placement[pname]!;
      // Only report at the project when the project itself sets region or zone; a bad default is reported once above.
      if (p.zone !== undefined && regionOfZone(zone) !== region) {
        mismatch(zone, region, ['projects', pname, 'zone'], `projects.${pname}.zone`);
      } else if (p.region !== undefined && regionOfZone(zone) !== region) {
        // The project moved region but inherits the default zone: point at the region and add a zone.
        const zoneText = ZONES_BY_REGION[region][0]!;
        out.push(finding(zoneRegion, valueAt(source, ['projects', pname, 'region']),
          `projects.${pname} is in region ${region} but inherits zone ${zone} from defaults; set its zone (${list([...ZONES_BY_REGION[region]], 'or')}).`,
          { title: `Add zone: ${zoneText}`, edits: setKey(source, ['projects', pname], 'zone', zoneText) }));
      }
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        for (const [poolName, pool] of Object.entries(c.pools)) {
          if (pool.zone !== undefined && regionOfZone(pool.zone) !== region) {
            mismatch(pool.zone, region, ['projects', pname, 'clusters', cname, 'pools', poolName, 'zone'], `Pool ${pname}/${cname}/${poolName} (project region ${region})`);
          }
        }
      }
    }
    return out;
  },
};

/** After a zone failure the cluster and database come back in another zone of the same region. */
const drFallbackZone: ModelRule = {
  id: 'dr-fallback-zone',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'A zone-failure restore happens in the primary region, in a zone other than the one that failed.',
  fix: 'Set zoneFailure.fallbackZone to another zone of the primary region.',
  check({ model, source }) {
    const fallback = model.spec.disasterRecovery?.zoneFailure?.fallbackZone;
    if (!fallback) return [];
    const { region, zone } = model.spec.defaults;
    const path = ['disasterRecovery', 'zoneFailure', 'fallbackZone'];
    const others = ZONES_BY_REGION[region].filter((z) => z !== zone);
    const fix = others[0] ? { title: `Change to ${others[0]}`, edits: replaceValue(source, path, others[0]) } : { title: `${region} has a single zone: plan for a region failure instead.` };
    if (fallback === zone) {
      return [finding(drFallbackZone, valueAt(source, path), `zoneFailure.fallbackZone is the primary zone ${zone}: a zone failure would take the fallback down too.${others.length ? ` Use ${list(others, 'or')}.` : ''}`, fix)];
    }
    if (regionOfZone(fallback) !== region) {
      return [finding(drFallbackZone, valueAt(source, path), `zoneFailure.fallbackZone ${fallback} is not in the primary region ${region}; a zone-failure restore stays in the region${others.length ? ` (${list(others, 'or')})` : ''}. Region failures are regionFailure's job.`, fix)];
    }
    return [];
  },
};

export const placementRules: ModelRule[] = [zoneRegion, drFallbackZone];
