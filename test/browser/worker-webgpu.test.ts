import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type BrowserSession } from '../../src/cli/chromium';

const run = chromiumAvailable() ? describe : describe.skip;

run('engine worker in headless Chromium', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('trains a few steps on the webgpu backend inside a Worker and the loss falls', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.goto(`${browser.url}/test/browser/harness.html`);
    await page.waitForFunction(() => (window as any).harnessReady === true);
    const result = await page.evaluate(async () => {
      const { startEngineWorker, progressCallback } = (window as any).harness;
      // The same seeds on two backends: the WebGPU run must track the wasm reference.
      const trainOn = async (force?: string) => {
        const { engine, terminate } = startEngineWorker();
        const report = await engine.init(force);
        const vocab = ['<pad>', '<bos>', '<eos>', '<user>', '<assistant>', 'the', 'cat', 'sat', 'on', 'mat', '.'];
        await engine.createModel({ preset: 'nano', vocab, seed: 1 });
        const losses: number[] = [];
        await engine.trainStage(
          {
            name: 'pretrain', steps: 8, peakLr: 1e-2, minLr: 1e-2, warmupSteps: 1, readEvery: 4, seed: 1,
            sources: [{ documents: ['the cat sat on the mat .'], weight: 1 }],
          },
          progressCallback((p: any) => p.metrics.forEach((m: any) => losses.push(m.loss))),
        );
        const { inWorker } = await engine.whereAmI();
        terminate();
        return { report, losses, inWorker };
      };
      return { gpu: await trainOn(), reference: await trainOn('wasm') };
    });
    const { gpu, reference } = result;
    console.log(`browser engine: ${gpu.report.chosen} (${gpu.report.detail ?? ''}); losses ${gpu.losses.map((l: number) => l.toFixed(3)).join(' ')}`);
    expect(errors).toEqual([]);
    expect(gpu.report.chosen).toBe('webgpu');
    expect(gpu.inWorker).toBe(true);
    expect(gpu.losses).toHaveLength(8);
    expect(gpu.losses.at(-1)).toBeLessThan(gpu.losses[0] * 0.8);
    expect(reference.report.chosen).toBe('wasm');
    gpu.losses.forEach((loss: number, i: number) => expect(Math.abs(loss - reference.losses[i])).toBeLessThan(2e-3));
  });

  it('trains two models stacked on webgpu as the wasm backend does', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${browser.url}/test/browser/harness.html`);
    await page.waitForFunction(() => (window as any).harnessReady === true);
    const result = await page.evaluate(async () => {
      const { startEngineWorker } = (window as any).harness;
      const vocab = ['<pad>', '<bos>', '<eos>', '<user>', '<assistant>', 'the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', '.'];
      const stage = (seed: number, peakLr: number, documents: string[]) => ({
        name: 'stacked', steps: 3, peakLr, minLr: peakLr / 10, warmupSteps: 0, readEvery: 1, seed, sources: [{ documents, weight: 1 }],
      });
      const trainOn = async (force?: string) => {
        const { engine, terminate } = startEngineWorker();
        const report = await engine.init(force);
        await engine.createModel({ preset: 'nano', vocab, seed: 1 });
        const start = await engine.saveCheckpoint(false);
        const jobs = [
          { checkpoint: start, stage: stage(1, 1e-2, ['the cat sat on the mat .']) },
          { checkpoint: start, stage: stage(2, 3e-3, ['the dog ran .', 'the cat ran on the mat .']) },
        ];
        const { results } = await engine.trainMany(jobs, undefined, 2); // both models in one stack
        terminate();
        return { report, losses: results.map((r: any) => r.metrics.map((m: any) => m.loss)) };
      };
      return { gpu: await trainOn(), reference: await trainOn('wasm') };
    });
    const { gpu, reference } = result;
    console.log(`stacked on ${gpu.report.chosen}: ${JSON.stringify(gpu.losses)}; wasm ${JSON.stringify(reference.losses)}`);
    expect(errors).toEqual([]);
    expect(gpu.report.chosen).toBe('webgpu');
    expect(gpu.losses.map((l: number[]) => l.length)).toEqual([3, 3]);
    expect(gpu.losses[0][0]).not.toBeCloseTo(gpu.losses[1][0], 3); // two different models, not one twice
    gpu.losses.forEach((ls: number[], m: number) => ls.forEach((loss, i) => expect(Math.abs(loss - reference.losses[m][i])).toBeLessThan(2e-3)));
  });
});
