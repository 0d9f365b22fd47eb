import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentNetwork, findIp, netnsUnavailable } from '../src/runtime/proc/network.js';

// The partition nemesis's network, for real: an agent in its own namespace reaches a store's
// address over its link, does not while the link is cut, and does again once it is healed.
// Machines without network namespaces (not root, no iproute2) skip, saying why.

const why = netnsUnavailable();
if (why !== null) console.log(`network.test.ts skipped: ${why}`);

/** Connects from inside the agent's namespace, as an agent process would: "ok" or the error code. */
function dialFrom(net: AgentNetwork, agent: number, host: string, port: number): string {
  const { execPath, args } = net.wrap(agent);
  const script = `const s=require('net').connect(${port},'${host}');s.setTimeout(700,()=>{console.log('timeout');process.exit(0)});s.on('connect',()=>{console.log('ok');process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
  return spawnSync(execPath, [...args, process.execPath, '-e', script], { encoding: 'utf8' }).stdout.trim();
}

describe.skipIf(why !== null)('the run network (network namespaces and veth links)', () => {
  let net: AgentNetwork;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    net = AgentNetwork.create(2, 2);
    server = createServer((c) => c.end());
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
    net.close();
  });

  it('agent i reaches store j at its own link, not through loopback', () => {
    expect(dialFrom(net, 0, net.storeAddress(0, 1), port)).toBe('ok');
    expect(dialFrom(net, 1, net.storeAddress(1, 0), port)).toBe('ok');
    expect(dialFrom(net, 0, '127.0.0.1', port)).not.toBe('ok'); // the namespace has its own loopback
  });

  it('a partition cuts exactly one agent from one store, and healing restores it', () => {
    net.partition(0, 1);
    expect(net.cut).toBe(1);
    expect(dialFrom(net, 0, net.storeAddress(0, 1), port)).not.toBe('ok');
    expect(dialFrom(net, 0, net.storeAddress(0, 0), port)).toBe('ok');
    expect(dialFrom(net, 1, net.storeAddress(1, 1), port)).toBe('ok');
    net.heal(0, 1);
    expect(net.cut).toBe(0);
    expect(dialFrom(net, 0, net.storeAddress(0, 1), port)).toBe('ok');
  });

  it('closing deletes every namespace it made', () => {
    const other = AgentNetwork.create(1, 1);
    const ns = other.namespaceOf(0);
    const list = (): string => execFileSync(findIp() as string, ['netns', 'list'], { encoding: 'utf8' });
    expect(list()).toContain(ns);
    other.close();
    expect(list()).not.toContain(ns);
  });
});
