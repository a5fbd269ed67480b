// Export: the PNG matches the canvas pixel for pixel (within anti-aliasing), the SVG is an image with its
// text as <text>, and a saved .boardwalk file opens into another board as new shapes, one undo step.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { drag, expectShapeCount, shapes, waitConnected } from './board.ts';

/** A board with a filled rectangle, an ellipse, an arrow, a pen stroke, a text and a sticky note. */
async function drawSeveralKinds(page: Page): Promise<void> {
	await waitConnected(page);
	await page.keyboard.press('r');
	await drag(page, [420, 260], [560, 360]);
	await page.getByRole('button', { name: 'Fill: Green' }).click();
	await page.keyboard.press('o');
	await drag(page, [600, 260], [720, 340]);
	await page.keyboard.press('a');
	await drag(page, [430, 420], [620, 470]);
	await page.keyboard.press('p');
	await drag(page, [650, 400], [760, 480], 12);
	await page.keyboard.press('t');
	await page.mouse.click(440, 520);
	await page.keyboard.type('Exported text');
	await page.keyboard.press('Escape');
	await page.keyboard.press('n');
	await page.mouse.click(800, 300);
	await page.keyboard.type('A note');
	await page.keyboard.press('Escape');
	await expectShapeCount(page, 6);
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.shapes().find((s) => s.type === 'sticky')?.text)).toBe('A note');
	await expect(page.locator('textarea')).toHaveCount(0);
	await page.keyboard.press('Escape');
	await page.keyboard.press('v');
	await expect.poll(() => page.evaluate(() => window.__boardwalk!.toolState())).toBe('select.idle');
}

/** Opens the Export dialog, sets the format (and scale, background), clicks Download; returns the file. */
async function exportFile(page: Page, format: 'PNG' | 'SVG', opts: { scale?: '1×' | '2×'; background?: boolean; byButton?: boolean } = {}) {
	if (opts.byButton) await page.getByRole('button', { name: 'Export image (Ctrl+Shift+E)' }).click();
	else await page.keyboard.press('Control+Shift+E');
	const dialog = page.getByRole('dialog', { name: 'Export' });
	await expect(dialog).toBeVisible();
	await dialog.getByLabel('Whole board').check();
	await dialog.getByLabel(format, { exact: true }).check();
	if (opts.scale) await dialog.getByLabel(opts.scale).check();
	if (opts.background !== undefined) await dialog.getByLabel('Board colour').setChecked(opts.background);
	const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test('the exported PNG is what the canvas shows', async ({ openBoard }) => {
	const page = await openBoard();
	await drawSeveralKinds(page);
	expect(await page.evaluate(() => window.__boardwalk!.camera())).toEqual({ x: 0, y: 0, zoom: 1 });

	const svg = await exportFile(page, 'SVG', { byButton: true });
	const [x, y, w, h] = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg.bytes.toString())!.slice(1).map(Number) as [number, number, number, number];
	const png = await exportFile(page, 'PNG', { scale: '1×', background: false, byButton: true });
	expect(png.name).toMatch(/^board-.+\.png$/);

	// Both composited over white; a pixel differs when a channel is off by more than 64 (the canvas's
	// background dots are ~40 off white; anti-aliased edges mostly less).
	const result = await page.evaluate(
		async ({ dataUrl, x, y, w, h }) => {
			const image = new Image();
			image.src = dataUrl;
			await image.decode();
			const layer = document.querySelector<HTMLCanvasElement>('[data-testid="board-canvas"] canvas')!;
			const p = window.__boardwalk!.toClient({ x, y });
			const rect = layer.getBoundingClientRect();
			const ratio = layer.width / rect.width;
			const read = (source: CanvasImageSource, sx: number, sy: number) => {
				const c = document.createElement('canvas');
				c.width = w;
				c.height = h;
				const ctx = c.getContext('2d')!;
				ctx.fillStyle = '#fff';
				ctx.fillRect(0, 0, w, h);
				ctx.drawImage(source, sx, sy, w * (source === layer ? ratio : 1), h * (source === layer ? ratio : 1), 0, 0, w, h);
				return ctx.getImageData(0, 0, w, h).data;
			};
			const exported = read(image, 0, 0);
			const shown = read(layer, (p.x - rect.left) * ratio, (p.y - rect.top) * ratio);
			let differing = 0;
			let inked = 0;
			for (let i = 0; i < exported.length; i += 4) {
				const d = Math.max(...[0, 1, 2].map((k) => Math.abs(exported[i + k]! - shown[i + k]!)));
				if (d > 64) differing++;
				if (Math.min(exported[i]!, exported[i + 1]!, exported[i + 2]!) < 200) inked++;
			}
			return { size: [image.naturalWidth, image.naturalHeight], differing: differing / (w * h), inked: inked / (w * h) };
		},
		{ dataUrl: `data:image/png;base64,${png.bytes.toString('base64')}`, x, y, w, h }
	);
	expect(result.size).toEqual([w, h]);
	expect(result.inked).toBeGreaterThan(0.05); // the shapes are there, not an empty picture
	expect(result.differing).toBeLessThan(0.01);

	// 2× is twice the pixels.
	const big = await exportFile(page, 'PNG', { scale: '2×', background: true });
	expect(big.name).toMatch(/@2x\.png$/);
	expect(big.bytes.readUInt32BE(16)).toBe(2 * w);
	expect(big.bytes.readUInt32BE(20)).toBe(2 * h);
});

