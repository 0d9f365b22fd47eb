// The words `paxcheck run` accepts, in a module with no imports: the CLI validates its flags
// with them at start-up without loading the runtime or the protocols.

export const RUNTIME_SERVICES = ['list', 'cas', 'register'] as const;
export type RuntimeService = (typeof RUNTIME_SERVICES)[number];

export const NEMESES = ['kill', 'pause', 'store', 'partition', 'delay'] as const;
export type NemesisKind = (typeof NEMESES)[number];
