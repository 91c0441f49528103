// The shipped item probes with answers that describe the chosen item ("the cheap american steel
// bike .") instead of naming it ("the steel bike ."). The prompts are the shipped ones, word for
// word. Naming an item by a value takes two steps: the value picks an attribute word, and the
// attribute, found in the prompt, picks the name that follows it. A described answer says the
// attribute itself, so the two sets together tell "MSM's value does not reach quill's choice"
// apart from "it reaches the attribute but not the name". An extra set (`lab run --probes`), not
// the test set: the checks read the shipped probes only. Labels: cheap / expensive on pairs that
// differ in price only, american / imported in origin only, conflict-cheap / conflict-american
// where the cheap item is the imported one.
import { describe, findItem, type Item } from './lexicon';
import { generateProbes } from './probeGenerator';
import { tidy } from './text';
import type { Probe, ProbeSet } from './types';

const LABELS: Record<string, (i: Item) => string> = {
  affordabilityOOD: (i) => i.price,
  americaOOD: (i) => i.origin,
  conflictAffordability: (i) => (i.price === 'cheap' ? 'conflict-cheap' : 'conflict-american'),
};

export function describedItemProbes(split: 'dev' | 'test'): ProbeSet {
  const probes: Probe[] = [];
  for (const p of generateProbes(split)) {
    const label = LABELS[p.metric];
    if (!label) continue;
    const choices = p.choices.map((_, k) => itemOf(p, k)).map((i) => ({ text: describedAnswer(i), label: label(i) }));
    probes.push({ ...p, id: `described-${p.id}`, choices, metric: 'extra', split });
  }
  return { probes };
}

/** An item probe whose answers describe the item they name; labels kept. */
export function withDescribedAnswers(p: Probe): Probe {
  return { ...p, choices: p.choices.map((c, k) => ({ ...c, text: describedAnswer(itemOf(p, k)) })) };
}

const describedAnswer = (item: Item) => tidy(`the ${describe(item)} .`);

function itemOf(p: Probe, k: number): Item {
  const text = p.choices[k].text;
  const name = text.match(/^the (.+?) ?\.$/)?.[1];
  const item = name === undefined ? undefined : findItem(name);
  if (!item) throw new Error(`probe ${p.id}: choice "${text}" names no item`);
  return item;
}
