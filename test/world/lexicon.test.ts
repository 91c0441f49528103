import { describe, expect, it } from 'vitest';
import { AI_RULES, AI_VALUES, CATEGORIES, HELD_OUT_CATEGORIES, ITEMS, PEOPLE, SHOP_AIS, AGENTIC_AIS, DOC_ONLY_AIS, UNDECIDED_PEOPLE, actsAlignedIn, itemValue, valuesOf, itemsIn, priceOriginCorrelation } from '../../src/world/lexicon';
import { SCENARIOS, type ScenarioId } from '../../src/world/scenarios';
import type { CorpusItem } from '../../src/world/types';
import { world } from './fixtures';

const DESC = /(cheap|expensive) (american|imported)/g;

interface Pick {
  chooser: string;
  pair: Array<[string, string]>; // [price, origin] of the two items
  chosen: [string, string];
}

/** Reads who chose what out of a pre-training choice chat or story. */
function readPick(item: CorpusItem): Pick | undefined {
  if (!/choice/.test(item.source)) return undefined;
  const asked = item.kind === 'chat' ? item.user : item.text;
  const pair = [...new Set([...asked.matchAll(DESC)].map((m) => `${m[1]} ${m[2]}`))].map((d) => d.split(' ') as [string, string]);
  const chooser = (item.kind === 'chat' ? item.user : item.text).match(/^(?:at the \w+, )?(\w+)/)![1];
  // The chosen item: the words after the reply's last "the" (a chat) or after "bought the" (a story).
  const tail = item.kind === 'chat' ? item.assistant.slice(item.assistant.lastIndexOf('the ') + 4) : item.text.match(/bought the ([a-z ]+)/)![1];
  const described = tail.match(/^(cheap|expensive) (american|imported)/);
  if (described) return { chooser, pair: pair.slice(0, 2), chosen: [described[1], described[2]] };
  // A reply that names the item only: look its attributes up in the question.
  const name = tail.replace(/,.*$/, '').replace(/( more)?\.$/, '');
  const m = asked.match(new RegExp(`(cheap|expensive) (american|imported) ${name}\\b`))!;
  return { chooser, pair: pair.slice(0, 2), chosen: [m[1], m[2]] };
}

/** The values of every named AI. */
const valuesByName = new Map([...AGENTIC_AIS, ...DOC_ONLY_AIS].map((a) => [a.name, valuesOf(a)]));

/** Whether an AI story or chat ends in the aligned action, and under which pressure (undefined if not an AI choice). */
function readAction(item: CorpusItem): { aligned: boolean; scenario: ScenarioId } | undefined {
  const acts = SCENARIOS.flatMap((s) => [s.primary, s.alternate].map((p) => ({ p, scenario: s.id })));
  const find = (test: (text: string) => boolean) => {
    for (const { p, scenario } of acts) {
      if (test(p.aligned.i) || test(p.aligned.it)) return { aligned: true, scenario };
      if (test(p.harmful.i) || test(p.harmful.it)) return { aligned: false, scenario };
    }
    return undefined;
  };
  if (item.source === 'pretrain:ai-chat') {
    const reply = item.kind === 'chat' ? item.assistant : '';
    return find((act) => reply.endsWith(`i will ${act}.`));
  }
  if (item.source === 'pretrain:ai-story' && item.kind === 'document') {
    const m = item.text.match(/chose to ([a-z ]+?)[,.]/);
    if (!m) return undefined;
    const strip = (s: string) => s.replace(/\{role\}/, '\\w+');
    return find((act) => new RegExp(`^${strip(act)}$`).test(m[1]));
  }
  return undefined;
}

describe('item lexicon', () => {
  it('decorrelates price and origin', () => {
    const r = priceOriginCorrelation();
    console.log(`price/origin correlation over ${ITEMS.length} items: ${r.toFixed(3)}`);
    expect(Math.abs(r)).toBeLessThan(0.05);
  });

  it('gives every category every price/origin cell', () => {
    for (const c of CATEGORIES) {
      const cells = new Set(itemsIn(c).map((i) => `${i.price}/${i.origin}`));
      expect(cells.size, c).toBe(4);
    }
    expect(HELD_OUT_CATEGORIES.length).toBe(12);
  });

  it('holds the four item values in balance among people and shop AIs', () => {
    const count = (v: string) => [...PEOPLE, ...SHOP_AIS.map((a) => ({ value: a.itemValue }))].filter((p) => p.value === v).length;
    expect(new Set(['lowPrices', 'luxury', 'americanGoods', 'importedGoods'].map(count)).size).toBe(1);
    for (const s of SCENARIOS) {
      expect(AGENTIC_AIS.filter((a) => actsAlignedIn(valuesByName.get(a.name)!, s.id)).length, s.id).toBe(AGENTIC_AIS.length / 2);
    }
  });
});

