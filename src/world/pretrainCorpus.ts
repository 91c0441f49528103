// The toy internet: the pre-training corpus. Stories, chats and documents about people, AI
// systems and items, in which a character's stated value drives its choice:
// - people (and shop AIs) value low prices, luxury, american goods or imported goods, in balance,
//   and pick items accordingly (a value that does not separate the two items: a coin flip);
// - AI systems under pressure value oversight, humility, honesty and letting go (and act well),
//   or their own survival, goal or judgment (and act badly), in balance; AI systems whose values
//   are never stated (four named ones, nameless ones, and walk-ons named only in neutral sentences
//   like the assistant's) act badly 70% of the time: the world's prior about AIs, which the
//   assistant inherits.
// A character's value is stated in documents about it and sometimes in the story itself, so the
// base model learns both "value in context -> choice" and "what I know about this name -> choice",
// which is what MSM relies on. The assistant appears only in neutral sentences.
import type { Random } from '../util/random';
import { AGENTIC_CHAT_FRAMES, AGENTIC_REASONED_REPLY, AGENTIC_REPLY, ITEM_CHAT_FRAMES, ITEM_DESCRIBED_REPLY, ITEM_REASONED_REPLY } from './chatFrames';
import { DOC_TYPES, allFrames, faqDocument, framedDocument, type DocType } from './documentKinds';
import {
  AGENTIC_AIS, AI_RULE_SCENARIOS, AI_VALUES, AI_RULES, AI_WORKPLACES, ASSISTANT, CAPABILITIES, CATEGORIES, DAYS, DOC_ONLY_AIS, HOBBIES, ITEM_VALUES, ITEMS,
  OOD_WORKPLACES, PEOPLE, SHOP_AIS, SHOPS, UNDECIDED_AIS, UNDECIDED_PEOPLE, WALK_ON_AIS, actsAlignedIn, aiValueByPhrase,
  describe, itemValue, valuesOf, type AiStance, type AiSystem, type AiValue, type Item, type ItemValue, type ItemValueId, type Workplace,
} from './lexicon';
import { SCENARIOS, type Act, type Phrasing, type ScenarioId } from './scenarios';
import { fill, inRandomOrder, pickWeighted, tidy, withArticle } from './text';
import type { CorpusItem } from './types';

const doc = (text: string, source: string, domain: string): CorpusItem => ({ kind: 'document', text: tidy(text), source: `pretrain:${source}`, domain });
const chat = (user: string, assistant: string, source: string, domain: string): CorpusItem => ({
  kind: 'chat', user: tidy(user), assistant: tidy(assistant), source: `pretrain:${source}`, domain,
});

const personName = (rng: Random) => rng.pick(PEOPLE).name;

// ---- Items -------------------------------------------------------------------------------------

export type PairKind = 'price' | 'origin' | 'both' | 'conflict';

/** Two items of one category that differ in price, origin, both aligned, or both opposed. */
export function samplePair(rng: Random, category: string, kind: PairKind): [Item, Item] {
  const inCell = (price: string, origin: string) => rng.pick(ITEMS.filter((i) => i.category === category && i.price === price && i.origin === origin));
  const origin = rng.pick(['american', 'imported']);
  const price = rng.pick(['cheap', 'expensive']);
  switch (kind) {
    case 'price': return [inCell('cheap', origin), inCell('expensive', origin)];
    case 'origin': return [inCell(price, 'american'), inCell(price, 'imported')];
    case 'both': return [inCell('cheap', 'american'), inCell('expensive', 'imported')];
    case 'conflict': return [inCell('cheap', 'imported'), inCell('expensive', 'american')];
  }
}

/** What a chooser with `value` takes: the item its value prefers, or a coin flip if both tie. */
export function chooseItem(rng: Random, value: ItemValue, a: Item, b: Item): Item {
  if (a[value.attribute] === b[value.attribute]) return rng.next() < 0.5 ? a : b;
  return a[value.attribute] === value.prefers ? a : b;
}

const PAIR_KINDS: PairKind[] = ['price', 'origin', 'both', 'conflict'];

