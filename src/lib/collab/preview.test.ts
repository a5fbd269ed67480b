// A preview body is read as the board model reads a stored shape: validated, defaults filled in, junk left out.
import { describe, expect, it } from 'vitest';
import { SHAPE_DEFAULTS } from '$lib/board';
import { parsePreview, requestPreview } from '$lib/collab/preview';

describe('parsePreview', () => {
	it('fills in the fields left out at their default', () => {
		const preview = parsePreview(JSON.stringify({ total: 3, shapes: [{ id: 'a', type: 'rect', index: 'a0', x: 5, w: 70 }] }));
		expect(preview).toEqual({ total: 3, shapes: [{ ...SHAPE_DEFAULTS.rect, id: 'a', type: 'rect', index: 'a0', x: 5, w: 70 }] });
	});

	it('leaves out entries that are not valid shapes, keeping the rest in order', () => {
		const body = JSON.stringify({
			total: 7,
			shapes: [
				{ id: 'ok1', type: 'ellipse', index: 'a0' },
				{ type: 'rect', index: 'a1' },
				{ id: 'bad-type', type: 'hexagon', index: 'a2' },
				{ id: 'bad-field', type: 'rect', index: 'a3', w: 'wide' },
				null,
				7,
				{ id: 'ok2', type: 'text', index: 'a4', text: 'hi' }
			]
		});
		expect(parsePreview(body)!.shapes.map((s) => s.id)).toEqual(['ok1', 'ok2']);
	});

	it('is null for anything that is not a preview', () => {
		const notPreviews = ['', 'not json', '{"shapes":', 'null', '[]', '{"total":1,"shapes":{}}', '{"shapes":[]}', '{"total":"1","shapes":[]}', '{"total":0,"shapes":[{}]}', '<html>502</html>'];
		for (const body of notPreviews) expect(parsePreview(body)).toBeNull();
	});
});

describe('requestPreview', () => {
	const view = { x: 0, y: 0, w: 100, h: 100 };
	const answering = (response: Response | Error): typeof fetch =>
		(async () => {
			if (response instanceof Error) throw response;
			return response;
		}) as typeof fetch;

	it('gives the body of a 200 and null for no preview, an error status or no network', async () => {
		const ask = (fetcher: typeof fetch) => requestPreview('r', view, fetcher);
		expect(await ask(answering(new Response('{"total":0,"shapes":[]}', { status: 200 })))).toBe('{"total":0,"shapes":[]}');
		expect(await ask(answering(new Response(null, { status: 204 })))).toBeNull();
		expect(await ask(answering(new Response('down', { status: 503 })))).toBeNull();
		expect(await ask(answering(new TypeError('Failed to fetch')))).toBeNull();
	});

	it('asks for the room and the view, in whole units rounded outwards', async () => {
		let asked = '';
		const fetcher = (async (url: string) => {
			asked = url;
			return new Response(null, { status: 204 });
		}) as unknown as typeof fetch;
		await requestPreview('Board_1-x', { x: -10.5, y: 2.25, w: 100.1, h: 50 }, fetcher);
		expect(asked).toBe('/preview/Board_1-x?view=-11,2,101,51');
	});
});
