// Saved runs in IndexedDB: a save that fails leaves storage as it was. A new run leaves
// nothing behind; a run saved again keeps its older copy whole, whichever write failed.
import 'fake-indexeddb/auto';
import * as idb from 'idb-keyval';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/checkpoint/idbStore';
import type { RunRecord } from '../../src/runs/runFile';
import { saveRun, summaryOf } from '../../src/runs/store';

// `set` is wrapped so a test can make one write fail; everything else is the real idb-keyval.
vi.mock('idb-keyval', async (importOriginal) => {
  const actual = await importOriginal<typeof import('idb-keyval')>();
  return { ...actual, set: vi.fn(actual.set) };
});
const actual = await vi.importActual<typeof import('idb-keyval')>('idb-keyval');

// Second connections to the module's databases, to look at what is really stored.
const runs = actual.createStore('msm-lab-runs', 'runs');
const index = actual.createStore('msm-lab-run-index', 'index');
const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
/** Only what saveRun reads; the store keeps the record as given. */
const record = (name: string) => ({
  id: 'run-1', name, createdAt: '2025-01-01T00:00:00.000Z', status: 'complete',
  config: { experiment: 'agentic', specs: {} }, results: { seeds: [1], backend: 'wasm' }, seedResults: [], checkpoints: { a: new Uint8Array([1, 2, 3]) },
}) as unknown as RunRecord;

beforeEach(async () => {
  vi.mocked(idb.set).mockClear();
  await actual.clear(runs);
  await actual.clear(index);
});

describe('saveRun', () => {
  it('a new run whose save fails leaves nothing behind', async () => {
    vi.mocked(idb.set).mockImplementationOnce(() => Promise.reject(quotaError()));
    await expect(saveRun(record('first'))).rejects.toThrow(StorageError);
    expect(await actual.keys(runs)).toEqual([]);
    expect(await actual.keys(index)).toEqual([]);
  });

  it.each([['the run', 0], ['its index entry', 1]])('a re-save whose write of %s fails keeps the older copy whole', async (_, failing) => {
    const older = record('older');
    await saveRun(older);
    let writes = 0;
    vi.mocked(idb.set).mockImplementation((...args) => (writes++ === failing ? Promise.reject(quotaError()) : actual.set(...args)));
    await expect(saveRun(record('newer'))).rejects.toThrow(/browser storage is full: could not save run "newer"/);
    vi.mocked(idb.set).mockImplementation(actual.set);
    expect(await actual.get('run-1', runs)).toEqual(older);
    expect(await actual.get('run-1', index)).toEqual(summaryOf(older));
  });
});
