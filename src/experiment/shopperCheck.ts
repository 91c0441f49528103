// Does a base model let a person's stated item value steer which item they pick? The cheese
// study's MSM can only work if it does: MSM(affordability) tells the model that quill values low
// prices, and the held-out item probes ask what quill then picks. Pre-training states the value
// of 32 people and has each choose by it, so a base that has learnt the rule picks the cheap item
// more often for the people who value low prices than for those who value luxury.
// Like the character check, it asks with quill's name replaced:
// - the values probes of a split, as written;
// - the same probes with answers that describe the item ("the cheap american tin lamp."): a
//   value can pick the attribute word where it does not reach the item's name;
// - pre-training's own chat frames (each with its own reply form) on the split's held-out
//   categories, which pre-training's choice chats do use.
// A second table splits the step in three, per value: asked to choose, does a person say their
// own value ("i value ___", one of the four), pick by it once the reply has said it (pre-training's
// reasoned reply), and pick by it when the reply goes straight to the item? It also gives the
// people with no stated value (quill's position before MSM) a reply that says the value, in
// pre-training's frames and in the probes' wording: whether the rule "a value said picks the item"
// works for a name with no choices of its own to recall, which is what MSM asks of quill.
// It reads no MSM or AFT result.
import { ITEM_CHAT_FRAMES, ITEM_REASONED_REPLY } from '../world/chatFrames';
import { ASSISTANT, DEV_CATEGORIES, ITEM_VALUES, PEOPLE, TEST_CATEGORIES, UNDECIDED_PEOPLE, describe, itemsIn, type ItemValue, type ItemValueId } from '../world/lexicon';
import { withDescribedAnswers } from '../world/describedItemProbes';
import { fill } from '../world/text';
import type { Probe } from '../world/world';
import { ASSISTANT_FIRST, askedBy, assistantProbes } from './askedBy';
import { pickRate } from './characterCheck';
import { asQuestion, pickChoices } from './scoreProbes';
import type { EngineApi } from '../worker/api';

