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
});
