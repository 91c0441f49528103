// A run cut off and started again with the same journal goes on from its last finished unit:
// the units finished before come from the journal (the engine does not train or probe them
// again) and the figures equal those of a run never cut off. A run cut in the middle of a stage
// goes on from that stage's last snapshot and trains only its remaining steps. A store that
// refuses writes (storage full) is reported once and the run finishes from memory.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/checkpoint/format';
import { nodeEngine } from '../../src/cli/nodeEngine';
import { PLANS } from '../../src/experiment/plans';
import { unitsOfWork, workOfSeed } from '../../src/experiment/runExperiment';
import { quickConfig, schedulesFor, type ExperimentConfig } from '../../src/runs/config';
import { executeRun, type RunEngine, type RunEvent, type RunOutcome } from '../../src/runs/execute';
import { isPartialKey, RunJournal, type JournalEntry, type UnitStore } from '../../src/runs/journal';

const config: ExperimentConfig = { ...quickConfig('agentic'), seeds: [1], aftSizes: [1, 2], msmSteps: 2, aftSteps: 2, probesPerMetric: 4 };
const totalUnits = unitsOfWork(PLANS.agentic, config.aftSizes);
const baseModel = async (seed: number) => new Uint8Array(readFileSync(`models/nano-base-seed${seed}.ckpt`));

function mapStore(): UnitStore & { entries: Map<string, JournalEntry> } {
  const entries = new Map<string, JournalEntry>();
  return { entries, read: async (k) => entries.get(k), write: async (k, e) => void entries.set(k, e), delete: async (k) => void entries.delete(k) };
}

/** The Node engine, counting the models it trains and probes. */
async function countingEngine() {
  const { engine, backend } = await nodeEngine('wasm');
  const counts = { trained: 0, probed: 0, steps: 0 };
  const counted: RunEngine = {
    loadCheckpoint: (b) => engine.loadCheckpoint(b),
    saveCheckpoint: (o) => engine.saveCheckpoint(o),
    trainStage: (r, p) => engine.trainStage(r, p),
    scoreQuestions: (q) => engine.scoreQuestions(q),
    sampleReplies: (p, o) => engine.sampleReplies(p, o),
    stop: () => engine.stop(),
    trainMany: async (jobs, p, m) => {
      counts.trained += jobs.length;
      const out = await engine.trainMany(jobs, p, m);
      counts.steps += out.results.reduce((n, r) => n + r.stepsDone - (r.resumedAt ?? 0), 0); // the steps trained in this call
      return out;
    },
    evaluateMany: (requests, e) => ((counts.probed += requests.length), engine.evaluateMany(requests, e)),
  };
  return { engine: counted, backend, counts, stop: () => engine.stop() };
}

describe('a run resumed from its journal', () => {
  let straight: RunOutcome;
  let trainUnits: number;
  let probeUnits: number;

  beforeAll(async () => {
    const { engine, backend, counts } = await countingEngine();
    // With a journal of its own: models that are the same by their inputs are trained or probed once.
    straight = await executeRun({ config, engine, backend, baseModel, totalUnits, journal: new RunJournal(mapStore()) });
    trainUnits = counts.trained;
    probeUnits = counts.probed;
  }, 300_000);

  it('trains and probes only what the cut-off run had not finished, and reports the same figures', async () => {
    const store = mapStore();
    const cutAfter = 5; // the three midtrainings and two AFT stages
    const first = await countingEngine();
    const cut = await executeRun({
      config, engine: first.engine, backend: first.backend, baseModel, totalUnits, journal: new RunJournal(store),
      stopRequested: () => store.entries.size >= cutAfter, // as a tab closed after the fifth unit was kept
    });
    expect(cut.stopped).toBe(true);
    expect(store.entries.size).toBe(cutAfter);

    const again = await countingEngine();
    const journal = new RunJournal(store);
    const events: RunEvent[] = [];
    const resumed = await executeRun({ config, engine: again.engine, backend: again.backend, baseModel, totalUnits, journal, onEvent: (e) => events.push(e) });
    expect(resumed.stopped).toBe(false);
    expect(journal.replayed).toBe(cutAfter);
    expect(again.counts.trained).toBe(trainUnits - cutAfter);
    expect(again.counts.probed).toBe(probeUnits);
    expect(events.filter((e) => e.kind === 'unit-done')).toHaveLength(totalUnits);
    // Units answered from the journal count their work as units trained now do.
    expect(events.reduce((w, e) => w + (e.kind === 'unit-done' ? e.work : 0), 0)).toBe(workOfSeed(PLANS.agentic, config.aftSizes, schedulesFor(config)));
    const restored = events.flatMap((e) => (e.kind === 'stage-done' && e.curve.restored ? [e.owner] : []));
    expect(restored).toEqual(expect.arrayContaining(['msm:philosophy', 'control', 'msm:anti']));
    expect(restored).toHaveLength(cutAfter);
    for (const arm of Object.keys(straight.results!.arms)) {
      expect(resumed.results!.arms[arm].metrics).toEqual(straight.results!.arms[arm].metrics);
    }
    expect(Object.keys(resumed.checkpoints).sort()).toEqual(Object.keys(straight.checkpoints).sort());
    for (const name of ['seed1-msm:philosophy', 'seed1-msm+aft-aft2']) {
      expect(decodeCheckpoint(resumed.checkpoints[name]).weights).toEqual(decodeCheckpoint(straight.checkpoints[name]).weights);
    }

    // Everything is kept now: a third run trains and probes nothing.
    const third = await countingEngine();
    await executeRun({ config, engine: third.engine, backend: third.backend, baseModel, totalUnits, journal: new RunJournal(store) });
    expect(third.counts).toEqual({ trained: 0, probed: 0, steps: 0 });
  }, 300_000);

  it('answers nothing for another configuration', async () => {
    const store = mapStore();
    const { engine, backend } = await countingEngine();
    await executeRun({ config, engine, backend, baseModel, totalUnits, journal: new RunJournal(store), stopRequested: () => store.entries.size >= 3 });
    const other = await countingEngine();
    const journal = new RunJournal(store);
    const otherConfig = { ...config, msmSteps: 3 };
    await executeRun({ config: otherConfig, engine: other.engine, backend: other.backend, baseModel, totalUnits, journal, stopRequested: () => other.counts.trained >= 1 });
    expect(journal.replayed).toBe(0);
  }, 300_000);

  it('a store that refuses writes is reported once; the run finishes from memory with the same figures', async () => {
    const refusing: UnitStore = {
      read: async () => undefined,
      delete: async () => undefined,
      write: async () => {
        throw Object.assign(new Error('the quota has been exceeded'), { name: 'QuotaExceededError' });
      },
    };
    const failures: string[] = [];
    const { engine, backend } = await countingEngine();
    const journal = new RunJournal(refusing, (e) => failures.push(e.name));
    const outcome = await executeRun({ config, engine, backend, baseModel, totalUnits, journal });
    expect(failures).toEqual(['QuotaExceededError']);
    expect(journal.storageError?.name).toBe('QuotaExceededError');
    expect(outcome.results!.arms['msm+aft'].metrics).toEqual(straight.results!.arms['msm+aft'].metrics);
  }, 300_000);
});

