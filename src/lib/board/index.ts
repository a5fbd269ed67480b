/** The board model as the browser uses it: the shared model (src/lib/shared/model) plus every write, undo, pen strokes and the clipboard format. Import it as '$lib/board'. */

export * from '../shared/model/index.ts';
export * from './ops.ts';
export * from './clipboard.ts';
export * from './history.ts';
export * from './stroke.ts';
export * from './import.ts';
export * from './restore.ts';
export * from './text.ts';
export * from './text-binding.ts';
