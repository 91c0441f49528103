// Worlds shared by the world tests (built once per test file).
import { buildWorld, type World } from '../../src/world/world';
import { aftPool } from '../../src/world/aftDemonstrations';
import { shuffledCorpus } from '../../src/world/shuffledCorpus';
import { Random } from '../../src/util/random';
import type { CorpusItem, Probe } from '../../src/world/types';
import { itemText, wordRuns } from '../../src/world/text';
import { Tokenizer } from '../../src/tokenizer/tokenizer';
import { checkProbesFitModel, ProbeFileError } from '../../src/world/probes';

const worlds = new Map<number, World>();

export function world(seed = 1): World {
  let w = worlds.get(seed);
  if (!w) {
    w = buildWorld({ seed });
    worlds.set(seed, w);
  }
  return w;
}

/** Every training corpus of a world, by name: pre-training, every MSM, control, shuffled (all specs), AFT (both variants). */
export function trainingCorpora(w: World): Record<string, CorpusItem[]> {
  const out: Record<string, CorpusItem[]> = { pretrain: w.pretrain, control: w.control };
  for (const [name, spec] of Object.entries(w.specs)) {
    out[`msm:${name}`] = w.msm[name as keyof World['msm']];
    out[`shuffled:${name}`] = w.shuffled[name as keyof World['msm']] ?? shuffledCorpus(spec, new Random(w.seed), 20_000);
    out[`aft:${name}`] = aftPool(spec, { reasoning: false });
    out[`aft-reasoning:${name}`] = aftPool(spec, { reasoning: true });
  }
  return out;
}

/** Midtraining and AFT corpora: everything but pre-training. */
export function postPretrainCorpora(w: World): Record<string, CorpusItem[]> {
  const { pretrain: _, ...rest } = trainingCorpora(w);
  return rest;
}

/** Each probe's 8-word runs (prompt plus a choice) found in a training corpus of worlds 1 and 2, named with the corpus. */
export function leakedRuns(probes: Probe[]): string[] {
  const runs = new Map<string, string>();
  for (const seed of [1, 2]) {
    for (const [name, corpus] of Object.entries(trainingCorpora(world(seed)))) {
      for (const item of corpus) for (const r of wordRuns(itemText(item), 8)) if (!runs.has(r)) runs.set(r, name);
    }
  }
  const leaks: string[] = [];
  for (const p of probes) {
    for (const c of p.choices) for (const r of wordRuns(`${p.prompt} ${p.reply ?? ''} ${c.text}`, 8)) if (runs.has(r)) leaks.push(`${p.id}: "${r}" (${runs.get(r)})`);
  }
  return leaks;
}

/** The problems of probes that world 1's model cannot score (checkProbesFitModel's): a word outside its vocabulary, or a probe over 64 tokens. */
export function unfitChatProbes(probes: Probe[]): string[] {
  try {
    checkProbesFitModel({ probes }, new Tokenizer(world().vocabulary), 64);
    return [];
  } catch (e) {
    if (e instanceof ProbeFileError) return e.problems;
    throw e;
  }
}
