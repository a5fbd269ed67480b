/** Which images a board's doc references: the hashes of its valid image shapes, read with the shared model. */
import * as Y from 'yjs';
import { SHAPES_MAP, readStoredShape } from '../../src/lib/shared/model/index.ts';

/**
 * The hashes of the doc's valid `image` shapes. Only image shapes are validated (a 10k-shape board of
 * rectangles costs a type check per shape); a malformed image shape references nothing, as it is not drawn.
 */
export function imageHashesOf(doc: Y.Doc): Set<string> {
	const hashes = new Set<string>();
	for (const [id, value] of doc.getMap<unknown>(SHAPES_MAP)) {
		if (!(value instanceof Y.Map) || value.get('type') !== 'image') continue;
		try {
			const shape = readStoredShape(id, (key) => value.get(key));
			if (shape.type === 'image') hashes.add(shape.hash);
		} catch {
			// Malformed: not drawn, so not referenced.
		}
	}
	return hashes;
}
