import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { exited, killHard, track } from './children.js';

// A private redis-server for one passive server of a run. It keeps an append-only file fsynced
// on every write: a store that forgot acknowledged writes after a restart would be an acceptor
// with amnesia, a fault Paxos does not tolerate, so a store restart must not lose anything.

export const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export function findRedisServer(): string | undefined {
  return REDIS_CANDIDATES.find((p) => existsSync(p));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True once the server answers PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    /** Addresses to listen on besides loopback (the run network's links to this store). */
    private readonly extraBind: readonly string[] = [],
  ) {}

  get spec(): string {
    return `redis:127.0.0.1:${this.port}`;
  }

  get up(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', ...this.extraBind, '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'no', '--daemonize', 'no'];
    const child = track(spawn(this.bin, args, { cwd: this.dir, stdio: 'ignore' }));
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    for (let i = 0; i < 100; i++) {
      if (await ping(this.port)) return;
      if (this.child !== child) throw new Error(`redis-server on port ${this.port} exited at start`);
      await sleep(50);
    }
    throw new Error(`redis-server on port ${this.port} did not answer`);
  }

  /** The store crashes: SIGKILL (what was fsynced to the append-only file survives). */
  async kill(): Promise<void> {
    if (this.child) await killHard(this.child);
    this.child = null;
    this.stopped = false;
  }

  pause(): void {
    if (this.child?.kill('SIGSTOP')) this.stopped = true;
  }

  resume(): void {
    if (this.stopped && this.child?.kill('SIGCONT')) this.stopped = false;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    this.resume();
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 3_000);
    await exited(c);
    clearTimeout(t);
    this.child = null;
  }
}
