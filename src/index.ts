// paxcheck's public API: every export, in one place.

// Writing a protocol (the kernel contract: docs/architecture.md)
export { defineAgent, defineProtocol } from './protocols/define.js';
export type { AgentSpec, Protocol, ProtocolDefinition, SystemParts } from './protocols/define.js';
export type {
  AgentBehaviour,
  Context,
  DurableStore,
  Json,
  NodeId,
  NodeView,
  Rename,
  ServerData,
  ServerKind,
  ServerReply,
  ServerRequest,
  Submission,
  Symmetry,
  System,
  Value,
} from './kernel/types.js';
export type { World } from './kernel/world.js';
export type { Topology, MutantInfo } from './protocols/family.js';
export { defaultTopology, makeWorkload } from './protocols/family.js';

// Properties
export { always, sometimes, properties as builtInProperties } from './properties/index.js';
export type { Check, Predicate, Property, Reachability, Snapshot, StepFacts, Violation } from './properties/index.js';

// The built-in families, defined through the same API
export { families } from './protocols/index.js';

// Checking
export { check, checkParallel, replayCommandFor } from './api/check.js';
export type { CheckOptions, CheckStrategy } from './api/options.js';
export { strategies } from './api/options.js';
export type { CheckResult } from './api/result.js';
export { formatResult } from './api/result.js';
export { replay } from './api/replay.js';
export type { ReplayReport } from './api/replay.js';
export { schedules } from './api/schedules.js';
export type { Schedule, ScheduleConfig } from './api/schedules.js';
export { checkDeterminism } from './api/determinism.js';
export type { DeterminismOptions, DeterminismResult } from './api/determinism.js';
export { loadProtocolModule } from './loader/module.js';

// Scenarios
export { loadScenario } from './scenario/load.js';
export type { Scenario } from './scenario/schema.js';

export { InputError } from './errors.js';
export { VERSION } from './version.js';
