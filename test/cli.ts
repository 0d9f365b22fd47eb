import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the real CLI in a child process, as a user would. */
export function paxcheck(args: readonly string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'paxcheck.mjs'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
