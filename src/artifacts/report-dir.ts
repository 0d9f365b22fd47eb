import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The JSON files in `<dir>/<sub>/` (failures, shards, …), sorted by name; none if it is missing. */
export function jsonFilesIn(dir: string, sub: string): string[] {
  const folder = join(dir, sub);
  try {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
}
