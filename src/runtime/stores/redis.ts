import { createClient } from 'redis';
import { z } from 'zod';
import type { Json, ServerKind, ServerReply, ServerRequest } from '../../kernel/types.js';
import { clampFrom, decodeJson, encodeJson } from './store.js';
import type { Store } from './store.js';

// A store on a Redis server shared by any number of processes and hosts. Redis runs each command
// and each Lua script to completion before the next, so one command or script per operation is
// atomic: a register is a hash {v: JSON value, n: version}, a list a Redis list of JSON records.
// What the server persists is its own configuration (the tests run it with no persistence).
// A command whose connection breaks rejects: it may or may not have been applied, the same
// uncertainty as a lost reply in the simulator.

// put bumps the version and writes the value in one step, so no reader sees one without the other.
const PUT = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'v', ARGV[1])
return n`;

// The version check and the write must not be split by another client's cas.
const CAS = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n ~= tonumber(ARGV[1]) then return {0, n} end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'n', n + 1)
return {1, n + 1}`;

// The length and the records must come from the same moment, or a concurrent append could show
// up in one and not the other.
const READ = `
local len = redis.call('LLEN', KEYS[1])
return {len, redis.call('LRANGE', KEYS[1], math.min(tonumber(ARGV[1]), len), -1)}`;

// Replies arrive untyped (a script can return anything); check their shape instead of trusting it.
const num = z.number().int();
const getReply = z.tuple([z.string().nullable(), z.string().nullable()]);
const casReply = z.tuple([num, num]);
const readReply = z.tuple([num, z.array(z.string())]);

export async function openRedis(host: string, port: number, kind: ServerKind, index: number): Promise<Store> {
  const client = createClient({
    socket: {
      host,
      port,
      connectTimeout: 5_000,
      // Give up after a few seconds of failures rather than retrying forever in the background.
      reconnectStrategy: (retries: number) => (retries >= 20 ? new Error(`redis ${host}:${port} unreachable`) : 250),
    },
  });
  // Without a listener an 'error' event would kill the process; failed commands reject anyway.
  client.on('error', () => undefined);
  await client.connect();
  const prefix = `paxcheck:${kind}-${index}:`;

  const one = async (req: ServerRequest): Promise<ServerReply> => {
    const { tag, key } = req;
    const k = prefix + key;
    switch (req.op) {
      case 'get': {
        const [v, n] = getReply.parse(await client.hmGet(k, ['v', 'n']));
        return { op: 'get', tag, key, value: v === null ? null : decodeJson(v), version: n === null ? 0 : Number(n) };
      }
      case 'put':
        num.parse(await client.eval(PUT, { keys: [k], arguments: [encodeJson(req.value)] }));
        return { op: 'put', tag, key, ok: true };
      case 'append': {
        // RPUSH is a single command, hence atomic, and answers the new length: our index + 1.
        const length = await client.rPush(k, encodeJson(req.record));
        return { op: 'append', tag, key, ok: true, index: length - 1 };
      }
      case 'read': {
        // Redis reads a negative start from the end of the list; the simulator clamps it to 0.
        const start = String(Math.max(0, req.from));
        const [length, records] = readReply.parse(await client.eval(READ, { keys: [k], arguments: [start] }));
        const from = clampFrom(req.from, length);
        const entries = records.map((r, i): readonly [number, Json] => [from + i, decodeJson(r)]);
        return { op: 'read', tag, key, from, entries, length };
      }
      case 'cas': {
        const args = [String(req.version), encodeJson(req.value)];
        const [ok, version] = casReply.parse(await client.eval(CAS, { keys: [k], arguments: args }));
        return { op: 'cas', tag, key, ok: ok === 1, version };
      }
    }
  };

  return {
    kind,
    apply: one,
    close: async () => {
      // close() waits for commands already sent; it throws if the client is already gone.
      if (client.isOpen) await client.close();
    },
  };
}
