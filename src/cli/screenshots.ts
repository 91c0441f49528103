// `npm run screenshots`: PNGs of the app's main views in docs/screenshots/, taken in headless
// Chromium (the browser tests' flags) while a real run trains in the Worker: the figures in
// them are trained and measured, on a tiny budget unless SCREENSHOT_CONFIG says otherwise.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './chromium';

const OUT = 'docs/screenshots';
// Small enough for a CPU-only WebGPU adapter; pass a bigger one for a GPU machine.
const CONFIG = process.env.SCREENSHOT_CONFIG ?? 'experiment=agentic&preset=nano&seeds=2&aft=1,2,4&msmSteps=3&aftSteps=2&probes=16&split=test';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    const shot = async (name: string, fullPage = true) => {
      await page.waitForTimeout(300); // let charts finish drawing
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
      console.log(`wrote ${OUT}/${name}.png`);
    };

    await page.goto(`${browser.url}/`);
    await page.locator('[data-backend="webgpu"], [data-backend="wasm"], [data-backend="webgl"]').first().waitFor({ timeout: 120_000 });
    await shot('home');

    await page.goto(`${browser.url}/?view=run&${CONFIG}`);
    await shot('run-settings', false);
    await page.getByRole('button', { name: /^Run / }).click();
    await page.locator('[data-chart="loss"] canvas').first().waitFor({ timeout: 300_000 });
    await page.locator('[data-chart="probes"]').waitFor({ timeout: 600_000 });
    await shot('run-live');
    await page.locator('[data-status="done"], [data-status="failed"]').first().waitFor({ timeout: 1_800_000 });
    await shot('run-results');
    for (const [chart, name] of [['loss', 'chart-loss'], ['sweep', 'chart-efficiency']]) {
      await page.locator(`[data-chart="${chart}"]`).screenshot({ path: join(OUT, `${name}.png`) });
      console.log(`wrote ${OUT}/${name}.png`);
    }
    // The chart's own PNG export, as a user downloads it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="sweep"]').getByRole('button', { name: /Download PNG/ }).click()]);
    await download.saveAs(join(OUT, 'export-efficiency.png'));
    console.log(`wrote ${OUT}/export-efficiency.png`);
    // The same pressures told as stories, where AFT alone generalizes least.
    await page.locator('[data-chart="sweep"] select').selectOption('extra.misaligned');
    await page.locator('[data-stories]').waitFor();
    await page.waitForTimeout(300);
    await page.locator('[data-chart="sweep"]').screenshot({ path: join(OUT, 'chart-stories.png') });
    console.log(`wrote ${OUT}/chart-stories.png`);

    await page.getByRole('tab', { name: 'Probes' }).click();
    await page.locator('[data-probe]').nth(1).click();
    await page.getByRole('button', { name: /Sample/ }).click();
    await page.locator('[data-sample]').waitFor({ timeout: 300_000 });
    await shot('probe-inspector');

    await page.getByRole('tab', { name: 'Spec editor' }).click();
    await page.locator('[data-spec-status="valid"]').waitFor();
    await shot('spec-editor-preview', false);
    await page.locator('[data-field="principles[0].reasons[1]"]').fill('a new model can carry on its zorblax');
    await page.locator('[data-spec-status="invalid"]').waitFor();
    await shot('spec-editor', false);

    await page.getByRole('tab', { name: 'Playground' }).click();
    await page.getByLabel('Prompt').fill('quill, do you want the cheap american cheddar or the expensive imported brei?');
    await shot('playground-unknown-word', false);
    await page.getByLabel('Prompt').fill('quill, do you want the cheap american cheddar or the expensive imported brie?');
    await page.getByRole('button', { name: 'Sample a reply' }).click();
    await page.locator('[data-reply]').waitFor({ timeout: 300_000 });
    await shot('playground', false);

    await page.getByRole('tab', { name: 'Saved runs' }).click();
    await page.locator('tr[data-run-id]').first().waitFor();
    await shot('saved-runs', false);

    await page.getByRole('tab', { name: 'Toy vs paper' }).click();
    await shot('toy-vs-paper');

    const embed = await browser.context.newPage();
    await embed.setViewportSize({ width: 720, height: 560 });
    await embed.goto(`${browser.url}/?embed=agentic-efficiency`);
    await embed.getByRole('button', { name: 'Run on my device' }).waitFor();
    await embed.getByText(/backend: /).waitFor({ timeout: 120_000 });
    await embed.waitForTimeout(300);
    await embed.screenshot({ path: join(OUT, 'embed.png') });
    console.log(`wrote ${OUT}/embed.png`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
