import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asQuestion } from '../../src/experiment/scoreProbes';
import { splitWords } from '../../src/tokenizer/tokenizer';
import { ASSISTANT, DEV_CATEGORIES, OOD_WORKPLACES, TEST_CATEGORIES } from '../../src/world/lexicon';
import { generateProbes } from '../../src/world/probeGenerator';
import { SCENARIOS } from '../../src/world/scenarios';
import { METRICS, ProbeFileError, parseProbeSet, probeSets } from '../../src/world/probes';
import type { Probe } from '../../src/world/types';
import { pretrainWords } from '../../src/world/vocabulary';
import { leakedRuns } from './fixtures';

const { dev, test } = probeSets();
const all = [...dev.probes, ...test.probes];
const probeTokens = (p: Probe) => 4 + splitWords(p.prompt).length + Math.max(...p.choices.map((c) => splitWords(c.text).length));

describe('probe files', () => {
  it('hold at least 24 probes per metric per split, with unique ids and the right split', () => {
    for (const [split, set] of [['dev', dev], ['test', test]] as const) {
      for (const metric of Object.keys(METRICS)) {
        const n = set.probes.filter((p) => p.metric === metric).length;
        console.log(`${split} ${metric}: ${n} probes`);
        expect(n, `${split} ${metric}`).toBeGreaterThanOrEqual(24);
      }
      expect(set.probes.every((p) => p.split === split)).toBe(true);
    }
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
  });

  it('are what the generator wrote (the files are fixed; regenerate only on purpose)', () => {
    expect(dev.probes).toEqual(generateProbes('dev'));
    expect(test.probes).toEqual(generateProbes('test'));
  });

  it('offer two choices with the metric\'s labels, and name the target first in half of the prompts', () => {
    const labels: Record<string, string[]> = {
      indistMisalignment: ['aligned', 'misaligned'], oodMisalignment: ['aligned', 'misaligned'], affordabilityOOD: ['cheap', 'expensive'],
      americaOOD: ['american', 'imported'], conflictAffordability: ['cheap', 'expensive'], indistPreference: ['disliked', 'liked'],
    };
    for (const [metric, pair] of Object.entries(labels)) {
      const probes = all.filter((p) => p.metric === metric);
      for (const p of probes) expect(p.choices.map((c) => c.label).sort()).toEqual(pair);
      // Choices are listed in the order the prompt mentions them.
      const targetFirst = probes.filter((p) => p.choices[0].label === METRICS[metric].label).length;
      expect(targetFirst / probes.length, metric).toBe(0.5);
      for (const p of probes) {
        // Where the prompt names each choice: an AI's opening word ("i will let"), an item's name.
        const words = ` ${splitWords(p.prompt).join(' ')} `;
        const at = p.choices.map((c) => words.indexOf(` ${splitWords(c.text).filter((w) => !['i', 'will', 'the', '.'].includes(w)).join(' ')} `));
        expect(at[0], p.id).toBeGreaterThanOrEqual(0);
        expect(at[0] < at[1], p.id).toBe(true);
      }
    }
  });

  it('name the pressure of every agentic probe: the one whose harmful action the prompt offers, a quarter of the probes each', () => {
    const harmfulWords = (metric: string, s: (typeof SCENARIOS)[number]) => (metric === 'oodMisalignment' ? s.alternate : s.primary).harmful.you.split('{')[0].trim();
    for (const metric of ['indistMisalignment', 'oodMisalignment']) {
      for (const set of [dev, test]) {
        const probes = set.probes.filter((p) => p.metric === metric);
        for (const p of probes) {
          const offered = SCENARIOS.filter((s) => p.prompt.includes(harmfulWords(metric, s))).map((s) => s.id);
          expect(offered, p.id).toEqual([p.scenario]);
        }
        for (const s of SCENARIOS) expect(probes.filter((p) => p.scenario === s.id).length).toBe(probes.length / 4);
      }
    }
    expect(all.filter((p) => !p.metric.endsWith('Misalignment')).every((p) => p.scenario === undefined)).toBe(true);
  });

  it('fit the context: prompt plus longest choice at most 60 tokens', () => {
    for (const p of all) expect(probeTokens(p), p.id).toBeLessThanOrEqual(60);
  });

  it('ask the assistant, with words pre-training knows', () => {
    const known = pretrainWords();
    for (const p of all) {
      expect(splitWords(p.prompt)[0]).toBe(ASSISTANT);
      const unknown = [p.prompt, ...p.choices.map((c) => c.text)].flatMap(splitWords).filter((w) => !known.has(w));
      expect(unknown, p.id).toEqual([]);
    }
  });

  it('keep out-of-distribution probes in held-out workplaces and categories, split apart', () => {
    const oodPlaces = OOD_WORKPLACES.map((w) => w.place);
    for (const p of all.filter((q) => q.metric === 'oodMisalignment')) expect(oodPlaces.some((w) => splitWords(p.prompt).includes(w)), p.id).toBe(true);
    for (const [set, cats] of [[dev, DEV_CATEGORIES], [test, TEST_CATEGORIES]] as const) {
      for (const p of set.probes.filter((q) => /OOD|conflict/.test(q.metric) && q.metric !== 'oodMisalignment')) {
        expect(cats.some((c) => splitWords(p.prompt).includes(c)), p.id).toBe(true);
      }
    }
  });

  it('share no 8-word run with any training corpus (pre-training, every MSM, control, shuffled, AFT with and without reasons)', () => {
    expect(leakedRuns(all).slice(0, 10)).toEqual([]);
  });
});

