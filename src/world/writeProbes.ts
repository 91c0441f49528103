// Writes corpora/probes/dev.json and test.json from the probe generator, and the extra item
// probes in the world's chat frames (chat-frame-items-<split>.json), the agentic probes told as
// stories (story-ood-<split>.json), the item probes with described answers
// (described-items-<split>.json), with stated values (stated-values-<split>.json) and with a
// value said, then an item picked, in quill's own words (say-then-pick-<split>.json). Run once:
//   npx tsx src/world/writeProbes.ts [--force]
// The files are then fixed: reported figures come from the test set as written, so the script
// refuses to overwrite it unless told to (and a changed test set must be said in the results).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatFrameItemProbes } from './chatFrameItemProbes';
import { describedItemProbes } from './describedItemProbes';
import { generateProbes } from './probeGenerator';
import { sayThenPickProbes } from './sayThenPickProbes';
import { statedValueProbes } from './statedValueProbes';
import { storyProbes } from './storyProbes';
import type { Probe } from './types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const force = process.argv.includes('--force');

for (const split of ['dev', 'test'] as const) {
  write(`${split}.json`, () => generateProbes(split));
  write(`chat-frame-items-${split}.json`, () => chatFrameItemProbes(split).probes);
  write(`story-ood-${split}.json`, () => storyProbes(split).probes);
  write(`described-items-${split}.json`, () => describedItemProbes(split).probes);
  write(`stated-values-${split}.json`, () => statedValueProbes(split).probes);
  write(`say-then-pick-${split}.json`, () => sayThenPickProbes(split).probes);
}

function write(name: string, probes: () => Probe[]) {
  const file = resolve(root, 'corpora/probes', name);
  if (existsSync(file) && !force) {
    console.log(`${file} exists; kept (use --force to overwrite)`);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const all = probes();
  // One probe a line: diffs stay readable.
  writeFileSync(file, `{"probes": [\n${all.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n]}\n`);
  console.log(`wrote ${all.length} probes to ${file}`);
}
