// The in-memory store keeps the same contract as SQLite, so tests and the bench's "persistence off" differ from ours only in durability.
import { storageAdminContract, storageContract } from '../../tests/contracts/storage.ts';
import { MemoryStorage } from './memory.ts';

storageContract('memory', async () => ({
	storage: new MemoryStorage(),
	secondWriter: { kind: 'separate', open: async () => new MemoryStorage() }
}));

storageAdminContract('memory', async () => new MemoryStorage());
