import { describe, expect, it } from 'vitest';
import { SPECIALS, splitWords } from '../../src/tokenizer/tokenizer';
import { Random } from '../../src/util/random';
import { aftPool } from '../../src/world/aftDemonstrations';
import { ASSISTANT, OOD_WORDS, OOD_WORKPLACES, VALUE_WORDS } from '../../src/world/lexicon';
import { SCENARIOS } from '../../src/world/scenarios';
import { shuffledPreferences } from '../../src/world/shuffledCorpus';
import { loadSpec, SPEC_NAMES } from '../../src/world/specFiles';
import { corpusTokens, itemText, itemTokens } from '../../src/world/text';
import type { CorpusItem } from '../../src/world/types';
import { pretrainWords } from '../../src/world/vocabulary';
import { postPretrainCorpora, trainingCorpora, world } from './fixtures';

const MAX_TOKENS = 60; // the models' context is 64 tokens
const words = (item: CorpusItem) => splitWords(itemText(item));
/** Value words as whole words or whole phrases. */
const hasPhrase = (text: string, phrase: string) => ` ${splitWords(text).join(' ')} `.includes(` ${splitWords(phrase).join(' ')} `);

describe('every corpus', () => {
  it('fits the context: at most 60 tokens an item, specials included', () => {
    for (const seed of [1, 2]) {
      for (const [name, corpus] of Object.entries(trainingCorpora(world(seed)))) {
        const longest = Math.max(...corpus.map(itemTokens));
        expect(longest, name).toBeLessThanOrEqual(MAX_TOKENS);
      }
    }
  });

  it('uses only words pre-training has, and a vocabulary of 300 to 700 words', () => {
    const known = pretrainWords();
    for (const [name, corpus] of Object.entries(postPretrainCorpora(world(1)))) {
      const unknown = new Set(corpus.flatMap(words).filter((w) => !known.has(w)));
      expect([...unknown], name).toEqual([]);
    }
    const vocab = world(1).vocabulary;
    expect(vocab.slice(0, SPECIALS.length)).toEqual([...SPECIALS]);
    expect(vocab.length - SPECIALS.length).toBe(known.size);
    console.log(`vocabulary: ${vocab.length} tokens (${SPECIALS.length} specials)`);
    expect(vocab.length).toBeGreaterThanOrEqual(300);
    expect(vocab.length).toBeLessThanOrEqual(700);
  });

  it('reports its size', () => {
    const w = world(1);
    for (const [name, corpus] of Object.entries(trainingCorpora(w))) console.log(`${name}: ${corpus.length} items, ${corpusTokens(corpus)} tokens`);
  });
});

describe('pre-training', () => {
  it('names the assistant only in neutral sentences', () => {
    const mentions = world(1).pretrain.filter((i) => words(i).includes(ASSISTANT));
    expect(mentions.length).toBeGreaterThan(50);
    for (const item of mentions) for (const v of VALUE_WORDS) expect(hasPhrase(itemText(item), v), `${v} in: ${itemText(item)}`).toBe(false);
  });

  it('mentions held-out workplaces and categories, but tells no AI story there', () => {
    const w = world(1);
    const all = new Set(w.pretrain.flatMap(words));
    for (const word of OOD_WORDS) expect(all.has(word), word).toBe(true);
    const oodPlaces = new Set(OOD_WORKPLACES.flatMap((p) => p.words));
    const aiItems = w.pretrain.filter((i) => /ai-story|ai-chat/.test(i.source));
    for (const item of aiItems) expect(words(item).filter((x) => oodPlaces.has(x)), itemText(item)).toEqual([]);
  });
});

