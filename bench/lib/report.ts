/** Collects the bench's tables: prints each as it is finished, and writes them all as one JSON file at the end. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Cell = string | number | boolean;
export type Row = Record<string, Cell>;

export interface Table {
	scenario: string;
	title: string;
	rows: Row[];
	/** What the reader needs to interpret the figures (baseline, conditions, caveats). */
	notes: string[];
}

export class Report {
	readonly tables: Table[] = [];

	constructor(readonly quick: boolean) {}

	table(scenario: string, title: string, rows: Row[], notes: string[] = []): void {
		this.tables.push({ scenario, title, rows, notes });
		console.log(`\n## ${title}`);
		if (rows.length > 0) console.table(rows);
		else console.log('(no rows)');
		for (const note of notes) console.log(`  - ${note}`);
	}

	/** Writes `bench/results/<timestamp>[-quick].json`; returns its path. */
	write(dir: string, startedAt: Date): string {
		fs.mkdirSync(dir, { recursive: true });
		const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
		const file = path.join(dir, `${stamp}${this.quick ? '-quick' : ''}.json`);
		const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', totalMemBytes: os.totalmem() };
		fs.writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), quick: this.quick, machine, tables: this.tables }, null, 2)}\n`);
		return file;
	}
}
