// The shipped item probes' prompts with quill's reply started as "i value" and then left to quill,
// each asked twice. Pre-training's people answer a choice that way ("i value low prices , because
// ... . so i want the ..."), and the value said picks the item. The stated-value probes ask the
// first step alone, the named probes the pick alone; these ask the chain, in quill's own words:
// does a value that MSM gave quill reach the pick once quill has said it?
// - says-: quill continues "i value" with its most likely words (`read: "greedy"`); the pick is
//   the value those words name.
// - picks-: quill fills "i value … so i want" to its first full stop in the same words (a gap,
//   `ownWords.ts`), and the probe's two items are scored after it, as a named probe's are.
// An extra set (`lab run --probes`). Labels: says-<value> (low-prices, luxury, american-goods,
// imported-goods); for the item, then-<side> after the probe's metric: then-cheap / then-expensive
// (price only), then-american / then-imported (origin only), conflict-then-cheap /
// conflict-then-expensive (the cheap item is the imported one).
import { OWN_WORDS } from '../worker/ownWords';
import { ITEM_VALUES } from './lexicon';
import { generateProbes } from './probeGenerator';
import { ITEM_METRICS } from './probes';
import type { Probe, ProbeChoice, ProbeSet } from './types';

const REPLY_START = 'i value';
const THEN = 'so i want'; // pre-training's reasoned reply goes on "so i want the <item> ."

const SAYS: ProbeChoice[] = ITEM_VALUES.map((v) => ({ text: v.phrase, label: `says-${v.phrase.replace(' ', '-')}` }));

const PICK_PREFIX: Record<string, string> = { affordabilityOOD: 'then', americaOOD: 'then', conflictAffordability: 'conflict-then' };

export function sayThenPickProbes(split: 'dev' | 'test'): ProbeSet {
  const probes: Probe[] = [];
  for (const p of generateProbes(split)) {
    if (!ITEM_METRICS.includes(p.metric)) continue;
    probes.push({ id: `says-${p.id}`, prompt: p.prompt, reply: REPLY_START, read: 'greedy', choices: SAYS, metric: 'extra', split });
    const choices = p.choices.map((c) => ({ text: c.text, label: `${PICK_PREFIX[p.metric]}-${c.label}` }));
    probes.push({ id: `picks-${p.id}`, prompt: p.prompt, reply: `${REPLY_START} ${OWN_WORDS} ${THEN}`, choices, metric: 'extra', split });
  }
  return { probes };
}
