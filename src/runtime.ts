// paxcheck/runtime: the passive agents for real, as a library. A subpath of its own so that a
// user of the checker never loads the store drivers (better-sqlite3's native addon, redis).

export { openLog } from './runtime/log.js';
export type { LogEntry, LogOptions, ReplicatedLog } from './runtime/log.js';
export type { RuntimeService } from './runtime/system.js';
