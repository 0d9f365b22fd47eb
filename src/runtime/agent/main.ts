import { agentConfig, fromAgent, toAgent } from './channel.js';
import type { FromAgent } from './channel.js';
import { startAgentNode } from './node.js';

// Entry point of an agent OS process, forked by the run with an IPC channel. Submissions arrive
// over the channel; decisions and acknowledgements go back over it. The process holds nothing
// that matters in memory: SIGKILL at any instant and a restart must be safe.

function send(m: FromAgent): void {
  // The parent may be gone (it was killed, or it is shutting down): then nobody listens.
  if (process.connected) process.send?.(fromAgent.parse(m), undefined, {}, () => undefined);
}

const cfg = agentConfig.parse(JSON.parse(process.argv[2] ?? '{}'));
const node = await startAgentNode(cfg, {
  onDecide: (slot, value, inc) => send({ t: 'decide', slot, value, inc }),
  onAck: (id, a) => send({ t: 'ack', id, slot: a.slot, result: a.result }),
  onError(err) {
    send({ t: 'error', message: err.stack ?? err.message });
    process.exitCode = 3;
  },
});

async function stop(): Promise<void> {
  await node.close();
  process.disconnect?.();
  process.exit(process.exitCode ?? 0);
}

process.on('message', (raw) => {
  const m = toAgent.safeParse(raw);
  if (!m.success) return;
  if (m.data.t === 'submit') node.submit(m.data.id, m.data.value);
  else if (m.data.t === 'slow') node.slowDown(m.data.server, m.data.ms, m.data.forMs);
  else if (m.data.t === 'delay') node.host.delayLinks(m.data.ms, m.data.forMs);
  else void stop();
});
// An orphan (the run died without stopping it) must not live on.
process.on('disconnect', () => void stop());
send({ t: 'ready', inc: node.host.incarnation });
