import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { THEME_ATTRIBUTE, THEME_STORAGE_KEY, nextThemeChoice, parseThemeChoice, resolveTheme } from '$lib/components/theme';

describe('theme', () => {
	it('reads a stored choice, anything else following the system', () => {
		expect(parseThemeChoice('dark')).toBe('dark');
		expect(parseThemeChoice('light')).toBe('light');
		expect(parseThemeChoice('system')).toBe('system');
		expect(parseThemeChoice(null)).toBe('system');
		expect(parseThemeChoice('purple')).toBe('system');
	});

	it('resolves System by the system preference, and a fixed choice regardless of it', () => {
		expect(resolveTheme('system', true)).toBe('dark');
		expect(resolveTheme('system', false)).toBe('light');
		expect(resolveTheme('light', true)).toBe('light');
		expect(resolveTheme('dark', false)).toBe('dark');
	});

	it('cycles System, Light, Dark', () => {
		expect(nextThemeChoice('system')).toBe('light');
		expect(nextThemeChoice('light')).toBe('dark');
		expect(nextThemeChoice('dark')).toBe('system');
	});

	it('is applied before the first paint by app.html, with the same key and attribute', () => {
		const html = readFileSync(new URL('../../app.html', import.meta.url), 'utf8');
		expect(html).toContain(`'${THEME_STORAGE_KEY}'`);
		expect(html).toContain(`'${THEME_ATTRIBUTE}'`);
		expect(html).toContain('prefers-color-scheme: dark');
	});
});
