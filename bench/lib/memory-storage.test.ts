// The bench's in-memory store keeps the same contract as SQLite, so "persistence off" differs from ours only in durability.
import { storageContract } from '../../tests/contracts/storage.ts';
import { MemoryStorage } from './memory-storage.ts';

storageContract('bench memory storage', async () => ({ storage: new MemoryStorage() }));
