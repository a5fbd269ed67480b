import { redirect } from '@sveltejs/kit';
import { newBoardId } from '$lib/board/ids';

// `/new` opens a fresh board (the home page's "New board"; bookmarkable). The id is the share secret, so it is random and unguessable.
export const load = () => {
	redirect(307, `/b/${newBoardId()}`);
};
