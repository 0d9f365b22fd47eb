import type { System } from '../../kernel/types.js';
import type { BuildOptions } from '../family.js';
import { buildDiskSystem } from '../disk/index.js';
import { correctDiskRules } from '../disk/rules.js';

/**
 * Plain get/put offers no way to serialise two writers of one key, so every key has a single
 * writer: one block per agent per server and slot, read by all. That is exactly Disk Paxos, with
 * the servers as disks, and it is run unchanged.
 */
export function buildRegisterSystem(opts: BuildOptions): System {
  return buildDiskSystem(opts, 'passive', correctDiskRules, 'register');
}
