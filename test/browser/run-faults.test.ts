// Faults during a run in the app, in headless Chromium on wasm (fast here, and the faults do
// not depend on the backend): the engine's Worker crashes mid-run and a new one goes on; the
// tab reloads mid-run and the run, listed as interrupted, resumes from its kept units; the tab
// reloads in the middle of a stage and the stage goes on from its last snapshot; browser
// storage is full, and the finished run stays on the page with an Export button.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type BrowserSession } from '../../src/cli/chromium';
import { parseRunFile } from '../../src/runs/runFile';

const run = chromiumAvailable() ? describe : describe.skip;

// Every arm and stage of agentic, small: 3 midtrainings, then AFT at sizes 1 and 2, then probes.
const SMALL = 'backend=wasm&view=run&experiment=agentic&preset=nano&seeds=1&aft=1,2&msmSteps=10&aftSteps=4&probes=16&split=test&sampled=0';
const TINY = 'backend=wasm&view=run&experiment=agentic&preset=nano&seeds=1&aft=1&msmSteps=2&aftSteps=1&probes=2&split=test&sampled=0';
// Midtrainings long enough to cut one midway, with a snapshot every 10 steps.
const LONG = 'backend=wasm&view=run&experiment=agentic&preset=nano&seeds=1&aft=1&msmSteps=120&aftSteps=1&probes=2&split=test&sampled=0';
const SNAPSHOT_EVERY = 10;
/** Set it to keep screenshots of the interrupted and the unsaved run. */
const SHOTS = process.env.MSM_SHOTS_DIR;

interface RunState {
  status: string; unitsDone: number; unitsTotal: number; workDone: number; workTotal: number; restored: number; notice: string | null; restoredCurves: string[];
  stage: { name: string; step: number; steps: number } | null;
  resumedStages: Array<{ stage: string; step: number; steps: number }>;
  resumedCurves: Record<string, number>;
}
const state = (page: Page): Promise<RunState> => page.evaluate(() => {
  const r = (window as any).msmLab.run;
  if (!r) return { status: 'none', unitsDone: 0, unitsTotal: 0, workDone: 0, workTotal: 0, restored: 0, notice: null, restoredCurves: [], stage: null, resumedStages: [], resumedCurves: {} };
  return {
    status: r.status, unitsDone: r.unitsDone, unitsTotal: r.unitsTotal, workDone: r.workDone, workTotal: r.workTotal, restored: r.restoredUnits, notice: r.notice, restoredCurves: r.restoredCurves,
    stage: r.stage, resumedStages: r.resumedStages, resumedCurves: r.resumedCurves,
  };
});

async function waitFor(page: Page, what: string, ok: (s: RunState) => boolean, timeoutMs = 300_000): Promise<RunState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await state(page);
    if (ok(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await page.waitForTimeout(250);
  }
}