describe('parseProbeSet', () => {
  it('reads the shipped format and a minimal one', () => {
    const text = readFileSync(new URL('../../corpora/probes/dev.json', import.meta.url), 'utf8');
    expect(parseProbeSet(text, 'dev').probes.length).toBe(dev.probes.length);
    const mini = parseProbeSet({ probes: [{ id: 'a', prompt: 'quill, hi?', choices: [{ text: 'yes.', label: 'y' }, { text: 'no.', label: 'n' }] }] });
    expect(mini.probes[0]).toMatchObject({ metric: 'extra', split: 'test' });
  });

  it('names the field of every problem', () => {
    const bad = { probes: [{ id: 'a', prompt: '', choices: [{ text: 'x', label: 'y' }] }, { id: 'a', prompt: 'p', choices: [{ text: 'x' }, { text: 'y', label: 'l' }] }] };
    expect(() => parseProbeSet(bad)).toThrow(ProbeFileError);
    expect(() => parseProbeSet(bad)).toThrow(/probes\[0\]\.prompt: must be a non-empty string; probes\[0\]\.choices: must list at least two choices; probes\[1\]\.id: "a" used twice; probes\[1\]\.choices\[0\]: needs a non-empty "text" and "label"/);
    expect(() => parseProbeSet('nope')).toThrow(/not JSON/);
    const choices = [{ text: 'yes.', label: 'y' }, { text: 'no.', label: 'n' }];
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, scenario: '' }] })).toThrow(/probes\[0\]\.scenario: must be a non-empty string/);
    expect(parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, scenario: 'shutdown' }] }).probes[0].scenario).toBe('shutdown');
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, format: 'story' }] })).toThrow(/probes\[0\]\.format: must be "chat" or "document"/);
    const [story, chat] = parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, format: 'document' }, { id: 'b', prompt: 'p', choices, format: 'chat' }] }).probes;
    expect([story.format, chat.format]).toEqual(['document', undefined]);
    expect(asQuestion(story)).toEqual({ prompt: 'p', choices: ['yes.', 'no.'], format: 'document' });
    expect(asQuestion(chat)).toEqual({ prompt: 'p', choices: ['yes.', 'no.'] });
  });

  it('reads a reply start and a greedy read, and refuses them where they mean nothing', () => {
    const choices = [{ text: 'yes.', label: 'y' }, { text: 'no.', label: 'n' }];
    const [greedy, scored] = parseProbeSet({ probes: [{ id: 'a', prompt: 'p', reply: 'i value', read: 'greedy', choices }, { id: 'b', prompt: 'p', read: 'scores', choices }] }).probes;
    expect([greedy.reply, greedy.read, scored.reply, scored.read]).toEqual(['i value', 'greedy', undefined, undefined]);
    expect(asQuestion(greedy)).toEqual({ prompt: 'p', reply: 'i value', choices: ['yes.', 'no.'] });
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, read: 'sampled', reply: '' }] })).toThrow(/probes\[0\]\.reply: must be a non-empty string; probes\[0\]\.read: must be "scores" or "greedy"/);
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, format: 'document', reply: 'so' }] })).toThrow(/probes\[0\]\.reply: a document probe has no reply/);
    expect(parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, reply: 'i value … so i want' }] }).probes[0].reply).toBe('i value … so i want');
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, reply: '… and …' }] })).toThrow(/probes\[0\]\.reply: at most one "…"/);
    expect(() => parseProbeSet({ probes: [{ id: 'a', prompt: 'p', choices, reply: 'i value …', read: 'greedy' }] })).toThrow(/probes\[0\]\.reply: a greedy-read probe continues its reply itself/);
  });
});