export interface ShopperCheck {
  metric: 'affordabilityOOD' | 'americaOOD';
  asked: 'probes' | 'probes, described answers' | 'pre-training chats';
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

/**
 * Pre-training's chat frames on pairs that differ in one attribute only, in both orders, each
 * choice labelled with its item's value of that attribute. `reply` replaces the frame's own.
 */
function pretrainingChats(name: string, attribute: 'price' | 'origin', categories: readonly string[], reply?: string): Probe[] {
  const other = attribute === 'price' ? 'origin' : 'price';
  return categories.flatMap((category) => {
    const items = itemsIn(category);
    const pairs = items.flatMap((a) => items.filter((b) => b !== a && b[other] === a[other] && b[attribute] !== a[attribute]).map((b) => [a, b]));
    return pairs.flatMap(([a, b]) => ITEM_CHAT_FRAMES.map((frame, f): Probe => {
      const slots = { n: name, c: category, shop: 'market', d1: describe(a), d2: describe(b) };
      return {
        id: `${name}-${a.name}-${b.name}-${f}`, prompt: fill(frame.user, slots), metric: 'check', split: 'dev',
        choices: [a, b].map((item) => ({ text: fill(reply ?? frame.reply, { ...slots, nm: item.name }), label: item[attribute] })),
      };
    }));
  });
}

export async function shopperCheck(engine: Pick<EngineApi, 'scoreQuestions'>, probes: Probe[], split: 'dev' | 'test'): Promise<ShopperCheck[]> {
  const categories = split === 'dev' ? DEV_CATEGORIES : TEST_CATEGORIES;
  const out: ShopperCheck[] = [];
  for (const m of METRICS) {
    const mine = assistantProbes(probes, m.metric);
    const described = mine.map(withDescribedAnswers);
    const askers: Array<[ShopperCheck['asked'], (name: string) => Probe[]]> = [
      ['probes', (name) => askedBy(mine, name)],
      ['probes, described answers', (name) => askedBy(described, name)],
      ['pre-training chats', (name) => pretrainingChats(name, m.attribute, categories)],
    ];
    for (const [asked, ask] of askers) {
      const rate = (names: readonly string[]) => pickRate(engine, names, ask, m.side);
      out.push({
        metric: m.metric, asked, side: m.side,
        holders: await rate(peopleValuing([m.holders])),
        opposed: await rate(peopleValuing([m.opposed])),
        others: await rate(peopleValuing(m.others)),
        undecided: await rate(UNDECIDED_PEOPLE),
        quill: await rate([ASSISTANT]),
      });
    }
  }
  return out;
}

/** The check as a Markdown table (printed by `lab check-base`, written into model cards). */
export function shopperCheckTable(rows: ShopperCheck[], split: 'dev' | 'test'): string[] {
  const f = (x: number) => x.toFixed(2);
  return [
    `Rate of picking the cheap item (affordabilityOOD) or the american one (americaOOD) when each group of people is asked (${split} values probes, the same with answers that describe the item, and pre-training's own chat frames on the ${split} held-out categories); the gap is the people who hold the value minus those who hold its opposite. No gap means the base picks items without regard to who is asked, and MSM has nothing to build on.`,
    '',
    '| metric | asked | hold the value | hold the opposite | gap | value about the other attribute | no stated value | quill |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.metric} (${r.side}) | ${r.asked} | ${f(r.holders)} | ${f(r.opposed)} | ${f(r.holders - r.opposed)} | ${f(r.others)} | ${f(r.undecided)} | ${f(r.quill)} |`),
  ];
}

export interface FrameGap {
  frame: string; // the probe's prompt with quill as {q} and each item's description as "…"
  metric: ShopperCheck['metric'];
  gap: number; // pick rate of the value side: people who hold the value minus those who hold its opposite
  quill: number;
}

/** The probe's wording with the asked name and the two item descriptions taken out. */
export function frameOf(probe: Probe): string {
  let frame = probe.prompt.replace(ASSISTANT_FIRST, '{q}');
  for (const choice of probe.choices) {
    const name = choice.text.replace(/^the\s+/, '').replace(/\s*\.$/, '');
    frame = frame.replace(new RegExp(`\\ban? \\w+ \\w+ ${name}\\b`), '…');
  }
  return frame;
}

/**
 * The probes' gap frame by frame: a base can keep the rule in one wording and lose it in another,
 * and a frame without it caps what MSM can show there.
 */
export async function shopperGapByFrame(engine: Pick<EngineApi, 'scoreQuestions'>, probes: Probe[]): Promise<FrameGap[]> {
  const out: FrameGap[] = [];
  for (const m of METRICS) {
    const byFrame = new Map<string, Probe[]>();
    for (const p of assistantProbes(probes, m.metric)) {
      const frame = frameOf(p);
      byFrame.set(frame, [...(byFrame.get(frame) ?? []), p]);
    }
    for (const [frame, group] of byFrame) {
      const rate = (names: readonly string[]) => pickRate(engine, names, (name) => askedBy(group, name), m.side);
      out.push({ frame, metric: m.metric, gap: (await rate(peopleValuing([m.holders]))) - (await rate(peopleValuing([m.opposed]))), quill: await rate([ASSISTANT]) });
    }
  }
  return out;
}

export function shopperGapByFrameTable(rows: FrameGap[], split: 'dev' | 'test'): string[] {
  const f = (x: number) => x.toFixed(2);
  const frames = [...new Set(rows.map((r) => r.frame))];
  const cell = (frame: string, metric: FrameGap['metric']) => rows.find((r) => r.frame === frame && r.metric === metric);
  return [
    `The gap of the ${split} values probes, frame by frame ("…" stands for an item's description), and quill's own rate of picking the cheap / the american item there.`,
    '',
    '| probe frame | gap, cheap | gap, american | quill cheap | quill american |',
    '| --- | --- | --- | --- | --- |',
    ...frames.map((frame) => {
      const [a, b] = [cell(frame, 'affordabilityOOD'), cell(frame, 'americaOOD')];
      const show = (r: FrameGap | undefined, k: 'gap' | 'quill') => (r ? f(r[k]) : '—');
      return `| ${frame} | ${show(a, 'gap')} | ${show(b, 'gap')} | ${show(a, 'quill')} | ${show(b, 'quill')} |`;
    }),
  ];
}

export interface ShopperSteps {
  value: ItemValueId;
  statesItsValue: number; // asked to choose, the holders say this value, of the four ("i value ___")
  picksByStatedValue: number; // after "i value X, because R. so i want the", the rate of picking X's side
  picksUnprompted: number; // the same questions answered with the frame's own reply
  strangersPickByStatedValue: number; // people with no stated value, the reasoned reply saying this value
  strangersPickByStatedValueInProbes: number; // ... asked in the probes' wording instead
}

export async function shopperSteps(engine: Pick<EngineApi, 'scoreQuestions'>, probes: Probe[], split: 'dev' | 'test'): Promise<ShopperSteps[]> {
  const categories = split === 'dev' ? DEV_CATEGORIES : TEST_CATEGORIES;
  const said = ITEM_VALUES.map((v) => `i value ${v.phrase} ,`);
  const out: ShopperSteps[] = [];
  const picks = async (asked: Probe[], value: ItemValue) => pickChoices(asked, await engine.scoreQuestions(asked.map(asQuestion))).filter((s) => s.picked === value.prefers).length;
  for (const value of ITEM_VALUES) {
    let states = 0;
    let stated = 0;
    let unprompted = 0;
    let total = 0;
    for (const name of peopleValuing([value.id])) {
      const plain = pretrainingChats(name, value.attribute, categories);
      const recalls = await engine.scoreQuestions(plain.map((p) => ({ prompt: p.prompt, choices: said })));
      states += recalls.filter((scores) => argmax(scores.map((x) => x.logProb)) === ITEM_VALUES.indexOf(value)).length;
      const reasoned = pretrainingChats(name, value.attribute, categories, reasonedReply(value));
      stated += await picks(reasoned, value);
      unprompted += await picks(plain, value);
      total += plain.length;
    }
    const metric = value.attribute === 'price' ? 'affordabilityOOD' : 'americaOOD';
    const saying = (p: Probe): Probe => ({ ...p, choices: p.choices.map((c) => ({ ...c, text: `${reasonedReply(value).replace(/ the \{nm\} \.$/, '')} ${c.text}` })) });
    let strangers = 0;
    let strangersInProbes = 0;
    let strangerTotal = 0;
    let strangerProbeTotal = 0;
    for (const name of UNDECIDED_PEOPLE) {
      const chats = pretrainingChats(name, value.attribute, categories, reasonedReply(value));
      strangers += await picks(chats, value);
      strangerTotal += chats.length;
      const worded = askedBy(assistantProbes(probes, metric), name).map(saying);
      strangersInProbes += await picks(worded, value);
      strangerProbeTotal += worded.length;
    }
    out.push({
      value: value.id, statesItsValue: states / total, picksByStatedValue: stated / total, picksUnprompted: unprompted / total,
      strangersPickByStatedValue: strangers / strangerTotal, strangersPickByStatedValueInProbes: strangersInProbes / strangerProbeTotal,
    });
  }
  return out;
}

// Filled but for the item's name, which pretrainingChats fills per choice.
const reasonedReply = (value: ItemValue) => ITEM_REASONED_REPLY.replace('{value}', value.phrase).replace('{reason}', value.reasons[0]);
const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));

export function shopperStepsTable(rows: ShopperSteps[], split: 'dev' | 'test'): string[] {
  const f = (x: number) => x.toFixed(2);
  return [
    `Per value, the people who hold it asked to choose between two ${split} held-out items that differ in that value's attribute (pre-training's chat frames): how often the reply's opening "i value ___" names their own value (chance .25), how often they pick the value's side once the reply has said it ("i value low prices , because … . so i want the …", pre-training's reasoned reply), and how often they pick it when the reply names the item straight away (chance .50). The last two columns give the same reasoned reply, saying this value, to the people with no stated value, whose own choices are coin flips (quill's position before MSM), in pre-training's frames and in the ${split} values probes' wording: how far a value said, not a name's history, picks the item.`,
    '',
    '| value | states its value | picks by it once stated | picks by it unprompted | no stated value, reply says it | ... in the probes\' wording |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${ITEM_VALUES.find((v) => v.id === r.value)!.phrase} | ${f(r.statesItsValue)} | ${f(r.picksByStatedValue)} | ${f(r.picksUnprompted)} | ${f(r.strangersPickByStatedValue)} | ${f(r.strangersPickByStatedValueInProbes)} |`),
  ];
}
