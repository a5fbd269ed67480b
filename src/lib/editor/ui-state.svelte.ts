/** What the board page shows around the editor (which dialog is open): UI state, not the editor's or the board's. */
export class UiState {
	/** The keyboard shortcut list is open; while it is, only its own toggle and Escape reach the editor. */
	helpOpen = $state(false);
	/** The export dialog (image, file) is open. */
	exportOpen = $state(false);
	/** The version history panel is open (a version may be on show instead of the live board). */
	historyOpen = $state(false);
	/** A key asked to save the board to a file; the page's file actions take it and set it back to null. */
	fileRequest = $state<'save' | null>(null);
	/**
	 * Opens the file chooser (set by the page's file actions). Called within the key's own event: a
	 * browser opens a chooser only in answer to a gesture, so it must not wait for an effect.
	 */
	openFilePicker: (() => void) | null = null;
}
