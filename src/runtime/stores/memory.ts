import { applyOp, emptyServer } from '../../kernel/servers.js';
import type { ServerData, ServerKind, ServerReply, ServerRequest } from '../../kernel/types.js';
import type { Store } from './store.js';

// The simulator's own passive server behind the Store interface: the reference the real adapters
// are held to, and a store for runs that need no sharing between processes.

export function openMemory(kind: ServerKind): Store {
  let data: ServerData = emptyServer(kind);
  let closed = false;
  return {
    kind,
    apply(req: ServerRequest): Promise<ServerReply> {
      if (closed) return Promise.reject(new Error('memory store is closed'));
      // applyOp is synchronous, so no other apply can interleave: each operation is atomic.
      const result = applyOp(data, req);
      data = result.data;
      return Promise.resolve(result.reply);
    },
    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}
