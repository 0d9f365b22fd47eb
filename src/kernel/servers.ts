import type { Json, OpFault, ServerData, ServerKind, ServerReply, ServerRequest } from './types.js';

// Passive servers store and compute nothing beyond applying one operation atomically on arrival.

export function emptyServer(kind: ServerKind): ServerData {
  return { kind, store: {}, versions: {} };
}

export interface ApplyResult {
  readonly data: ServerData;
  readonly reply: ServerReply;
}

/** Which faults can strike this request at this server (exploration enumerates them). */
export function faultsFor(kind: ServerKind, req: ServerRequest, data: ServerData): readonly OpFault[] {
  switch (req.op) {
    case 'append':
      return ['lost-append', 'phantom-append'];
    case 'read': {
      const len = listOf(data, req.key).length - req.from;
      if (len >= 2) return ['stale-listing', 'gapped-listing'];
      if (len >= 1) return ['stale-listing'];
      return [];
    }
    case 'cas':
      return ['cas-conflict'];
    case 'put':
      return kind === 'kv' && isRecord(data.store[req.key] ?? null) && isRecord(req.value) ? ['torn-write'] : [];
    case 'get':
      return [];
  }
}

function listOf(data: ServerData, key: string): readonly Json[] {
  const l = data.store[key];
  return Array.isArray(l) ? (l as readonly Json[]) : [];
}

function isRecord(v: Json): v is { readonly [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function withKey(data: ServerData, key: string, value: Json): ServerData {
  const version = (data.versions[key] ?? 0) + 1;
  return { kind: data.kind, store: { ...data.store, [key]: value }, versions: { ...data.versions, [key]: version } };
}

function tear(old: Json, next: Json): Json {
  if (!isRecord(old) || !isRecord(next)) return next;
  const keys = Object.keys(next).sort();
  const first = keys[0];
  if (first === undefined) return next;
  return { ...old, [first]: next[first] as Json };
}

export function applyOp(data: ServerData, req: ServerRequest, fault?: OpFault): ApplyResult {
  const { tag, key } = req;
  switch (req.op) {
    case 'get':
      return { data, reply: { op: 'get', tag, key, value: data.store[key] ?? null, version: data.versions[key] ?? 0 } };
    case 'put': {
      const value = fault === 'torn-write' ? tear(data.store[key] ?? null, req.value) : req.value;
      return { data: withKey(data, key, value), reply: { op: 'put', tag, key, ok: true } };
    }
    case 'append': {
      const list = listOf(data, key);
      if (fault === 'lost-append') return { data, reply: { op: 'append', tag, key, ok: false, index: -1 } };
      const next = withKey(data, key, [...list, req.record]);
      return { data: next, reply: { op: 'append', tag, key, ok: fault !== 'phantom-append', index: list.length } };
    }
    case 'read': {
      const list = listOf(data, key);
      const from = Math.max(0, Math.min(req.from, list.length));
      let upTo = list.length;
      if (fault === 'stale-listing' && upTo > from) upTo = from + Math.floor((upTo - from) / 2);
      const entries: (readonly [number, Json])[] = [];
      const skip = fault === 'gapped-listing' && upTo - from >= 2 ? from + Math.floor((upTo - from) / 2) : -1;
      for (let i = from; i < upTo; i++) if (i !== skip) entries.push([i, list[i] as Json]);
      return { data, reply: { op: 'read', tag, key, from, entries, length: upTo } };
    }
    case 'cas': {
      const current = data.versions[key] ?? 0;
      if (fault === 'cas-conflict' || current !== req.version) {
        return { data, reply: { op: 'cas', tag, key, ok: false, version: current } };
      }
      const next = withKey(data, key, req.value);
      return { data: next, reply: { op: 'cas', tag, key, ok: true, version: next.versions[key] ?? 0 } };
    }
  }
}
