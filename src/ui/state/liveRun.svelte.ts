// One experiment run as the page sees it: live while it trains in the Worker, or reopened
// from storage. Series are $state.raw: each event replaces them, nothing mutates them.
// While it trains, its progress is kept in IndexedDB (runs/progress.ts): its record, and a
// journal of the units it finished and a snapshot of each stage in training, so a run cut off
// by a reload, a closed tab or a Worker that died goes on from its last finished stage or
// evaluation, and the stage it cut goes on from its last snapshot.
import { PLANS, armSizes, type ExperimentPlan } from '../../experiment/plans';
import { unitsOfWork, workOfSeed, type SeedResult } from '../../experiment/runExperiment';
import type { ProbeScore } from '../../experiment/scoreProbes';
import { summarize, type ExperimentResults } from '../../experiment/summarize';
import { extraProbesFor, probesFor, schedulesFor, type ExperimentConfig } from '../../runs/config';
import { executeRun, SNAPSHOT_EVERY, type Curve, type RunEvent } from '../../runs/execute';
import { RunJournal, type ResumedStage } from '../../runs/journal';
import { progressUnits, saveProgress, type RunProgress } from '../../runs/progress';
import type { RunRecord } from '../../runs/runFile';
import { newRunId } from '../../runs/store';
import { progressCallback } from '../../worker/client';
import { probeSets } from '../../world/probes';
import type { EngineHost } from './engineHost.svelte';

export type RunStatus = 'running' | 'paused' | 'stopping' | 'done' | 'stopped' | 'failed';

/** How many times a run starts a new engine after one died before it gives up. */
const ENGINE_RESTARTS = 2;

export interface StageCurves {
  midtrain: Record<string, Curve>; // by midtraining key ("msm:philosophy")
  aft: Record<string, Curve>; // by arm, at its smallest AFT size
}

export class LiveRun {
  readonly config: ExperimentConfig;
  readonly plan: ExperimentPlan;
  status = $state<RunStatus>('running');
  error = $state<string | null>(null);
  /** Whether this run's progress record is in storage, so a failed run can be resumed. */
  resumable = $state(false);
  label = $state('starting');
  unitsDone = $state(0);
  readonly unitsTotal: number;
  /** Progress in training steps (workOfSeed): a long midtraining weighs more than a short AFT run. */
  workDone = $state(0);
  readonly workTotal: number;
  stage = $state<{ name: string; step: number; steps: number; models: number } | null>(null);
  tokensPerSecond = $state(0);
  startedAt = Date.now();
  elapsedMs = $state(0);
  /** The first seed's loss curves (the one drawn), and the stage training now. */
  curves = $state.raw<StageCurves>({ midtrain: {}, aft: {} });
  current = $state.raw<Curve | null>(null);
  /** The first seed's probe scores as arms finish, before its SeedResult arrives. */
  scored = $state.raw<Record<string, Record<number, ProbeScore[]>>>({});
  results = $state.raw<ExperimentResults | null>(null);
  seedResults = $state.raw<SeedResult[]>([]);
  checkpoints = $state.raw<Record<string, Uint8Array>>({});
  /** Set once the run is saved (or when reopened from storage). */
  savedId = $state<string | null>(null);
  /** Why the finished run could not be saved (storage full or unavailable): it is kept here, to export. */
  saveError = $state<string | null>(null);
  /** Why progress is not being kept in this browser: a reload would lose this run. */
  progressError = $state<string | null>(null);
  /** What happened to the engine, when a new one took over. */
  notice = $state<string | null>(null);
  /** Stages and evaluations answered from what was kept before a cut (a reload, a dead engine). */
  restoredUnits = $state(0);
  /** The first seed's curves restored from before a cut: midtraining keys and arm names. */
  restoredCurves = $state.raw<string[]>([]);
  /** Stages cut off midway that went on from their last snapshot. */
  resumedStages = $state.raw<ResumedStage[]>([]);
  /** The first seed's curves of stages that went on from a snapshot: the step, by midtraining key and arm name. */
  resumedCurves = $state.raw<Record<string, number>>({});
  /** Steps between snapshots of a stage in training. */
  readonly snapshotEvery: number;
  readonly id: string;
  name = $state('');
  createdAt = new Date().toISOString();
  private readonly journal: RunJournal;
  private stopFlag = false;
  private paused: { promise: Promise<void>; release: () => void } | null = null;
  private clock: ReturnType<typeof setInterval> | null = null;

