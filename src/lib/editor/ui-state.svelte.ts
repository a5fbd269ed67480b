/** What the board page shows around the editor (which dialog is open): UI state, not the editor's or the board's. */
export class UiState {
	/** The keyboard shortcut list is open; while it is, only its own toggle and Escape reach the editor. */
	helpOpen = $state(false);
	/** The export dialog (image, file) is open. */
	exportOpen = $state(false);
	/** A key asked to save the board to a file or open one; the page's file actions take it and set it back to null. */
	fileRequest = $state<'save' | 'open' | null>(null);
}
