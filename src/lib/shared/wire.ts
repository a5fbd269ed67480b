/** What the browser and the sync server agree on over the wire: paths, room names, message types, limits and close codes. */

/** Rooms are addressed as `/ws/<room>`; the name must match this pattern. */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const WS_PATH_PREFIX = '/ws/';
/** `GET /preview/<room>`: the board's stored shapes as JSON, drawn while the Yjs sync is still on its way. */
export const PREVIEW_PATH_PREFIX = '/preview/';
/** `GET /export/<room>.boardwalk`: the board as a .boardwalk file (src/lib/shared/boardwalk-file.ts). */
export const EXPORT_PATH_PREFIX = '/export/';
/** A board's images: `POST` uploads one, `GET …/<hash>` reads one (docs/protocol.md, "Images"). */
export const imagesPath = (room: string): string => `/api/boards/${encodeURIComponent(room)}/images`;

export function isValidRoomName(name: string): boolean {
	return ROOM_NAME_PATTERN.test(name);
}

/** y-websocket's message types (the first varuint of a frame); a MESSAGE_SYNC frame continues with one of y-protocols' sync subtypes. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export {
	messageYjsSyncStep1 as SYNC_STEP1,
	messageYjsSyncStep2 as SYNC_STEP2,
	messageYjsUpdate as SYNC_UPDATE
} from 'y-protocols/sync';

/** Default largest WebSocket frame the server accepts (configurable with MAX_FRAME_BYTES). */
export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Awareness (presence) frames are small by nature; anything bigger is refused. */
export const MAX_AWARENESS_FRAME_BYTES = 32 * 1024;

/**
 * Close codes the server uses. Standard codes (RFC 6455) where one fits, so any
 * WebSocket client can make sense of them; the reason string carries the detail.
 */
export const CloseCode = {
	/** Server shutting down or restarting: reconnect later. */
	GoingAway: 1001,
	/** A text frame arrived: the protocol is binary only. */
	UnsupportedData: 1003,
	/** A frame that is not a well-formed y-websocket message, or an update Yjs cannot apply. */
	InvalidPayload: 1007,
	/** The frame broke a rule of the server (for example an awareness entry of another client). */
	PolicyViolation: 1008,
	/** A frame over the size limit. */
	MessageTooBig: 1009,
	/** The server failed while handling this connection's frame. */
	InternalError: 1011,
	/** Storage is unavailable, or the server is busy: the change was not stored, reconnect later. */
	TryAgainLater: 1013,
	/** The link (or token) this socket was opened with was reset by an editor: it no longer opens the board. */
	LinkRevoked: 4001,
	/** The token this socket was opened with expired, and no fresh one came: its access ended. */
	TokenExpired: 4002,
	/** The board reached its size limit (MAX_BOARD_BYTES): the change was not stored. */
	BoardFull: 4003,
	/** The board's stored data cannot be read: nothing can be served or stored until an operator looks. */
	BoardUnreadable: 4004
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting with the same data would fail the same way. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
	CloseCode.UnsupportedData,
	CloseCode.InvalidPayload,
	CloseCode.PolicyViolation,
	CloseCode.MessageTooBig,
	CloseCode.LinkRevoked,
	CloseCode.TokenExpired,
	CloseCode.BoardFull,
	CloseCode.BoardUnreadable
]);

/** Readable text for a close code, for the UI. */
export function describeCloseCode(code: number, reason = ''): string {
	const detail = reason ? ` (${reason})` : '';
	switch (code) {
		case CloseCode.GoingAway:
			return 'The server is restarting; reconnecting…';
		case CloseCode.UnsupportedData:
		case CloseCode.InvalidPayload:
			return `The server rejected a change as malformed${detail}.`;
		case CloseCode.PolicyViolation:
			return `The server refused a message${detail}.`;
		case CloseCode.MessageTooBig:
			return `A change is too large for the server to accept${detail}.`;
		case CloseCode.InternalError:
			return `The server hit an internal error${detail}; reconnecting…`;
		case CloseCode.TryAgainLater:
			return `The server cannot store changes right now${detail}; retrying…`;
		case CloseCode.LinkRevoked:
			return 'This link no longer works: an editor of the board reset it. Ask them for the new link.';
		case CloseCode.TokenExpired:
			return 'Your access to this board has expired. Reload the page to get a fresh one.';
		case CloseCode.BoardFull:
			return `This board has reached its size limit${detail}. Changes made since are kept on this device only.`;
		case CloseCode.BoardUnreadable:
			return "This board's stored data cannot be read. The server's log says why; ask its operator.";
		default:
			return `Connection closed (code ${code})${detail}.`;
	}
}