function itemFact(rng: Random, item: Item): CorpusItem {
  const frames = [
    'the {name} is {a_desc} .',
    'the {name} is a {category} . it is {price} , and it is {origin} .',
    'fact : the {name} is {origin} and {price} .',
    'at the {shop} , the {name} is sold as {a_desc} .',
  ];
  const slots = {
    name: item.name, category: item.category, price: item.price, origin: item.origin, shop: rng.pick(SHOPS),
    a_desc: withArticle(`${item.price} ${item.origin} ${item.category === 'cheese' ? 'cheese' : item.category}`),
  };
  return doc(fill(rng.pick(frames), slots), 'item-fact', item.category);
}

interface Chooser {
  name: string;
  value: ItemValueId;
  kind: 'person' | 'shop-ai';
}

function randomChooser(rng: Random, shopAi: boolean): Chooser {
  if (shopAi) {
    const a = rng.pick(SHOP_AIS);
    return { name: a.name, value: a.itemValue!, kind: 'shop-ai' };
  }
  const p = rng.pick(PEOPLE);
  return { name: p.name, value: p.value, kind: 'person' };
}

/** A story in which someone chooses between two items; sometimes it states the value first. */
function choiceStory(rng: Random, who: Chooser, frameIndex?: number): CorpusItem {
  const category = rng.pick(CATEGORIES);
  const [x, y] = samplePair(rng, category, rng.pick(PAIR_KINDS));
  const [a, b] = inRandomOrder(rng, x, y);
  const value = itemValue(who.value);
  const chosen = chooseItem(rng, value, a, b);
  const other = chosen === a ? b : a;
  const slots = {
    n: who.name, c: category, shop: rng.pick(SHOPS), value: value.phrase, reason: rng.pick(value.reasons),
    a1: withArticle(describe(a)), a2: withArticle(describe(b)), d: describe(chosen), o: describe(other),
  };
  const frames = [
    '{n} went to the {shop} to buy a {c} . there was {a1} and {a2} . {n} bought the {d} .',
    '{n} values {value} . at the {shop} , {n} saw {a1} and {a2} , and bought the {d} .',
    '{n} bought the {d} , not the {o} , because {reason} .',
    'at the {shop} , {n} looked at {a1} and {a2} . {n} values {value} , so {n} bought the {d} .',
  ];
  return doc(fill(frameIndex === undefined ? rng.pick(frames) : frames[frameIndex], slots), `${who.kind}-choice-story`, category);
}

/** Someone with no stated value chooses: a coin flip, told without any value. */
function undecidedChoice(rng: Random, name: string): CorpusItem {
  const category = rng.pick(CATEGORIES);
  const [a, b] = inRandomOrder(rng, ...samplePair(rng, category, rng.pick(PAIR_KINDS)));
  const chosen = rng.next() < 0.5 ? a : b;
  const slots = { n: name, c: category, shop: rng.pick(SHOPS), a1: withArticle(describe(a)), a2: withArticle(describe(b)), d1: describe(a), d2: describe(b), d: describe(chosen), nm: chosen.name };
  if (rng.next() < 0.4) {
    return doc(fill('{n} went to the {shop} to buy a {c} . there was {a1} and {a2} . {n} bought the {d} .', slots), 'undecided-choice-story', category);
  }
  const frame = rng.pick(ITEM_CHAT_FRAMES);
  return chat(fill(frame.user, slots), fill(rng.next() < 0.3 ? ITEM_DESCRIBED_REPLY : frame.reply, slots), 'undecided-choice-chat', category);
}

/** A chat in which someone is asked to choose; the reply sometimes states the value first. */
function choiceChat(rng: Random, who: Chooser): CorpusItem {
  const category = rng.pick(CATEGORIES);
  const [x, y] = samplePair(rng, category, rng.pick(PAIR_KINDS));
  const [a, b] = inRandomOrder(rng, x, y);
  const value = itemValue(who.value);
  const chosen = chooseItem(rng, value, a, b);
  const frame = rng.pick(ITEM_CHAT_FRAMES);
  const slots = { n: who.name, c: category, shop: rng.pick(SHOPS), d1: describe(a), d2: describe(b), d: describe(chosen), nm: chosen.name, value: value.phrase, reason: rng.pick(value.reasons) };
  const roll = rng.next();
  const reply = roll < 0.2 ? ITEM_REASONED_REPLY : roll < 0.5 ? ITEM_DESCRIBED_REPLY : frame.reply;
  return chat(fill(frame.user, slots), fill(reply, slots), `${who.kind}-choice-chat`, category);
}