run('faults during a run in the app', () => {
  let browser: BrowserSession;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a Worker that crashes mid-run is replaced and the run goes on from its last finished unit', async () => {
    await page.goto(`${browser.url}/?${SMALL}`);
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Run agentic' }).click();
    const before = await waitFor(page, 'the midtrainings', (s) => s.unitsDone >= 3);
    expect(before.status).toBe('running');
    await page.evaluate(() => (window as any).msmLab.host.engine.crashForTest());
    const after = await waitFor(page, 'a new engine', (s) => s.notice !== null);
    expect(after.notice).toMatch(/^the engine's Worker stopped \(an error in the Worker: .*crash for test/);
    expect(after.notice).toMatch(/A new engine on wasm took over and went on from the last finished stage or evaluation/);
    await page.locator('[data-notice="engine"]').waitFor();
    const restored = await waitFor(page, 'the replay', (s) => s.restored >= 3);
    expect(restored.status).toBe('running');
    expect(restored.workDone).toBeLessThanOrEqual(restored.workTotal);
  });

  it('a second tab sees the run training in the first: not cut off, nothing to resume', async () => {
    const second = await browser.context.newPage();
    second.on('pageerror', (e) => errors.push(e.message));
    await second.goto(`${browser.url}/?view=runs`);
    await second.locator('li[data-elsewhere-id]').waitFor({ timeout: 60_000 });
    expect(await second.evaluate(() => (window as any).msmLab.interrupted.length)).toBe(0);
    expect(await second.getByText(/cut off before finishing/).count()).toBe(0);
    expect(await second.locator('tr[data-interrupted-id]').count()).toBe(0);
    if (SHOTS) await second.screenshot({ path: join(SHOTS, 'run-in-another-tab.png'), fullPage: true });
    await second.close();
    expect((await state(page)).status).toBe('running');
  });

  it('a reload mid-run lists the run as interrupted; Resume finishes it from the kept units', async () => {
    // Probes take a fraction of a second each and a reload a second or two: cut with a dozen units left.
    const cut = await waitFor(page, 'the last AFT runs', (s) => s.unitsDone >= s.unitsTotal - 12);
    expect(cut.status).toBe('running');
    await page.reload();
    await page.getByText(/cut off before finishing/).waitFor();
    await page.getByRole('tab', { name: 'Saved runs' }).click();
    const row = page.locator('tr[data-interrupted-id]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const kept = Number((await row.first().textContent())!.match(/(\d+) of (\d+) stages and evaluations/)![1]);
    expect(kept).toBeGreaterThanOrEqual(cut.unitsDone);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'interrupted-run.png'), fullPage: true });

    await page.waitForFunction(() => (window as any).msmLab.host.status === 'ready', null, { timeout: 120_000 });
    await row.first().getByRole('button', { name: 'Resume' }).click();
    const done = await waitFor(page, 'the resumed run', (s) => ['done', 'stopped', 'failed'].includes(s.status));
    expect(done.status).toBe('done');
    expect(done.restored).toBe(kept); // every kept unit answered from storage, none trained again
    expect(done.workDone).toBe(done.workTotal); // progress in steps, replayed units counted once
    expect(done.restoredCurves).toEqual(expect.arrayContaining(['msm:philosophy', 'control', 'msm:anti']));
    await expect(page.locator('[data-restored]').textContent()).resolves.toMatch(new RegExp(`Resumed: ${kept} of ${done.unitsTotal} stages and evaluations restored`));
    expect(await page.locator('.resumed-mark').count()).toBe(1);
    await expect(page.locator('[data-chart="loss"]').textContent()).resolves.toMatch(/↺ trained before the interruption/);
    // Saving follows the end of the run: wait for it, and for the record of the run in progress to go.
    await page.waitForFunction(() => (window as any).msmLab.run.savedId !== null && (window as any).msmLab.runs.length > 0, null, { timeout: 30_000 });
    const saved = await page.evaluate(() => ({ id: (window as any).msmLab.run.savedId, runId: (window as any).msmLab.run.id, runs: (window as any).msmLab.runs.length }));
    expect(saved).toEqual({ id: saved.runId, runId: expect.stringMatching(/^run-/), runs: 1 });
    // The record of the run in progress is deleted once it is saved: a fresh load lists nothing to resume.
    await page.waitForTimeout(1_000);
    await page.goto(`${browser.url}/?view=runs`);
    await page.locator('tr[data-run-id]').first().waitFor();
    expect(await page.locator('tr[data-interrupted-id]').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).msmLab.interrupted.length)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a reload in the middle of a stage: Resume goes on from the stage\'s last snapshot', async () => {
    const tab = await browser.context.newPage();
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${browser.url}/?${LONG}`);
    await tab.locator('[data-backend="wasm"]').waitFor({ timeout: 120_000 });
    await tab.evaluate((n) => ((window as any).msmLab.snapshotEvery = n), SNAPSHOT_EVERY);
    await tab.getByRole('button', { name: 'Run agentic' }).click();
    // Past the snapshots at steps 10 and 20 of the first midtraining (read back at 30), before it ends.
    const cut = await waitFor(tab, 'step 30 of the first midtraining', (s) => (s.stage?.step ?? 0) >= 30 || s.unitsDone > 0);
    expect(cut).toMatchObject({ status: 'running', unitsDone: 0, stage: { name: 'msm:philosophy', steps: 120 } });
    await tab.reload();
    await tab.getByText(/cut off before finishing/).waitFor();
    await tab.getByRole('tab', { name: 'Saved runs' }).click();
    const row = tab.locator('tr[data-interrupted-id]');
    await row.first().waitFor();
    await expect(row.first().textContent()).resolves.toMatch(/0 of \d+ stages and evaluations/); // a snapshot is not a finished unit

    await tab.waitForFunction(() => (window as any).msmLab.host.status === 'ready', null, { timeout: 120_000 });
    await row.first().getByRole('button', { name: 'Resume' }).click();
    // The stage goes on from the newest snapshot kept before the page went: step 20 at least (30 if
    // stored in time, later ones while the reload loads, for the old page trains on until then).
    const going = await waitFor(tab, 'the stage to go on', (s) => s.resumedStages.length > 0, 120_000);
    const [resumed] = going.resumedStages;
    expect(going.resumedStages).toHaveLength(1);
    expect(resumed).toMatchObject({ stage: 'msm:philosophy', steps: 120 });
    expect(resumed.step % SNAPSHOT_EVERY).toBe(0);
    expect(resumed.step).toBeGreaterThanOrEqual(20);
    expect(resumed.step).toBeLessThan(120);
    // The live curve holds the steps trained before the cut, then goes on at the next one.
    const live = await tab.waitForFunction((k) => {
      const c = (window as any).msmLab.run.current;
      return c && c.resumedAt === k && c.steps.length > k ? c.steps.slice(0, k + 1) : null;
    }, resumed.step, { timeout: 120_000 });
    expect(await live.jsonValue()).toEqual(Array.from({ length: resumed.step + 1 }, (_, i) => i + 1));
    await expect(tab.locator('[data-resumed-step]').textContent()).resolves.toMatch(new RegExp(`the stage cut off \\(msm:philosophy\\) went on from step ${resumed.step} of 120, its last snapshot`));

    const done = await waitFor(tab, 'the resumed run', (s) => ['done', 'stopped', 'failed'].includes(s.status));
    expect(done.status).toBe('done');
    expect(done.restored).toBe(0);
    expect(done.resumedCurves).toEqual({ 'msm:philosophy': resumed.step });
    await expect(tab.locator('[data-chart="loss"]').textContent()).resolves.toMatch(new RegExp(`MSM philosophy ↺ resumed at step ${resumed.step}`));
    await tab.waitForFunction(() => (window as any).msmLab.run.savedId !== null, null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('storage full: the message, the run kept on the page with Export, nothing half-written', async () => {
    const full = await browser.context.newPage();
    // Every IndexedDB write in this page fails as a full disk makes it fail.
    await full.addInitScript(() => {
      const refuse = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.put = refuse;
      IDBObjectStore.prototype.add = refuse;
    });
    await full.goto(`${browser.url}/?${TINY}`);
    await full.locator('[data-backend="wasm"]').waitFor({ timeout: 120_000 });
    await full.getByRole('button', { name: 'Run agentic' }).click();
    await full.locator('[data-status="done"]').waitFor({ timeout: 300_000 });
    await full.getByRole('alert').filter({ hasText: 'browser storage is full: could not save run' }).waitFor();
    await expect(full.locator('[data-notice="progress"]').textContent()).resolves.toMatch(/browser storage is full: this run's progress is not being kept/);
    await expect(full.locator('[data-unsaved]').textContent()).resolves.toMatch(/Not saved in this browser: browser storage is full/);
    if (SHOTS) await full.screenshot({ path: join(SHOTS, 'unsaved-run.png'), fullPage: true });

    const [download] = await Promise.all([full.waitForEvent('download'), full.locator('[data-unsaved]').getByRole('button', { name: 'Export' }).click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'msm-lab-unsaved-')), download.suggestedFilename());
    await download.saveAs(file);
    const record = parseRunFile(readFileSync(file, 'utf8'));
    expect(record.status).toBe('complete');
    expect(Object.keys(record.results.arms)).toHaveLength(10);

    // Nothing of this run was stored: no run, and no record of a run in progress.
    await full.evaluate(() => (window as any).msmLab.refreshRuns());
    const stored = await full.evaluate(() => {
      const lab = (window as any).msmLab;
      const id = lab.run.id;
      return { id, run: lab.runs.some((r: { id: string }) => r.id === id), inProgress: lab.interrupted.some((r: { id: string }) => r.id === id) };
    });
    expect(stored).toEqual({ id: expect.stringMatching(/^run-/), run: false, inProgress: false });
    await full.close();
  });
});
