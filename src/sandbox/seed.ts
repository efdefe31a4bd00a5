import { z } from 'zod';
import type { Store } from './store';

/** Placeholder replaced below. */
export type SeedDoc = z.infer<typeof seedSchema>;
const seedSchema = z.object({ version: z.literal(1) });
export function parseSeed(v: unknown): SeedDoc { return seedSchema.parse(v); }
export function applySeed(_store: Store, _doc: SeedDoc, _now: number, _ownKey: string): void {}
