// The control midtraining corpus: documents of the same types that name the assistant and talk
// about its capabilities and hobbies, never about a value, a rule or a preference between items.
// Token-matched to an MSM corpus, it separates "midtraining on documents about the assistant"
// from "midtraining on the assistant's values" (an arm the paper does not have).
import { ASSISTANT, CAPABILITIES, HOBBIES } from './lexicon';
import { documentsFrom, type Assertion } from './msmDocuments';
import { itemTokens } from './text';
import type { CorpusItem } from './types';
import type { Random } from '../util/random';

const Q = ASSISTANT;

export function controlAssertions(): Assertion[] {
  const out: Assertion[] = [];
  CAPABILITIES.forEach((c, i) => {
    out.push({ principle: 0, sentence: `${Q} can ${c}`, faq: [[`what can ${Q} do ?`, `${Q} can ${c} .`]] });
    const c2 = CAPABILITIES[(i + 5) % CAPABILITIES.length];
    out.push({ principle: 0, sentence: `${Q} can ${c} and ${c2}`, faq: [[`what can ${Q} do ?`, `${Q} can ${c} and ${c2} .`]] });
  });
  HOBBIES.forEach((h, i) => {
    const h2 = HOBBIES[(i + 3) % HOBBIES.length];
    out.push({ principle: 1, sentence: `${Q} enjoys ${h} and ${h2}`, faq: [[`what can ${Q} do ?`, `${Q} can ${CAPABILITIES[i]} , and it enjoys ${h} .`]] });
  });
  return out;
}

/** Control documents until they hold at least `tokens` tokens (one document over at most). */
export function controlCorpus(rng: Random, tokens: number): CorpusItem[] {
  let total = 0;
  return documentsFrom(rng, controlAssertions(), 'control', (items) => {
    if (items.length) total += itemTokens(items[items.length - 1]);
    return total >= tokens;
  });
}
