// The direction of imports ARCHITECTURE.md states, checked on every file: a lower layer never imports a higher
// one, only the canvas loads Konva, and the server loads nothing of the browser's code but src/lib/shared.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIB = path.join(ROOT, 'src/lib');

/** Each folder of src/lib and what it may import from src/lib besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
	shared: [],
	board: ['shared'],
	util: [],
	view: ['shared', 'board', 'util'],
	canvas: ['shared', 'board', 'view', 'util'],
	collab: ['shared', 'board', 'view', 'util'],
	editor: ['shared', 'board', 'view', 'util'],
	components: ['shared', 'board', 'view', 'util', 'canvas', 'collab', 'editor']
};

/** Packages only these layers may import. */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
	konva: ['canvas'],
	'perfect-freehand': ['board'],
	svelte: ['collab', 'editor', 'components'],
	// The client has its own provider and store (src/lib/collab); these stay for tests and the bench, as stock clients.
	'y-indexeddb': [],
	'y-websocket': []
};

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.(ts|svelte)$/.test(entry.name) ? [full] : [];
	});
}

function importsOf(file: string): string[] {
	return [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]!);
}

/** The file an import names, for imports of project code; null for packages. */
function resolveProjectImport(file: string, spec: string): string | null {
	if (spec === '$lib' || spec.startsWith('$lib/')) return path.join(LIB, spec.slice(5));
	if (spec.startsWith('.')) return path.resolve(path.dirname(file), spec);
	return null;
}

const layerOf = (file: string): string | null => {
	const rel = path.relative(LIB, file);
	return rel.startsWith('..') ? null : rel.split(path.sep)[0]!;
};

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

describe('import direction', () => {
	const files = sourceFiles(LIB).filter((f) => !f.endsWith('.test.ts'));

	it('knows every folder of src/lib', () => {
		const layers = new Set(files.map((f) => layerOf(f)!));
		expect([...layers].sort()).toEqual(Object.keys(ALLOWED).sort());
	});

	it('a layer of src/lib imports only itself and the layers below it', () => {
		const wrong: string[] = [];
		for (const file of files) {
			const layer = layerOf(file)!;
			for (const spec of importsOf(file)) {
				const target = resolveProjectImport(file, spec);
				if (target === null) continue;
				const to = layerOf(target);
				if (to !== layer && !ALLOWED[layer]!.includes(to ?? '')) wrong.push(`${path.relative(ROOT, file)} → ${spec}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('packages tied to one layer are imported only there', () => {
		const wrong: string[] = [];
		for (const file of files) {
			const layer = layerOf(file)!;
			for (const spec of importsOf(file)) {
				const owners = PACKAGE_OWNERS[packageName(spec)];
				if (owners && !owners.includes(layer)) wrong.push(`${path.relative(ROOT, file)} → ${spec}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('the shared code imports its own files relatively with their extension, so Node loads it as it is', () => {
		const wrong = files
			.filter((f) => layerOf(f) === 'shared' || layerOf(f) === 'board')
			.flatMap((file) => importsOf(file).filter((spec) => spec.startsWith('$lib') || (spec.startsWith('.') && !spec.endsWith('.ts'))).map((spec) => `${path.relative(ROOT, file)} → ${spec}`));
		expect(wrong).toEqual([]);
	});

	it('the rest of src imports project code through $lib only', () => {
		const clientFiles = sourceFiles(path.join(ROOT, 'src')).filter((f) => !['shared', 'board'].includes(layerOf(f) ?? ''));
		const wrong = clientFiles.flatMap((file) =>
			importsOf(file)
				.filter((spec) => spec.startsWith('.'))
				.map((spec) => `${path.relative(ROOT, file)} → ${spec}`)
		);
		expect(wrong).toEqual([]);
	});
});

describe('what the server loads', () => {
	/** Every project file reachable from `entry` through static and dynamic imports, and every package named. */
	function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
		const files = new Set<string>();
		const packages = new Set<string>();
		const visit = (file: string) => {
			if (files.has(file) || !fs.existsSync(file)) return;
			files.add(file);
			for (const spec of importsOf(file)) {
				const target = resolveProjectImport(file, spec);
				if (target === null) packages.add(packageName(spec));
				else visit(target);
			}
		};
		visit(entry);
		return { files, packages };
	}

	it('reaches into src/ only for src/lib/shared, and never loads perfect-freehand, Konva or Svelte', () => {
		const { files, packages } = reachable(path.join(ROOT, 'server/main.ts'));
		const browserCode = [...files].map((f) => path.relative(ROOT, f)).filter((f) => f.startsWith('src/') && !f.startsWith('src/lib/shared/'));
		expect(browserCode).toEqual([]);
		expect([...packages].filter((p) => ['perfect-freehand', 'konva', 'svelte', 'y-indexeddb', 'y-websocket'].includes(p))).toEqual([]);
		// The walk itself must have reached the shared model (the preview reads it).
		expect([...files].some((f) => f.includes(path.join('src', 'lib', 'shared', 'model')))).toBe(true);
	});
});
