// npm run bench: every benchmark in turn, printed as markdown tables.
await import('./simulate.js');
await import('./spec-paxos.js');
