/** Random ids for boards and shapes: URL-safe and unguessable. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** `length` characters from a 64-letter alphabet: 6 bits of entropy each. */
export function randomId(length: number): string {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	let id = '';
	for (const byte of bytes) id += ALPHABET[byte & 63];
	return id;
}

/** Board ids double as share secrets: 16 characters, 96 bits. */
export function newBoardId(): string {
	return randomId(16);
}