  constructor(config: ExperimentConfig, resumed?: Pick<RunProgress, 'id' | 'name' | 'createdAt'>, snapshotEvery = SNAPSHOT_EVERY) {
    this.config = config;
    this.snapshotEvery = snapshotEvery;
    this.plan = PLANS[config.experiment];
    this.unitsTotal = unitsOfWork(this.plan, config.aftSizes) * config.seeds.length;
    this.workTotal = workOfSeed(this.plan, config.aftSizes, schedulesFor(config)) * config.seeds.length;
    this.id = resumed?.id ?? newRunId();
    this.name = resumed?.name ?? `${config.experiment} · ${config.seeds.length} seed${config.seeds.length > 1 ? 's' : ''} · ${new Date().toLocaleString()}`;
    if (resumed) this.createdAt = resumed.createdAt;
    this.journal = new RunJournal(progressUnits(this.id), (e) => this.keptNothing(e));
  }

  static fromRecord(record: RunRecord): LiveRun {
    const run = new LiveRun(record.config);
    run.status = record.status === 'complete' ? 'done' : 'stopped';
    run.label = record.status === 'complete' ? 'finished' : 'stopped early';
    run.unitsDone = record.status === 'complete' ? run.unitsTotal : 0;
    run.workDone = record.status === 'complete' ? run.workTotal : 0;
    run.results = record.results;
    run.seedResults = record.seedResults;
    run.checkpoints = record.checkpoints;
    run.savedId = record.id;
    run.name = record.name;
    run.createdAt = record.createdAt;
    run.elapsedMs = record.results.elapsedSeconds * 1000;
    run.curves = curvesOf(run.plan, record.seedResults[0]);
    return run;
  }

  get finished(): boolean {
    return this.status === 'done' || this.status === 'stopped' || this.status === 'failed';
  }

  /** Share of the run done, in training steps: finished units plus the steps of the stage training now. */
  get fraction(): number {
    const inStage = this.stage && this.status !== 'done' ? this.stage.models * this.stage.step : 0;
    return Math.min(1, (this.workDone + inStage) / Math.max(1, this.workTotal));
  }

  /** Seconds left, extrapolated from the time so far; null until there is something to go on. */
  get secondsLeft(): number | null {
    const f = this.fraction;
    if (this.finished || f < 0.02 || this.elapsedMs < 3000) return null;
    return ((this.elapsedMs / f) * (1 - f)) / 1000;
  }

  /** The figures to show: the completed seeds' summary, or the first seed's finished arms. */
  get shown(): ExperimentResults | null {
    if (this.results) return this.results;
    return partialSummary(this.plan, this.config, this.scored, this.curves);
  }

  async start(host: EngineHost): Promise<void> {
    this.clock = setInterval(() => {
      if (this.status === 'running' || this.status === 'stopping') this.elapsedMs = Date.now() - this.startedAt;
    }, 500);
    try {
      for (let restarts = 0; ; restarts++) {
        try {
          await host.exclusive('a run', async () => {
            // Kept once the engine is ours: a run refused (the engine busy) leaves no record to resume.
            if (restarts === 0) await this.keepProgress();
            await this.execute(host);
          });
          break;
        } catch (e) {
          if (!engineLost(e) || restarts >= ENGINE_RESTARTS || this.stopFlag) throw e;
          // Same backend first; wasm after a lost GPU or a second death.
          const backend = (e as Error).name === 'DeviceLostError' || restarts >= 1 ? 'wasm' : host.report?.chosen;
          this.current = null;
          this.stage = null;
          await host.restart(backend);
          this.notice = `${(e as Error).message}. A new engine on ${host.report?.chosen ?? backend} took over and went on from the last finished stage or evaluation, and the stage cut off from its last snapshot; finished seeds and saved checkpoints are kept.`;
        }
      }
    } catch (e) {
      this.status = 'failed';
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.stage = null;
      this.current = null;
      this.elapsedMs = Date.now() - this.startedAt;
      if (this.clock) clearInterval(this.clock);
    }
  }

