import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfig, FromAgent, ToAgent } from '../agent/channel.js';
import { fromAgent } from '../agent/channel.js';
import { exited, killHard, track } from './children.js';

// One agent as a real OS process, forked with an IPC channel. Start waits for the agent's
// `ready` (its incarnation is durable by then); kill is SIGKILL, pause SIGSTOP, resume SIGCONT.

const READY_MS = 20_000;

/** The agent entry beside this file: TypeScript run through tsx from the sources, else compiled JS. */
function entry(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(`../agent/main.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

export interface AgentProcessEvents {
  onMessage(index: number, m: FromAgent): void;
  /** The process ended (killed, crashed or stopped). */
  onExit(index: number): void;
}

export class AgentProcess {
  private child: ChildProcess | null = null;
  private stopped = false;
  inc = -1;

  constructor(
    readonly index: number,
    private readonly cfg: AgentConfig,
    private readonly events: AgentProcessEvents,
    /** Runs the process inside a network namespace (`ip netns exec NS node …`): same pid, same IPC channel. */
    private readonly wrap?: { readonly execPath: string; readonly args: readonly string[] },
  ) {}

  get up(): boolean {
    return this.child !== null && this.child.connected;
  }

  get paused(): boolean {
    return this.stopped;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { file, execArgv } = entry();
    mkdirSync(this.cfg.dataDir, { recursive: true });
    // The agent's stderr goes to a file in its data directory: a crash leaves its stack there.
    const err = openSync(join(this.cfg.dataDir, 'stderr.log'), 'a');
    const how = this.wrap ? { execPath: this.wrap.execPath, execArgv: [...this.wrap.args, process.execPath, ...execArgv] } : { execArgv };
    const child = track(fork(file, [JSON.stringify(this.cfg)], { ...how, stdio: ['ignore', 'ignore', err, 'ipc'] }));
    closeSync(err);
    this.child = child;
    this.stopped = false;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.index} not ready after ${READY_MS} ms`)), READY_MS);
      child.on('message', (raw) => {
        const m = fromAgent.safeParse(raw);
        if (!m.success) return;
        if (m.data.t === 'ready') {
          this.inc = m.data.inc;
          clearTimeout(timer);
          resolve();
        }
        this.events.onMessage(this.index, m.data);
      });
      child.once('exit', () => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        this.events.onExit(this.index);
        reject(new Error(`agent ${this.index} exited before it was ready`));
      });
    });
    await ready;
  }

  /** False when the message certainly did not reach the agent (it is not running). */
  send(m: ToAgent): boolean {
    const c = this.child;
    if (c === null || !c.connected) return false;
    c.send(m, undefined, {}, () => undefined);
    return true;
  }

  async kill(): Promise<void> {
    const c = this.child;
    if (c === null) return;
    await killHard(c);
    this.stopped = false;
  }

  pause(): void {
    if (this.child?.kill('SIGSTOP')) this.stopped = true;
  }

  resume(): void {
    if (this.child?.kill('SIGCONT')) this.stopped = false;
  }

  /** Graceful stop: asks the agent to close its stores, then SIGKILL if it does not within 3 s. */
  async stop(): Promise<void> {
    const c = this.child;
    if (c === null) return;
    this.resume();
    this.send({ t: 'stop' });
    const timer = setTimeout(() => c.kill('SIGKILL'), 3_000);
    await exited(c);
    clearTimeout(timer);
  }
}