test('the SVG export is an image with its text as <text>', async ({ openBoard }) => {
	const page = await openBoard();
	await drawSeveralKinds(page);
	const svg = await exportFile(page, 'SVG', { background: true });
	expect(svg.name).toMatch(/\.svg$/);
	const text = svg.bytes.toString();
	expect(text).toContain('>Exported text</tspan></text>');
	expect(text).toContain('>A note</tspan></text>');
	for (const kind of ['rect', 'ellipse', 'arrow', 'pen', 'text', 'sticky']) expect(text).toContain(`data-type="${kind}"`);
	const size = await page.evaluate(async (src) => {
		const image = new Image();
		image.src = src;
		await image.decode();
		return [image.naturalWidth, image.naturalHeight];
	}, `data:image/svg+xml;base64,${svg.bytes.toString('base64')}`);
	expect(size[0]).toBeGreaterThan(300);
	expect(size[1]).toBeGreaterThan(200);
});

test('a saved .boardwalk file opens into another board as new shapes, undone in one step', async ({ openBoard, server }) => {
	const page = await openBoard();
	await drawSeveralKinds(page);
	const original = await shapes(page);
	const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+S')]);
	expect(download.suggestedFilename()).toMatch(/\.boardwalk$/);
	const path = (await download.path())!;

	const other = await openBoard(`import${Date.now()}`);
	await waitConnected(other);
	await other.keyboard.press('r');
	await drag(other, [100, 600], [160, 650]);
	await expectShapeCount(other, 1);

	// A file that is not ours: refused with a message, nothing changes.
	const [refused] = await Promise.all([other.waitForEvent('filechooser'), other.keyboard.press('Control+O')]);
	await refused.setFiles({ name: 'evil.boardwalk', mimeType: 'application/json', buffer: Buffer.from('{"format":"boardwalk","version":1,"shapes":[{"type":"rect","x":"<script>"}]}') });
	await expect(other.getByRole('dialog', { name: 'Export' }).getByRole('status')).not.toBeEmpty();
	await other.keyboard.press('Escape');
	// The dialog takes the keys while it is open: the next shortcut is for the board once it has closed.
	await expect(other.getByRole('dialog', { name: 'Export' })).toBeHidden();
	await expectShapeCount(other, 1);

	const [chooser] = await Promise.all([other.waitForEvent('filechooser'), other.keyboard.press('Control+O')]);
	await chooser.setFiles(path);
	await expectShapeCount(other, 7);
	const imported = (await shapes(other)).slice(1);
	expect(imported.map((s) => s.type)).toEqual(original.map((s) => s.type));
	for (const s of imported) expect(original.map((o) => o.id)).not.toContain(s.id);
	expect(await other.evaluate(() => window.__boardwalk!.selection().length)).toBe(6);

	// The board as it was before the import is in its history.
	const board = new URL(other.url()).pathname.split('/').pop()!;
	const token = new URL(other.url()).hash.replace('#t=', '');
	const listed = (await (await fetch(`${server.url}/api/boards/${board}/versions`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
		versions: { kind: string; shapes: number }[];
	};
	expect(listed.versions.find((v) => v.kind === 'before-import')).toMatchObject({ shapes: 1 });

	await other.keyboard.press('Control+z');
	await expectShapeCount(other, 1);
});