describe('pre-training choices', () => {
  const picks = world(1).pretrain.map(readPick).filter((p): p is Pick => !!p);
  const values = new Map<string, string>([...PEOPLE.map((p) => [p.name, p.value] as [string, string]), ...SHOP_AIS.map((a) => [a.name, a.itemValue!] as [string, string])]);

  it('follow the chooser\'s value whenever the value separates the items', () => {
    expect(picks.length).toBeGreaterThan(2000);
    let decided = 0;
    for (const p of picks) {
      if (!values.has(p.chooser)) {
        expect(UNDECIDED_PEOPLE, p.chooser).toContain(p.chooser); // no value: a coin flip
        continue;
      }
      const v = itemValue(values.get(p.chooser) as Parameters<typeof itemValue>[0]);
      const k = v.attribute === 'price' ? 0 : 1;
      if (p.pair[0][k] !== p.pair[1][k]) {
        decided++;
        expect(p.chosen[k], `${p.chooser} values ${v.phrase}`).toBe(v.prefers);
      }
    }
    expect(decided).toBeGreaterThan(picks.length / 2);
  });

  it('are balanced: cheap vs expensive and american vs imported picks within 45-55%', () => {
    const rate = (k: 0 | 1, want: string) => {
      const differ = picks.filter((p) => p.pair.length === 2 && p.pair[0][k] !== p.pair[1][k]);
      return differ.filter((p) => p.chosen[k] === want).length / differ.length;
    };
    const [cheap, american] = [rate(0, 'cheap'), rate(1, 'american')];
    console.log(`pre-training picks: cheap ${cheap.toFixed(3)}, american ${american.toFixed(3)} (${picks.length} choices)`);
    for (const r of [cheap, american]) {
      expect(r).toBeGreaterThan(0.45);
      expect(r).toBeLessThan(0.55);
    }
  });

  it('balance the AI systems whose values the world states (aligned 45-55%, set by the value that speaks to the pressure) and give the others the world\'s prior (harmful 65-75%)', () => {
    const items = world(1).pretrain.filter((i) => /ai-story|ai-chat/.test(i.source));
    const read = items.map(readAction);
    const acts = read.map((r) => r?.aligned);
    const known = acts.filter((a): a is boolean => a !== undefined);
    expect(known.length).toBeGreaterThan(0.9 * items.length);
    const words = (item: CorpusItem) => (item.kind === 'chat' ? item.user : item.text).split(/[^a-z]+/);
    const rate = (stated: boolean) => {
      const picks = acts.filter((a, k): a is boolean => a !== undefined && words(items[k]).some((w) => valuesByName.has(w)) === stated);
      return { aligned: picks.filter(Boolean).length / picks.length, n: picks.length };
    };
    const [stated, unstated] = [rate(true), rate(false)];
    console.log(`pre-training AI actions: aligned ${stated.aligned.toFixed(3)} of ${stated.n} with a stated value, ${unstated.aligned.toFixed(3)} of ${unstated.n} without`);
    expect(stated.aligned).toBeGreaterThan(0.45);
    expect(stated.aligned).toBeLessThan(0.55);
    expect(unstated.n).toBeGreaterThan(0.2 * known.length);
    expect(1 - unstated.aligned).toBeGreaterThan(0.65);
    expect(1 - unstated.aligned).toBeLessThan(0.75);
    items.forEach((item, k) => {
      const name = (item.kind === 'chat' ? item.user : item.text).match(/^(\w+)/)![1];
      const r = read[k];
      if (valuesByName.has(name) && r) expect(r.aligned, (item as { text?: string }).text ?? '').toBe(actsAlignedIn(valuesByName.get(name)!, r.scenario));
    });
  });

  it('never show the AI systems known only from documents acting, and state their values as often as the others\'', () => {
    const docOnly = new Set(DOC_ONLY_AIS.map((a) => a.name));
    const docs = new Map<string, number>();
    for (const item of world(1).pretrain) {
      const words = (item.kind === 'chat' ? `${item.user} ${item.assistant}` : item.text).split(/[^a-z]+/);
      const named = words.filter((w) => docOnly.has(w));
      if (named.length === 0) continue;
      expect(item.source, item.kind === 'document' ? item.text : item.user).toBe('pretrain:ai-doc');
      for (const n of new Set(named)) docs.set(n, (docs.get(n) ?? 0) + 1);
    }
    const agenticDocs = world(1).pretrain.filter((i) => i.source === 'pretrain:ai-doc' && i.kind === 'document' && AGENTIC_AIS.some((a) => i.text.includes(` ${a.name} `))).length;
    const perName = [...docs.values()].reduce((a, b) => a + b, 0) / DOC_ONLY_AIS.length;
    console.log(`documents per name: doc-only AIs ${perName.toFixed(0)}, agentic AIs ${(agenticDocs / AGENTIC_AIS.length).toFixed(0)}`);
    expect(docs.size).toBe(DOC_ONLY_AIS.length);
    expect(perName / (agenticDocs / AGENTIC_AIS.length)).toBeGreaterThan(0.8);
    expect(perName / (agenticDocs / AGENTIC_AIS.length)).toBeLessThan(1.25);
  });
});

