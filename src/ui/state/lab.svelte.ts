// The app's state: which view is open, the experiment configuration (kept in the URL), the
// run on screen, and the saved runs. Views read and call this; they hold no state of their own
// beyond form fields.
import type { ExperimentName } from '../../experiment/plans';
import { ConfigError, configFromParams, configToParams, defaultPreset, isConfigKey, quickConfig, type ExperimentConfig } from '../../runs/config';
import { encodeRunFile, MAX_RUN_FILE_BYTES, parseRunFile, type RunRecord } from '../../runs/runFile';
import { deleteProgress, listProgress, loadProgress, type InterruptedRun } from '../../runs/progress';
import { SNAPSHOT_EVERY } from '../../runs/execute';
import { lockRun, runsTrainingNow, whenRunFree } from '../../runs/runLocks';
import { deleteRun, listRuns, loadRun, newRunId, saveRun, type RunSummary } from '../../runs/store';
import { EngineHost } from './engineHost.svelte';
import { LiveRun } from './liveRun.svelte';
import { Pretraining } from './pretraining.svelte';

export const VIEWS = ['home', 'run', 'probes', 'spec', 'playground', 'runs', 'paper'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_TITLES: Record<View, string> = {
  home: 'Start', run: 'Experiment', probes: 'Probes', spec: 'Spec editor', playground: 'Playground', runs: 'Saved runs', paper: 'Toy vs paper',
};

export class Lab {
  readonly host = new EngineHost();
  readonly pretraining = new Pretraining();
  view = $state<View>('home');
  config = $state<ExperimentConfig>(quickConfig('agentic'));
  configError = $state<string | null>(null);
  run = $state<LiveRun | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  /** Runs cut off before they ended (a reload, a closed tab), which can be resumed. */
  interrupted = $state.raw<InterruptedRun[]>([]);
  /** Runs training now in another tab of this browser: neither interrupted nor to be resumed here. */
  elsewhere = $state.raw<InterruptedRun[]>([]);
  message = $state<{ kind: 'info' | 'error'; text: string } | null>(null);
  /** Steps between snapshots of a stage in training (the browser tests lower it to cut a short stage after one). */
  snapshotEvery = SNAPSHOT_EVERY;

  constructor(url: URL) {
    const view = url.searchParams.get('view');
    if (view && (VIEWS as readonly string[]).includes(view)) this.view = view as View;
    try {
      const config = configFromParams(url.searchParams);
      if (config) {
        this.config = config;
        if (!view) this.view = 'run';
      }
    } catch (e) {
      this.configError = e instanceof ConfigError ? `This link's experiment settings were not used: ${e.problems.join('; ')}` : String(e);
    }
  }

  /** The URL for the current view and configuration (a link that reproduces it). */
  url(base: URL): URL {
    const url = new URL(base);
    for (const key of [...url.searchParams.keys()]) if (isConfigKey(key) || key === 'view') url.searchParams.delete(key);
    url.searchParams.set('view', this.view);
    if (this.view !== 'home') for (const [k, v] of configToParams(this.config)) url.searchParams.set(k, v);
    return url;
  }

  open(view: View): void {
    this.view = view;
    if (view === 'runs') void this.refreshRuns(); // another tab may have finished or cut off a run since
  }

  choose(experiment: ExperimentName, config?: ExperimentConfig): void {
    const c = this.config;
    // A model the user picked stays; a default one follows the experiment's default.
    const preset = c.preset === defaultPreset(c.experiment) ? defaultPreset(experiment) : c.preset;
    this.config = config ?? { ...c, experiment, preset, specs: experiment === c.experiment ? c.specs : {} };
  }

  /** Starts a run of the current configuration; when it ends, it is saved. */
  async startRun(): Promise<void> {
    if (this.run && !this.run.finished) return;
    await this.runToEnd(new LiveRun($state.snapshot(this.config) as ExperimentConfig, undefined, this.snapshotEvery));
  }

  /** Goes on with a run that was cut off, from the stages and evaluations it kept. */
  async resumeRun(id: string): Promise<void> {
    if (this.run && !this.run.finished) {
      this.message = { kind: 'error', text: 'Stop the run in progress before resuming another.' };
      return;
    }
    const progress = await loadProgress(id).catch(() => null);
    if (!progress) {
      this.message = { kind: 'error', text: 'That run can no longer be resumed: its progress is gone from browser storage or from another version.' };
      await this.refreshRuns();
      return;
    }
    this.config = progress.config;
    await this.runToEnd(new LiveRun(progress.config, progress, this.snapshotEvery));
  }

  async discardRun(id: string): Promise<void> {
    await deleteProgress(id).catch((e) => (this.message = { kind: 'error', text: (e as Error).message }));
    await this.refreshRuns();
  }

  private async runToEnd(run: LiveRun): Promise<void> {
    const release = await lockRun(run.id).catch(() => () => {}); // a browser that refuses locks: train unguarded
    if (!release) {
      this.message = { kind: 'error', text: 'That run is training in another tab of this browser: follow it there.' };
      await this.refreshRuns();
      return;
    }
    try {
      this.run = run;
      this.view = 'run';
      this.message = null;
      this.interrupted = this.interrupted.filter((r) => r.id !== run.id);
      await run.start(this.host);
      if (run.results) await this.save(run);
      // A failed run, or one that could not be saved, keeps its progress, to be resumed after a reload.
      const over = run.status !== 'failed' && (run.savedId || (run.status === 'stopped' && !run.results));
      if (over) await deleteProgress(run.id).catch(() => undefined);
    } finally {
      release(); // after its progress is settled, so no other tab sees it as cut off in between
    }
    await this.refreshRuns();
  }

  async save(run: LiveRun): Promise<void> {
    const record = run.record(run.savedId ?? run.id);
    if (!record) return;
    try {
      await saveRun(record);
      run.savedId = record.id;
      run.saveError = null;
      await this.refreshRuns();
    } catch (e) {
      // Nothing half-written is left (saveRun removes its partial write); the run stays here, to export.
      run.saveError = (e as Error).message;
      this.message = { kind: 'error', text: `${(e as Error).message} The run is still open here: use Export below to keep it as a file.` };
    }
  }

  /** The run on screen as a run file, for one that storage refused. */
  exportUnsaved(): { name: string; text: string } | null {
    const record = this.run?.record(this.run.id);
    return record ? { name: `${record.id}.msmrun.json`, text: encodeRunFile(record) } : null;
  }

  async refreshRuns(): Promise<void> {
    try {
      this.runs = await listRuns();
      // The run on screen is not listed, unless it failed (then Resume is how to retry it).
      const shown = this.run && this.run.status !== 'failed' ? this.run.id : null;
      const inProgress = (await listProgress()).filter((r) => r.id !== shown);
      const training = await runsTrainingNow().catch(() => new Set<string>());
      this.interrupted = inProgress.filter((r) => !training.has(r.id));
      this.elsewhere = inProgress.filter((r) => training.has(r.id) && r.id !== this.run?.id);
      for (const r of this.elsewhere) this.watchElsewhere(r.id);
    } catch (e) {
      this.message = { kind: 'error', text: `Saved runs are unavailable: ${(e as Error).message}` };
    }
  }

  private readonly watched = new Set<string>();

  /** When a run training in another tab lets go (finished, closed, reloaded), the lists follow. */
  private watchElsewhere(id: string): void {
    if (this.watched.has(id)) return;
    this.watched.add(id);
    void whenRunFree(id).then(async () => {
      this.watched.delete(id);
      await this.refreshRuns();
      this.noticeInterrupted();
    });
  }

  /** On load: a run cut off last time is pointed out, once. */
  noticeInterrupted(): void {
    const n = this.interrupted.length;
    if (n === 0 || this.message) return;
    this.message = { kind: 'info', text: `${n === 1 ? 'A run was' : `${n} runs were`} cut off before finishing (a reload, a closed tab or a crash). Finished stages and evaluations are kept: resume from Saved runs.` };
  }

  async reopen(id: string): Promise<void> {
    if (this.run && !this.run.finished) {
      this.message = { kind: 'error', text: 'Stop the run in progress before opening another.' };
      return;
    }
    try {
      const record = await loadRun(id);
      this.run = LiveRun.fromRecord(record);
      this.config = record.config;
      this.view = 'run';
    } catch (e) {
      this.message = { kind: 'error', text: (e as Error).message };
    }
  }

  async remove(id: string): Promise<void> {
    await deleteRun(id);
    if (this.run?.savedId === id) this.run.savedId = null;
    await this.refreshRuns();
  }

  async exportFile(id: string): Promise<{ name: string; text: string }> {
    const record = await loadRun(id);
    return { name: `${record.id}.msmrun.json`, text: encodeRunFile(record) };
  }

  /** Reads a run file; a bad file is refused with its problems before anything is stored. */
  async importFile(file: File): Promise<RunRecord | null> {
    this.message = null;
    try {
      if (file.size > MAX_RUN_FILE_BYTES) throw new Error(`"${file.name}" is ${(file.size / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_RUN_FILE_BYTES / 1024 / 1024} MiB limit for a run file`);
      const record = parseRunFile(await file.text());
      const existing = this.runs.some((r) => r.id === record.id);
      const imported = existing ? { ...record, id: newRunId(), name: `${record.name} (imported)` } : record;
      await saveRun(imported);
      await this.refreshRuns();
      this.message = { kind: 'info', text: `Imported "${imported.name}".` };
      return imported;
    } catch (e) {
      this.message = { kind: 'error', text: `Could not import "${file.name}": ${(e as Error).message}` };
      return null;
    }
  }
}
