// Checkpoints kept in the browser's IndexedDB, behind this one module, so a full disk is
// handled in one place. Each entry is one checkpoint file's bytes under its name, written with
// a single `set` (one IndexedDB transaction), so an entry is either whole or absent.

import { createStore, del, get, keys, promisifyRequest, set } from 'idb-keyval';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './format';

/** Browser storage refused or failed an operation; the message says what the user can do. */
export class StorageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageError';
  }
}

// Our own database, so clearing idb-keyval's default store elsewhere never touches checkpoints.
// createStore opens nothing until first use, so importing this module in Node is harmless.
const store = createStore('msm-lab', 'checkpoints');

/** Encodes (validating) and stores a checkpoint under `name`, replacing any entry of that name. */
export async function saveCheckpoint(name: string, checkpoint: Checkpoint): Promise<void> {
  checkName(name);
  const bytes = encodeCheckpoint(checkpoint); // a checkpoint that cannot be encoded never reaches storage
  const existed = await storage(`save checkpoint "${name}"`, () => hasEntry(name));
  try {
    await set(name, bytes, store);
  } catch (e) {
    // A failed IndexedDB transaction changes nothing, so an older entry of this name is still
    // whole and is kept; a new name is deleted in case a backend left part of the write behind.
    if (!existed) await del(name, store).catch(() => undefined);
    throw new StorageError(saveFailureMessage(name, bytes.byteLength, e), { cause: e });
  }
}

/** The checkpoint saved under `name`, decoded and validated; StorageError when there is none. */
export async function loadCheckpoint(name: string): Promise<Checkpoint> {
  checkName(name);
  const value = await storage(`read checkpoint "${name}"`, () => get<unknown>(name, store));
  if (value === undefined) throw new StorageError(`no checkpoint named "${name}" in browser storage`);
  const bytes = asBytes(value);
  if (!bytes) throw new CheckpointError(`saved checkpoint "${name}" is not checkpoint bytes`);
  try {
    return decodeCheckpoint(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`saved checkpoint "${name}": ${e.message}`, { cause: e });
    throw e;
  }
}

/** Names of the saved checkpoints, sorted. */
export async function listCheckpoints(): Promise<string[]> {
  const names = await storage('list checkpoints', () => keys(store));
  return names.filter((k): k is string => typeof k === 'string').sort();
}

/** Removes the checkpoint saved under `name`; nothing happens when there is none. */
export async function deleteCheckpoint(name: string): Promise<void> {
  checkName(name);
  await storage(`delete checkpoint "${name}"`, () => del(name, store));
}

/** The same operations as one object, for code that takes a store (the worker's engine). */
export const idbCheckpointStore = {
  save: saveCheckpoint,
  load: loadCheckpoint,
  list: listCheckpoints,
  delete: deleteCheckpoint,
};

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new StorageError('a checkpoint needs a non-empty name');
}

/** Counts keys instead of reading the entry: a checkpoint can be hundreds of megabytes. */
function hasEntry(name: string): Promise<boolean> {
  return store('readonly', (s) => promisifyRequest(s.count(name))).then((n) => n > 0);
}

/** Runs an IndexedDB operation; its failure becomes a StorageError that names the operation. */
async function storage<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    throw new StorageError(`could not ${action}: browser storage is unavailable (${reasonOf(e)})`, { cause: e });
  }
}

function saveFailureMessage(name: string, byteLength: number, error: unknown): string {
  const size = `${(byteLength / (1024 * 1024)).toFixed(1)} MiB`;
  if (isQuotaError(error)) {
    return `browser storage is full: could not save checkpoint "${name}" (${size}). ` +
      'Delete saved checkpoints you no longer need, or download this one as a file instead.';
  }
  return `could not save checkpoint "${name}" (${size}) to browser storage (${reasonOf(error)}). ` +
    'Storage may be full or disabled (private browsing); download the checkpoint as a file instead.';
}

function isQuotaError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  // Firefox used its own name for a while; 22 is QUOTA_EXCEEDED_ERR's legacy code.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

function reasonOf(error: unknown): string {
  // A transaction that aborts without an error rejects with null.
  if (error === null || error === undefined) return 'the operation was aborted';
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}
