import 'fake-indexeddb/auto';
import * as idb from 'idb-keyval';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointError, encodeCheckpoint } from '../../src/checkpoint/format';
import {
  deleteCheckpoint,
  idbCheckpointStore,
  listCheckpoints,
  loadCheckpoint,
  saveCheckpoint,
  StorageError,
} from '../../src/checkpoint/idbStore';
import { expectSameBits, makeCheckpoint } from './fixtures';

// `set` is wrapped so a test can make one write fail; everything else is the real idb-keyval.
vi.mock('idb-keyval', async (importOriginal) => {
  const actual = await importOriginal<typeof import('idb-keyval')>();
  return { ...actual, set: vi.fn(actual.set) };
});
const actual = await vi.importActual<typeof import('idb-keyval')>('idb-keyval');

// A second connection to the module's database, to look at what is really stored.
const sameDatabase = actual.createStore('msm-lab', 'checkpoints');
const storedKeys = () => actual.keys(sameDatabase);

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

beforeEach(async () => {
  vi.mocked(idb.set).mockClear();
  await actual.clear(sameDatabase);
});

describe('IndexedDB checkpoint store', () => {
  it('saves and loads a checkpoint bit for bit', async () => {
    const original = makeCheckpoint(1, true);
    await saveCheckpoint('run one', original);
    const loaded = await loadCheckpoint('run one');
    expect(loaded.config).toEqual(original.config);
    expect(loaded.vocab).toEqual(original.vocab);
    expect(loaded.provenance).toEqual(original.provenance);
    expectSameBits(loaded.weights, original.weights);
    expectSameBits(loaded.optimizer!.m, original.optimizer!.m);
    expectSameBits(loaded.optimizer!.v, original.optimizer!.v);
  });

  it('stores the encoded file bytes in one set, in its own database', async () => {
    const original = makeCheckpoint(2, false);
    await saveCheckpoint('a', original);
    expect(idb.set).toHaveBeenCalledTimes(1);
    expect(await actual.get('a', sameDatabase)).toEqual(encodeCheckpoint(original));
    expect(await actual.keys()).toEqual([]); // idb-keyval's default store is untouched
  });

  it('lists names sorted, replaces by name and deletes', async () => {
    await saveCheckpoint('b', makeCheckpoint(3, false));
    await saveCheckpoint('a', makeCheckpoint(4, false));
    await saveCheckpoint('c', makeCheckpoint(5, false));
    expect(await listCheckpoints()).toEqual(['a', 'b', 'c']);
    const replacement = makeCheckpoint(6, false);
    await saveCheckpoint('b', replacement);
    expectSameBits((await loadCheckpoint('b')).weights, replacement.weights);
    await deleteCheckpoint('b');
    await deleteCheckpoint('never saved'); // no error
    expect(await listCheckpoints()).toEqual(['a', 'c']);
  });

  it('says when there is no checkpoint of that name', async () => {
    await expect(loadCheckpoint('nope')).rejects.toThrow(StorageError);
    await expect(loadCheckpoint('nope')).rejects.toThrow('no checkpoint named "nope" in browser storage');
  });

  it('turns a quota error into a StorageError and leaves no half-written entry', async () => {
    vi.mocked(idb.set).mockImplementationOnce(async (key, _value, store) => {
      await actual.set(key, new Uint8Array([1, 2, 3]), store); // what a partial write could leave
      throw quotaError();
    });
    const error = await saveCheckpoint('too big', makeCheckpoint(7, true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^browser storage is full: could not save checkpoint "too big" \([\d.]+ MiB\)/);
    expect((error as Error).cause).toBeInstanceOf(DOMException);
    expect(await storedKeys()).toEqual([]);
    expect(await listCheckpoints()).toEqual([]);
  });

  it('keeps the older checkpoint when replacing it fails', async () => {
    const older = makeCheckpoint(8, false);
    await saveCheckpoint('keep', older);
    vi.mocked(idb.set).mockRejectedValueOnce(quotaError());
    await expect(saveCheckpoint('keep', makeCheckpoint(9, false))).rejects.toThrow('browser storage is full');
    expectSameBits((await loadCheckpoint('keep')).weights, older.weights);
  });

  it('turns any other failed write, even an abort without an error, into a StorageError', async () => {
    vi.mocked(idb.set).mockRejectedValueOnce(null);
    const error = await saveCheckpoint('aborted', makeCheckpoint(10, false)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain('could not save checkpoint "aborted"');
    expect((error as Error).message).toContain('the operation was aborted');
    expect(await storedKeys()).toEqual([]);
  });

  it('never stores a checkpoint that cannot be encoded', async () => {
    const bad = makeCheckpoint(11, false);
    bad.weights[0][0] = NaN;
    await expect(saveCheckpoint('bad', bad)).rejects.toThrow(CheckpointError);
    expect(idb.set).not.toHaveBeenCalled();
    expect(await storedKeys()).toEqual([]);
  });

  it('validates what it loads, naming the entry', async () => {
    const bytes = encodeCheckpoint(makeCheckpoint(12, false));
    bytes[100] ^= 0xff;
    await actual.set('damaged', bytes, sameDatabase);
    await expect(loadCheckpoint('damaged')).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint('damaged')).rejects.toThrow('saved checkpoint "damaged": damaged: checksum mismatch');
    await actual.set('text', 'not bytes', sameDatabase);
    await expect(loadCheckpoint('text')).rejects.toThrow('saved checkpoint "text" is not checkpoint bytes');
  });

  it('offers the same operations as one store object', async () => {
    const original = makeCheckpoint(13, false);
    await idbCheckpointStore.save('x', original);
    expectSameBits((await idbCheckpointStore.load('x')).weights, original.weights);
    expect(await idbCheckpointStore.list()).toEqual(['x']);
    await idbCheckpointStore.delete('x');
    expect(await idbCheckpointStore.list()).toEqual([]);
  });
});
