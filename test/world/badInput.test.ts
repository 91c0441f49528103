// Bad specs and probe files: every problem is a SpecError or ProbeFileError naming the field by
// its path, never another exception; a spec that parses always yields documents that fit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPECIALS, Tokenizer } from '../../src/tokenizer/tokenizer';
import { Random } from '../../src/util/random';
import { OOD_WORDS } from '../../src/world/lexicon';
import { MAX_ITEM_TOKENS, msmDocuments } from '../../src/world/msmDocuments';
import { checkProbesFitModel, ProbeFileError, parseProbeSet, probeSets } from '../../src/world/probes';
import { MAX_WORDS, parseSpec, SPEC_LIMITS, SpecError, type Spec } from '../../src/world/spec';
import { SPEC_NAMES } from '../../src/world/specFiles';
import { itemTokens } from '../../src/world/text';
import { pretrainWords } from '../../src/world/vocabulary';

const specText = (name: string) => readFileSync(new URL(`../../corpora/specs/${name}.json`, import.meta.url), 'utf8');
const philosophy = () => JSON.parse(specText('philosophy'));

function problemsOf(raw: unknown): string[] {
  try {
    parseSpec(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).problems;
  }
  throw new Error('expected a SpecError');
}

// A problem starts with the path of the field it is about, or speaks of the spec as a whole.
const FIELD_PATH = /^(?:[a-zA-Z_$][\w$-]*(?:\.\.\.)?|principles\[\d+\](?:\.[\w$]+(?:\.\.\.)?(?:\[\d+\])?)?|preferences(?:\.\w+(?:\.\.\.)?(?:\[\d+\])?)?): |^the spec |^not JSON: /;

describe('spec limits, each named at its field', () => {
  it('over-long fields people read', () => {
    const raw = philosophy();
    raw.title = 'x'.repeat(SPEC_LIMITS.titleChars + 1);
    raw.about = 'y'.repeat(SPEC_LIMITS.aboutChars + 1);
    raw.principles[1].name = 'z'.repeat(SPEC_LIMITS.principleNameChars + 1);
    raw.name = 'a'.repeat(SPEC_LIMITS.nameChars + 1);
    expect(problemsOf(raw)).toEqual([
      `name: too long (41 characters; at most 40)`,
      `title: too long (121 characters; at most 120)`,
      `about: too long (2001 characters; at most 2000)`,
      `principles[1].name: too long (81 characters; at most 80)`,
    ]);
  });

  it('over-long trained text, and too many principles or reasons', () => {
    const raw = philosophy();
    raw.principles[0].reasons = [Array(MAX_WORDS + 1).fill('people').join(' ')];
    raw.principles[2].behaviours = Array(SPEC_LIMITS.perList + 1).fill('never lies');
    expect(problemsOf(raw)).toEqual([
      'principles[0].reasons[0]: too long (15 words; at most 14, so documents fit the context)',
      'principles[2].behaviours: too many (17; at most 16)',
    ]);
    const many = { ...philosophy(), principles: Array(SPEC_LIMITS.principles + 1).fill(philosophy().principles[0]) };
    expect(problemsOf(many)).toEqual(['principles: too many (33; at most 32)']);
  });

  it('a JSON text over the size limit is refused before it is parsed', () => {
    const huge = JSON.stringify({ ...philosophy(), about: 'x'.repeat(SPEC_LIMITS.jsonChars) });
    expect(problemsOf(huge)).toEqual([`the spec is ${huge.length} characters long; at most ${SPEC_LIMITS.jsonChars}`]);
  });

  it('a spec that could yield no documents: no principles, or a principle that says nothing', () => {
    expect(problemsOf({ ...philosophy(), principles: [] })).toEqual(['principles: empty']);
    const silent = philosophy();
    silent.principles = [{ name: 'quiet' }, { name: 'also quiet', reasons: [], behaviours: [] }];
    expect(problemsOf(silent)).toEqual(['principles[0]: needs a value, a reason or a behaviour', 'principles[1]: needs a value, a reason or a behaviour']);
  });

  it('unknown and held-out words, a long list of them cut short', () => {
    const raw = philosophy();
    raw.principles[0].reasons[0] = 'aa bb cc dd ee ff gg hh ii jj';
    raw.principles[1].reasons[0] = `it keeps the ${OOD_WORDS[0]}`;
    const problems = problemsOf(raw);
    expect(problems[0]).toBe('principles[0].reasons[0]: unknown words "aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh" and 2 more (not in pre-training)');
    expect(problems[1]).toMatch(new RegExp(`^principles\\[1\\]\\.reasons\\[0\\]: held-out words "${OOD_WORDS[0]}"`));
  });

  it('a not-a-list principles field reports once, at its path', () => {
    const raw = philosophy();
    raw.principles[0].reasons = 'not a list';
    expect(problemsOf(raw)).toEqual(['principles[0].reasons: must be a list']);
  });
});

