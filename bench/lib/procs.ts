/** Every child process the bench starts is tracked here, and killed when the bench ends, however it ends. */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}
	children.clear();
}

function install(): void {
	if (installed) return;
	installed = true;
	process.on('exit', killAll);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			killAll();
			process.exit(130);
		});
	}
}

/** Registers `child` so it cannot outlive the bench. */
export function track<T extends ChildProcess>(child: T): T {
	install();
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

export function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal` (SIGTERM: a graceful stop) and waits up to `timeoutMs`, then SIGKILLs. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	await exited(child);
	clearTimeout(timer);
}

/** Kills every tracked child now (the bench's last step, and its error path). */
export function killAllChildren(): void {
	killAll();
}
