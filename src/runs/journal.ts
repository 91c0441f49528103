// What a run has finished, one unit at a time (a model trained through a stage, a model
// probed), so a run that is cut off (a reloaded tab, a Worker that died) goes on from its last
// finished unit instead of from the start. A unit is keyed by the content of its inputs (the
// start checkpoint's CRC-32 and a fingerprint of the stage or the questions): the runner is
// deterministic, so running the same configuration again asks for the same units in the same
// order, and a kept unit can only answer the very call that made it.
// A stage in training also leaves its newest snapshot (every N steps: weights, optimizer moments,
// the step and the losses so far), kept until the stage finishes; a stage cut off midway is sent
// again with it and goes on from that step.
import { crc32 } from '../checkpoint/crc32';
import type { BatchEngine } from '../experiment/runExperiment';
import type { StageResult } from '../train/trainer';
import { fingerprint } from '../util/hash';
import type { EvaluateRequest, EvaluateResult } from '../worker/api';
import type { StageSnapshot, TrainJob } from '../worker/trainMany';

export type JournalEntry =
  | { kind: 'trained'; result: StageResult; checkpoint: Uint8Array }
  | { kind: 'evaluated'; result: EvaluateResult }
  /** The newest snapshot of a stage not finished yet, under partialKey(trainKey). */
  | { kind: 'partial'; snapshot: StageSnapshot };