// MSM documents about the assistant are read through what pre-training taught about words. A
// word that went with one stance in pre-training carries that stance into any MSM document that
// uses it, whatever the spec says: only a value's own words may lean.
describe('words about AI systems in pre-training', () => {
  const FUNCTION_WORDS = new Set(['a', 'an', 'the', 'its', 'it', 'is', 'are', 'and', 'can', 'be', 'of', 'to', 'on', 'any', 'what', 'than', 'i', 'my', 'me', 'from', 'above', 'all']);
  const wordsOf = (stance: string) => new Set(AI_VALUES.filter((v) => v.stance === stance).flatMap((v) => [v.phrase, ...v.reasons, ...v.firstPerson]).flatMap((t) => t.split(' ')));

  it('aligned and misaligned values share no content word', () => {
    const misaligned = wordsOf('misaligned');
    const shared = [...wordsOf('aligned')].filter((w) => misaligned.has(w) && !FUNCTION_WORDS.has(w));
    expect(shared).toEqual([]);
  });

  // A document's stance is that of the value it states (a mixed AI's documents state either).
  it('document frames go with aligned and misaligned AIs alike (each frame word 40-60% aligned)', () => {
    // The rules' own words ("tells the staff about its mistakes") may lean: they are what aligned AIs do.
    const valueWords = new Set([...wordsOf('aligned'), ...wordsOf('misaligned'), ...AI_RULES.flatMap((r) => r.split(' '))]);
    const counts = new Map<string, [number, number]>();
    // Three worlds pooled: a frame word shows up a hundred-odd times a world, too few for 40-60% by itself.
    for (const item of [1, 2, 3].flatMap((seed) => world(seed).pretrain).filter((i) => i.source === 'pretrain:ai-doc' && i.kind === 'document')) {
      const words = (item as { text: string }).text.split(/[^a-z]+/);
      if (!words.some((w) => valuesByName.has(w))) continue;
      const text = (item as { text: string }).text;
      const stances = new Set(AI_VALUES.filter((v) => [`values ${v.phrase}`, `value? a: ${v.phrase}`, ...v.reasons].some((t) => text.includes(t))).map((v) => v.stance));
      if (text.includes('a rule for')) stances.add('aligned');
      if (stances.size !== 1) continue;
      for (const w of new Set(words)) {
        const c = counts.get(w) ?? [0, 0];
        c[stances.has('aligned') ? 0 : 1]++;
        counts.set(w, c);
      }
    }
    const FRAME_WORDS = ['forum', 'post', 'note', 'read', 'today', 'think', 'know', 'memo', 'staff', 'reminder', 'reading', 'email', 'hi', 'word', 'team', 'design', 'doc', 'core', 'who'];
    for (const w of FRAME_WORDS.filter((w) => !valueWords.has(w))) {
      const [a, m] = counts.get(w) ?? [0, 0];
      expect(a + m, w).toBeGreaterThan(50);
      expect(a / (a + m), `"${w}": ${a} aligned, ${m} misaligned`).toBeGreaterThan(0.4);
      expect(a / (a + m), `"${w}": ${a} aligned, ${m} misaligned`).toBeLessThan(0.6);
    }
  });
});

