// Saved runs in the browser's IndexedDB (idb-keyval), behind this one module. A run is kept
// whole under its id; a small index entry per run lets the list load without reading every
// run's checkpoints. Storage failures become StorageError with a message a person can act on.
import { createStore, del, get, keys, set, getMany } from 'idb-keyval';
import { StorageError } from '../checkpoint/idbStore';
import { validateRun, type RunRecord } from './runFile';

export interface RunSummary {
  id: string;
  name: string;
  createdAt: string;
  status: RunRecord['status'];
  experiment: string;
  seeds: number[];
  backend: string;
  edited: string[]; // names of edited specs
}

// createStore opens nothing until first use: importing this in Node is harmless.
const runs = createStore('msm-lab-runs', 'runs');
const index = createStore('msm-lab-run-index', 'index');

export function summaryOf(run: RunRecord): RunSummary {
  return {
    id: run.id, name: run.name, createdAt: run.createdAt, status: run.status, experiment: run.config.experiment,
    seeds: run.results.seeds, backend: run.results.backend, edited: Object.keys(run.config.specs),
  };
}

/** Saves a run whole, or leaves storage as it was: a failed re-save keeps the older copy. */
export async function saveRun(run: RunRecord): Promise<void> {
  const before = await get<unknown>(run.id, runs).catch(() => undefined);
  try {
    await set(run.id, run, runs);
    await set(run.id, summaryOf(run), index);
  } catch (e) {
    // A failed write changed nothing; a failed index write leaves the new copy, which is put back as it was.
    await (before === undefined ? del(run.id, runs) : set(run.id, before, runs)).catch(() => undefined);
    const quota = (e as { name?: string })?.name === 'QuotaExceededError';
    throw new StorageError(
      quota ? `browser storage is full: could not save run "${run.name}". Delete runs you no longer need, or export this one to a file.`
        : `could not save run "${run.name}" (${(e as Error)?.message ?? 'storage unavailable'}); export it to a file instead.`,
      { cause: e },
    );
  }
}

/** Every saved run's summary, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  const ids = (await keys(index)).filter((k): k is string => typeof k === 'string');
  const entries = (await getMany<RunSummary>(ids, index)).filter((e): e is RunSummary => !!e);
  return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A saved run, validated as an imported file would be (storage can hold a stale format). */
export async function loadRun(id: string): Promise<RunRecord> {
  const raw = await get<unknown>(id, runs);
  if (raw === undefined) throw new StorageError(`no saved run with id "${id}"`);
  const run = validateRun(raw);
  if (!run) throw new StorageError(`the saved run "${id}" is damaged or from another version; delete it`);
  return run;
}

export async function deleteRun(id: string): Promise<void> {
  await del(id, runs);
  await del(id, index);
}

export function newRunId(): string {
  return `run-${crypto.randomUUID()}`;
}
