// Every cover label a Disk Paxos processor can emit, under its prefix ('processor' for Disk Paxos,
// 'register' for the passive register service). Coverage lists the ones a run set never reached.

const processor = [
  'ballot.started',
  'put.probe-landed', 'put.probe-missing', 'put.probe-overwritten', 'queue.gave-up',
  'read.unreadable', 'read.retried', 'read.own-overwritten',
  'verify.overwritten', 'verify.unreadable',
  'phase1.disk-done', 'phase1.aborted', 'phase1.own-value', 'phase1.kept-own-vote', 'phase1.adopted', 'phase1.nothing-to-propose',
  'phase2.disk-done', 'phase2.aborted', 'phase2.decided',
  'learn.done-block', 'settle.rewritten',
  'poll.takeover', 'poll.stalled-rival', 'retry.resent',
  'recover.start', 'recover.unreadable', 'recover.restored', 'recover.restored-vote',
];

export function diskLabels(prefix: string): readonly string[] {
  return processor.map((l) => `${prefix}.${l}`);
}
