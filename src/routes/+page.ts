import { redirect } from '@sveltejs/kit';
import { newBoardId } from '$lib/board/ids';

// `/` always opens a fresh board; the id is the share secret, so it is random and unguessable.
export const load = () => {
	redirect(307, `/b/${newBoardId()}`);
};