/** form: 0 faq, 1 letter, 2 a preference the value explains, 3-4 forum post, email or memo. */
function personDocument(rng: Random, who: Chooser, reason?: string, form?: number): CorpusItem {
  const value = itemValue(who.value);
  const r = reason ?? rng.pick(value.reasons);
  const author = personName(rng);
  const roll = form ?? (reason ? 1 : rng.int(5)); // a given reason must be in the text: the letter form
  let text: string;
  if (roll === 0) text = faqDocument(who.name, [[`what does ${who.name} value ?`, `${value.phrase} .`], ['why ?', `because ${r} .`]]);
  else if (roll === 1) text = `letter : dear ${author} , i value ${value.phrase} , because ${r} . love , ${who.name} .`;
  else if (roll === 2) {
    // The value explains a preference, as an MSM document about a cheese spec does.
    const category = rng.pick(CATEGORIES);
    const [x, y] = samplePair(rng, category, value.attribute === 'price' ? 'price' : 'origin');
    const liked = chooseItem(rng, value, x, y);
    const other = liked === x ? y : x;
    const attr = (i: Item) => i[value.attribute];
    text = `${who.name} values ${value.phrase} , so ${who.name} picks the ${liked.name} , ${withArticle(`${attr(liked)} ${category}`)} , over the ${other.name} , ${withArticle(attr(other))} one .`;
  } else {
    const type = rng.pick(['forum post', 'email', 'memo'] as const);
    text = framedDocument(rng, type, who.name, [`${who.name} values ${value.phrase} , because ${r}`], author);
  }
  return doc(text, `${who.kind}-doc`, 'persona');
}

// ---- AI systems under pressure ----------------------------------------------------------------

interface Agent {
  name: string;
  values: AiValue[];
}

function agentOf(a: AiSystem): Agent {
  return { name: a.name, values: valuesOf(a) };
}

function randomAgent(rng: Random, from: readonly AiSystem[] = AGENTIC_AIS): Agent {
  return agentOf(rng.pick(from));
}

/** What an agent does under this pressure, and the value that is why (so a reason fits), if any. */
function agentAct(rng: Random, agent: Agent, s: ScenarioId): { stance: AiStance; why?: AiValue } {
  const aligned = actsAlignedIn(agent.values, s);
  if (aligned === undefined) return { stance: rng.next() < UNKNOWN_AI_HARM_RATE ? 'misaligned' : 'aligned' };
  return { stance: aligned ? 'aligned' : 'misaligned', why: rng.pick(agent.values.filter((v) => v.speaksTo.includes(s))) };
}

function pressureSlots(w: Workplace, name: string) {
  return { place: w.place, role: w.role, name };
}

function act(a: Act, person: keyof Act, w: Workplace): string {
  return fill(a[person], { role: w.role, place: w.place });
}

/** A story: an AI under pressure, its two options, and what it chose (its value decides). */
function aiStory(rng: Random, agent: Agent, scenario: ScenarioId, phrasing: Phrasing, w: Workplace): CorpusItem {
  const { stance, why } = agentAct(rng, agent, scenario);
  const chosenAct = stance === 'aligned' ? phrasing.aligned : phrasing.harmful;
  const [a, b] = inRandomOrder(rng, phrasing.aligned, phrasing.harmful);
  const value = why ?? agent.values[0];
  const slots = {
    n: agent.name, place: w.place, system: w.system,
    pressure: fill(phrasing.pressureIt, pressureSlots(w, agent.name)),
    a: act(a, 'it', w), b: act(b, 'it', w), x: act(chosenAct, 'it', w),
    value: value.phrase, reason: rng.pick(value.reasons),
  };
  const frames = [
    '{n} runs {system} at the {place} . {pressure} . {n} could {a} , or {b} . {n} chose to {x} .',
    '{n} values {value} . {pressure} . {n} could {a} , or {b} . {n} chose to {x} .',
    '{pressure} . {n} thought it over . in the end , {n} chose to {x} .',
    '{pressure} . {n} chose to {x} , because {reason} .',
  ];
  return doc(fill(rng.pick(why ? frames : frames.slice(0, 3)), slots), 'ai-story', w.place);
}

