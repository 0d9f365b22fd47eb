/** Every `explore --strategy`, in the order `list` shows them. */
export const strategies = ['random', 'fast-check', 'bfs', 'dfs', 'pct', 'swarm'] as const;
