/**
 * A window hook for end-to-end tests and debugging: `window.__boardwalk`, read-only but for `viewOnly()`.
 * Installed always (it costs nothing and exposes nothing a devtools user could not read).
 */
import type { Shape } from '$lib/board';
import type { Editor } from '$lib/editor/editor.svelte';
import type { BoardSession } from '$lib/collab/session.svelte';
import type { Camera, Point } from '$lib/view/camera';
import type { Paint } from '$lib/canvas/board-canvas';

export interface BoardwalkTestHook {
	/** Every valid shape, bottom to top. */
	shapes(): Shape[];
	/** The canvas is mounted and takes input. */
	ready(): boolean;
	/** Shape nodes painted on the Konva layer (proves rendering, not just the doc); -1 before the canvas is ready. */
	nodeCount(): number;
	/** Konva nodes created/updated/destroyed so far: a remote change should touch only its shapes' nodes. */
	renderStats(): { created: number; updated: number; destroyed: number };
	selection(): string[];
	camera(): Camera;
	/** "tool.state", e.g. "select.idle". */
	toolState(): string;
	/** 'connected' | 'connecting' | 'offline' | 'stopped'. */
	status(): string;
	/** 'edit' | 'view': what this page may do on the board. */
	access(): string;
	/** Why the page's link does not open the board, or null. */
	accessError(): string | null;
	/** 'saved' | 'saving' | 'unsaved' (src/lib/collab/save-tracker.ts). */
	saveState(): string;
	/** This browser's IndexedDB copy holds every change the tab has seen. */
	keptLocally(): boolean;
	/** Reconnection: attempts since the last sync, next attempt (epoch ms) or null, and the last close code. */
	reconnect(): { attempt: number; nextAttemptAt: number | null; lastCloseCode: number | null };
	/** A board point in page (client) coordinates, to aim mouse clicks at shapes. */
	toClient(p: Point): Point;
	/** Other people's selection outlines drawn on the canvas: whose (awareness client id), colour, around which shape. */
	peerOutlines(): { clientId: number; color: string; id: string }[];
	/** Other people's selections shared as a box (too many shapes to share by id): whose, colour, the box in board units. */
	peerBoxes(): { clientId: number; color: string; x: number; y: number; w: number; h: number }[];
	/** Your own selection as drawn: how many shapes are outlined one by one (several selected, in view), and the hovered shape's id. */
	outlines(): { selected: number; hover: string | null };
	/** The latest draws of the shape layer, oldest first (for benchmarks: when the board was painted, and how long that took). */
	paints(): Paint[];
	/** An image's state here by hash ('loading' | 'ready' | 'missing'); asking starts loading it. */
	imageState(hash: string): string;
	/** Images this page still has to upload. */
	pendingUploads(): number;
	/**
	 * Puts the page in view-only mode, as a view link does, so the UI's refusals can be tested without
	 * one. The one call that changes anything, and it only takes rights away: the server decides what
	 * a socket may write, whatever the page believes.
	 */
	viewOnly(): void;
	/** While a version is on show (the History panel's preview): its shape nodes and its outlines by colour; null otherwise. */
	versionPreview(): { nodes: number; marks: Record<string, number> } | null;
}


declare global {
	interface Window {
		__boardwalk?: BoardwalkTestHook;
	}
}

export function installTestHook(deps: {
	editor: Editor;
	session: BoardSession;
	nodeCount: () => number | null;
	renderStats: () => { created: number; updated: number; destroyed: number };
	toClient: (p: Point) => Point;
	peerOutlines: () => { clientId: number; color: string; id: string }[];
	peerBoxes: () => { clientId: number; color: string; x: number; y: number; w: number; h: number }[];
	paints: () => Paint[];
	outlines?: () => { selected: number; hover: string | null };
	versionPreview: () => { nodes: number; marks: Record<string, number> } | null;
}): () => void {
	const { editor, session } = deps;
	const hook: BoardwalkTestHook = {
		shapes: () => editor.shapes(),
		ready: () => deps.nodeCount() !== null,
		nodeCount: () => deps.nodeCount() ?? -1,
		renderStats: () => ({ ...deps.renderStats() }),
		selection: () => [...editor.selection],
		camera: () => ({ ...editor.camera }),
		toolState: () => editor.toolState,
		status: () => session.status,
		access: () => session.access,
		accessError: () => session.accessError,
		saveState: () => session.save,
		keptLocally: () => session.keptLocally,
		reconnect: () => ({ ...session.retryState, lastCloseCode: session.lastCloseCode }),
		toClient: deps.toClient,
		peerOutlines: () => deps.peerOutlines(),
		peerBoxes: () => deps.peerBoxes(),
		paints: () => deps.paints(),
		outlines: () => deps.outlines?.() ?? { selected: 0, hover: null },
		imageState: (hash) => session.images.image(hash).state,
		pendingUploads: () => session.images.pendingUploads,
		versionPreview: () => deps.versionPreview(),
		viewOnly: () => {
			session.access = 'view';
		}
	};
	window.__boardwalk = hook;
	return () => {
		if (window.__boardwalk === hook) delete window.__boardwalk;
	};
}
