import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RedisServer, findRedisServer, freePort } from '../proc/redis-server.js';
import type { AgentNetwork } from '../proc/network.js';

// The S independent passive servers of a run: S directories, S SQLite files, or S redis-servers
// started by the run on ports of their own (or servers the user names, which the run then does
// not own and cannot stop).

export interface RunStores {
  readonly scheme: 'dir' | 'sqlite' | 'redis';
  /** One spec per passive server, in server order. */
  readonly specs: readonly string[];
  /** Servers the run started and may stop, kill and pause (redis only). */
  readonly redis: readonly RedisServer[];
  /** SQLite files (for the lock fault). */
  readonly sqliteFiles: readonly string[];
  /** The specs agent `agent` opens: over the run network, each store at that agent's own link. */
  specsFor(agent: number): readonly string[];
  close(): Promise<void>;
}

/** Whether the run may put its agents on a network of their own: only stores it starts itself can listen there. */
export function networkedStore(store: string): boolean {
  return store === 'redis';
}

export async function setUpStores(store: string, servers: number, runDir: string, net?: AgentNetwork): Promise<RunStores> {
  const colon = store.indexOf(':');
  const scheme = (colon < 0 ? store : store.slice(0, colon)) as RunStores['scheme'];
  const rest = colon < 0 ? '' : store.slice(colon + 1);
  const range = Array.from({ length: servers }, (_, i) => i);
  const none = async (): Promise<void> => undefined;
  if (scheme === 'dir' || scheme === 'sqlite') {
    const base = rest === '' ? join(runDir, 'stores') : resolve(rest);
    mkdirSync(base, { recursive: true });
    const files = range.map((i) => join(base, scheme === 'dir' ? `s${i}` : `s${i}.db`));
    const specs = files.map((f) => `${scheme}:${f}`);
    return { scheme, specs, redis: [], sqliteFiles: scheme === 'sqlite' ? files : [], specsFor: () => specs, close: none };
  }
  if (rest !== '') {
    // Servers named by the user: one each, or one holding every passive server in namespaces.
    const hosts = rest.split(',');
    const specs = range.map((i) => `redis:${hosts[i % hosts.length] ?? ''}`);
    return { scheme, specs, redis: [], sqliteFiles: [], specsFor: () => specs, close: none };
  }
  const bin = findRedisServer();
  if (bin === undefined) throw new Error('redis-server is not installed (apt-get install redis-server), or name a server: --store redis:HOST:PORT');
  const started: RedisServer[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(started.map((r) => r.stop()));
  };
  try {
    for (const i of range) {
      const r = new RedisServer(bin, join(runDir, 'stores', `redis-${i}`), await freePort(), net?.listenAddresses(i));
      started.push(r);
      await r.start();
    }
  } catch (e) {
    await close();
    throw e;
  }
  const specs = started.map((r) => r.spec);
  const specsFor = (agent: number): string[] => (net ? started.map((r, j) => `redis:${net.storeAddress(agent, j)}:${r.port}`) : specs);
  return { scheme, specs, redis: started, sqliteFiles: [], specsFor, close };
}
