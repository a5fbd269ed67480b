// Copy/paste with Ctrl+C / Ctrl+V, on the same board and into another board; stored boards survive a reload.
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, openTwo, shapes, waitConnected } from './board.ts';

test('copy and paste a shape on the same board and into another board', async ({ openBoard, server }) => {
	const [a, b] = await openTwo(openBoard);
	await a.keyboard.press('r');
	await drag(a, [300, 200], [400, 300]);
	await a.getByRole('button', { name: 'Fill: Green' }).click();
	await a.keyboard.press('Control+c');
	await a.mouse.move(700, 500);
	await a.keyboard.press('Control+v');
	await expectShapeCount(a, 2);
	await expectShapeCount(b, 2);
	const [original, pasted] = await shapes(b);
	expect(pasted).toMatchObject({ type: 'rect', fill: '#b2f2bb', w: original!.w, h: original!.h });
	expect(pasted!.id).not.toBe(original!.id);

	// Another board, same person: the clipboard carries the shape over.
	await a.goto(`${server.url}/b/other${Date.now()}`);
	await waitConnected(a);
	await expectShapeCount(a, 0);
	await a.mouse.move(600, 400);
	await a.keyboard.press('Control+v');
	await expectShapeCount(a, 1);
	expect((await shapes(a))[0]).toMatchObject({ type: 'rect', fill: '#b2f2bb' });
});

test('reloading shows the stored board, also to a new visitor', async ({ openBoard, boardId }) => {
	const page = await openBoard();
	await waitConnected(page);
	await page.keyboard.press('n');
	await page.mouse.click(500, 400);
	await page.keyboard.type('Remember me');
	await page.keyboard.press('Escape');
	await page.keyboard.press('r');
	await drag(page, [400, 200], [500, 260]);
	await expectShapeCount(page, 2);

	await page.reload();
	await waitConnected(page);
	await expectShapeCount(page, 2);
	expect((await shapes(page)).find((s) => s.type === 'sticky')?.text).toBe('Remember me');

	// A new context has no local copy: what it sees came from the server's storage.
	const visitor = await openBoard(boardId);
	await waitConnected(visitor);
	await expectShapeCount(visitor, 2);
});
