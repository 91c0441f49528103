// What a run has finished, one unit at a time (a model trained through a stage, a model
// probed), so a run that is cut off (a reloaded tab, a Worker that died) goes on from its last
// finished unit instead of from the start. A unit is keyed by the content of its inputs (the
// start checkpoint's CRC-32 and a fingerprint of the stage or the questions): the runner is
// deterministic, so running the same configuration again asks for the same units in the same
// order, and a kept unit can only answer the very call that made it.
import { crc32 } from '../checkpoint/crc32';
import type { BatchEngine } from '../experiment/runExperiment';
import type { StageResult } from '../train/trainer';
import { fingerprint } from '../util/hash';
import type { EvaluateRequest, EvaluateResult } from '../worker/api';
import type { TrainJob } from '../worker/trainMany';

export type JournalEntry =
  | { kind: 'trained'; result: StageResult; checkpoint: Uint8Array }
  | { kind: 'evaluated'; result: EvaluateResult };

/** Where a journal keeps its units beyond the page's memory (IndexedDB in the app). */
export interface UnitStore {
  read(key: string): Promise<JournalEntry | undefined>;
  write(key: string, entry: JournalEntry): Promise<void>;
}

export interface JournalOptions {
  /** Train at most this many jobs per engine call, so a cut-off run loses at most one call's work. */
  chunk: number;
  /** Awaited before each engine call (pause and stop). */
  beforeCall?: () => Promise<void>;
}

export class RunJournal {
  /** Units of this attempt answered with what an earlier attempt kept, without the engine. */
  replayed = 0;
  /** The first failure to write to the store; after it the journal keeps units in memory only. */
  storageError: Error | null = null;
  private readonly memory = new Map<string, JournalEntry>();
  private readonly restoredResults = new WeakSet<object>();
  private keptThisAttempt = new Set<string>();

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
          const out = await engine.trainMany(part.map((i) => jobs[i]), onProgress && ((p) => onProgress({ ...p, jobs: p.jobs.map((j) => part[j]) })));
          for (const [j, i] of part.entries()) {
            const result = out.results[j];
            if (!result) continue;
            results[i] = result;
            checkpoints[i] = out.checkpoints[j];
            // A stopped or diverged stage is not a finished unit: it is trained again next time.
            if (!result.stopped && !result.diverged) await this.write(keys[i], { kind: 'trained', result, checkpoint: out.checkpoints[j] });
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
}

export function trainKey(job: TrainJob): string {
  return `train:${job.stage.name}:${crcHex(job.checkpoint)}:${fingerprint(JSON.stringify(job.stage))}`;
}

export function evaluateKey(request: EvaluateRequest): string {
  return `evaluate:${crcHex(request.checkpoint)}:${fingerprint(JSON.stringify({ questions: request.questions, samples: request.samples ?? null }))}`;
}

// A checkpoint ends with the CRC-32 of the bytes before it, which makes the CRC-32 of the whole
// file one constant for every checkpoint: the key takes the CRC of the bytes before the last four.
const crcHex = (bytes: Uint8Array) => `${bytes.length}.${crc32(bytes.subarray(0, Math.max(0, bytes.length - 4))).toString(16).padStart(8, '0')}`;
