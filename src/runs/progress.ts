// Runs in progress, in the browser's IndexedDB: each run's record (its configuration and the
// seeds finished so far), written when it starts and as each seed ends, and its journal of
// finished units. A record still here when the page loads belongs to a run that was cut off (a
// reload, a closed tab, a crash): the app lists it as interrupted and can resume it. Finishing,
// stopping or discarding a run deletes both.
import { createStore, del, delMany, get, getMany, keys, set } from 'idb-keyval';
import type { SeedResult } from '../experiment/runExperiment';
import { configProblems, type ExperimentConfig } from './config';
import { isPartialKey, type JournalEntry, type UnitStore } from './journal';

export interface RunProgress {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  config: ExperimentConfig;
  unitsTotal: number;
  seedResults: SeedResult[]; // the seeds finished so far
}

export interface InterruptedRun extends RunProgress {
  unitsKept: number; // finished units in its journal (a stage's snapshot is not one)
}

// createStore opens nothing until first use: importing this in Node is harmless.
const records = createStore('msm-lab-run-progress', 'progress');
const units = createStore('msm-lab-run-units', 'units');

export async function saveProgress(progress: RunProgress): Promise<void> {
  await set(progress.id, progress, records);
}

/** Every run cut off before it ended, newest first; a record from another version is skipped. */
export async function listProgress(): Promise<InterruptedRun[]> {
  const ids = (await keys(records)).filter((k): k is string => typeof k === 'string');
  const found = (await getMany<unknown>(ids, records)).filter(isProgress);
  const unitKeys = (await keys(units)).map(String);
  return found
    .map((p) => ({ ...p, unitsKept: unitKeys.filter((k) => k.startsWith(`${p.id}/`) && !isPartialKey(k)).length }))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function loadProgress(id: string): Promise<RunProgress | null> {
  const raw = await get<unknown>(id, records);
  return isProgress(raw) ? raw : null;
}

/** Deletes a run's record and its journal. */
export async function deleteProgress(id: string): Promise<void> {
  await del(id, records);
  await delMany((await keys(units)).filter((k) => String(k).startsWith(`${id}/`)), units);
}

/** A run's journal in IndexedDB; each unit is one `set`, so it is whole or absent. */
export function progressUnits(id: string): UnitStore {
  return {
    read: (key) => get<JournalEntry>(`${id}/${key}`, units),
    write: (key, entry) => set(`${id}/${key}`, entry, units),
    delete: (key) => del(`${id}/${key}`, units),
  };
}

function isProgress(raw: unknown): raw is RunProgress {
  const p = raw as RunProgress | undefined;
  return !!p && typeof p.id === 'string' && typeof p.name === 'string' && typeof p.createdAt === 'string' && typeof p.updatedAt === 'string'
    && typeof p.unitsTotal === 'number' && Array.isArray(p.seedResults) && !!p.config && Array.isArray(p.config.seeds)
    && validConfig(p.config);
}

function validConfig(config: ExperimentConfig): boolean {
  try {
    return configProblems(config).length === 0;
  } catch {
    return false; // a record from another version, too different to check
  }
}
