import type { Json, ServerKind, ServerReply, ServerRequest } from '../../kernel/types.js';

// A real passive server: the same operations and replies as the simulator's applyOp (no faults),
// kept in a backing store that several OS processes may share. Each adapter makes every operation
// atomic on its own; the runtime never needs a lock around a store.

export interface Store {
  readonly kind: ServerKind;
  /** Applies one operation atomically; rejects if the operation does not belong to `kind`. */
  apply(req: ServerRequest): Promise<ServerReply>;
  close(): Promise<void>;
}

/** The operations each kind serves; the simulated systems never send anything else. */
const OPS: Readonly<Record<ServerKind, readonly ServerRequest['op'][]>> = {
  kv: ['get', 'put'],
  list: ['append', 'read'],
  // The simulated server applies an unconditional put to a register too; the passive cas
  // family's blind-put mutant sends one, and a real run must let that bug happen.
  cas: ['get', 'cas', 'put'],
};

export const SPEC_FORMS = 'dir:/path, sqlite:/path/file.db, redis:host:port or memory:';

/**
 * Opens server number `index` of kind `kind` in the backing store named by `spec`. Servers with a
 * different index or kind live in separate namespaces of the same backing store, so one spec can
 * hold every passive server of a system.
 */
export async function openStore(spec: string, kind: ServerKind, index: number): Promise<Store> {
  if (!Number.isSafeInteger(index) || index < 0) throw new Error(`store index must be a natural number: ${index}`);
  const colon = spec.indexOf(':');
  const scheme = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  // Adapters are imported lazily so that a runtime using only `dir:` never loads native sqlite
  // bindings or the redis client.
  switch (scheme) {
    case 'memory':
      return guarded((await import('./memory.js')).openMemory(kind));
    case 'dir':
      if (rest === '') throw new Error(`dir store needs a path: ${spec}`);
      return guarded(await (await import('./dir.js')).openDir(rest, kind, index));
    case 'sqlite':
      if (rest === '') throw new Error(`sqlite store needs a file: ${spec}`);
      return guarded(await (await import('./sqlite.js')).openSqlite(rest, kind, index));
    case 'redis': {
      const { host, port } = parseHostPort(rest, spec);
      return guarded(await (await import('./redis.js')).openRedis(host, port, kind, index));
    }
    default:
      throw new Error(`unknown store spec '${spec}': expected ${SPEC_FORMS}`);
  }
}

function parseHostPort(rest: string, spec: string): { host: string; port: number } {
  const colon = rest.lastIndexOf(':');
  const host = (colon < 0 ? rest : rest.slice(0, colon)).replace(/^\[(.*)\]$/, '$1');
  const portText = colon < 0 ? '6379' : rest.slice(colon + 1);
  const port = Number(portText);
  if (host === '' || !/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new Error(`redis store spec must be redis:host:port: ${spec}`);
  }
  return { host, port };
}

/** Rejects operations foreign to the kind before they reach an adapter's layout. */
function guarded(inner: Store): Store {
  return {
    kind: inner.kind,
    apply(req) {
      if (!OPS[inner.kind].includes(req.op)) {
        return Promise.reject(new Error(`a ${inner.kind} store does not serve '${req.op}'`));
      }
      // A fractional offset would make the simulator list undefined records; no agent sends one.
      if (req.op === 'read' && !Number.isSafeInteger(req.from)) {
        return Promise.reject(new Error(`read offset must be an integer: ${req.from}`));
      }
      return inner.apply(req);
    },
    close: () => inner.close(),
  };
}

/** Encodes a record for a backing store; refuses what JSON would silently change. */
export function encodeJson(value: Json): string {
  // JSON.stringify would turn NaN and Infinity into null without a word.
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`not storable as JSON: ${v}`);
    return v;
  });
}

export function decodeJson(text: string): Json {
  return JSON.parse(text) as Json;
}

/** The simulator clamps `from` into [0, length]; every adapter replies with the clamped value. */
export function clampFrom(from: number, length: number): number {
  return Math.max(0, Math.min(from, length));
}

/** Opens one adapter per store spec (the caller closes them). */
export async function openStores(specs: readonly string[], kind: ServerKind): Promise<Store[]> {
  const stores: Store[] = [];
  try {
    for (const [i, spec] of specs.entries()) stores.push(await openStore(spec, kind, i));
    return stores;
  } catch (e) {
    await Promise.allSettled(stores.map((s) => s.close()));
    throw e;
  }
}
