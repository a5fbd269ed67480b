/** The floor no sync server can beat: forwards each binary frame to the room's other sockets without parsing or storing it. */
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const rooms = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ port, host: '127.0.0.1' });

server.on('connection', (socket, request) => {
	const room = request.url ?? '/';
	let peers = rooms.get(room);
	if (!peers) rooms.set(room, (peers = new Set()));
	peers.add(socket);
	socket.on('message', (data, isBinary) => {
		for (const peer of peers) if (peer !== socket) peer.send(data, { binary: isBinary });
	});
	socket.on('close', () => peers.delete(socket));
	socket.on('error', () => {});
});
server.on('listening', () => {
	const address = server.address();
	console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' ? address?.port : port }));
});
