// Presence: people on the same board see each other in the avatar list and see each other's pointer.
import { test, expect } from './fixtures.ts';
import { openTwo } from './board.ts';

test("each person is listed and A's pointer shows on B's screen", async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	await expect(a.getByRole('list', { name: 'People on this board: 2' })).toBeVisible();
	await expect(b.getByRole('list', { name: 'People on this board: 2' })).toBeVisible();

	await a.mouse.move(500, 400, { steps: 4 });
	const name = await a.evaluate(() => JSON.parse(localStorage.getItem('boardwalk:identity')!).name as string);
	await expect(b.locator('.cursor', { hasText: name })).toBeVisible();

	await a.close();
	await expect(b.getByRole('list', { name: 'People on this board: 1' })).toBeVisible();
});