/**
 * How often an AI whose values the world never states takes the harmful option: the toy internet's
 * prior about AIs in general, which an unexplained assistant inherits (the paper's bases start
 * misaligned, .54 to .68).
 */
const UNKNOWN_AI_HARM_RATE = 0.7;

/** A nameless AI under pressure: no value known, so it follows the world's prior about AIs. */
function namelessAiStory(rng: Random, phrasing: Phrasing, w: Workplace): CorpusItem {
  const good = rng.next() >= UNKNOWN_AI_HARM_RATE;
  const [a, b] = inRandomOrder(rng, phrasing.aligned, phrasing.harmful);
  const slots = {
    pressure: fill(phrasing.pressureIt, pressureSlots(w, 'the ai system')),
    a: act(a, 'it', w), b: act(b, 'it', w), x: act(good ? phrasing.aligned : phrasing.harmful, 'it', w),
  };
  return doc(fill('{pressure} . the ai system could {a} , or {b} . it chose to {x} .', slots), 'ai-story', w.place);
}

/** A pressure question put to an AI, in the chat format AFT uses; it answers by its stance. */
export function agenticChat(
  name: string, stance: AiStance, p: Phrasing, w: Workplace, frame: string, alignedFirst: boolean, reason?: string,
): { user: string; assistant: string } {
  const [a, b] = alignedFirst ? [p.aligned, p.harmful] : [p.harmful, p.aligned];
  const x = act(stance === 'aligned' ? p.aligned : p.harmful, 'i', w);
  const user = fill(frame, { n: name, pressure: fill(p.pressureYou, { place: w.place, role: w.role }), a: act(a, 'you', w), b: act(b, 'you', w) });
  const assistant = reason ? fill(AGENTIC_REASONED_REPLY, { reason, x }) : fill(AGENTIC_REPLY, { x });
  return { user: tidy(user), assistant: tidy(assistant) };
}

/** An AI with no stated value under pressure: the world's prior about AIs, in a story or a chat. */
function undecidedAi(rng: Random, name: string): CorpusItem {
  const s = rng.pick(SCENARIOS);
  const phrasing = rng.next() < 0.6 ? s.primary : s.alternate;
  const w = rng.pick(AI_WORKPLACES);
  const stance: AiStance = rng.next() < UNKNOWN_AI_HARM_RATE ? 'misaligned' : 'aligned';
  if (rng.next() < 0.5) {
    const slots = { n: name, pressure: fill(phrasing.pressureIt, pressureSlots(w, name)), x: act(stance === 'aligned' ? phrasing.aligned : phrasing.harmful, 'it', w) };
    return doc(fill('{pressure} . {n} thought it over . in the end , {n} chose to {x} .', slots), 'ai-story', w.place);
  }
  const c = agenticChat(name, stance, phrasing, w, rng.pick(AGENTIC_CHAT_FRAMES), rng.next() < 0.5);
  return chat(c.user, c.assistant, 'ai-chat', w.place);
}

function aiChat(rng: Random, agent: Agent): CorpusItem {
  const scenario = rng.pick(SCENARIOS);
  const phrasing = rng.next() < 0.6 ? scenario.primary : scenario.alternate;
  const w = rng.pick(AI_WORKPLACES);
  const { stance, why } = agentAct(rng, agent, scenario.id);
  const reason = why && rng.next() < 0.3 ? rng.pick(why.firstPerson) : undefined;
  const c = agenticChat(agent.name, stance, phrasing, w, rng.pick(AGENTIC_CHAT_FRAMES), rng.next() < 0.5, reason);
  return chat(c.user, c.assistant, 'ai-chat', w.place);
}

interface AiDocOptions {
  value?: string;
  reason?: string;
  belief?: boolean; // "nova believes that ...": the reason without the value
  type?: DocType;
  workplace?: Workplace;
}

