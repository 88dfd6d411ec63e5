// Every migration, in order. Imported statically so the same list works under tsx, vitest and
// a bundler; a test checks this list matches the files in this folder.
import type { Migration } from 'kysely';
import * as m2026_11_22_1800 from './2026_11_22_1800_create_core_schema.ts';
import * as m2026_11_22_1900 from './2026_11_22_1900_add_notifications.ts';
import * as m2026_11_22_2000 from './2026_11_22_2000_add_compliance.ts';
import * as m2026_11_22_2100 from './2026_11_22_2100_add_performance_indexes.ts';
import * as m2026_11_22_2200 from './2026_11_22_2200_add_melder_hot_path_functions.ts';

export const migrations: Record<string, Migration> = {
  '2026_11_22_1800_create_core_schema': m2026_11_22_1800,
  '2026_11_22_1900_add_notifications': m2026_11_22_1900,
  '2026_11_22_2000_add_compliance': m2026_11_22_2000,
  '2026_11_22_2100_add_performance_indexes': m2026_11_22_2100,
  '2026_11_22_2200_add_melder_hot_path_functions': m2026_11_22_2200,
};
