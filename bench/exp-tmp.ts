import { ClientPool } from './lib/client-pool.ts';
import { FanoutRoom, measureInterleaved } from './lib/fanout.ts';
import { killAllChildren } from './lib/procs.ts';
import { startServers, stopServers } from './lib/servers.ts';
const clients = Number(process.argv[2] ?? 20); const rate = Number(process.argv[3] ?? 1000);
const pool = await ClientPool.start(4);
const servers = await startServers(['relay', 'boardwalk']);
try {
  const rooms = []; for (const s of servers) rooms.push(await FanoutRoom.open(pool, s, clients));
  for (const r of rooms) await r.measure(rate, 1000, 5000);
  const res = await measureInterleaved(rooms, rate, { rounds: 3, roundMs: 3000, drainMs: 5000 });
  res.forEach((m, i) => console.log(servers[i]!.kind, Math.round(m.sentRate), m.p50Ms.toFixed(1), m.p99Ms.toFixed(1), Math.round(m.serverCpuUsPerUpdate), m.otherCores.toFixed(2)));
  for (const r of rooms) await r.close();
} finally { await stopServers(servers); await pool.stop(); killAllChildren(); }
process.exit(0);
