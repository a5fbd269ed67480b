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

/** `count` ids of `length` characters, from one draw of random bytes (one call per id costs ~10 µs in Node). */
export function randomIds(count: number, length: number): string[] {
	const bytes = new Uint8Array(count * length);
	// getRandomValues fills at most 65,536 bytes a call.
	for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + 65_536)));
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		let id = '';
		for (let j = i * length; j < (i + 1) * length; j++) id += ALPHABET[bytes[j]! & 63];
		ids.push(id);
	}
	return ids;
}

/** Board ids double as share secrets: 16 characters, 96 bits. */
export function newBoardId(): string {
	return randomId(16);
}