  private async execute(host: EngineHost): Promise<void> {
    this.workDone = 0; // a new engine replays the kept units, each reported again
    const outcome = await executeRun({
      config: this.config,
      engine: host.engine,
      backend: host.report?.chosen ?? 'unknown',
      baseModel: (seed, preset) => host.baseModel(seed, preset),
      wrapProgress: (f) => progressCallback(f),
      onEvent: (e) => this.onEvent(e),
      stopRequested: () => this.stopFlag,
      gate: () => this.paused?.promise ?? Promise.resolve(),
      totalUnits: this.unitsTotal,
      journal: this.journal,
      snapshotEvery: this.snapshotEvery,
    });
    this.results = outcome.results;
    this.seedResults = outcome.seedResults;
    this.checkpoints = outcome.checkpoints;
    this.status = outcome.stopped ? 'stopped' : 'done';
    this.label = outcome.stopped ? `stopped after ${outcome.seedResults.length} of ${this.config.seeds.length} seeds` : 'finished';
  }

  /** Writes the run's record (configuration, seeds finished) to IndexedDB; a failure is shown, not fatal. */
  private async keepProgress(): Promise<void> {
    if (this.progressError) return;
    try {
      await saveProgress({
        id: this.id, name: this.name, createdAt: this.createdAt, updatedAt: new Date().toISOString(),
        config: this.config, unitsTotal: this.unitsTotal, seedResults: this.seedResults,
      });
      this.resumable = true;
    } catch (e) {
      this.keptNothing(e);
    }
  }

  private keptNothing(e: unknown): void {
    const quota = (e as { name?: string })?.name === 'QuotaExceededError';
    this.progressError ??= `${quota ? 'browser storage is full' : `browser storage is unavailable (${(e as Error)?.message ?? e})`}: this run's progress is not being kept, so a reload or a closed tab would lose it; it goes on in this tab`;
  }

  pause(host: EngineHost): void {
    if (this.status !== 'running') return;
    let release = () => {};
    const promise = new Promise<void>((r) => (release = r));
    this.paused = { promise, release };
    this.status = 'paused';
    void host.engine.pause();
  }

