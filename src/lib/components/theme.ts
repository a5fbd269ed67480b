/**
 * The colour theme: what the person chose (System, Light, Dark), remembered in localStorage, and the
 * theme it resolves to. `src/app.html` applies the same rule before the first paint (no flash); the
 * toggle (`ThemeToggle.svelte`) keeps it current. The board's document never depends on it.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

/** The localStorage key; app.html's inline script reads the same one. */
export const THEME_STORAGE_KEY = 'boardwalk-theme';
/** The attribute on <html> that every themed stylesheet keys on. */
export const THEME_ATTRIBUTE = 'data-theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** A stored value as a choice: anything unknown (or nothing) follows the system. */
export function parseThemeChoice(stored: string | null | undefined): ThemeChoice {
	return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
	return choice === 'system' ? (systemPrefersDark ? 'dark' : 'light') : choice;
}

/** The toggle's cycle: System → Light → Dark → System. */
export function nextThemeChoice(choice: ThemeChoice): ThemeChoice {
	return THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
}
