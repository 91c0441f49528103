// `lab export`: a spec's generated MSM documents and AFT demonstrations as JSONL, one
// {"text","source","domain"} object a line (the shape of the paper's released generator
// output), to take the same spec to a real fine-tuning stack.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Random } from '../util/random';
import { aftPool, msmDocumentsByTokens, parseSpec, type CorpusItem } from '../world/world';
import { DEFAULT_MIDTRAIN_TOKENS } from '../world/world';

function line(item: CorpusItem): string {
  const text = item.kind === 'document' ? item.text : `user: ${item.user}\nassistant: ${item.assistant}`;
  return JSON.stringify({ text, source: item.source, domain: item.domain });
}

export async function exportCommand(specPath: string, outDir: string, seed: number): Promise<void> {
  const spec = parseSpec(await readFile(specPath, 'utf8'));
  await mkdir(outDir, { recursive: true });
  const files: Array<[string, CorpusItem[]]> = [
    ['msm.jsonl', msmDocumentsByTokens(spec, Random.derive(seed, `msm:${spec.name}`), DEFAULT_MIDTRAIN_TOKENS)],
    ['aft.jsonl', aftPool(spec, { reasoning: false })],
    ['aft-reasoning.jsonl', aftPool(spec, { reasoning: true })],
  ];
  for (const [name, items] of files) {
    await writeFile(join(outDir, name), items.map(line).join('\n') + '\n');
    console.log(`wrote ${join(outDir, name)} (${items.length} lines)`);
  }
}
