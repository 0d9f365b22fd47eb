// The search the independent-copies bench runs: a rung attempt as the ladder runs it (sleep sets,
// symmetry, compact states, coverage), static Paxos with 2 proposers and 2 commands cut at
// 150,000 distinct states: about four seconds on one core.
import { systematicWithCoverage } from '../../src/artifacts/explore-runset.js';

export function referenceSearch(): number {
  return systematicWithCoverage({
    protocol: 'static',
    strategy: 'bfs',
    topology: { proposers: 2, acceptors: 3, commands: 2 },
    budget: { drops: 1 },
    maxBallots: 3,
    maxTimerFires: 0,
    maxStates: 150_000,
    por: true,
    symmetry: true,
  }).summary.distinctStates;
}