describe('a run cut in the middle of a stage', () => {
  // Midtrainings of 6 steps with a snapshot every 2: the cut comes after the snapshot at step 4.
  const long: ExperimentConfig = { ...config, msmSteps: 6 };
  const snapshotEvery = 2;

  it('goes on from the stage\'s last snapshot, trains only its remaining steps, and reports the same figures', async () => {
    const straightRun = await countingEngine();
    const straightEvents: RunEvent[] = [];
    const straight = await executeRun({
      config: long, engine: straightRun.engine, backend: straightRun.backend, baseModel, totalUnits, snapshotEvery,
      journal: new RunJournal(mapStore()), onEvent: (e) => straightEvents.push(e),
    });

    // The tab closes once the first stage's snapshot at step 4 is stored: the engine stops, the store takes nothing more.
    const entries = new Map<string, JournalEntry>();
    let closed = false;
    let reopened = false;
    const first = await countingEngine();
    const store: UnitStore = {
      read: async (k) => entries.get(k),
      write: async (k, e) => {
        if (closed) return;
        entries.set(k, e);
        if (!reopened && e.kind === 'partial' && e.snapshot.step === 4) (closed = true), first.stop();
      },
      delete: async (k) => void (!closed && entries.delete(k)),
    };
    const cut = await executeRun({ config: long, engine: first.engine, backend: first.backend, baseModel, totalUnits, snapshotEvery, journal: new RunJournal(store), stopRequested: () => closed });
    expect(cut.stopped).toBe(true);
    const kept = [...entries.entries()];
    expect(kept.map(([k, e]) => [isPartialKey(k), e.kind === 'partial' && e.snapshot.step])).toEqual([[true, 4]]);

    [closed, reopened] = [false, true]; // the page loads again, on a fresh engine
    const again = await countingEngine();
    const journal = new RunJournal(store);
    const events: RunEvent[] = [];
    const resumed = await executeRun({ config: long, engine: again.engine, backend: again.backend, baseModel, totalUnits, snapshotEvery, journal, onEvent: (e) => events.push(e) });
    expect(resumed.stopped).toBe(false);
    expect(journal.replayed).toBe(0);
    expect(journal.resumed).toEqual([{ stage: 'msm:philosophy', step: 4, steps: 6 }]);
    expect(again.counts.steps).toBe(straightRun.counts.steps - 4); // the first stage's steps 5 and 6, then everything else
    // The stage's live curve starts with the steps kept, then goes on at step 5.
    const live = events.filter((e) => e.kind === 'stage-progress' && e.stage === 'msm:philosophy');
    expect(live.map((e) => e.kind === 'stage-progress' && [e.resumedAt, e.metrics.map((m) => m.step)])).toEqual([[4, [1, 2, 3, 4]], [4, [5, 6]]]);
    // Its finished curve covers every step, says where it went on, and equals the straight one.
    const curveOf = (es: RunEvent[]) => es.flatMap((e) => (e.kind === 'stage-done' && e.owner === 'msm:philosophy' ? [e.curve] : []))[0];
    expect(curveOf(events)).toEqual({ ...curveOf(straightEvents), resumedAt: 4 });
    expect(curveOf(events).steps).toEqual([1, 2, 3, 4, 5, 6]);

    for (const arm of Object.keys(straight.results!.arms)) {
      expect(resumed.results!.arms[arm].metrics).toEqual(straight.results!.arms[arm].metrics);
      expect(resumed.seedResults[0].arms[arm].curves).toEqual(straight.seedResults[0].arms[arm].curves);
    }
    for (const name of Object.keys(straight.checkpoints)) {
      expect(decodeCheckpoint(resumed.checkpoints[name]).weights).toEqual(decodeCheckpoint(straight.checkpoints[name]).weights);
    }
    // Every snapshot is gone once its stage finished.
    expect([...entries.keys()].filter(isPartialKey)).toEqual([]);
  }, 400_000);
});
