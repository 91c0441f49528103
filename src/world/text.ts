// Small text helpers shared by the generators: filling templates, counting tokens the way the
// tokenizer will, and the word runs the leakage test compares.
import { splitWords } from '../tokenizer/tokenizer';
import type { CorpusItem } from './types';
import type { Random } from '../util/random';

/** Replaces every {slot} in `template`; a slot without a value is a bug, so it throws. */
export function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = slots[key];
    if (v === undefined) throw new Error(`template "${template}" needs {${key}}`);
    return v;
  });
}

/** "a" or "an" for the word that follows. */
export function article(next: string): string {
  return /^[aeiou]/.test(next) ? 'an' : 'a';
}

/** `phrase` with its article: "an expensive imported brie". */
export function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}

/** Tokens the item takes in the tokenizer's format, specials included. */
export function itemTokens(item: CorpusItem): number {
  if (item.kind === 'document') return splitWords(item.text).length + 2; // <bos> text <eos>
  return splitWords(item.user).length + splitWords(item.assistant).length + 4; // <bos> <user> .. <assistant> .. <eos>
}

export function corpusTokens(items: readonly CorpusItem[]): number {
  return items.reduce((s, it) => s + itemTokens(it), 0);
}

/** The text of an item as one string (a chat's two turns joined), for word checks. */
export function itemText(item: CorpusItem): string {
  return item.kind === 'document' ? item.text : `${item.user} ${item.assistant}`;
}

/** Every run of `n` consecutive words (punctuation marks count as words), joined by spaces. */
export function wordRuns(text: string, n: number): string[] {
  const w = splitWords(text);
  const runs: string[] = [];
  for (let i = 0; i + n <= w.length; i++) runs.push(w.slice(i, i + n).join(' '));
  return runs;
}

/** Picks by weight: `weights[i]` is the relative chance of index i. */
export function pickWeighted(rng: Random, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** The two orders of a pair, picked at random. */
export function inRandomOrder<T>(rng: Random, a: T, b: T): [T, T] {
  return rng.next() < 0.5 ? [a, b] : [b, a];
}

/** Removes the space before punctuation: "a , b ." -> "a, b." (the tokenizer splits it again). */
export function tidy(text: string): string {
  return text.replace(/\s+([.,?:;])/g, '$1').replace(/\s+/g, ' ').trim();
}
