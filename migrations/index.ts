// Every migration, in order. Imported statically so the same list works under tsx, vitest and
// a bundler; a test checks this list matches the files in this folder.
import type { Migration } from 'kysely';
import * as m2026_11_22_1800 from './2026_11_22_1800_create_core_schema.ts';

export const migrations: Record<string, Migration> = {
  '2026_11_22_1800_create_core_schema': m2026_11_22_1800,
};
