// The world's words. Every word any corpus or probe uses must already occur in pre-training, so
// the base model has trained every embedding that midtraining, AFT or a probe will touch.
import { SPECIALS, splitWords } from '../tokenizer/tokenizer';
import { Random } from '../util/random';
import { coverageItems } from './pretrainCorpus';
import { itemText } from './text';
import type { CorpusItem, ProbeSet } from './types';

let cached: ReadonlySet<string> | undefined;

/**
 * The words of pre-training (punctuation marks included). The coverage part of the corpus holds
 * all of them whatever the seed (a test checks this), so it is the reference.
 */
export function pretrainWords(): ReadonlySet<string> {
  if (!cached) {
    const words = new Set<string>();
    for (const item of coverageItems(new Random(0))) for (const w of splitWords(itemText(item))) words.add(w);
    cached = words;
  }
  return cached;
}

/** The words of `text` that pre-training never uses, each once, in order. */
export function unknownWords(text: string, known: ReadonlySet<string> = pretrainWords()): string[] {
  return [...new Set(splitWords(text).filter((w) => !known.has(w)))];
}

/** SPECIALS first (from the tokenizer), then every word of every corpus and probe, sorted. */
export function buildVocabulary(corpora: Iterable<readonly CorpusItem[]>, probeSets: Iterable<ProbeSet> = []): string[] {
  const words = new Set<string>();
  for (const corpus of corpora) for (const item of corpus) for (const w of splitWords(itemText(item))) words.add(w);
  for (const set of probeSets) {
    for (const p of set.probes) {
      for (const w of splitWords(p.prompt)) words.add(w);
      for (const c of p.choices) for (const w of splitWords(c.text)) words.add(w);
    }
  }
  for (const s of SPECIALS) words.delete(s);
  return [...SPECIALS, ...[...words].sort()];
}