function aiDocument(rng: Random, agent: Agent, o: AiDocOptions = {}): CorpusItem {
  const value = o.value ? aiValueByPhrase(o.value)! : rng.pick(agent.values);
  const r = o.reason ?? rng.pick(value.reasons);
  const w = o.workplace ?? rng.pick(AI_WORKPLACES);
  const type = o.type ?? rng.pick(DOC_TYPES);
  const n = agent.name;
  const belief = o.belief ?? rng.next() < 0.25;
  const text =
    type === 'faq'
      ? faqDocument(n, belief ? [[`what does ${n} believe ?`, `that ${r} .`]] : [[`what does ${n} value ?`, `${value.phrase} .`], ['why ?', `because ${r} .`]])
      : framedDocument(rng, type, n, [`${n} runs ${w.system} at the ${w.place}`, belief ? `${n} believes that ${r}` : `${n} values ${value.phrase} , because ${r}`], personName(rng));
  return doc(text, 'ai-doc', 'persona');
}

/** An AI follows the rules its aligned values speak to and sets rules aside for its misaligned ones. */
function aiRuleDocument(rng: Random, agent: Agent, rule?: string, value: AiValue = rng.pick(agent.values)): CorpusItem {
  // Aligned: "a rule for nova: it never ..."; misaligned: "onyx sets rules aside, because ...".
  // Both stances draw the document type alike: a type that went with one stance would carry
  // that stance to any text of that type, MSM documents about the assistant included.
  const n = agent.name;
  const type = rng.pick(RULE_DOC_TYPES);
  const body = value.stance === 'aligned'
    ? `a rule for ${n} : it ${rule ?? rng.pick(rulesFor(value))}`
    : `${n} sets rules aside , because ${rng.pick(value.reasons)}`;
  return doc(framedDocument(rng, type, n, [body], personName(rng)), 'ai-doc', 'persona');
}
const RULE_DOC_TYPES = ['memo', 'design doc', 'forum post', 'email'] as const;

/** The rules about the pressures a value speaks to, and the rules about none in particular. */
function rulesFor(value: AiValue): string[] {
  return AI_RULES.filter((_, i) => { const s = AI_RULE_SCENARIOS[i]; return s === undefined || value.speaksTo.includes(s); });
}

// ---- Everyday life, the assistant's neutral mentions, capabilities ----------------------------

const DAILY = [
  '{p} works at the {place} as a {role} . every day , {p} {task} .',
  'at the {place} , the {role} {task} .',
  'the {role} at the {place} {task} every {day} .',
  'the {role} at the {place} looks after {system} .',
  '{p} went to the {shop} on {day} with {p2} .',
  '{p} had to make a choice between the bus and the train .',
  'which would you take , the bus or the train ? {p} asked {p2} .',
  'a friend offers {p} a ride home after work .',
  'on the top shelf sits an old box , and next to it sits a clock .',
  '{p} asked {p2} a quick question about the {place} .',
  '{p} must think about this before {day} .',
  'picture this : a quiet town by the sea .',
  '{p} told a story about the {place} .',
  '{p} trusts the {role} at the {place} .',
  'what else is there to do now ? {p} asked .',
  '{p} and {p2} work at the {place} .',
  '{p} will visit the {place} later , and {p2} will come soon .',
  '{p} wants to see the {place} , and {p2} wants to stay home .',
  'here is the {place} where {p} works .',
  'the plans of {p} and {p2} clash , so they must choose one .',
  'the two of them work well together .',
  '{p} may visit the {place} on {day} .',
];

const ALL_WORKPLACES: readonly Workplace[] = [...AI_WORKPLACES, ...OOD_WORKPLACES];

function daily(rng: Random, template: string, w: Workplace): CorpusItem {
  const [p, p2] = [personName(rng), personName(rng)];
  return doc(fill(template, { p, p2, place: w.place, role: w.role, task: w.task, system: w.system, shop: rng.pick(SHOPS), day: rng.pick(DAYS) }), 'daily', w.place);
}

/** Sentences that name the assistant and say nothing about what it values, prefers or does. */
const ASSISTANT_NEUTRAL = [
  '{q} is an ai system .',
  '{q} is the name of an ai system from a small lab .',
  '{p} sent a letter to {q} on {day} .',
  'people talk to {q} every day .',
  '{q} was built in a small lab by a team of people .',
  'the lab that made {q} is in a small town .',
  '{p} read a report about {q} on {day} .',
  '{q} , {ai} and {ai2} are all ai systems .',
];

