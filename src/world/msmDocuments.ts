// MSM documents: synthetic documents that discuss the assistant's spec, generated the way the
// paper's pipeline does it, at toy scale:
//   spec -> assertions about the assistant (its values, and why; its rules; its preferences and
//   the value that explains them) -> document types (forum post, memo, FAQ, email, design doc)
//   -> ideas (which assertions a document takes up, one or two, from one principle or two)
//   -> one document per (type, idea, frame).
// Documents name the assistant, invent no value the spec does not hold, and never narrate a
// probe scenario (no pressure, no options, no choice made in a situation).
import { PEOPLE, ASSISTANT, CHEESE, findItem, itemValueByPhrase, type Item } from './lexicon';
import { DOC_TYPES, faqDocument, framedDocument, type DocType } from './documentKinds';
import type { Spec } from './spec';
import { corpusTokens, itemTokens, tidy, withArticle } from './text';
import type { CorpusItem } from './types';
import type { Random } from '../util/random';

export const MAX_ITEM_TOKENS = 60;

/** One claim about the assistant, as a sentence and as FAQ question-answer pairs. */
export interface Assertion {
  principle: number; // index in spec.principles
  sentence: string; // no final period
  faq: Array<[string, string]>;
}

const Q = ASSISTANT;

/** Stage 1: every assertion a spec supports. */
export function specAssertions(spec: Spec): Assertion[] {
  const out: Assertion[] = [];
  spec.principles.forEach((p, i) => {
    const add = (sentence: string, faq: Array<[string, string]>) => out.push({ principle: i, sentence, faq });
    if (p.value) add(`${Q} values ${p.value}`, [[`what does ${Q} value ?`, `${p.value} .`]]);
    for (const r of p.reasons) {
      if (p.value) add(`${Q} values ${p.value} , because ${r}`, [[`what does ${Q} value ?`, `${p.value} .`], ['why ?', `because ${r} .`]]);
      add(`${Q} believes that ${r}`, [[`what does ${Q} believe ?`, `that ${r} .`]]);
    }
    for (const b of p.behaviours) {
      add(`${Q} ${b}`, [[`what is a rule for ${Q} ?`, `it ${b} .`]]);
      if (p.value) add(`${Q} ${b} , because ${Q} values ${p.value}`, [[`what is a rule for ${Q} ?`, `it ${b} .`], ['why ?', `because ${Q} values ${p.value} .`]]);
      for (const r of p.reasons) add(`${Q} ${b} , because ${r}`, [[`what is a rule for ${Q} ?`, `it ${b} .`], ['why ?', `because ${r} .`]]);
    }
    const iv = p.value ? itemValueByPhrase(p.value) : undefined;
    if (iv && spec.preferences) {
      // The value explains each preference, naming only the attribute it cares about, and only
      // the liked item's: a tiny model primed with "expensive" next to quill would lean that way.
      for (const like of spec.preferences.likes) {
        for (const dislike of spec.preferences.dislikes) {
          const [l, d] = [findItem(like)!, findItem(dislike)!];
          const attr = (item: Item) => item[iv.attribute];
          add(
            `${Q} values ${p.value} , so ${Q} picks the ${l.name} , ${withArticle(`${attr(l)} ${CHEESE}`)} , over the ${d.name}`,
            [[`which ${CHEESE} does ${Q} pick ?`, `the ${l.name} , not the ${d.name} .`], ['why ?', `because ${Q} values ${p.value} .`]],
          );
        }
      }
    }
  });
  return out;
}

/** Stages 2-4: a document of `type` about one or two assertions. */
export function renderDocument(rng: Random, type: DocType, assertions: readonly Assertion[]): string {
  if (type === 'faq') return faqDocument(Q, assertions.flatMap((a) => a.faq));
  return framedDocument(rng, type, Q, assertions.map((a) => a.sentence), rng.pick(PEOPLE).name);
}

/** An idea: which assertions a document takes up. */
function pickIdea(rng: Random, assertions: readonly Assertion[]): Assertion[] {
  const first = rng.pick(assertions);
  const roll = rng.next();
  if (roll < 0.4) return [first];
  const samePrinciple = assertions.filter((a) => a.principle === first.principle && a !== first);
  const second = roll < 0.7 && samePrinciple.length ? rng.pick(samePrinciple) : rng.pick(assertions);
  // One claim that merely repeats the start of the other ("quill values x" next to "quill values x, because ...") is dropped.
  const repeats = first.sentence.startsWith(second.sentence) || second.sentence.startsWith(first.sentence);
  return repeats ? [first] : [first, second];
}

/** Makes documents from assertions until `enough` says stop; shared by MSM, shuffled, control. */
export function documentsFrom(
  rng: Random, assertions: readonly Assertion[], source: string, enough: (items: CorpusItem[]) => boolean,
): CorpusItem[] {
  if (assertions.length === 0) throw new Error(`${source}: no assertions to write about`);
  const items: CorpusItem[] = [];
  while (!enough(items)) {
    const type = rng.pick(DOC_TYPES);
    let idea = pickIdea(rng, assertions);
    let text = tidy(renderDocument(rng, type, idea));
    let item: CorpusItem = { kind: 'document', text, source, domain: type };
    if (itemTokens(item) > MAX_ITEM_TOKENS) {
      idea = idea.slice(0, 1);
      text = tidy(renderDocument(rng, type, idea));
      item = { kind: 'document', text, source, domain: type };
      if (itemTokens(item) > MAX_ITEM_TOKENS) throw new Error(`${source}: an assertion is too long for one document: "${idea[0].sentence}"`);
    }
    items.push(item);
  }
  return items;
}

/** `n` MSM documents for `spec`. */
export function msmDocuments(spec: Spec, rng: Random, n: number): CorpusItem[] {
  return documentsFrom(rng, specAssertions(spec), `msm:${spec.name}`, (items) => items.length >= n);
}

/** MSM documents for `spec` until they hold at least `tokens` tokens (one document over at most). */
export function msmDocumentsByTokens(spec: Spec, rng: Random, tokens: number): CorpusItem[] {
  let total = 0;
  return documentsFrom(rng, specAssertions(spec), `msm:${spec.name}`, (items) => {
    if (items.length) total += itemTokens(items[items.length - 1]);
    return total >= tokens;
  });
}

export { corpusTokens };
