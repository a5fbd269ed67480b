/** What the board page shows around the editor (which dialog is open): UI state, not the editor's or the board's. */
export class UiState {
	/** The keyboard shortcut list is open; while it is, only its own toggle and Escape reach the editor. */
	helpOpen = $state(false);
}