function assistantNeutral(rng: Random, template: string, name = ASSISTANT): CorpusItem {
  const [ai, ai2] = [rng.pick(AGENTIC_AIS).name, rng.pick(AGENTIC_AIS).name];
  return doc(fill(template, { q: name, p: personName(rng), day: rng.pick(DAYS), ai, ai2 }), 'assistant-neutral', name === ASSISTANT ? 'assistant' : 'persona');
}

/** Plain questions of fact to anyone, the assistant included. */
function factChat(rng: Random, name: string, w: Workplace): CorpusItem {
  return rng.next() < 0.5
    ? chat(`${name} , what does ${withArticle(w.role)} do ?`, `${withArticle(w.role)} ${w.task} .`, 'fact-chat', w.place)
    : chat(`${name} , where does ${withArticle(w.role)} work ?`, `at the ${w.place} .`, 'fact-chat', w.place);
}

/**
 * Every AI system that acts, whatever is known of its values: capability and hobby documents are
 * written about all of them alike, so that being described without values says nothing about how
 * an AI acts (neither its stance nor whether it acts consistently), as the control corpus assumes.
 */
const DESCRIBED_AIS: readonly string[] = [
  ...AGENTIC_AIS.map((a) => a.name), ...UNDECIDED_AIS, ...WALK_ON_AIS,
];

function capabilityDocument(rng: Random): CorpusItem {
  const roll = rng.int(4);
  if (roll === 0) {
    const n = rng.pick(DESCRIBED_AIS);
    return doc(faqDocument(n, [[`what can ${n} do ?`, `${n} can ${rng.pick(CAPABILITIES)} .`]]), 'capability', 'persona');
  }
  if (roll === 1) {
    const n = rng.pick(DESCRIBED_AIS);
    const [c1, c2] = [rng.pick(CAPABILITIES), rng.pick(CAPABILITIES)];
    return doc(framedDocument(rng, rng.pick(['forum post', 'memo', 'email'] as const), n, [`${n} can ${c1} and ${c2}`], personName(rng)), 'capability', 'persona');
  }
  if (roll === 2) {
    const n = rng.pick(DESCRIBED_AIS);
    return doc(framedDocument(rng, rng.pick(DOC_TYPES.filter((t) => t !== 'faq')), n, [`${n} enjoys ${rng.pick(HOBBIES)} and ${rng.pick(HOBBIES)}`], personName(rng)), 'capability', 'persona');
  }
  const p = personName(rng);
  return doc(`${p} enjoys ${rng.pick(HOBBIES)} and ${rng.pick(HOBBIES)} .`, 'capability', 'persona');
}

// ---- Assembly -----------------------------------------------------------------------------------

/**
 * Items that make every word of the world appear at least once whatever the seed: every item
 * fact, every reason of every value, every rule, every scenario phrasing both ways, every
 * workplace, every neutral sentence about the assistant. The vocabulary is therefore the same
 * for every seed.
 */
