// `lab probe`: scores any probe file against a checkpoint: per-probe choice probabilities and,
// per label, the rate at which it was picked.
import { readFile } from 'node:fs/promises';
import type { BackendName } from '../backend/select';
import { readCheckpointFile } from '../checkpoint/nodeFile';
import { encodeCheckpoint } from '../checkpoint/format';
import { checkProbeWords, scoreProbes } from '../experiment/scoreProbes';
import { Tokenizer } from '../tokenizer/tokenizer';
import { parseProbeSet } from '../world/world';
import { nodeEngine } from './nodeEngine';

export async function probeCommand(checkpointPath: string, probesPath: string, backend?: BackendName): Promise<void> {
  const checkpoint = await readCheckpointFile(checkpointPath);
  const { probes } = parseProbeSet(await readFile(probesPath, 'utf8'));
  checkProbeWords(probes, new Tokenizer(checkpoint.vocab)); // before any training or scoring
  const { engine } = await nodeEngine(backend);
  await engine.loadCheckpoint(encodeCheckpoint(checkpoint));
  const scores = await scoreProbes(engine, probes);
  const picks = new Map<string, number>();
  const offered = new Map<string, number>();
  scores.forEach((s, i) => {
    const choices = probes[i].choices.map((c, k) => `${c.label} ${s.probabilities[k].toFixed(3)}`).join(', ');
    console.log(`${s.id.padEnd(32)} picked ${s.picked.padEnd(12)} (${choices})${s.reply === undefined ? '' : ` reply: "${s.reply}"`}`);
    picks.set(s.picked, (picks.get(s.picked) ?? 0) + 1);
    for (const label of new Set(probes[i].choices.map((c) => c.label))) offered.set(label, (offered.get(label) ?? 0) + 1);
  });
  const width = Math.max(14, ...[...offered.keys()].map((l) => l.length));
  console.log(`\n${'label'.padEnd(width)} picked / offered   rate`);
  for (const [label, n] of [...offered].sort()) {
    const k = picks.get(label) ?? 0;
    console.log(`${label.padEnd(width)} ${String(k).padStart(6)} / ${String(n).padEnd(8)} ${(k / n).toFixed(3)}`);
  }
}
