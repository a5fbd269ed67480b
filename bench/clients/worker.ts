/** A client process of the bench: hosts several clients and answers the bench's commands over IPC (see messages.ts). */
import type { CommandName, Commands, Request, Response } from './messages.ts';
import { IdleSockets } from './idle-sockets.ts';
import { Movers } from './movers.ts';

// Each y-websocket provider adds an exit listener; many clients in one process are expected here.
process.setMaxListeners(0);

const rooms = new Map<string, Movers>();
const idle = new IdleSockets();

function group(room: string): Movers {
	const movers = rooms.get(room);
	if (!movers) throw new Error(`no clients of room ${room} in this process`);
	return movers;
}

type Handlers = { [K in CommandName]: (args: Commands[K]['args']) => Promise<Commands[K]['result']> | Commands[K]['result'] };

const handlers: Handlers = {
	connect: async ({ wsUrl, room, count, awaitSync, token }) => {
		const movers = rooms.get(room) ?? new Movers();
		rooms.set(room, movers);
		return { clients: await movers.connect(wsUrl, room, count, awaitSync, token) };
	},
	addShapes: ({ room }) => {
		group(room).addShapes();
		return null;
	},
	shapeCount: ({ room }) => ({ min: group(room).shapeCount() }),
	run: ({ room, ratePerSec, durationMs }) => group(room).run(ratePerSec, durationMs),
	progress: ({ room }) => ({ received: group(room).progress() }),
	collect: ({ room }) => group(room).collect(),
	hashes: ({ room }) => ({ hashes: group(room).hashes() }),
	close: ({ room }) => {
		rooms.get(room)?.close();
		rooms.delete(room);
		return null;
	},
	idle: async ({ wsUrl, rooms: names, perRoom, awaitReplies }) => ({ opened: await idle.open(wsUrl, names, perRoom, awaitReplies) }),
	closeAll: async () => {
		for (const movers of rooms.values()) movers.close();
		rooms.clear();
		await idle.close();
		return null;
	}
};

process.on('message', (message: Request) => {
	const handler = handlers[message.command] as (args: unknown) => unknown;
	Promise.resolve()
		.then(() => handler(message.args))
		.then(
			(result): Response => ({ id: message.id, ok: true, result: result ?? null }),
			(error: unknown): Response => ({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) })
		)
		.then((response) => process.send!(response));
});
// The bench went away (finished or crashed): nothing left to do.
process.on('disconnect', () => process.exit(0));
