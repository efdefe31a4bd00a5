// Imported first by main.ts: zod probes for eval while schemas are being defined, and the CSP
// forbids eval (the caught probe is still reported as a violation). jitless skips the probe.
import { z } from 'zod';

z.config({ jitless: true });
