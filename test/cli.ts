import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the real CLI in a child process, as a user would. */
export function paxcheck(args: readonly string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'paxcheck.mjs'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the real CLI without waiting for it (signals tests talk to the running process). */
export function startPaxcheck(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'paxcheck.mjs'), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Runs the real CLI in a child process and resolves when it exits (killed after `timeoutMs`). */
export function paxcheckAsync(args: readonly string[], cwd?: string, timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { child, done } = startPaxcheck(args, env, cwd);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return done.finally(() => clearTimeout(timer));
}

/** Runs `jobs` with at most `width` at a time; results in job order. */
export async function pool<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}

/**
 * A scratch folder and a private copy of the user-protocol fixture (a module path of its own, so
 * that test files running at once never share a loaded module), both removed by `cleanup`.
 */
export function scratchWithUserProtocol(tag: string): { readonly root: string; readonly protocolArg: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), `paxcheck-${tag}-`));
  const name = `.${tag}-protocol-${process.pid}.ts`;
  const copy = join(__dirname, 'fixtures', name);
  copyFileSync(join(__dirname, 'fixtures', 'user-protocol.ts'), copy);
  return {
    root,
    protocolArg: `./test/fixtures/${name}`,
    cleanup: () => {
      rmSync(root, { recursive: true, force: true });
      rmSync(copy, { force: true });
    },
  };
}
