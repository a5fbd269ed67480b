/** The scenarios `npm run bench` runs, in order. */
import { access } from './access.ts';
import { bigRoom } from './big-room.ts';
import { bulk } from './bulk.ts';
import { cluster } from './cluster.ts';
import { coldLoad } from './cold-load.ts';
import { durability } from './durability.ts';
import { fanout } from './fanout.ts';
import { firstPaint } from './first-paint.ts';
import { heap } from './heap.ts';
import { history } from './history.ts';
import { images } from './images.ts';
import { memory } from './memory.ts';
import { panZoom } from './pan-zoom.ts';
import { profile } from './profile.ts';
import { stroke } from './stroke.ts';
import { throughput } from './throughput.ts';
import type { Scenario } from './types.ts';

export const serverScenarios: Scenario[] = [durability, fanout, throughput, access, memory, coldLoad, history, bigRoom, profile, heap, cluster];

/** Headless Chromium (Playwright) against our server: the canvas's first paint, frame times, stroke latency, images and export, bulk operations. */
export const browserScenarios: Scenario[] = [firstPaint, panZoom, stroke, images, bulk];
