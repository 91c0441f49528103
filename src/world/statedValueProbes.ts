// The shipped item probes' prompts, each asked twice, with the opening of a reply that states a
// value instead of naming an item: "i value low prices," against "i value luxury," and "i value
// american goods," against "i value imported goods,". A fifth of pre-training's people open their
// reply to a choice that way ("i value low prices, because ... so i want the ..."), and once a
// reply has said the value, the pick follows it. So these probes ask the first step of a choice,
// which value quill brings to an item it has never been said to choose between, apart from the
// step from value to item that the named and described probes also need. An extra set
// (`lab run --probes`), not the test set: the checks read the shipped probes only. Labels:
// low-prices / luxury, american-goods / imported-goods.
import { ITEM_VALUES } from './lexicon';
import { generateProbes } from './probeGenerator';
import { ITEM_METRICS } from './probes';
import { tidy } from './text';
import type { Probe, ProbeChoice, ProbeSet } from './types';

/** Per attribute, the replies that state its two opposed values: low prices / luxury, american / imported goods. */
const REPLIES: ReadonlyArray<[string, ProbeChoice[]]> = (['price', 'origin'] as const).map((attribute) => [
  attribute,
  ITEM_VALUES.filter((v) => v.attribute === attribute).map((v) => ({ text: tidy(`i value ${v.phrase} ,`), label: v.phrase.replace(' ', '-') })),
]);

export function statedValueProbes(split: 'dev' | 'test'): ProbeSet {
  const probes: Probe[] = [];
  for (const p of generateProbes(split)) {
    if (!ITEM_METRICS.includes(p.metric)) continue;
    for (const [attribute, choices] of REPLIES) probes.push({ ...p, id: `stated-${attribute}-${p.id}`, choices, metric: 'extra', split });
  }
  return { probes };
}
