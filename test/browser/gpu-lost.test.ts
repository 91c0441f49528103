// A GPU lost mid-run: the Worker's engine on webgpu saves a checkpoint to IndexedDB, trains on,
// and has its device destroyed (as a driver reset would) while a stage is in flight. The stage
// and every later call fail with DeviceLostError; a fresh Worker on the wasm fallback loads the
// saved checkpoint and training goes on from the loss it had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type BrowserSession } from '../../src/cli/chromium';

const run = chromiumAvailable() ? describe : describe.skip;

run('lost GPU device in headless Chromium', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fails the stage in flight and later calls with DeviceLostError, then resumes from the saved checkpoint on wasm', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.goto(`${browser.url}/test/browser/harness.html`);
    await page.waitForFunction(() => (window as any).harness !== undefined);
    const r = await page.evaluate(async () => {
      const { startEngineWorker, progressCallback } = (window as any).harness;
      const vocab = ['<pad>', '<bos>', '<eos>', '<user>', '<assistant>', 'the', 'cat', 'sat', 'on', 'mat', '.'];
      const doc = 'the cat sat on the mat .';
      const stage = (steps: number, readEvery: number) => ({
        name: 'pretrain', steps, peakLr: 1e-2, minLr: 1e-2, warmupSteps: 1, readEvery, seed: 1, sources: [{ documents: [doc], weight: 1 }],
      });
      const failure = (p: Promise<unknown>) => p.then(() => null, (e: Error) => ({ name: e.name, message: e.message }));

      // On the GPU: train, save to IndexedDB, train on and lose the device mid-stage.
      const gpu = startEngineWorker();
      const report = await gpu.engine.init();
      await gpu.engine.createModel({ preset: 'nano', vocab, seed: 1 });
      const before: number[] = [];
      await gpu.engine.trainStage(stage(4, 2), progressCallback((p: any) => p.metrics.forEach((m: any) => before.push(m.loss))));
      await gpu.engine.saveToStore('gpu-lost-test');
      const savedLoss = await gpu.engine.evaluateLoss([doc]);
      let lostAfterStep = 0;
      const inFlight = failure(
        gpu.engine.trainStage(stage(50, 1), progressCallback((p: any) => {
          if (lostAfterStep > 0) return;
          lostAfterStep = p.step;
          void gpu.engine.loseDeviceForTest();
        })),
      );
      const stageError = await inFlight;
      const laterErrors = [await failure(gpu.engine.evaluateLoss([doc])), await failure(gpu.engine.saveCheckpoint(false)), await failure(gpu.engine.memory())];
      gpu.terminate();

      // A fresh Worker on the wasm fallback picks the run up from the saved checkpoint.
      const cpu = startEngineWorker();
      const fallback = await cpu.engine.init('wasm');
      const info = await cpu.engine.loadFromStore('gpu-lost-test');
      const loadedLoss = await cpu.engine.evaluateLoss([doc]);
      const after: number[] = [];
      await cpu.engine.trainStage(stage(4, 2), progressCallback((p: any) => p.metrics.forEach((m: any) => after.push(m.loss))));
      cpu.terminate();
      return { report, before, savedLoss, lostAfterStep, stageError, laterErrors, fallback, info, loadedLoss, after };
    });
    console.log(
      `lost GPU: ${r.report.chosen} losses ${r.before.map((l: number) => l.toFixed(4)).join(' ')}, saved at ${r.savedLoss.toFixed(4)}; ` +
        `device destroyed after step ${r.lostAfterStep} of the next stage: ${r.stageError?.message}; ` +
        `${r.fallback.chosen} loads ${r.loadedLoss.toFixed(4)} and trains ${r.after.map((l: number) => l.toFixed(4)).join(' ')}`,
    );
    expect(errors).toEqual([]);
    expect(r.report.chosen).toBe('webgpu');
    expect(r.before).toHaveLength(4);
    expect(r.before[3]).toBeLessThan(r.before[0]);

    // The stage in flight ended with the typed error, and so did every later call.
    expect(r.lostAfterStep).toBe(1);
    expect(r.stageError).toEqual({ name: 'DeviceLostError', message: expect.stringMatching(/^the GPU stopped working \(destroyed\b.*load the last checkpoint to continue\.$/) });
    for (const later of r.laterErrors) expect(later).toEqual(r.stageError);

    // The checkpoint saved before the loss is whole, and the run continues from it on wasm.
    expect(r.fallback.chosen).toBe('wasm');
    expect(r.info.stages).toEqual([expect.objectContaining({ name: 'pretrain', steps: 4, seed: 1 })]);
    expect(Math.abs(r.loadedLoss - r.savedLoss)).toBeLessThan(2e-3); // the same weights on another backend
    expect(Math.abs(r.after[0] - r.savedLoss)).toBeLessThan(2e-3); // the first step's loss is the saved model's
    expect(r.after[0]).toBeLessThan(r.before[3]);
    expect(r.after[3]).toBeLessThan(r.after[0]);
  });
});
