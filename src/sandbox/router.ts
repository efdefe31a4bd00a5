import type { Route } from './context';

interface Compiled {
  route: Route;
  segments: string[];
}

/**
 * Matches `/a/{x}/b` patterns segment by segment. Routes are bucketed by method and segment
 * count, and literal segments win over parameters so `/secrets/browse` beats `/secrets/{id}`.
 */
export class Router {
  private readonly buckets = new Map<string, Compiled[]>();

  constructor(routes: Route[]) {
    for (const route of routes) {
      const segments = route.pattern.split('/').filter(Boolean);
      const key = `${route.method} ${segments.length}`;
      const list = this.buckets.get(key) ?? [];
      list.push({ route, segments });
      this.buckets.set(key, list);
    }
    for (const list of this.buckets.values()) {
      // more literal segments first
      const literals = (c: Compiled) => c.segments.filter((s) => !s.startsWith('{')).length;
      list.sort((a, b) => literals(b) - literals(a));
    }
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    const list = this.buckets.get(`${method} ${parts.length}`);
    if (!list) return undefined;
    outer: for (const c of list) {
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i += 1) {
        const seg = c.segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith('{')) {
          let value: string;
          try {
            value = decodeURIComponent(part);
          } catch {
            continue outer;
          }
          params[seg.slice(1, -1)] = value;
        } else if (seg !== part) continue outer;
      }
      return { route: c.route, params };
    }
    return undefined;
  }

  /** True when some route exists for this path with another method (for a 405 rather than a 404). */
  knowsPath(path: string): boolean {
    const n = path.split('/').filter(Boolean).length;
    for (const [key, list] of this.buckets) {
      if (!key.endsWith(` ${n}`)) continue;
      const method = key.split(' ')[0]!;
      if (list.length && this.match(method, path)) return true;
    }
    return false;
  }
}
