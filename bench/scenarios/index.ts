/** The scenarios `npm run bench` runs, in order. */
import { bigRoom } from './big-room.ts';
import { coldLoad } from './cold-load.ts';
import { durability } from './durability.ts';
import { fanout } from './fanout.ts';
import { heap } from './heap.ts';
import { memory } from './memory.ts';
import { profile } from './profile.ts';
import { throughput } from './throughput.ts';
import type { Scenario } from './types.ts';

export const serverScenarios: Scenario[] = [durability, fanout, throughput, memory, coldLoad, bigRoom, profile, heap];

/**
 * Browser scenarios (issue 6, second half) go here once the UI is done: each drives Chromium through
 * Playwright against a server from lib/servers.ts and adds its tables like the server scenarios, e.g.
 * time to first render of a 10k-shape board, frame time while 20 peers move shapes, input-to-peer latency.
 */
export const browserScenarios: Scenario[] = [];
