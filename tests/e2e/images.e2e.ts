// Images on the board: pasted, dropped and inserted with the file chooser, each seen by another person;
// kept across a reload; added offline, uploaded when back online. Screenshots at phone, tablet and desktop sizes.
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { gotoBoard, test, expect } from './fixtures.ts';
import { expectShapeCount, openTwo, shapes, waitConnected } from './board.ts';

interface ImageInfo {
	hash: string;
	w: number;
	h: number;
	naturalW: number;
	naturalH: number;
	mime: string;
}

/** A PNG drawn in the page: a coloured picture `width`×`height` with a stripe, as bytes (base64). */
async function pngIn(page: Page, width: number, height: number, color = '#e8590c'): Promise<string> {
	return page.evaluate(
		async ([w, h, c]) => {
			const canvas = document.createElement('canvas');
			canvas.width = w as number;
			canvas.height = h as number;
			const ctx = canvas.getContext('2d')!;
			ctx.fillStyle = c as string;
			ctx.fillRect(0, 0, w as number, h as number);
			ctx.fillStyle = '#1864ab';
			ctx.fillRect(0, 0, (w as number) / 3, h as number);
			const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let text = '';
			for (const b of bytes) text += String.fromCharCode(b);
			return btoa(text);
		},
		[width, height, color] as const
	);
}

/** Fires a paste of a PNG file on the page, as the browser does for a copied picture. */
async function pasteImage(page: Page, base64: string): Promise<void> {
	await page.evaluate((data) => {
		const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
		document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
	}, base64);
}

/** Drops files on the board at a page point. */
async function dropFile(page: Page, base64: string, name: string, type: string, at: { x: number; y: number }): Promise<void> {
	await page.evaluate(
		([data, fileName, fileType, x, y]) => {
			const bytes = Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
			const dt = new DataTransfer();
			dt.items.add(new File([bytes], fileName as string, { type: fileType as string }));
			const target = document.querySelector('[data-testid="board-canvas"]')!;
			const init = { dataTransfer: dt, clientX: x as number, clientY: y as number, bubbles: true, cancelable: true };
			target.dispatchEvent(new DragEvent('dragover', init));
			target.dispatchEvent(new DragEvent('drop', init));
		},
		[base64, name, type, at.x, at.y] as const
	);
}

async function images(page: Page): Promise<ImageInfo[]> {
	return (await shapes(page)).filter((s) => s.type === 'image') as unknown as ImageInfo[];
}

/** Waits until the page has drawn the image's picture (loaded from the server or this browser). */
async function expectImageShown(page: Page, hash: string, timeout = 20_000): Promise<void> {
	await expect.poll(() => page.evaluate((h) => window.__boardwalk!.imageState(h), hash), { timeout }).toBe('ready');
}

const sha256 = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

test('a pasted image appears for both people, at its natural size, and stays after a reload', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	const png = await pngIn(a, 240, 160);
	await a.mouse.move(500, 400);
	await pasteImage(a, png);
	await expect.poll(async () => (await images(a)).length).toBe(1);
	const [image] = await images(a);
	expect(image).toMatchObject({ hash: sha256(png), mime: 'image/png', naturalW: 240, naturalH: 160, w: 240, h: 160 });
	await expectImageShown(a, image!.hash);
	await expect.poll(async () => (await images(b)).length).toBe(1);
	await expectImageShown(b, image!.hash);

	await b.reload();
	await waitConnected(b);
	await expectShapeCount(b, 1);
	await expectImageShown(b, image!.hash);
});

test('a dropped file lands where it is dropped; a file that is not an image is refused with words', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	const png = await pngIn(a, 3000, 1000);
	await dropFile(a, png, 'wide.png', 'image/png', { x: 640, y: 400 });
	await expect.poll(async () => (await images(a)).length).toBe(1);
	const [image] = await images(a);
	// Fitted within 60 % of the 1280 px wide view, aspect kept.
	expect(image!.w).toBeCloseTo(1280 * 0.6, 0);
	expect(image!.w / image!.h).toBeCloseTo(3, 1);
	const centre = await a.evaluate(() => window.__boardwalk!.toClient({ x: 0, y: 0 }));
	expect(centre).toBeDefined();
	await expectImageShown(b, image!.hash);

	await dropFile(a, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64'), 'evil.png', 'image/png', { x: 300, y: 300 });
	await expect(a.getByTestId('image-error')).toContainText('not an image Boardwalk can show');
	expect(await images(a)).toHaveLength(1);
});

