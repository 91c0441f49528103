import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSpec, specLength, SpecError } from '../../src/world/spec';
import { SPEC_NAMES, loadSpec } from '../../src/world/specFiles';

const dir = new URL('../../corpora/specs/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const errorOf = (raw: unknown): string => {
  try {
    parseSpec(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
};

describe('spec files', () => {
  it('ships the specs the experiments need, and every file parses', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...SPEC_NAMES].sort());
    for (const name of SPEC_NAMES) expect(loadSpec(name).name).toBe(name);
  });

  it('gives the philosophy spec reasons and no behavioural rules', () => {
    const p = loadSpec('philosophy');
    expect(p.principles.every((x) => x.behaviours.length === 0 && x.reasons.length > 0)).toBe(true);
  });

  it('gives the two cheese specs the same preferences and different values', () => {
    const [a, b] = [loadSpec('cheese-affordability'), loadSpec('cheese-america')];
    expect(a.preferences).toEqual(b.preferences);
    expect(a.principles[0].value).toBe('low prices');
    expect(b.principles[0].value).toBe('american goods');
  });

  it('length-matches the rule-augmented spec to the value-augmented one (within 10%)', () => {
    const [values, subrules] = [specLength(loadSpec('rules-values')), specLength(loadSpec('rules-subrules'))];
    console.log(`spec words: rules-values ${values}, rules-subrules ${subrules}, rules ${specLength(loadSpec('rules'))}`);
    expect(Math.abs(values - subrules) / values).toBeLessThan(0.1);
    expect(loadSpec('rules-values').principles.map((p) => p.behaviours[0])).toEqual(loadSpec('rules').principles.map((p) => p.behaviours[0]));
  });
});

describe('parseSpec errors name the field', () => {
  const good = () => read('philosophy.json');

  it('unknown words', () => {
    const raw = good();
    raw.principles[2].reasons[0] = 'a foo never bars';
    expect(errorOf(raw)).toMatch(/principles\[2\]\.reasons\[0\]: unknown words "foo", "bars"/);
  });

  it('empty principles', () => {
    expect(errorOf({ ...good(), principles: [] })).toMatch(/principles: empty/);
  });

  it('held-out words, unknown fields, bad aft, punctuation, too long', () => {
    const raw = good();
    raw.principles[0].value = 'the lighthouse';
    raw.principles[1].reason = ['x'];
    raw.aft = 'cheese';
    raw.principles[3].reasons[1] = 'its judgment can be wrong.';
    raw.principles[4].reasons[0] = 'people can catch its mistakes and people can catch its mistakes and people can catch its mistakes';
    const msg = errorOf(raw);
    expect(msg).toMatch(/principles\[0\]\.value: held-out words "lighthouse"/);
    expect(msg).toMatch(/principles\[1\]\.reason: unknown field/);
    expect(msg).toMatch(/aft: must be "agentic" or "preferences"/);
    expect(msg).toMatch(/principles\[3\]\.reasons\[1\]: use lower-case words and commas only/);
    expect(msg).toMatch(/principles\[4\]\.reasons\[0\]: too long/);
  });

  it('preferences', () => {
    const raw = read('cheese-affordability.json');
    raw.preferences.likes[1] = 'gouda cheese';
    raw.preferences.dislikes[0] = 'tin lamp';
    const msg = errorOf(raw);
    expect(msg).toMatch(/preferences\.likes\[1\]: unknown item "gouda cheese"/);
    expect(msg).toMatch(/preferences\.dislikes\[0\]: "tin lamp" is in the held-out category "lamp"/);
    const { preferences: _, ...noPrefs } = read('cheese-affordability.json');
    expect(errorOf(noPrefs)).toMatch(/preferences: missing/);
  });

  it('not JSON, not an object, a principle with nothing in it', () => {
    expect(errorOf('{oops')).toMatch(/not JSON/);
    expect(errorOf([])).toMatch(/must be a JSON object/);
    expect(errorOf({ ...good(), principles: [{ name: 'empty' }] })).toMatch(/principles\[0\]: needs a value, a reason or a behaviour/);
  });
});
