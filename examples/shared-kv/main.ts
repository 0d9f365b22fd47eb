import { openSharedKv } from './kv.js';

// One process of the example: `main.ts AGENT_ID DATA_DIR COUNT TOTAL STORE_SPEC...`. It writes
// COUNT keys of its own, reads one back, waits until the log holds TOTAL writes (its own and the
// other processes'), and prints what it sees as one JSON line.

const [id = '0', dataDir = '', count = '5', total = '10', ...stores] = process.argv.slice(2);
const me = Number(id);
const kv = await openSharedKv({ agentId: me, dataDir, stores, agents: 2 });
for (let i = 0; i < Number(count); i++) await kv.put(`p${me}-k${i}`, `v${i}`);
const own = await kv.get(`p${me}-k0`);
// Every process appends COUNT puts and one get: TOTAL writes plus one read per process.
await kv.waitFor(Number(total) + 2, 20_000);
process.stdout.write(JSON.stringify({ me, own, state: kv.snapshot() }) + '\n');
await kv.close();
