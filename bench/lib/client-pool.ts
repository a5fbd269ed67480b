/** The bench side of the client worker processes: spawns them, spreads clients over them, sends commands. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CommandName, Commands, Request, Response } from '../clients/messages.ts';
import { stopChild, track } from './procs.ts';

const WORKER = path.resolve(import.meta.dirname, '../clients/worker.ts');
const DEFAULT_TIMEOUT_MS = 120_000;

interface Worker {
	child: ChildProcess;
	pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

export class ClientPool {
	private nextId = 1;
	/** Set when a worker did not answer in time: it may still be busy, so the bench should replace the pool. */
	dirty = false;

	private constructor(private readonly workers: Worker[]) {}

	/** Starts `processes` worker processes. */
	static async start(processes: number): Promise<ClientPool> {
		const workers = Array.from({ length: processes }, (): Worker => {
			const child = track(fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
			const worker: Worker = { child, pending: new Map() };
			child.on('message', (message: Response) => {
				const waiting = worker.pending.get(message.id);
				if (!waiting) return;
				worker.pending.delete(message.id);
				if (message.ok) waiting.resolve(message.result);
				else waiting.reject(new Error(`client worker: ${message.error}`));
			});
			child.once('exit', (code, signal) => {
				for (const waiting of worker.pending.values()) waiting.reject(new Error(`client worker exited (${code ?? signal})`));
				worker.pending.clear();
			});
			return worker;
		});
		return new ClientPool(workers);
	}

	get size(): number {
		return this.workers.length;
	}

	get pids(): number[] {
		return this.workers.map((w) => w.child.pid!);
	}

	/** Sends one command to worker `index`. */
	ask<K extends CommandName>(index: number, command: K, args: Commands[K]['args'], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Commands[K]['result']> {
		const worker = this.workers[index]!;
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				worker.pending.delete(id);
				this.dirty = true;
				reject(new Error(`client worker did not answer ${command} within ${timeoutMs} ms`));
			}, timeoutMs);
			worker.pending.set(id, {
				resolve: (value) => {
					clearTimeout(timer);
					resolve(value as Commands[K]['result']);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				}
			});
			const request: Request<K> = { id, command, args };
			worker.child.send(request);
		});
	}

	/** Sends the same command to every worker; `argsFor` may vary it per worker. */
	all<K extends CommandName>(command: K, argsFor: (index: number) => Commands[K]['args'], timeoutMs?: number): Promise<Array<Commands[K]['result']>> {
		return Promise.all(this.workers.map((_, index) => this.ask(index, command, argsFor(index), timeoutMs)));
	}

	/** How many of `total` clients worker `index` hosts (spread as evenly as possible). */
	share(total: number, index: number): number {
		return Math.floor(total / this.size) + (index < total % this.size ? 1 : 0);
	}

	async stop(): Promise<void> {
		await Promise.all(this.workers.map((w) => stopChild(w.child, 'SIGTERM', 5_000)));
	}
}