test('Insert image opens the file chooser; the picked image is seen by the other person', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	const png = await pngIn(a, 200, 200, '#2f9e44');
	const chooser = a.waitForEvent('filechooser');
	await a.getByRole('button', { name: 'Insert image (I)' }).click();
	await (await chooser).setFiles({ name: 'square.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
	await expect.poll(async () => (await images(a)).length).toBe(1);
	const [image] = await images(a);
	expect(image).toMatchObject({ w: 200, h: 200 });
	await expectImageShown(b, image!.hash);
	// Undoable like every shape.
	await a.keyboard.press('Control+z');
	await expectShapeCount(b, 0);
});

test('an image added offline is kept, uploads when back online, and the other person then sees it', async ({ openBoard }) => {
	const [a, b] = await openTwo(openBoard);
	const png = await pngIn(a, 120, 90, '#ae3ec9');
	await a.context().setOffline(true);
	// The browser says it is offline (Playwright leaves an open socket up: the shape may reach the other person before its bytes).
	await expect.poll(() => a.evaluate(() => navigator.onLine)).toBe(false);
	await a.mouse.move(400, 300);
	await pasteImage(a, png);
	await expect.poll(async () => (await images(a)).length).toBe(1);
	const hash = sha256(png);
	await expectImageShown(a, hash);
	await expect(a.getByTestId('image-status')).toContainText('waiting to upload');
	expect(await a.evaluate(() => window.__boardwalk!.pendingUploads())).toBe(1);
	// Meanwhile the other person sees at most a placeholder: the server has no bytes yet.
	if ((await images(b)).length > 0) expect(await b.evaluate((h) => window.__boardwalk!.imageState(h), hash)).not.toBe('ready');

	await a.context().setOffline(false);
	await expect.poll(() => a.evaluate(() => window.__boardwalk!.pendingUploads()), { timeout: 30_000 }).toBe(0);
	await expect.poll(async () => (await images(b)).length, { timeout: 30_000 }).toBe(1);
	await expectImageShown(b, hash, 40_000);
});

test('an image copied on one board and pasted into another is uploaded there too: a new visitor of that board sees it', async ({ openBoard, server }) => {
	const page = await openBoard();
	const png = await pngIn(page, 200, 120, '#2f9e44');
	await page.mouse.move(500, 400);
	await pasteImage(page, png);
	await expect.poll(async () => (await images(page)).length).toBe(1);
	const [image] = await images(page);
	await expectImageShown(page, image!.hash);
	await page.keyboard.press('Escape');
	await page.keyboard.press('Control+a');
	await page.keyboard.press('Control+c');

	const other = `pasted${Date.now()}`;
	await gotoBoard(page, server.url, other);
	await waitConnected(page);
	await page.mouse.move(600, 400);
	await page.keyboard.press('Control+v');
	await expect.poll(async () => (await images(page)).length).toBe(1);
	expect((await images(page))[0]!.hash).toBe(image!.hash);
	// The server serves a board only its own images: this one must have been uploaded to the second board.
	const visitor = await openBoard(other);
	await waitConnected(visitor);
	await expectImageShown(visitor, image!.hash);
});

test('screenshots of a board with an image at phone, tablet and desktop sizes', async ({ openBoard }) => {
	const page = await openBoard();
	await waitConnected(page);
	const png = await pngIn(page, 640, 400, '#f59f00');
	for (const [name, width, height] of [
		['phone', 390, 844],
		['tablet', 820, 1180],
		['desktop', 1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		if (name === 'phone') {
			await page.mouse.move(width / 2, height / 2);
			await pasteImage(page, png);
			await expect.poll(async () => (await images(page)).length).toBe(1);
			await expectImageShown(page, sha256(png));
		}
		// A resize is drawn on the next frames: wait for two of them, not for a time.
		await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
		await page.screenshot({ path: test.info().outputPath(`images-${name}.png`) });
	}
});