  resume(host: EngineHost): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    this.startedAt = Date.now() - this.elapsedMs; // paused time is not run time
    void host.engine.resume();
    this.paused?.release();
    this.paused = null;
  }

  stop(host: EngineHost): void {
    if (this.finished) return;
    this.stopFlag = true;
    this.status = 'stopping';
    this.label = 'stopping after the current step';
    void host.engine.stop();
    this.paused?.release();
    this.paused = null;
  }

  private onEvent(e: RunEvent): void {
    const first = e.seed === this.config.seeds[0];
    switch (e.kind) {
      case 'seed-start':
        if (e.seed === this.config.seeds[0]) this.seedResults = []; // an attempt after a cut starts over, from the journal
        this.label = `seed ${e.seed}: building the toy world`;
        break;
      case 'stage-progress': {
        this.stage = { name: e.stage, step: e.step, steps: e.steps, models: e.models };
        this.tokensPerSecond = e.tokensPerSecond;
        const c = this.current?.stage === e.stage ? this.current : { stage: e.stage, steps: [], losses: [] };
        this.current = { stage: e.stage, steps: [...c.steps, ...e.metrics.map((m) => m.step)], losses: [...c.losses, ...e.metrics.map((m) => m.loss)], resumedAt: e.resumedAt };
        if (e.resumedAt) this.resumedStages = [...this.journal.resumed];
        break;
      }
      case 'stage-done':
        this.current = null;
        if (!first) break;
        if (e.curve.restored) this.restoredCurves = [...new Set([...this.restoredCurves, e.owner])];
        // Only the curve drawn: each midtraining, and each arm's AFT at its smallest size.
        if (e.curve.resumedAt && !e.curve.restored && (e.aftSize === null || !this.curves.aft[e.owner])) this.resumedCurves = { ...this.resumedCurves, [e.owner]: e.curve.resumedAt };
        if (e.aftSize === null) this.curves = { ...this.curves, midtrain: { ...this.curves.midtrain, [e.owner]: e.curve } };
        else if (!this.curves.aft[e.owner]) this.curves = { ...this.curves, aft: { ...this.curves.aft, [e.owner]: e.curve } };
        break;
      case 'unit-done':
        this.unitsDone = e.done;
        this.workDone += e.work;
        this.restoredUnits = this.journal.replayed;
        this.resumedStages = [...this.journal.resumed];
        this.label = e.label;
        if (!this.stage || this.stage.models <= 1) this.stage = null;
        else this.stage = { ...this.stage, models: this.stage.models - 1 }; // one model of the stack reported done
        break;
      case 'arm-scored':
        if (first) this.scored = { ...this.scored, [e.arm]: { ...this.scored[e.arm], [e.aftSize]: e.scores } };
        break;
      case 'seed-done':
        this.results = e.summary;
        this.seedResults = [...this.seedResults, e.result];
        if (first) this.curves = curvesOf(this.plan, e.result);
        void this.keepProgress();
        break;
    }
  }

  /** The run as a record to store or export (only once some seed has finished). */
  record(id: string): RunRecord | null {
    if (!this.results || this.seedResults.length === 0) return null;
    return {
      id, name: this.name, createdAt: this.createdAt, status: this.status === 'done' ? 'complete' : 'stopped',
      config: this.config, results: this.results, seedResults: this.seedResults, checkpoints: this.checkpoints,
    };
  }
}

/** The engine is gone (its Worker died or hung, or its GPU was lost): a new one can go on. */
function engineLost(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'WorkerDiedError' || name === 'DeviceLostError';
}

/** A seed's curves as the chart keys them: midtraining by corpus, AFT by arm. */
function curvesOf(plan: ExperimentPlan, seed: SeedResult | undefined): StageCurves {
  const out: StageCurves = { midtrain: {}, aft: {} };
  if (!seed) return out;
  for (const arm of plan.arms) {
    const curves = seed.arms[arm.name]?.curves ?? [];
    for (const c of curves) {
      if (c.stage.startsWith('aft')) out.aft[arm.name] = c;
      else out.midtrain[c.stage] = c;
    }
  }
  return out;
}

/** The first seed's figures for the arms scored at every size so far, by the same summarize. */
function partialSummary(plan: ExperimentPlan, config: ExperimentConfig, scored: Record<string, Record<number, ProbeScore[]>>, curves: StageCurves): ExperimentResults | null {
  const arms = plan.arms.filter((a) => armSizes(a, config.aftSizes).every((s) => scored[a.name]?.[a.aft ? s : 0]));
  if (arms.length === 0) return null;
  const seed: SeedResult = { seed: config.seeds[0], arms: {} };
  for (const a of arms) {
    const sizes = armSizes(a, config.aftSizes);
    const armCurves = [a.midtraining ? curves.midtrain[midtrainingKey(a)] : undefined, curves.aft[a.name]].filter((c): c is Curve => !!c);
    seed.arms[a.name] = { aftSizes: sizes, scores: sizes.map((s) => scored[a.name][a.aft ? s : 0]), curves: armCurves };
  }
  const partialPlan = { ...plan, arms, sampled: false };
  const extra = extraProbesFor(config);
  return summarize(partialPlan, [seed], [...probesFor(config, { probes: probeSets() }), ...extra], extra, {
    preset: config.preset, backend: '', split: config.split, schedules: schedulesFor(config), elapsedSeconds: 0,
  });
}

export function midtrainingKey(a: ExperimentPlan['arms'][number]): string {
  const m = a.midtraining;
  return !m ? '' : m.kind === 'control' ? 'control' : `${m.kind}:${m.spec}`;
}
