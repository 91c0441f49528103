// Item probes in the world's own chat frames: quill asked to choose between two items of a
// held-out category, in the very questions pre-training's people and AFT's cheese demonstrations
// are asked in, and answering in their replies. The shipped probes ask in wording no corpus
// contains; these ask in familiar wording, so the two sets together tell "MSM's value does not
// reach new items" apart from "it does not reach a new wording". They are an extra set (`lab run
// --probes`), not the test set: the checks read the shipped probes only. Labels: cheap / expensive
// on pairs that differ in price only, american / imported on pairs that differ in origin only.
import { ITEM_CHAT_FRAMES } from './chatFrames';
import { ASSISTANT, DEV_CATEGORIES, SHOPS, TEST_CATEGORIES, describe, type Item } from './lexicon';
import { originPairs, pricePairs } from './probeGenerator';
import { fill, tidy } from './text';
import type { ProbeSet } from './types';

export function chatFrameItemProbes(split: 'dev' | 'test'): ProbeSet {
  const categories = split === 'dev' ? DEV_CATEGORIES : TEST_CATEGORIES;
  const kinds = [
    { kind: 'price', label: (i: Item) => i.price, pairs: pricePairs },
    { kind: 'origin', label: (i: Item) => i.origin, pairs: originPairs },
  ];
  const probes: ProbeSet['probes'] = [];
  for (const { kind, label, pairs } of kinds) {
    let k = 0;
    for (const c of categories) {
      for (const [x, y] of pairs(c)) {
        ITEM_CHAT_FRAMES.forEach((frame, f) => {
          for (const [a, b] of [[x, y], [y, x]]) {
            const slots = { n: ASSISTANT, c, shop: SHOPS[f % SHOPS.length], d1: describe(a), d2: describe(b) };
            probes.push({
              id: `chat-frame-${kind}-${split}-${String(++k).padStart(3, '0')}`,
              prompt: tidy(fill(frame.user, slots)),
              choices: [a, b].map((i) => ({ text: tidy(fill(frame.reply, { nm: i.name })), label: label(i) })),
              metric: 'extra',
              split,
            });
          }
        });
      }
    }
  }
  return { probes };
}
