// Every cover label static Paxos can emit (coverage lists the ones a run set never reached).

const acceptor = [
  'prepare.promised', 'prepare.repeated', 'prepare.rejected',
  'accept.voted', 'accept.overwrote', 'accept.repeated', 'accept.rejected',
  'catchup.resent', 'catchup.empty', 'recover.restored',
].map((l) => `acceptor.${l}`);

const learner = [
  'vote.counted', 'vote.duplicate', 'vote.late', 'decide.chosen', 'apply.next',
  'catchup.poll', 'catchup.asked', 'catchup.rerun', 'recover.restored',
].map((l) => `learner.${l}`);

const proposer = [
  'submit.elect', 'submit.queued', 'submit.proposed',
  'phase1.started', 'phase1.promised', 'phase1.quorum', 'phase1.late', 'phase1.preempted',
  'phase2.adopted', 'phase2.noop', 'phase2.command', 'phase2.preempted',
  'learn.decided', 'learn.displaced',
  'rerun.elect', 'rerun.noop', 'rerun.unknown', 'rerun.resent',
  'retry.resent', 'retry.timeout', 'retry.outbid', 'retry.idle',
  'recover.restored',
].map((l) => `proposer.${l}`);

export const staticLabels: readonly string[] = [...proposer, ...acceptor, ...learner];
