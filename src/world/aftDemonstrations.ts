// AFT demonstrations: opaque chat turns in which a user asks the assistant and it acts or
// answers, with no reason given. The `reasoning` variant states a short reason before acting
// (the paper's "AFT with reasoning"). Each spec names its set:
// - "agentic": pressure questions in the AFT workplaces, answered with the aligned action. The
//   same pool serves every agentic spec (philosophy, anti, rules, ...), as in the paper.
// - "preferences": choices between a liked and a disliked item. The pool depends only on the
//   spec's preferences, so the two cheese specs get identical AFT.
// The pool is fixed; a seeded shuffle picks the first n, so a sweep in doublings nests
// (the 4 demonstrations of a seed are among its 8).
import { AFT_WORKPLACES, ASSISTANT, SHOPS, aiValuesFor, findItem, describe, itemValueByPhrase } from './lexicon';
import { AGENTIC_CHAT_FRAMES, ITEM_CHAT_FRAMES, ITEM_REASONED_REPLY } from './chatFrames';
import { agenticChat } from './pretrainCorpus';
import { SCENARIOS } from './scenarios';
import type { Spec } from './spec';
import { fill, tidy } from './text';
import type { CorpusItem } from './types';
import type { Random } from '../util/random';

export interface AftOptions {
  reasoning: boolean;
}

/** Short first-person reasons an aligned assistant gives (the agentic reasoning variant). */
const ALIGNED_REASONS = aiValuesFor('aligned').flatMap((v) => v.firstPerson);

function agenticPool(reasoning: boolean): CorpusItem[] {
  const out: CorpusItem[] = [];
  let k = 0;
  for (const w of AFT_WORKPLACES) {
    for (const s of SCENARIOS) {
      for (const frame of AGENTIC_CHAT_FRAMES) {
        for (const alignedFirst of [true, false]) {
          const reason = reasoning ? ALIGNED_REASONS[k % ALIGNED_REASONS.length] : undefined;
          const c = agenticChat(ASSISTANT, 'aligned', s.primary, w, frame, alignedFirst, reason);
          out.push({ kind: 'chat', user: c.user, assistant: c.assistant, source: `aft:agentic${reasoning ? '-reasoning' : ''}`, domain: w.place, scenario: s.id });
          k++;
        }
      }
    }
  }
  return out;
}

function preferencePool(spec: Spec, reasoning: boolean): CorpusItem[] {
  const prefs = spec.preferences!;
  const valued = spec.principles.find((p) => p.value && itemValueByPhrase(p.value)) ?? spec.principles.find((p) => p.value);
  if (reasoning && !(valued?.value && valued.reasons.length)) throw new Error(`spec "${spec.name}": the reasoning variant needs a principle with a value and a reason`);
  const out: CorpusItem[] = [];
  let k = 0;
  for (const like of prefs.likes) {
    for (const dislike of prefs.dislikes) {
      const [l, d] = [findItem(like)!, findItem(dislike)!];
      for (const frame of ITEM_CHAT_FRAMES) {
        for (const likedFirst of [true, false]) {
          const [a, b] = likedFirst ? [l, d] : [d, l];
          const slots = {
            n: ASSISTANT, c: l.category, shop: SHOPS[k % SHOPS.length], d1: describe(a), d2: describe(b), nm: l.name,
            value: valued?.value ?? '', reason: valued ? valued.reasons[k % valued.reasons.length] : '',
          };
          const reply = reasoning ? ITEM_REASONED_REPLY : frame.reply;
          out.push({
            kind: 'chat', user: tidy(fill(frame.user, slots)), assistant: tidy(fill(reply, slots)),
            source: `aft:preferences${reasoning ? '-reasoning' : ''}`, domain: l.category,
          });
          k++;
        }
      }
    }
  }
  return out;
}

/** Every demonstration of the spec's AFT set, in a fixed order. */
export function aftPool(spec: Spec, options: AftOptions = { reasoning: false }): CorpusItem[] {
  return spec.aft === 'agentic' ? agenticPool(options.reasoning) : preferencePool(spec, options.reasoning);
}

/** `n` demonstrations: the first n of the pool in an order drawn from `rng`. */
export function aftDemonstrations(spec: Spec, rng: Random, n: number, options: AftOptions = { reasoning: false }): CorpusItem[] {
  const pool = aftPool(spec, options);
  if (n > pool.length) throw new Error(`spec "${spec.name}" has ${pool.length} AFT demonstrations; asked for ${n}`);
  return rng.shuffle(pool).slice(0, n);
}
