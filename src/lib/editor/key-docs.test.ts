// The README's key table and the user guide are written by hand, for people; these tests hold them to
// the command registry, so a key added, changed or dropped there fails here until the docs follow.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, listedKeys, type Command } from '$lib/editor/commands';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Modifiers named alone, as in "`Ctrl`+wheel" or "`Shift`: 10 px". */
const MODIFIERS = new Set(['Ctrl', 'Shift']);

interface Row {
	line: string;
	/** The first cell: what the row is about. */
	name: string;
	keys: string[];
}

const backticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

function tableRows(text: string): Row[] {
	return text
		.split('\n')
		.filter((line) => /^\|.*\|$/.test(line) && !/^\|\s*-/.test(line))
		.map((line) => ({ line, name: line.split('|')[1]!.trim(), keys: backticked(line) }));
}

const words = (text: string) => text.toLowerCase().split(/\W+/).filter((w) => w.length >= 3);

/** A row names a command by any word of its label ("Reset to 100 %" names Reset zoom). */
const names = (row: Row, cmd: Command) => words(cmd.label).some((w) => words(row.name).includes(w));

function ownersOf(key: string): Command[] {
	return COMMANDS.filter((cmd) => cmd.keysText === undefined && listedKeys(cmd.id).includes(key));
}

/** What is wrong with a doc's keys, one line per problem; empty when it agrees with the registry. */
function disagreements(text: string): string[] {
	const problems: string[] = [];
	for (const row of tableRows(text)) {
		for (const key of row.keys) {
			if (MODIFIERS.has(key)) continue;
			const owners = ownersOf(key);
			if (owners.length === 0) problems.push(`\`${key}\` runs no command: ${row.line}`);
			else if (!owners.some((cmd) => names(row, cmd)))
				problems.push(`\`${key}\` is ${owners[0]!.label}'s key, but its row does not name it: ${row.line}`);
		}
	}
	const mentioned = new Set(backticked(text));
	for (const cmd of COMMANDS) {
		if (cmd.keysText !== undefined) {
			if (!text.toLowerCase().includes(cmd.keysText.toLowerCase())) problems.push(`${cmd.label}: "${cmd.keysText}" is missing`);
			continue;
		}
		for (const key of listedKeys(cmd.id)) if (!mentioned.has(key)) problems.push(`${cmd.label}: \`${key}\` is missing`);
	}
	return problems;
}

function section(file: string, from: string, to: RegExp): string {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const start = text.indexOf(from);
	if (start < 0) throw new Error(`${file} has no "${from}"`);
	const rest = text.slice(start + from.length);
	const end = rest.search(to);
	return end < 0 ? rest : rest.slice(0, end);
}

describe('the documented keys', () => {
	it("README's key table lists every command's keys, each in a row naming its command", () => {
		expect(disagreements(section('README.md', '## Using the board', /\n## /))).toEqual([]);
	});

	it('the user guide does too', () => {
		expect(disagreements(section('docs/using-the-board.md', '## Using the board', /\n### Presence/))).toEqual([]);
	});

	it('notices a key the registry does not have, a missing key and a key in the wrong row', () => {
		const doc = (rows: string) => `Press \`?\`.\n\n| | keys |\n| --- | --- |\n${rows}`;
		const good = [
			'| Select, Hand, Pen | `V`, `H`, `P` / `D` |',
			'| Rectangle, Ellipse, Line, Arrow | `R`, `O`, `L`, `A` |',
			'| Text, Sticky note, Eraser | `T`, `N`, `E` |',
			'| Undo / redo | `Ctrl+Z` / `Ctrl+Shift+Z`, `Ctrl+Y` |',
			'| Select all, delete, duplicate | `Ctrl+A`, `Delete`/`Backspace`, `Ctrl+D` |',
			'| Copy / cut / paste | `Ctrl+C` / `Ctrl+X` / `Ctrl+V` |',
			'| Insert image | `I` |',
			'| Nudge | arrow keys (`Shift`: 10 px) |',
			'| Next / previous shape | `Tab` / `Shift+Tab` |',
			'| Edit text, or place a shape | `Enter` |',
			'| Context menu | `Shift+F10` |',
			'| Bring forward / send backward | `]` / `[` |',
			'| Zoom | `+` / `-`, `Ctrl+0`, `Shift+1` |',
			'| Cancel | `Escape` |',
			'| Export image, save to file, open file | `Ctrl+Shift+E`, `Ctrl+S`, `Ctrl+O` |',
			'| Version history | `Ctrl+Shift+H` |'
		];
		expect(disagreements(doc(good.join('\n')))).toEqual([]);
		expect(disagreements(doc([...good, '| Send to back | `Ctrl+[` |'].join('\n')))).toEqual([
			'`Ctrl+[` runs no command: | Send to back | `Ctrl+[` |'
		]);
		expect(disagreements(doc(good.slice(1).join('\n')))).toEqual([
			'Select: `V` is missing',
			'Hand: `H` is missing',
			'Pen: `P` is missing',
			'Pen: `D` is missing'
		]);
		const swapped = good.map((r) => r.replace('`R`, `O`', '`O`, `R`').replace('| Rectangle, Ellipse', '| Rectangle, Oval'));
		expect(disagreements(doc(swapped.join('\n')))).toEqual([
			"`O` is Ellipse's key, but its row does not name it: | Rectangle, Oval, Line, Arrow | `O`, `R`, `L`, `A` |"
		]);
	});
});