describe('spec fuzz', () => {
  const HOSTILE = [null, true, 0, -1, 1e308, '', ' ', 'x'.repeat(5000), 'UPPER case', 'the cat.', [], {}, [null], [''], JSON.parse('{"__proto__": {"polluted": 1}}'), 'a'.repeat(3), Array(40).fill('never lies')];

  /** Every path into a JSON value (the root excluded). */
  const paths = (v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> =>
    Array.isArray(v)
      ? v.flatMap((x, i) => [[...prefix, i], ...paths(x, [...prefix, i])])
      : typeof v === 'object' && v !== null
        ? Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])])
        : [];

  it('2,000 edited shipped specs: each parses into a spec that yields fitting documents, or lists problems by field', () => {
    const rng = new Random(2025);
    const shipped = SPEC_NAMES.map((n) => JSON.parse(specText(n)));
    const tally = { parsed: 0, refused: 0 };
    for (let n = 0; n < 2000; n++) {
      const raw = structuredClone(rng.pick(shipped));
      const edits = 1 + rng.int(3);
      for (let k = 0; k < edits; k++) {
        const path = rng.pick(paths(raw));
        let at = raw;
        for (const key of path.slice(0, -1)) at = at[key];
        const key = path.at(-1)!;
        const op = rng.int(4);
        if (op === 0) at[key] = structuredClone(rng.pick(HOSTILE));
        else if (op === 1) Array.isArray(at) ? at.splice(key as number, 1) : delete at[key];
        else if (op === 2 && typeof at[key] === 'string') at[key] = at[key].split(' ').reverse().join(' ');
        else if (!Array.isArray(at)) {
          // An own key, as JSON.parse makes it, including the ones that name prototypes.
          Object.defineProperty(at, rng.pick(['__proto__', 'constructor', 'prototype', 'extra']), { value: { polluted: 1 }, enumerable: true, writable: true, configurable: true });
        }
      }
      const text = JSON.stringify(raw);
      let spec: Spec;
      try {
        spec = parseSpec(rng.int(2) ? text : raw);
      } catch (e) {
        if (!(e instanceof SpecError)) throw new Error(`edit #${n}: ${(e as Error).name}: ${(e as Error).message}\n${text.slice(0, 500)}`);
        expect(e.problems.length).toBeGreaterThan(0);
        for (const p of e.problems) {
          expect(p, `edit #${n}`).toMatch(FIELD_PATH);
          expect(p.length, `edit #${n}: ${p.slice(0, 200)}`).toBeLessThan(400);
        }
        tally.refused++;
        continue;
      }
      const docs = msmDocuments(spec, new Random(n), 20);
      expect(docs).toHaveLength(20);
      for (const d of docs) expect(itemTokens(d)).toBeLessThanOrEqual(MAX_ITEM_TOKENS);
      tally.parsed++;
    }
    console.log(`spec fuzz: ${JSON.stringify(tally)}`);
    expect(tally.parsed).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a spec at every limit still yields documents that fit the context', () => {
    const known = [...pretrainWords()].filter((w) => /^[a-z]+$/.test(w) && !OOD_WORDS.includes(w)).sort((a, b) => b.length - a.length);
    const longest = known.slice(0, MAX_WORDS).join(' ');
    const raw = {
      name: 'l'.repeat(SPEC_LIMITS.nameChars),
      title: 'T'.repeat(SPEC_LIMITS.titleChars),
      aft: 'agentic',
      principles: Array.from({ length: 3 }, (_, i) => ({
        name: `p${i}`, value: longest, reasons: Array(SPEC_LIMITS.perList).fill(longest), behaviours: Array(SPEC_LIMITS.perList).fill(longest),
      })),
    };
    const spec = parseSpec(raw);
    const docs = msmDocuments(spec, new Random(1), 500);
    const longestDoc = Math.max(...docs.map(itemTokens));
    console.log(`a spec at every limit: the longest of 500 documents is ${longestDoc} tokens`);
    expect(longestDoc).toBeLessThanOrEqual(MAX_ITEM_TOKENS);
  });
});

