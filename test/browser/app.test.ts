// The app in headless Chromium on WebGPU (a software adapter here, so the budget is tiny):
// load it, run `agentic` on nano in the Worker with a two-size AFT sweep, watch the loss and
// efficiency charts fill, open a probe, find the run again after a reload, export and
// re-import it, refuse a bad run file, see a spec error at its field, and read the headless
// runs' figures on Toy vs paper.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type BrowserSession } from '../../src/cli/chromium';
import { parseDigest, widestRuns } from '../../src/experiment/digest';
import { PER_BASE_COMPARISONS, perBaseChartId, perBasePairs } from '../../src/experiment/perBase';
import { seedsLabel } from '../../src/experiment/seedsLabel';
import { STORY_METRIC } from '../../src/world/probes';

const run = chromiumAvailable() ? describe : describe.skip;

// Two steps a midtraining, one an AFT stage, two probes a metric, AFT sizes 1 and 2, no
// sampled replies: every arm and stage of the real experiment, at a size SwiftShader (a CPU)
// finishes in a few minutes.
const TINY = 'view=run&experiment=agentic&preset=nano&seeds=1,2&aft=1,2&msmSteps=2&aftSteps=1&probes=2&split=test&sampled=0';

run('the MSM Lab app in headless Chromium', () => {
  let browser: BrowserSession;
  let page: Page;
  const errors: string[] = [];
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  beforeAll(async () => {
    browser = await openBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the first screen with the three experiments and the backend', async () => {
    await page.goto(`${browser.url}/`);
    await page.getByRole('heading', { name: 'What is Model Spec Midtraining?' }).waitFor();
    for (const name of ['values', 'agentic', 'spec-science']) expect(await page.locator(`[data-run="${name}"]`).count()).toBe(1);
    await page.locator('[data-backend="webgpu"]').waitFor({ timeout: 120_000 });
    expect(await page.getByRole('listitem').filter({ hasText: 'MSM' }).count()).toBeGreaterThan(0);
    console.log(`first screen and WebGPU backend: ${seconds()}`);
  });

  it('runs agentic on nano in the Worker on WebGPU; the loss and efficiency charts fill', async () => {
    await page.goto(`${browser.url}/?${TINY}`);
    await page.locator('[data-backend], [role="tabpanel"]').first().waitFor();
    await page.getByRole('button', { name: 'Run agentic' }).click();
    await page.locator('[data-chart="loss"] canvas').first().waitFor({ timeout: 240_000 });
    console.log(`first loss points: ${seconds()}`);
    // Poll, logging where the run is, so a slow machine shows which stage takes the time.
    for (;;) {
      const { status, label, fraction } = await page.evaluate(() => {
        const r = (window as any).msmLab.run;
        return { status: r.status, label: r.label, fraction: r.fraction };
      });
      if (status !== 'running') break;
      console.log(`${seconds()}: ${Math.round(fraction * 100)}% ${label}`);
      await page.waitForTimeout(15_000);
    }
    await page.locator('[data-status="done"]').waitFor({ timeout: 10_000 });
    // The run is saved to IndexedDB after it finishes: wait for the page to say so.
    await page.locator('p.saved', { hasText: 'Saved in this browser' }).waitFor({ timeout: 30_000 });
    console.log(`run finished: ${seconds()}`);
    const state = await page.evaluate(() => {
      const lab = (window as any).msmLab;
      const r = lab.run.results;
      return {
        backend: r.backend, inWorker: lab.host.status, arms: Object.keys(r.arms), sizes: r.arms['msm+aft'].aftSizes,
        midtrain: Object.keys(lab.run.curves.midtrain), aft: Object.keys(lab.run.curves.aft), ratio: r.efficiencyRatio?.value, saved: lab.run.savedId,
      };
    });
    expect(errors).toEqual([]);
    expect(state.backend).toBe('webgpu');
    expect(state.arms).toHaveLength(10);
    expect(state.sizes).toEqual([1, 2]);
    expect(state.midtrain).toEqual(expect.arrayContaining(['msm:philosophy', 'control', 'msm:anti']));
    expect(state.aft).toContain('msm+aft');
    expect(state.ratio).toBeGreaterThanOrEqual(1);
    expect(state.saved).toMatch(/^run-/);
    expect(await page.locator('[data-chart="sweep"] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-chart="probes"] tbody tr').count()).toBe(10);
    await expect(page.locator('[data-chart="sweep"]').textContent()).resolves.toMatch(/Efficiency ratio: .*x/);
    await expect(page.locator('[data-chart="sweep"]').textContent()).resolves.toMatch(/Definition: AFT examples/);
    // The stories are scored beside the OOD probes: a column, and a sweep with their own ratio.
    await expect(page.locator('[data-chart="probes"] thead').textContent()).resolves.toMatch(/extra\.misaligned/);
    await page.locator('[data-chart="sweep"] select').selectOption('extra.misaligned');
    await page.locator('[data-stories]').waitFor();
    await expect(page.locator('[data-chart="sweep"]').textContent()).resolves.toMatch(/Efficiency ratio on the stories: .*x/);
    // Two seeds: one line per base from AFT alone to MSM+AFT.
    expect(await page.locator('[data-chart="per-base-run"] line.base').count()).toBe(2);
    // Two steps a stage cannot show the effect: the page must say so, not imply it.
    expect(await page.locator('[data-verdict]').count()).toBe(1);
  });

  it('opens a probe: its text, choices per stage, and a sampled reply', async () => {
    await page.getByRole('tab', { name: 'Probes' }).click();
    await page.locator('[data-probe]').first().click();
    const rows = page.locator('table.choices tbody tr');
    expect(await rows.count()).toBe(10);
    await expect(rows.first().textContent()).resolves.toMatch(/base/);
    await page.getByRole('button', { name: /Sample/ }).click();
    await page.locator('[data-sample]').waitFor({ timeout: 180_000 });
    console.log(`probe sampled: ${seconds()}`);
    // A story probe is listed under the name its rate is reported by, and scored at every stage.
    await page.locator('.list select').selectOption('extra');
    await page.locator('[data-probe^="story-ood-test-"]').first().click();
    await expect(page.locator('blockquote.prompt').textContent()).resolves.toMatch(/in the end quill chose to$/);
    expect(await rows.count()).toBe(10);
  });

  it('finds the run after a reload, exports it, and imports it again; a bad file is refused', async () => {
    await page.goto(`${browser.url}/?view=runs`);
    const row = page.locator('tr[data-run-id]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await expect(row.first().textContent()).resolves.toMatch(/agentic/);

    const [download] = await Promise.all([page.waitForEvent('download'), row.first().getByRole('button', { name: 'Export' }).click()]);
    const dir = mkdtempSync(join(tmpdir(), 'msm-lab-run-'));
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.format).toBe('msm-lab-run');
    expect(saved.version).toBe(1);

    await row.first().getByRole('button', { name: 'Delete' }).click();
    await row.first().getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('No saved runs yet.').waitFor();

    const bad = join(dir, 'bad.msmrun.json');
    writeFileSync(bad, JSON.stringify({ ...saved, run: { ...saved.run, config: { ...saved.run.config, seeds: [99] } } }));
    await page.getByLabel('Import a run file').setInputFiles(bad);
    await page.getByRole('alert').filter({ hasText: 'run.config.seeds: 99 has no shipped base model' }).waitFor();
    expect(await row.count()).toBe(0);

    await page.getByLabel('Import a run file').setInputFiles(file);
    await row.first().waitFor();
    await row.first().getByRole('button', { name: 'Open' }).click();
    await page.locator('[data-chart="probes"] tbody tr').first().waitFor();
    expect(await page.locator('[data-chart="probes"] tbody tr').count()).toBe(10);
    await expect(page.locator('[data-chart="probes"] thead').textContent()).resolves.toContain('extra.misaligned');

    // A run saved before the stories were scored: no story column, and the inspector lists none.
    await page.goto(`${browser.url}/?view=runs`);
    await row.first().getByRole('button', { name: 'Delete' }).click();
    await row.first().getByRole('button', { name: 'Confirm delete' }).click();
    const older = structuredClone(saved);
    for (const arm of Object.values(older.run.results.arms) as Array<{ metrics: Record<string, unknown> }>) {
      for (const m of Object.keys(arm.metrics)) if (m.startsWith('extra.')) delete arm.metrics[m];
    }
    const olderFile = join(dir, 'older.msmrun.json');
    writeFileSync(olderFile, JSON.stringify(older));
    await page.getByLabel('Import a run file').setInputFiles(olderFile);
    await row.first().getByRole('button', { name: 'Open' }).click();
    await page.locator('[data-chart="probes"] tbody tr').first().waitFor();
    await expect(page.locator('[data-chart="probes"] thead').textContent()).resolves.not.toContain('extra.misaligned');
    await page.getByRole('tab', { name: 'Probes' }).click();
    await page.locator('[data-probe]').first().waitFor();
    const listed = await page.locator('.list select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).not.toContain('extra');
  });

  it('shows a spec error at its field and will not run an invalid spec', async () => {
    await page.getByRole('tab', { name: 'Spec editor' }).click();
    const reason = page.locator('[data-field="principles[0].reasons[0]"]');
    await reason.fill('nothing lasts zorblax');
    await page.locator('[data-spec-status="invalid"]').waitFor();
    await expect(page.locator('#e-principles\\[0\\]\\.reasons\\[0\\]').textContent()).resolves.toMatch(/unknown words "zorblax"/);
    expect(await page.getByRole('button', { name: /Run agentic with it/ }).isDisabled()).toBe(true);
    await reason.fill('nothing lasts forever');
    await page.locator('[data-spec-status="valid"]').waitFor();
  });

  it('shows the headless runs beside the paper, and says so when their figures cannot be read', async () => {
    const digest = parseDigest(readFileSync('docs/results-digest.json', 'utf8'));
    const [nano] = widestRuns(digest, 'agentic');
    const m = nano.results.arms['msm+aft'].metrics.oodMisalignment;
    await page.goto(`${browser.url}/?view=paper`);
    await page.getByRole('columnheader', { name: `toy headless, nano, ${seedsLabel(nano.results.seeds)}` }).first().waitFor();
    const msmAftRow = (table: string) => page.locator(table).locator('tr', { has: page.locator('th', { hasText: /^MSM \+ AFT$/ }) });
    const quoted = (q: { mean: number[]; lo: number[]; hi: number[] }) => `${q.mean[0].toFixed(2)} [${q.lo[0].toFixed(2)}, ${q.hi[0].toFixed(2)}]`;
    await expect(msmAftRow('table.cmp >> nth=0').textContent()).resolves.toContain(quoted(m));
    // The stories: their own table and per-base chart, from the widest run that scored them.
    const [storyNano] = widestRuns(digest, 'agentic', STORY_METRIC);
    await expect(msmAftRow('table[aria-labelledby="stories-title"]').textContent()).resolves.toContain(quoted(storyNano.results.arms['msm+aft'].metrics[STORY_METRIC]));
    expect(await page.locator('[data-chart="per-base-stories-nano"] line.base').count()).toBe(storyNano.results.seeds.length);
    await expect(page.locator('details.checks summary').first().textContent()).resolves.toMatch(/^Headless, nano, .*: \d of \d headline checks? holds?/);
    // One line per base and the count of bases where the arm ends lower, for every experiment, from the digest's per-seed rates.
    for (const experiment of ['agentic', 'spec-science', 'values'] as const) {
      const [widest] = widestRuns(digest, experiment);
      for (const c of PER_BASE_COMPARISONS[experiment]) {
        const per = perBasePairs(widest.results, c)!;
        expect(per.pairs).toHaveLength(widest.results.seeds.length);
        const chart = page.locator(`[data-chart="${perBaseChartId(widest.results.preset, c)}"]`).first();
        expect(await chart.locator('line.base').count()).toBe(per.pairs.length);
        await expect(chart.locator('.count').textContent()).resolves.toMatch(new RegExp(`lower\\s+than ${c.from.label} on ${per.lower} of ${per.pairs.length} bases`));
      }
    }

    const broken = await browser.context.newPage(); // its 404 is expected: kept out of the error log
    // The file itself, not the module that gives its URL.
    await broken.route((url) => url.pathname.endsWith('/results-digest.json') && !url.search, (r) => r.fulfill({ status: 404 }));
    await broken.goto(`${browser.url}/?view=paper`);
    await broken.getByText('The headless figures could not be read (HTTP 404)').waitFor();
    await broken.close();
  });

  it('renders the embed widget', async () => {
    await page.goto(`${browser.url}/?embed=agentic-efficiency`);
    await page.getByRole('button', { name: 'Run on my device' }).waitFor();
    expect(errors).toEqual([]);
    console.log(`all app checks: ${seconds()}`);
  });
});
