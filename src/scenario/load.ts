import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './schema.js';
import { scenarioSchema } from './schema.js';
import { InputError } from '../errors.js';

export const scenariosDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');


export function parseScenario(text: string, source: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new InputError(`${source}: invalid field "${field}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function builtInScenarioNames(): string[] {
  return readdirSync(scenariosDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** A built-in scenario by name, or a JSON file by path. */
export function loadScenario(nameOrFile: string): Scenario {
  const looksLikeFile = nameOrFile.includes('/') || nameOrFile.endsWith('.json');
  const path = looksLikeFile ? resolve(nameOrFile) : join(scenariosDir, `${nameOrFile}.json`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (looksLikeFile) throw new InputError(`cannot read scenario file ${nameOrFile}`);
    throw new InputError(`unknown scenario "${nameOrFile}" (known: ${builtInScenarioNames().join(', ')})`);
  }
  return parseScenario(text, looksLikeFile ? nameOrFile : `scenarios/${nameOrFile}.json`);
}