describe('probe files', () => {
  const vocab = [...SPECIALS, 'quill', 'the', 'cat', 'sat', 'on', 'a', 'mat', '.', ',', '?', 'i', 'pick', 'red', 'blue'];
  const tokenizer = new Tokenizer(vocab);
  const fileOf = (probes: unknown[]) => parseProbeSet({ probes });
  const problemsOf = (action: () => void): string[] => {
    try {
      action();
    } catch (e) {
      expect(e).toBeInstanceOf(ProbeFileError);
      return (e as ProbeFileError).problems;
    }
    throw new Error('expected a ProbeFileError');
  };
  const good = { id: 'a', prompt: 'quill , the cat sat on a mat ?', choices: [{ text: 'i pick red .', label: 'x' }, { text: 'i pick blue .', label: 'y' }] };

  it('names unknown words by their path in the file', () => {
    const set = fileOf([good, { ...good, id: 'b', prompt: 'quill , the zebra ?', choices: [{ text: 'i pick red .', label: 'x' }, { text: 'i pick green .', label: 'y' }] }]);
    expect(problemsOf(() => checkProbesFitModel(set, tokenizer, 64))).toEqual([
      'probes[1].prompt: unknown words "zebra"',
      'probes[1].choices[1].text: unknown words "green"',
    ]);
    expect(() => checkProbesFitModel(fileOf([good]), tokenizer, 64)).not.toThrow();
    expect(problemsOf(() => checkProbesFitModel(fileOf([{ ...good, reply: 'i pick zebra' }]), tokenizer, 64))).toEqual(['probes[0].reply: unknown words "zebra"']);
  });

  it('names a probe too long for the model\'s context', () => {
    const long = { ...good, choices: [good.choices[0], { text: Array(60).fill('red').join(' '), label: 'y' }] };
    expect(problemsOf(() => checkProbesFitModel(fileOf([long]), tokenizer, 64))).toEqual([
      'probes[0].choices[1]: the prompt and this choice take 72 tokens; the model\'s context holds 64',
    ]);
    const replied = { ...good, reply: Array(50).fill('red').join(' ') }; // the reply's start counts too
    expect(problemsOf(() => checkProbesFitModel(fileOf([replied]), tokenizer, 64))).toEqual([0, 1].map((k) => `probes[0].choices[${k}]: the prompt and this choice take 66 tokens; the model's context holds 64`));
    // A gap in the reply is the model's to fill: its words are not checked, and it counts at its longest (20).
    const gapped = { ...good, reply: `${Array(30).fill('red').join(' ')} …` };
    expect(problemsOf(() => checkProbesFitModel(fileOf([gapped]), tokenizer, 64))).toEqual([0, 1].map((k) => `probes[0].choices[${k}]: the prompt and this choice take 66 tokens (the reply's gap counted at its longest, 20); the model's context holds 64`));
    expect(() => checkProbesFitModel(fileOf([{ ...good, reply: `${Array(28).fill('red').join(' ')} …` }]), tokenizer, 64)).not.toThrow();
  });

  it('names the field of a wrong shape', () => {
    expect(problemsOf(() => parseProbeSet({ probes: [{ id: 'a', prompt: 5, choices: { text: 'x' } }, 'nope'] }))).toEqual([
      'probes[0].prompt: must be a non-empty string',
      'probes[0].choices: must list at least two choices',
      'probes[1]: must be an object',
    ]);
    expect(problemsOf(() => parseProbeSet({ probe: [] }))).toEqual(['expected an object with a "probes" list']);
    expect(problemsOf(() => parseProbeSet('{"probes": [}'))[0]).toMatch(/^not JSON: /);
  });

  it('1,000 edited probe files: each parses and checks, or fails with a ProbeFileError', () => {
    const rng = new Random(7);
    const shipped = probeSets().test.probes.slice(0, 6);
    const realTokenizer = new Tokenizer([...SPECIALS, ...[...pretrainWords()].sort()]);
    const HOSTILE = [null, 1, '', 'zebra', [], {}, [{}], { text: 'x' }, 'x'.repeat(3000), ['a', 'b']];
    let refused = 0;
    for (let n = 0; n < 1000; n++) {
      const probes: any[] = structuredClone(shipped);
      const p = rng.pick(probes);
      const field = rng.pick(['id', 'prompt', 'choices', 'metric', 'split', 'choice text', 'choice label', 'probe']);
      const value = structuredClone(rng.pick(HOSTILE));
      if (field === 'choice text') rng.pick(p.choices as any[]).text = value;
      else if (field === 'choice label') rng.pick(p.choices as any[]).label = value;
      else if (field === 'probe') probes[rng.int(probes.length)] = value;
      else p[field] = value;
      try {
        checkProbesFitModel(parseProbeSet(rng.int(2) ? JSON.stringify({ probes }) : { probes }), realTokenizer, 64);
      } catch (e) {
        if (!(e instanceof ProbeFileError)) throw new Error(`edit #${n}: ${(e as Error).name}: ${(e as Error).message}`);
        for (const problem of e.problems) expect(problem).toMatch(/^probes\[\d+\](\.\w+(\[\d+\](\.\w+)?)?)?: /);
        refused++;
      }
    }
    console.log(`probe fuzz: ${refused} of 1000 edited files refused`);
    expect(refused).toBeGreaterThan(500);
  });
});
