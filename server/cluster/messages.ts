/** What Boardwalk processes say to each other over the bus (docs/cluster.md): stored updates, presence, and a few notices. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * A board's channel carries its stored updates (with their sequence numbers), presence changes and
 * presence queries; the cluster channel carries what concerns every board (a process's heartbeat, an
 * access record that changed).
 */
export type BusMessage =
	/** `updates[i]` was stored with seq `firstSeq + i`: relayed only after it was stored. */
	| { kind: 'updates'; origin: string; firstSeq: number; updates: Uint8Array[] }
	/** A y-protocols awareness update, accepted by `origin` from its own connections. */
	| { kind: 'presence'; origin: string; update: Uint8Array }
	/** `origin` just loaded the board: others answer with the presence of their connections to it. */
	| { kind: 'presence-query'; origin: string }
	/** `origin` is alive; a process not heard from for a while is dead, and its presence goes. */
	| { kind: 'heartbeat'; origin: string }
	/** The board's access record changed (a claim, a link reset): drop what is cached, re-check open sockets. */
	| { kind: 'access-changed'; origin: string; board: string };

const KINDS = ['updates', 'presence', 'presence-query', 'heartbeat', 'access-changed'] as const;

export function encodeBusMessage(message: BusMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
	encoding.writeVarString(encoder, message.origin);
	switch (message.kind) {
		case 'updates':
			encoding.writeVarUint(encoder, message.firstSeq);
			encoding.writeVarUint(encoder, message.updates.length);
			for (const update of message.updates) encoding.writeVarUint8Array(encoder, update);
			break;
		case 'presence':
			encoding.writeVarUint8Array(encoder, message.update);
			break;
		case 'access-changed':
			encoding.writeVarString(encoder, message.board);
			break;
		case 'presence-query':
		case 'heartbeat':
			break;
	}
	return encoding.toUint8Array(encoder);
}

/** Parses a bus message; null for anything else (another version's message, a stray publish): it is ignored, never fatal. */
export function decodeBusMessage(data: Uint8Array): BusMessage | null {
	try {
		const decoder = decoding.createDecoder(data);
		const kind = KINDS[decoding.readVarUint(decoder)];
		const origin = decoding.readVarString(decoder);
		switch (kind) {
			case 'updates': {
				const firstSeq = decoding.readVarUint(decoder);
				const count = decoding.readVarUint(decoder);
				const updates: Uint8Array[] = [];
				for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
				return { kind, origin, firstSeq, updates };
			}
			case 'presence':
				return { kind, origin, update: decoding.readVarUint8Array(decoder) };
			case 'access-changed':
				return { kind, origin, board: decoding.readVarString(decoder) };
			case 'presence-query':
			case 'heartbeat':
				return { kind, origin };
			default:
				return null;
		}
	} catch {
		return null;
	}
}
