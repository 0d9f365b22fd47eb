import { diskLabels } from '../disk/labels.js';

// Every cover label the passive services can emit, each under its service's name (`list.`,
// `cas.`, `register.`). Coverage lists the ones a run set never reached.

/** The agent's own labels, under the access's prefix; `hints`: the service leaves COMMIT hints. */
function agent(prefix: string, hints: boolean): string[] {
  return [
    'ballot.started', 'phase1.own-value', 'phase1.adopted', 'phase1.nothing-to-propose', 'phase2.chosen',
    'prepare.preempted', 'accept.preempted', 'learn.chosen', ...(hints ? ['learn.hint'] : []),
    'poll.takeover', 'poll.stalled-rival', 'retry.resent', 'recover.start',
  ].map((l) => `${prefix}.${l}`);
}

const list = [
  ...agent('list', true),
  ...['append.failed', 'read.read', 'read.without-own', 'prepare.promised', 'prepare.rejected', 'accept.accepted', 'accept.rejected'].map((l) => `list.${l}`),
];

const cas = [
  ...agent('cas', false),
  ...['prepare.promised', 'prepare.rejected', 'accept.accepted', 'accept.rejected', 'conflict'].map((l) => `cas.${l}`),
];

export const passiveLabels: readonly string[] = [...list, ...cas, ...diskLabels('register')];
