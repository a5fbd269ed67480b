import { error } from '@sveltejs/kit';
import { isValidRoomName } from '$lib/shared/wire';

// The board is a Konva canvas bound to a live Yjs doc: nothing meaningful to render on the server.
export const ssr = false;

// No board can have this name (the server refuses such rooms): say so, rather than open a board that never connects.
export const load = ({ params }) => {
	if (!isValidRoomName(params.id)) error(404, { message: 'This is not a valid board link', kind: 'invalid-board-link' });
};
