/**
 * Panel controls hand the keyboard back to the board once a pointer has used them: after dragging the
 * opacity slider or clicking a swatch or a tool, Delete, Ctrl+Z and the tools' keys act on the board again
 * (a focused slider keeps its keys, and a focused button would take Enter and Space). A control reached
 * with the keyboard (Tab) keeps its focus, and so do text fields.
 */
import type { Attachment } from 'svelte/attachments';
import { on } from 'svelte/events';

/** Controls that keep the focus after a click: text to type in, and a colour picker while its dialog is open. */
function keepsFocus(el: HTMLElement): boolean {
	if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
	if (el instanceof HTMLInputElement) return !['range', 'button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type);
	return el.isContentEditable;
}

/** Attach to a panel (`{@attach returnFocusToBoard}`): its controls let go of the focus after pointer use. */
export const returnFocusToBoard: Attachment<HTMLElement> = (panel) => {
	let pressed = false;
	const release = (colorChosen = false) => {
		const active = document.activeElement;
		if (!(active instanceof HTMLElement) || !panel.contains(active)) return;
		const chosenColor = colorChosen && active instanceof HTMLInputElement && active.type === 'color';
		if (chosenColor || !keepsFocus(active)) active.blur();
	};
	const offs = [
		on(panel, 'pointerdown', () => (pressed = true)),
		// The click or change a press ends in lets go at once, before the next key can arrive.
		on(panel, 'click', () => pressed && release()),
		on(panel, 'change', (e) => {
			// A colour picker's dialog outlives the click that opened it: it lets go once a colour is chosen.
			const colorChosen = e.target instanceof HTMLInputElement && e.target.type === 'color';
			if (pressed || colorChosen) release(colorChosen);
		}),
		// On the window: a slider's drag may end anywhere, and end in neither (dropped where it began).
		on(
			window,
			'pointerup',
			() => {
				if (!pressed) return;
				setTimeout(() => {
					pressed = false;
					release();
				}, 0);
			},
			{ capture: true }
		),
		on(window, 'pointercancel', () => (pressed = false), { capture: true })
	];
	return () => {
		for (const off of offs) off();
	};
};
