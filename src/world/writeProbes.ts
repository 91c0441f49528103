// Writes corpora/probes/dev.json and test.json from the probe generator. Run once:
//   npx tsx src/world/writeProbes.ts [--force]
// The files are then fixed: reported figures come from the test set as written, so the script
// refuses to overwrite it unless told to (and a changed test set must be said in the results).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProbes } from './probeGenerator';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const force = process.argv.includes('--force');

for (const split of ['dev', 'test'] as const) {
  const file = resolve(root, 'corpora/probes', `${split}.json`);
  if (existsSync(file) && !force) {
    console.log(`${file} exists; kept (use --force to overwrite)`);
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  const probes = generateProbes(split);
  // One probe a line: diffs stay readable.
  writeFileSync(file, `{"probes": [\n${probes.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n]}\n`);
  console.log(`wrote ${probes.length} probes to ${file}`);
}
