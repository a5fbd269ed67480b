/** Claims a board the way a page does on its first visit (POST /api/boards/<room>/claim) and returns its edit token. */
export async function claimBoard(httpUrl: string, room: string): Promise<string> {
	const response = await fetch(`${httpUrl}/api/boards/${room}/claim`, { method: 'POST' });
	if (response.status !== 201) throw new Error(`claiming ${room}: HTTP ${response.status} ${await response.text()}`);
	return ((await response.json()) as { token: string }).token;
}
