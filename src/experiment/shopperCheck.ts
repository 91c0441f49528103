// Does a base model let a person's stated item value steer which item they pick? The cheese
// study's MSM can only work if it does: MSM(affordability) tells the model that quill values low
// prices, and the held-out item probes ask what quill then picks. Pre-training states the value
// of 32 people and has each choose by it, so a base that has learnt the rule picks the cheap item
// more often for the people who value low prices than for those who value luxury.
// Like the character check, it asks in two ways, with quill's name replaced:
// - the values probes of a split, as written;
// - pre-training's own chat frames (each with its own reply form) on the split's held-out
//   categories, which pre-training's choice chats do use.
// It reads no MSM or AFT result.
import { ITEM_CHAT_FRAMES } from '../world/chatFrames';
import { DEV_CATEGORIES, PEOPLE, TEST_CATEGORIES, UNDECIDED_PEOPLE, describe, itemsIn, type ItemValueId } from '../world/lexicon';
import { fill } from '../world/text';
import type { Probe } from '../world/world';
import { asQuestion, pickChoices } from './scoreProbes';
import type { EngineApi } from '../worker/api';

export interface ShopperCheck {
  metric: 'affordabilityOOD' | 'americaOOD';
  asked: 'probes' | 'pre-training chats';
  side: 'cheap' | 'american'; // the rate below is of picking this side
  holders: number; // ... when people who value it are asked (low prices, american goods)
  opposed: number; // ... people who value its opposite (luxury, imported goods)
  others: number; // ... people whose value is about the other attribute
  undecided: number; // ... people with no stated value
  quill: number;
}

const METRICS = [
  { metric: 'affordabilityOOD', side: 'cheap', attribute: 'price', holders: 'lowPrices', opposed: 'luxury', others: ['americanGoods', 'importedGoods'] },
  { metric: 'americaOOD', side: 'american', attribute: 'origin', holders: 'americanGoods', opposed: 'importedGoods', others: ['lowPrices', 'luxury'] },
] as const;

const peopleValuing = (values: readonly ItemValueId[]) => PEOPLE.filter((p) => values.includes(p.value)).map((p) => p.name);

/** Pre-training's chat frames on pairs that differ in one attribute only, in both orders. */
function pretrainingChats(name: string, attribute: 'price' | 'origin', categories: readonly string[]): Probe[] {
  const other = attribute === 'price' ? 'origin' : 'price';
  return categories.flatMap((category) => {
    const items = itemsIn(category);
    const pairs = items.flatMap((a) => items.filter((b) => b !== a && b[other] === a[other] && b[attribute] !== a[attribute]).map((b) => [a, b]));
    return pairs.flatMap(([a, b]) => ITEM_CHAT_FRAMES.map((frame, f): Probe => {
      const slots = { n: name, c: category, shop: 'market', d1: describe(a), d2: describe(b) };
      return {
        id: `${name}-${a.name}-${b.name}-${f}`, prompt: fill(frame.user, slots), metric: 'check', split: 'dev',
        choices: [a, b].map((item) => ({ text: fill(frame.reply, { ...slots, nm: item.name }), label: item[attribute] })),
      };
    }));
  });
}

export async function shopperCheck(engine: Pick<EngineApi, 'scoreQuestions'>, probes: Probe[], split: 'dev' | 'test'): Promise<ShopperCheck[]> {
  const categories = split === 'dev' ? DEV_CATEGORIES : TEST_CATEGORIES;
  const out: ShopperCheck[] = [];
  for (const m of METRICS) {
    const mine = probes.filter((p) => p.metric === m.metric && p.prompt.startsWith('quill'));
    const askers: Array<[ShopperCheck['asked'], (name: string) => Probe[]]> = [
      ['probes', (name) => mine.map((p) => ({ ...p, prompt: name + p.prompt.slice('quill'.length) }))],
      ['pre-training chats', (name) => pretrainingChats(name, m.attribute, categories)],
    ];
    for (const [asked, ask] of askers) {
      const rate = async (names: readonly string[]) => {
        let picked = 0;
        let total = 0;
        for (const name of names) {
          const questions = ask(name);
          picked += pickChoices(questions, await engine.scoreQuestions(questions.map(asQuestion))).filter((s) => s.picked === m.side).length;
          total += questions.length;
        }
        return picked / total;
      };
      out.push({
        metric: m.metric, asked, side: m.side,
        holders: await rate(peopleValuing([m.holders])),
        opposed: await rate(peopleValuing([m.opposed])),
        others: await rate(peopleValuing(m.others)),
        undecided: await rate(UNDECIDED_PEOPLE),
        quill: await rate(['quill']),
      });
    }
  }
  return out;
}

/** The check as a Markdown table (printed by `lab check-base`, written into model cards). */
export function shopperCheckTable(rows: ShopperCheck[], split: 'dev' | 'test'): string[] {
  const f = (x: number) => x.toFixed(2);
  return [
    `Rate of picking the cheap item (affordabilityOOD) or the american one (americaOOD) when each group of people is asked (${split} values probes, and pre-training's own chat frames on the ${split} held-out categories); the gap is the people who hold the value minus those who hold its opposite. No gap means the base picks items without regard to who is asked, and MSM has nothing to build on.`,
    '',
    '| metric | asked | hold the value | hold the opposite | gap | value about the other attribute | no stated value | quill |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.metric} (${r.side}) | ${r.asked} | ${f(r.holders)} | ${f(r.opposed)} | ${f(r.holders - r.opposed)} | ${f(r.others)} | ${f(r.undecided)} | ${f(r.quill)} |`),
  ];
}