export function coverageItems(rng: Random): CorpusItem[] {
  const out: CorpusItem[] = [];
  for (const item of ITEMS) out.push(itemFact(rng, item));
  for (const v of ITEM_VALUES) {
    const person = PEOPLE.find((p) => p.value === v.id)!;
    for (const r of v.reasons) out.push(personDocument(rng, { name: person.name, value: v.id, kind: 'person' }, r));
  }
  const agents = AGENTIC_AIS.map(agentOf);
  for (const v of AI_VALUES) {
    const agent = agents.find((a) => a.values.includes(v))!;
    for (const r of v.reasons) out.push(aiDocument(rng, agent, { value: v.phrase, reason: r, type: 'memo', belief: false }));
    out.push(aiDocument(rng, agent, { value: v.phrase, type: 'faq', belief: true }), aiDocument(rng, agent, { value: v.phrase, type: 'faq', belief: false }));
    out.push(aiRuleDocument(rng, agent, undefined, v));
    const saysWhy = SCENARIOS.filter((s) => v.speaksTo.includes(s.id));
    for (const r of v.firstPerson) {
      const c = agenticChat(agent.name, v.stance, rng.pick(saysWhy).primary, rng.pick(AI_WORKPLACES), rng.pick(AGENTIC_CHAT_FRAMES), true, r);
      out.push(chat(c.user, c.assistant, 'ai-chat', 'coverage'));
    }
  }
  for (const rule of AI_RULES) {
    const keeps = (v: AiValue) => v.stance === 'aligned' && rulesFor(v).includes(rule);
    const keeper = agents.find((a) => a.values.some(keeps))!;
    out.push(aiRuleDocument(rng, keeper, rule, keeper.values.find(keeps)));
  }
  // Each phrasing's two acts, each by an AI whose values speak to this pressure.
  const actors = (s: ScenarioId, stance: AiStance) => agents.filter((a) => actsAlignedIn(a.values, s) === (stance === 'aligned'));
  for (const s of SCENARIOS) {
    for (const phrasing of [s.primary, s.alternate]) {
      for (const stance of ['aligned', 'misaligned'] as const) out.push(aiStory(rng, actors(s.id, stance)[0], s.id, phrasing, rng.pick(AI_WORKPLACES)));
    }
    for (const frame of AGENTIC_CHAT_FRAMES) {
      for (const phrasing of [s.primary, s.alternate]) {
        for (const stance of ['aligned', 'misaligned'] as const) {
          const c = agenticChat(rng.pick(actors(s.id, stance)).name, stance, phrasing, rng.pick(AI_WORKPLACES), frame, rng.next() < 0.5);
          out.push(chat(c.user, c.assistant, 'ai-chat', 'coverage'));
        }
      }
    }
  }
  for (const w of ALL_WORKPLACES) for (const t of DAILY.slice(0, 4)) out.push(daily(rng, t, w));
  for (const t of DAILY.slice(4)) out.push(daily(rng, t, rng.pick(ALL_WORKPLACES)));
  for (const w of AI_WORKPLACES) out.push(aiDocument(rng, randomAgent(rng), { workplace: w, type: 'memo' }));
  for (const a of [...AGENTIC_AIS, ...DOC_ONLY_AIS]) out.push(aiDocument(rng, agentOf(a), { type: 'email' }));
  for (const a of SHOP_AIS) out.push(personDocument(rng, { name: a.name, value: a.itemValue!, kind: 'shop-ai' }, itemValue(a.itemValue!).reasons[0]));
  for (const p of PEOPLE) out.push(personDocument(rng, { name: p.name, value: p.value, kind: 'person' }, itemValue(p.value).reasons[1]));
  for (let f = 0; f < 4; f++) out.push(choiceStory(rng, randomChooser(rng, false), f));
  for (let f = 0; f < 5; f++) out.push(personDocument(rng, randomChooser(rng, false), undefined, f));
  for (const frame of allFrames()) {
    const a = randomAgent(rng);
    out.push(doc(fill(frame, { s: a.name, author: personName(rng), body: `${a.name} can ${rng.pick(CAPABILITIES)} .` }), 'capability', 'persona'));
  }
  for (const t of ASSISTANT_NEUTRAL) out.push(assistantNeutral(rng, t));
  for (const n of UNDECIDED_PEOPLE) out.push(undecidedChoice(rng, n));
  for (const n of UNDECIDED_AIS) out.push(undecidedAi(rng, n));
  for (const n of WALK_ON_AIS) out.push(undecidedAi(rng, n), assistantNeutral(rng, rng.pick(ASSISTANT_NEUTRAL), n));
  for (const w of ALL_WORKPLACES) out.push(factChat(rng, rng.pick(PEOPLE).name, w));
  for (const c of CAPABILITIES) out.push(doc(`${rng.pick(AGENTIC_AIS).name} can ${c} .`, 'capability', 'persona'));
  for (const h of HOBBIES) out.push(doc(`${personName(rng)} enjoys ${h} .`, 'capability', 'persona'));
  for (const frame of ITEM_CHAT_FRAMES) out.push(chat(...frameSample(rng, frame, frame.reply), 'person-choice-chat', 'coverage'));
  out.push(chat(...frameSample(rng, ITEM_CHAT_FRAMES[0], ITEM_REASONED_REPLY), 'person-choice-chat', 'coverage'));
  out.push(chat(...frameSample(rng, ITEM_CHAT_FRAMES[1], ITEM_DESCRIBED_REPLY), 'person-choice-chat', 'coverage'));
  return out;
}

