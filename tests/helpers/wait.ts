/** Waiting on conditions, never on the clock: polls until true or fails with what it was waiting for. */

export async function waitFor(
	condition: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 10_000,
	intervalMs = 10
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await condition()) return;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
