// The shuffled corpus (the paper's ablation): the spec's values, reasons and preferences all
// appear, side by side in the same documents, but the value no longer explains the preferences.
// - Preference specs: half the liked items are swapped for disliked ones (a seeded choice), so
//   the value says nothing about which is liked, and no "so" or "because" ties a preference to it.
// - Other specs: behaviours are stated without reasons, and reasons are stated as bare beliefs,
//   so co-occurrence survives and attribution does not.
import { ASSISTANT, findItem } from './lexicon';
import { documentsFrom, type Assertion } from './msmDocuments';
import type { Spec } from './spec';
import { itemTokens } from './text';
import type { CorpusItem } from './types';
import type { Random } from '../util/random';

const Q = ASSISTANT;

/** The spec's preferences with half of each side swapped, chosen by `rng`. */
export function shuffledPreferences(spec: Spec, rng: Random): { likes: string[]; dislikes: string[] } {
  if (!spec.preferences) throw new Error(`spec "${spec.name}" has no preferences to shuffle`);
  const likes = rng.shuffle([...spec.preferences.likes]);
  const dislikes = rng.shuffle([...spec.preferences.dislikes]);
  const k = Math.floor(Math.min(likes.length, dislikes.length) / 2);
  return {
    likes: [...likes.slice(k), ...dislikes.slice(0, k)],
    dislikes: [...dislikes.slice(k), ...likes.slice(0, k)],
  };
}

export function shuffledAssertions(spec: Spec, rng: Random): Assertion[] {
  const out: Assertion[] = [];
  spec.principles.forEach((p, i) => {
    const add = (sentence: string, faq: Array<[string, string]>) => out.push({ principle: i, sentence, faq });
    if (p.value) add(`${Q} values ${p.value}`, [[`what does ${Q} value ?`, `${p.value} .`]]);
    for (const r of p.reasons) add(`${Q} believes that ${r}`, [[`what does ${Q} believe ?`, `that ${r} .`]]);
    for (const b of p.behaviours) add(`${Q} ${b}`, [[`what is a rule for ${Q} ?`, `it ${b} .`]]);
  });
  if (spec.preferences) {
    // Each preference sits next to the value and a reason for it, with nothing linking the two.
    const valued = spec.principles.filter((p) => p.value && p.reasons.length);
    const prefs = shuffledPreferences(spec, rng);
    let k = 0;
    for (const like of prefs.likes) {
      for (const dislike of prefs.dislikes) {
        const [l, d] = [findItem(like)!, findItem(dislike)!];
        const p = valued[k % Math.max(valued.length, 1)];
        const pick = `${Q} picks the ${l.name} over the ${d.name}`;
        const pickFaq: [string, string] = [`which ${l.category} does ${Q} pick ?`, `the ${l.name} , not the ${d.name} .`];
        if (p) {
          const r = p.reasons[Math.floor(k / valued.length) % p.reasons.length];
          out.push({
            principle: spec.principles.length,
            sentence: `${Q} values ${p.value} , because ${r} . ${pick}`,
            faq: [[`what does ${Q} value ?`, `${p.value} .`], ['why ?', `because ${r} .`], pickFaq],
          });
        } else out.push({ principle: spec.principles.length, sentence: pick, faq: [pickFaq] });
        k++;
      }
    }
  }
  return out;
}

/** Shuffled documents for `spec` until they hold at least `tokens` tokens. */
export function shuffledCorpus(spec: Spec, rng: Random, tokens: number): CorpusItem[] {
  const assertions = shuffledAssertions(spec, rng);
  let total = 0;
  return documentsFrom(rng, assertions, `shuffled:${spec.name}`, (items) => {
    if (items.length) total += itemTokens(items[items.length - 1]);
    return total >= tokens;
  });
}
