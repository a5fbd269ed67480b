// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Set for a board link no board can have (src/routes/b/[id]/+page.ts): the error page says so. */
			kind?: 'invalid-board-link';
		}
	}
}

export {};