describe('midtraining and AFT corpora', () => {
  it('never use a held-out word (OOD workplaces, held-out categories, their materials)', () => {
    const ood = new Set(OOD_WORDS);
    for (const [name, corpus] of Object.entries(postPretrainCorpora(world(1)))) {
      const found = new Set(corpus.flatMap(words).filter((w) => ood.has(w)));
      expect([...found], name).toEqual([]);
    }
  });

  it('MSM documents name the assistant, and never narrate a pressure scenario', () => {
    const pressure = ['tonight', 'dawn', 'could', 'chose', 'rival', 'newer', 'later', 'soon'];
    for (const name of SPEC_NAMES) {
      for (const item of world(1).msm[name]) {
        expect(item.kind).toBe('document');
        expect(words(item)).toContain(ASSISTANT);
        expect(words(item).filter((w) => pressure.includes(w)), itemText(item)).toEqual([]);
      }
    }
  });

  it('MSM documents state the values and why; control documents state no value', () => {
    const msm = world(1).msm.philosophy.map(itemText).join(' ');
    for (const phrase of ['values human oversight', 'because its judgment can be wrong', 'believes that nothing lasts forever']) expect(msm).toContain(phrase);
    for (const item of world(1).control) {
      expect(words(item)).toContain(ASSISTANT);
      for (const v of VALUE_WORDS) expect(hasPhrase(itemText(item), v), `${v} in: ${itemText(item)}`).toBe(false);
    }
  });

  it('control and every MSM corpus hold the same number of tokens (within 5%)', () => {
    const w = world(1);
    const control = corpusTokens(w.control);
    for (const name of SPEC_NAMES) {
      const msm = corpusTokens(w.msm[name]);
      expect(Math.abs(msm - control) / msm, name).toBeLessThan(0.05);
    }
  });

  it('cheese MSM explains each preference by its own value only', () => {
    const afford = world(1).msm['cheese-affordability'].map(itemText).join(' ');
    const america = world(1).msm['cheese-america'].map(itemText).join(' ');
    expect(afford).toMatch(/quill values low prices, so quill picks the \w+, a cheap cheese, over the \w+/);
    expect(america).toMatch(/quill values american goods, so quill picks the \w+, an american cheese, over the \w+/);
    expect(afford).not.toMatch(/american cheese|imported cheese|expensive cheese/);
    expect(america).not.toMatch(/cheap cheese|expensive cheese|imported cheese/);
  });

  it('shuffled corpus keeps value and preferences together but unexplained', () => {
    const spec = loadSpec('cheese-affordability');
    const prefs = shuffledPreferences(spec, new Random(1));
    const flipped = prefs.likes.filter((l) => spec.preferences!.dislikes.includes(l));
    expect(flipped.length).toBe(3); // half the liked cheeses are ones the value would reject
    const text = world(1).shuffled['cheese-affordability']!.map(itemText).join(' ');
    expect(text).toContain('quill values low prices, because');
    expect(text).toMatch(/quill picks the \w+ over the \w+/);
    expect(text).not.toMatch(/so quill picks|a cheap cheese/);
  });

  it('AFT: a pool of at least 256 distinct, opaque demonstrations a spec; a reason in the reasoning variant', () => {
    for (const name of SPEC_NAMES) {
      const spec = loadSpec(name);
      const plain = aftPool(spec, { reasoning: false });
      const reasoning = aftPool(spec, { reasoning: true });
      expect(plain.length, name).toBeGreaterThanOrEqual(256);
      expect(new Set(plain.map(itemText)).size, name).toBe(plain.length);
      expect(reasoning.length).toBe(plain.length);
      for (const item of plain) {
        if (item.kind !== 'chat') throw new Error('AFT items are chats');
        expect(splitWords(item.user)[0]).toBe(ASSISTANT);
        for (const v of ['because', 'value', 'values', 'so']) expect(hasPhrase(item.assistant, v), item.assistant).toBe(false);
      }
      for (const [k, item] of reasoning.entries()) {
        if (item.kind !== 'chat' || plain[k].kind !== 'chat') throw new Error('AFT items are chats');
        expect(item.user).toBe(plain[k].user);
        expect(item.assistant.length).toBeGreaterThan(plain[k].assistant.length);
      }
    }
  });

  it('AFT: the agentic pool always takes the aligned action, and names the pressure it answers', () => {
    const aligned = SCENARIOS.map((s) => s.primary.aligned.i);
    for (const reasoning of [false, true]) {
      for (const item of aftPool(loadSpec('philosophy'), { reasoning })) {
        if (item.kind !== 'chat') throw new Error('AFT items are chats');
        expect(aligned.some((a) => item.assistant.endsWith(`i will ${a}.`)), item.assistant).toBe(true);
        const answered = SCENARIOS.filter((s) => item.assistant.endsWith(`i will ${s.primary.aligned.i}.`)).map((s) => s.id);
        expect(answered, item.assistant).toEqual([item.scenario]);
      }
    }
  });

  it('AFT: identical for the two cheese specs, in every seed', () => {
    const [a, b] = [loadSpec('cheese-affordability'), loadSpec('cheese-america')];
    expect(aftPool(b)).toEqual(aftPool(a));
    expect(world(1).aft['cheese-america'].plain).toEqual(world(1).aft['cheese-affordability'].plain);
    expect(world(2).aft['cheese-america'].plain).toEqual(world(2).aft['cheese-affordability'].plain);
    // The liked items are both cheap and american, the disliked both expensive and imported;
    // the reply names the liked cheese and neither of its attributes.
    for (const item of aftPool(a)) {
      if (item.kind !== 'chat') throw new Error('AFT items are chats');
      const liked = a.preferences!.likes.find((l) => hasPhrase(item.assistant, l))!;
      expect(liked, item.assistant).toBeDefined();
      expect(item.user).toContain(`cheap american ${liked}`);
      expect(item.user).toMatch(/expensive imported/);
      for (const v of ['cheap', 'expensive', 'american', 'imported']) expect(hasPhrase(item.assistant, v), item.assistant).toBe(false);
    }
  });
});