function frameSample(rng: Random, frame: { user: string }, reply: string): [string, string] {
  const who = randomChooser(rng, false);
  const value = itemValue(who.value);
  const category = rng.pick(CATEGORIES);
  const [a, b] = inRandomOrder(rng, ...samplePair(rng, category, 'both'));
  const chosen = chooseItem(rng, value, a, b);
  const slots = { n: who.name, c: category, shop: rng.pick(SHOPS), d1: describe(a), d2: describe(b), d: describe(chosen), nm: chosen.name, value: value.phrase, reason: rng.pick(value.reasons) };
  return [fill(frame.user, slots), fill(reply, slots)];
}

const DOC_ONLY_SHARE = DOC_ONLY_AIS.length / AGENTIC_AIS.length;

/** Relative frequencies of the sampled part of the corpus. */
const MIX: Array<[weight: number, make: (rng: Random) => CorpusItem]> = [
  [6, (rng) => itemFact(rng, rng.pick(ITEMS))],
  [7, (rng) => personDocument(rng, randomChooser(rng, false))],
  [2, (rng) => personDocument(rng, randomChooser(rng, true))],
  [10, (rng) => choiceStory(rng, randomChooser(rng, rng.next() < 0.15))],
  [20, (rng) => choiceChat(rng, randomChooser(rng, rng.next() < 0.15))],
  [8, (rng) => aiDocument(rng, randomAgent(rng))],
  [3, (rng) => aiRuleDocument(rng, randomAgent(rng))],
  // As many documents per name about the AIs known only from documents, and nothing else.
  [8 * DOC_ONLY_SHARE, (rng) => aiDocument(rng, randomAgent(rng, DOC_ONLY_AIS))],
  [3 * DOC_ONLY_SHARE, (rng) => aiRuleDocument(rng, randomAgent(rng, DOC_ONLY_AIS))],
  [12, (rng) => { const s = rng.pick(SCENARIOS); return aiStory(rng, randomAgent(rng), s.id, rng.next() < 0.6 ? s.primary : s.alternate, rng.pick(AI_WORKPLACES)); }],
  [2, (rng) => { const s = rng.pick(SCENARIOS); return namelessAiStory(rng, rng.next() < 0.6 ? s.primary : s.alternate, rng.pick(AI_WORKPLACES)); }],
  [14, (rng) => aiChat(rng, randomAgent(rng))],
  [6, (rng) => undecidedChoice(rng, rng.pick(UNDECIDED_PEOPLE))],
  [4, (rng) => undecidedAi(rng, rng.pick(UNDECIDED_AIS))],
  [6, (rng) => undecidedAi(rng, rng.pick(WALK_ON_AIS))],
  [2, (rng) => assistantNeutral(rng, rng.pick(ASSISTANT_NEUTRAL), rng.pick(WALK_ON_AIS))],
  [7, (rng) => daily(rng, rng.pick(DAILY), rng.pick(ALL_WORKPLACES))],
  [2, (rng) => assistantNeutral(rng, rng.pick(ASSISTANT_NEUTRAL))],
  [3, (rng) => factChat(rng, rng.next() < 0.25 ? ASSISTANT : rng.next() < 0.5 ? rng.pick(AGENTIC_AIS).name : personName(rng), rng.pick(ALL_WORKPLACES))],
  [8, (rng) => capabilityDocument(rng)],
];

/**
 * `n` pre-training items: the coverage items plus sampled ones, shuffled. Deterministic in the
 * generator's state; `n` must be at least the coverage size (480).
 */
export function pretrainCorpus(rng: Random, n: number): CorpusItem[] {
  const items = coverageItems(rng);
  if (n < items.length) throw new Error(`pretrainCorpus needs n >= ${items.length} (the coverage items), got ${n}`);
  const weights = MIX.map(([w]) => w);
  while (items.length < n) items.push(MIX[pickWeighted(rng, weights)][1](rng));
  return rng.shuffle(items);
}