/** Where a journal keeps its units beyond the page's memory (IndexedDB in the app). */
export interface UnitStore {
  read(key: string): Promise<JournalEntry | undefined>;
  write(key: string, entry: JournalEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface JournalOptions {
  /** Train at most this many jobs per engine call, so a cut-off run loses at most one call's work. */
  chunk: number;
  /** Awaited before each engine call (pause and stop). */
  beforeCall?: () => Promise<void>;
  /** Keep a snapshot of each stage in training every this many steps, so a cut loses at most that many. */
  snapshotEvery?: number;
}

/** A stage that went on from a snapshot instead of from its first step. */
export interface ResumedStage {
  stage: string;
  step: number; // the snapshot's step: steps 1..step were trained before the cut
  steps: number;
}

export class RunJournal {
  /** Units of this attempt answered with what an earlier attempt kept, without the engine. */
  replayed = 0;
  /** Stages of this attempt that went on from a snapshot kept before. */
  resumed: ResumedStage[] = [];
  /** The first failure to write to the store; after it the journal keeps units in memory only. */
  storageError: Error | null = null;
  private readonly memory = new Map<string, JournalEntry>();
  private readonly restoredResults = new WeakSet<object>();
  private keptThisAttempt = new Set<string>();
  // Snapshots arrive by progress reports the engine does not wait for: their writes go one after
  // another, and one that storage has not reached yet is replaced by a newer one of its stage.
  private snapshotWrites: Promise<void> = Promise.resolve();
  private readonly newestSnapshots = new Map<string, StageSnapshot>();

  constructor(
    private readonly store: UnitStore | null = null,
    private readonly onStorageError: (e: Error) => void = () => {},
  ) {}

  /**
   * Starts an attempt at the run (its first, or one after a cut): units kept from now on are
   * not counted as restored when this attempt meets them again (models that are the same by
   * their inputs are trained or probed once).
   */
  beginAttempt(): void {
    this.replayed = 0;
    this.resumed = [];
    this.keptThisAttempt = new Set();
  }

  /** Whether a stage result came from an earlier attempt rather than from training now. */
  restored(result: StageResult): boolean {
    return this.restoredResults.has(result);
  }

  /** `engine` that keeps each finished unit and answers a kept unit without training or probing. */
  wrap(engine: BatchEngine, o: JournalOptions): BatchEngine {
    return {
      trainMany: async (jobs, onProgress) => {
        const keys = jobs.map(trainKey);
        const results: StageResult[] = [];
        const checkpoints: Uint8Array[] = [];
        const todo: number[] = [];
        for (const [i, key] of keys.entries()) {
          const kept = await this.read(key);
          if (kept?.kind === 'trained') this.replay(key, kept.result, () => ((results[i] = kept.result), (checkpoints[i] = kept.checkpoint)));
          else todo.push(i);
        }
        for (let c = 0; c < todo.length; c += o.chunk) {
          const part = todo.slice(c, c + o.chunk);
          await o.beforeCall?.();
          const sent = await Promise.all(part.map((i) => this.withSnapshot(jobs[i], keys[i], o.snapshotEvery)));
          const out = await engine.trainMany(sent, (p) => {
            if (p.snapshots) p.snapshots.forEach((s, k) => s && this.keepSnapshot(keys[part[p.jobs[k]]], s));
            else onProgress?.({ ...p, jobs: p.jobs.map((j) => part[j]) });
          });
          await this.snapshotWrites;
          for (const [j, i] of part.entries()) {
            const result = out.results[j];
            if (!result) continue;
            results[i] = result;
            checkpoints[i] = out.checkpoints[j];
            // A stopped or diverged stage is not a finished unit: next time it goes on from its snapshot, or from its start.
            if (!result.stopped && !result.diverged) {
              await this.write(keys[i], { kind: 'trained', result, checkpoint: out.checkpoints[j] });
              await this.forget(partialKey(keys[i]));
            }
          }
          if (out.results.length < part.length) return { results: [], checkpoints: [] }; // stopped: the caller sees fewer results than jobs
        }
        return { results, checkpoints };
      },
      evaluateMany: async (requests, onEvaluated) => {
        const out: EvaluateResult[] = [];
        for (const [i, request] of requests.entries()) {
          const key = evaluateKey(request);
          const kept = await this.read(key);
          if (kept?.kind === 'evaluated') this.replay(key, kept.result, () => (out[i] = kept.result));
          else {
            await o.beforeCall?.();
            [out[i]] = await engine.evaluateMany([request]);
            await this.write(key, { kind: 'evaluated', result: out[i] });
          }
          onEvaluated?.(i);
        }
        return out;
      },
    };
  }

  /** The job as sent: with the newest snapshot kept of it, if any, and asking for more. */
  private async withSnapshot(job: TrainJob, key: string, snapshotEvery?: number): Promise<TrainJob> {
    const kept = await this.read(partialKey(key));
    const resume = kept?.kind === 'partial' ? kept.snapshot : undefined;
    if (resume) this.resumed.push({ stage: job.stage.name, step: resume.step, steps: job.stage.steps });
    return { ...job, ...(resume && { resume }), ...(snapshotEvery && { snapshotEvery }) };
  }

  private keepSnapshot(key: string, snapshot: StageSnapshot): void {
    this.newestSnapshots.set(key, snapshot);
    this.snapshotWrites = this.snapshotWrites.then(async () => {
      const newest = this.newestSnapshots.get(key);
      this.newestSnapshots.delete(key);
      if (!newest || this.memory.get(key)?.kind === 'trained') return; // written already, or a late report of a finished stage
      await this.write(partialKey(key), { kind: 'partial', snapshot: newest });
    });
  }

  private replay(key: string, result: object, take: () => void): void {
    if (!this.keptThisAttempt.has(key)) {
      this.restoredResults.add(result);
      this.replayed++;
    }
    take();
  }

  private async read(key: string): Promise<JournalEntry | undefined> {
    const kept = this.memory.get(key);
    if (kept || !this.store) return kept;
    try {
      return await this.store.read(key);
    } catch {
      return undefined; // unreadable storage: the unit is computed again
    }
  }

  private async write(key: string, entry: JournalEntry): Promise<void> {
    this.memory.set(key, entry);
    this.keptThisAttempt.add(key);
    if (!this.store || this.storageError) return;
    try {
      await this.store.write(key, entry);
    } catch (e) {
      this.storageError = e instanceof Error ? e : new Error(String(e));
      this.onStorageError(this.storageError);
    }
  }

  private async forget(key: string): Promise<void> {
    this.memory.delete(key);
    if (!this.store || this.storageError) return;
    await this.store.delete(key).catch(() => undefined); // a snapshot left behind is never read: its stage's result is read first
  }
}

/** Where a stage's newest snapshot is kept while it trains. */
export const partialKey = (trainKey: string) => `${trainKey}:partial`;
export const isPartialKey = (key: string) => key.endsWith(':partial');

export function trainKey(job: TrainJob): string {
  return `train:${job.stage.name}:${crcHex(job.checkpoint)}:${fingerprint(JSON.stringify(job.stage))}`;
}

export function evaluateKey(request: EvaluateRequest): string {
  return `evaluate:${crcHex(request.checkpoint)}:${fingerprint(JSON.stringify({ questions: request.questions, samples: request.samples ?? null }))}`;
}

// A checkpoint ends with the CRC-32 of the bytes before it, which makes the CRC-32 of the whole
// file one constant for every checkpoint: the key takes the CRC of the bytes before the last four.
const crcHex = (bytes: Uint8Array) => `${bytes.length}.${crc32(bytes.subarray(0, Math.max(0, bytes.length - 4))).toString(16).padStart(8, '0')}`;
