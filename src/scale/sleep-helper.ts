// A helper thread of the sleep-set search on several threads (sleep-workers.ts): expands the
// states it is sent, as the search would (expandAwake), and answers with each successor's
// fingerprint, invariant verdict, sleep set and codec words.

import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { PartialOrder, StateCodec, TransitionSystem } from '../kernel/model.js';
import { firstFailing } from '../kernel/model.js';
import { expandAwake } from '../search/reduce/sleep.js';
import { buildSleepTarget } from '../search/target.js';
import { PartsIn, PartsOut } from './part-link.js';
import type { HelperMessage, HelperSetup } from './sleep-helper-protocol.js';
import { DROP_BELOW, EXPANDING, FINISHED, KNOWN, POSTED } from './sleep-helper-protocol.js';
import { FpTable } from '../search/fp-table.js';

const { setup, port } = workerData as { setup: HelperSetup; port: MessagePort };
if (setup.target.module) await (await import('../loader/module.js')).loadProtocolModule(setup.target.module.path, setup.target.protocol);
const ts = buildSleepTarget(setup.target) as TransitionSystem<unknown, unknown>;
const po = ts.partialOrder as PartialOrder<unknown, unknown>;
const codec = ts.codec as StateCodec<unknown> & { parts: NonNullable<StateCodec<unknown>['parts']> };
const control = new Int32Array(setup.control);
const invariants = setup.checkInvariants ? (ts.invariants ?? []) : [];
const partsIn = new PartsIn(codec.parts);
const partsOut = new PartsOut(codec.parts);
/**
 * Successors this helper has already sent in full. The search takes answers in the order they
 * were computed, and expands itself (the same or more actions) any state whose answer it does not
 * use, so by the time it reads a repeat the state is known to it: a repeat goes as its
 * fingerprint and sleep set alone, without words or invariant check (bad = KNOWN).
 */
const sentBefore = new FpTable(1 << 16);
/** Answers are posted after this many jobs, so that the search rarely finds one missing. */
const POST_EVERY = 8;

function post(data: number[]): void {
  if (data.length === 0) return;
  port.postMessage({ fresh: partsOut.takeFresh(), data } satisfies HelperMessage);
  Atomics.add(control, POSTED, 1);
  Atomics.notify(control, POSTED);
}

/** Appends the answer for one job to `data`. */
function answer(ticket: number, s: unknown, sleep: readonly number[], data: number[]): void {
  const head = data.length;
  data.push(ticket, 0, 0);
  data[head + 1] = expandAwake(ts, po, s, sleep, null, (action, t, childSleep) => {
    const fp = ts.fingerprint(t);
    if (sentBefore.putIfAbsent(fp.hi, fp.lo, 0) >= 0) {
      data.push(action, fp.hi, fp.lo, KNOWN, childSleep.length, ...childSleep);
      data[head + 2] = (data[head + 2] as number) + 1;
      return true;
    }
    data.push(action, fp.hi, fp.lo, firstFailing(invariants, t), childSleep.length, ...childSleep);
    const at = data.length;
    codec.encode(t, data, at);
    partsOut.note(data, at);
    data[head + 2] = (data[head + 2] as number) + 1;
    return true;
  });
}

function onJobs(m: HelperMessage): void {
  partsIn.learn(m.fresh);
  const jobs = m.data;
  let data: number[] = [];
  let done = 0;
  for (let at = 0; at < jobs.length; ) {
    const ticket = jobs[at++] as number;
    const n = jobs[at++] as number;
    const sleep = jobs.slice(at, at + n);
    const from = at + n;
    at = partsIn.translate(jobs, from);
    if (ticket < Atomics.load(control, DROP_BELOW)) {
      Atomics.add(control, FINISHED, 1);
      continue;
    }
    Atomics.store(control, EXPANDING, ticket);
    answer(ticket, codec.decode(jobs, from), sleep, data);
    Atomics.add(control, FINISHED, 1);
    if (++done % POST_EVERY === 0) {
      post(data);
      data = [];
    }
  }
  post(data);
}

port.on('message', (m: HelperMessage) => {
  try {
    onJobs(m);
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
