// Screenshots of the Share dialog (editor, viewer) and the link-invalid state at three sizes, into /tmp/shots-share/ (run: npx tsx tests/e2e/share-shots.mts; ONLY=<width> for one size).
import { ready, SHOT_SIZES, startShots } from './shots.ts';

const shots = await startShots('/tmp/shots-share');
const { server, browser } = shots;

try {
	for (const [width, height] of SHOT_SIZES) {
		const tag = `${width}x${height}`;
		const editorCtx = await browser.newContext({ viewport: { width, height }, permissions: ['clipboard-read', 'clipboard-write'] });
		const editor = await editorCtx.newPage();
		await editor.goto(`${server.url}/b/shots${width}${Date.now()}`);
		await editor.waitForURL(/#t=e/);
		await ready(editor);
		for (const [x, y] of [
			[width * 0.25, height * 0.35],
			[width * 0.55, height * 0.5]
		]) {
			await editor.keyboard.press('r');
			await editor.mouse.move(x, y);
			await editor.mouse.down();
			await editor.mouse.move(x + width * 0.2, y + height * 0.12, { steps: 5 });
			await editor.mouse.up();
			await editor.keyboard.press('Escape');
		}
		await editor.screenshot({ path: `/tmp/shots-share/editor-board-${tag}.png` });
		await editor.getByRole('button', { name: 'Share' }).click({ timeout: 5000 });
		const dialog = editor.getByRole('dialog', { name: 'Share this board' });
		await dialog.getByRole('textbox', { name: 'Can view link' }).waitFor();
		await editor.waitForFunction(() => (document.querySelector('input[data-right="view"]') as HTMLInputElement)?.value.includes('#t=v'));
		await dialog.getByRole('button', { name: 'Copy the edit link' }).click();
		await editor.screenshot({ path: `/tmp/shots-share/share-editor-${tag}.png` });
		const view = await dialog.getByRole('textbox', { name: 'Can view link' }).inputValue();
		await dialog.getByRole('region', { name: 'Can view' }).getByRole('button', { name: 'Reset link' }).click();
		await editor.screenshot({ path: `/tmp/shots-share/share-editor-confirm-${tag}.png` });
		await dialog.getByRole('button', { name: 'Cancel' }).click();

		const viewerCtx = await browser.newContext({ viewport: { width, height } });
		const viewer = await viewerCtx.newPage();
		await viewer.goto(view);
		await ready(viewer);
		await viewer.screenshot({ path: `/tmp/shots-share/viewer-board-${tag}.png` });
		await viewer.getByRole('button', { name: 'Share' }).click();
		await viewer.waitForFunction(() => (document.querySelector('input[data-right="view"]') as HTMLInputElement)?.value.includes('#t=v'));
		await viewer.screenshot({ path: `/tmp/shots-share/share-viewer-${tag}.png` });
		await viewer.keyboard.press('Escape');

		await dialog.getByRole('region', { name: 'Can view' }).getByRole('button', { name: 'Reset link' }).click();
		await dialog.getByRole('button', { name: 'Reset view link' }).click();
		await viewer.getByTestId('access-error').waitFor();
		await viewer.screenshot({ path: `/tmp/shots-share/link-invalid-${tag}.png` });

		const strangerCtx = await browser.newContext({ viewport: { width, height } });
		const stranger = await strangerCtx.newPage();
		await stranger.goto(view);
		await stranger.getByTestId('access-error').waitFor();
		await stranger.screenshot({ path: `/tmp/shots-share/link-invalid-fresh-${tag}.png` });
		for (const ctx of [editorCtx, viewerCtx, strangerCtx]) await ctx.close();
	}
} finally {
	await shots.close();
}
