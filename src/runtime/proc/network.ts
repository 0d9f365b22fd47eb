import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Real network partitions between agents and network stores, made with Linux network
// namespaces and nothing else from iproute2 (no iptables, no netem). Each agent process runs in
// a namespace of its own, and each (agent, store) pair has its own point-to-point veth link:
// agent i reaches store j only at the root-side address of link (i, j). Cutting a partition is
// taking that one link down. Packets sent while the link is down are lost, TCP retransmits
// them, and when the link comes back up they arrive late. A store op the agent gave up on can
// then still take effect long after it was sent, the way a message delayed in a real network
// does.

export const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

export function findIp(): string | undefined {
  return IP_CANDIDATES.find((p) => existsSync(p));
}

let probed: string | null | undefined;

/** Why partitions cannot be made here, or null when they can (root, iproute2, netns works). */
export function netnsUnavailable(): string | null {
  if (probed !== undefined) return probed;
  const ip = findIp();
  if (ip === undefined) probed = 'iproute2 (the ip command) is not installed';
  else if (process.getuid?.() !== 0) probed = 'network namespaces need root';
  else {
    const name = `pxprobe${process.pid}`;
    try {
      execFileSync(ip, ['netns', 'add', name], { stdio: 'pipe' });
      execFileSync(ip, ['netns', 'del', name], { stdio: 'pipe' });
      probed = null;
    } catch (e) {
      probed = `ip netns add failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
    }
  }
  return probed;
}

let runs = 0;
const open = new Set<AgentNetwork>();
let hooked = false;

/** Namespaces outlive their process: whatever way the run ends, the exit hook deletes them. */
function remember(n: AgentNetwork): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const x of open) x.close();
    });
  }
  open.add(n);
}

export class AgentNetwork {
  private readonly ip: string;
  private readonly id: string;
  private readonly spaces: string[] = [];
  private readonly down = new Set<string>();
  /** Second octet of the run's 10.X.0.0/16. */
  private readonly net: number;

  private constructor(
    readonly agents: number,
    readonly stores: number,
  ) {
    this.ip = findIp() as string;
    this.id = `${(process.pid % 46656).toString(36)}${(runs++ % 36).toString(36)}`;
    this.net = freeNet(this.ip);
  }

  /** Namespaces and links for `agents` × `stores`; throws (after cleaning up) if any step fails. */
  static create(agents: number, stores: number): AgentNetwork {
    const n = new AgentNetwork(agents, stores);
    remember(n);
    try {
      for (let i = 0; i < agents; i++) n.addAgent(i);
    } catch (e) {
      n.close();
      throw e;
    }
    return n;
  }

  private run(args: readonly string[]): void {
    execFileSync(this.ip, args, { stdio: 'pipe' });
  }

  private addAgent(i: number): void {
    const ns = this.namespaceOf(i);
    this.run(['netns', 'add', ns]);
    this.spaces.push(ns);
    this.run(['-n', ns, 'link', 'set', 'lo', 'up']);
    for (let j = 0; j < this.stores; j++) {
      const link = this.linkOf(i, j);
      this.run(['link', 'add', link, 'type', 'veth', 'peer', 'name', `s${j}`, 'netns', ns]);
      this.run(['addr', 'add', `${this.storeAddress(i, j)}/30`, 'dev', link]);
      this.run(['-n', ns, 'addr', 'add', `${this.agentAddress(i, j)}/30`, 'dev', `s${j}`]);
      this.run(['link', 'set', link, 'up']);
      this.run(['-n', ns, 'link', 'set', `s${j}`, 'up']);
    }
  }

  namespaceOf(agent: number): string {
    return `px${this.id}a${agent}`;
  }

  private linkOf(agent: number, store: number): string {
    return `px${this.id}a${agent}s${store}`;
  }

  /** Where agent `agent` reaches store `store`: the root side of their link. */
  storeAddress(agent: number, store: number): string {
    return `10.${this.net}.${agent}.${store * 4 + 1}`;
  }

  private agentAddress(agent: number, store: number): string {
    return `10.${this.net}.${agent}.${store * 4 + 2}`;
  }

  /** One line for the history: where the run's agents live. */
  describe(): string {
    return `run network: agents in namespaces ${this.spaces.join(', ')}, one veth link per agent and store in 10.${this.net}.0.0/16`;
  }

  /** Every address a store must listen on (besides loopback) to be reachable by every agent. */
  listenAddresses(store: number): string[] {
    return Array.from({ length: this.agents }, (_, i) => this.storeAddress(i, store));
  }

  /** The argv prefix that runs a program inside the agent's namespace. */
  wrap(agent: number): { execPath: string; args: string[] } {
    return { execPath: this.ip, args: ['netns', 'exec', this.namespaceOf(agent)] };
  }

  partition(agent: number, store: number): void {
    this.run(['link', 'set', this.linkOf(agent, store), 'down']);
    this.down.add(this.linkOf(agent, store));
  }

  heal(agent: number, store: number): void {
    this.run(['link', 'set', this.linkOf(agent, store), 'up']);
    this.down.delete(this.linkOf(agent, store));
  }

  /** Partitions in force now. */
  get cut(): number {
    return this.down.size;
  }

  /** Deletes the namespaces; their veth links go with them. Safe to call twice. */
  close(): void {
    for (const ns of this.spaces.splice(0)) {
      try {
        this.run(['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
    this.down.clear();
    open.delete(this);
  }
}

/** A 10.X.0.0/16 no interface of this host has an address in. */
function freeNet(ip: string): number {
  const used = execFileSync(ip, ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  for (let k = 0; k < 150; k++) {
    const x = 100 + ((process.pid + runs * 7 + k) % 150);
    if (!used.includes(` 10.${x}.`)) return x;
  }
  throw new Error('no free 10.X.0.0/16 for the run network');
}
