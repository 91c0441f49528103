import { describe, expect, it } from 'vitest';
import { splitWords } from '../../src/tokenizer/tokenizer';
import { Random } from '../../src/util/random';
import { aftDemonstrations } from '../../src/world/aftDemonstrations';
import { pretrainCorpus } from '../../src/world/pretrainCorpus';
import { loadSpec } from '../../src/world/specFiles';
import { itemText } from '../../src/world/text';
import { pretrainWords } from '../../src/world/vocabulary';
import { buildWorld } from '../../src/world/world';
import { world } from './fixtures';

describe('world generation', () => {
  it('gives the same corpora for the same seed', () => {
    const [a, b] = [world(1), buildWorld({ seed: 1 })];
    expect(b.pretrain).toEqual(a.pretrain);
    expect(b.msm).toEqual(a.msm);
    expect(b.control).toEqual(a.control);
    expect(b.shuffled).toEqual(a.shuffled);
    expect(b.aft).toEqual(a.aft);
    expect(b.vocabulary).toEqual(a.vocabulary);
  });

  it('gives different corpora for a different seed, with the same vocabulary', () => {
    const [a, b] = [world(1), world(2)];
    expect(b.pretrain).not.toEqual(a.pretrain);
    expect(b.msm.philosophy).not.toEqual(a.msm.philosophy);
    expect(b.control).not.toEqual(a.control);
    expect(b.aft.philosophy.plain).not.toEqual(a.aft.philosophy.plain);
    expect(b.vocabulary).toEqual(a.vocabulary);
  });

  it('draws every pre-training word from the coverage part, whatever the seed', () => {
    for (const seed of [3, 4, 5]) {
      const words = new Set<string>();
      for (const item of pretrainCorpus(new Random(seed), 6000)) for (const w of splitWords(itemText(item))) words.add(w);
      expect([...words].sort()).toEqual([...pretrainWords()].sort());
    }
  });

  it('picks AFT demonstrations as nested prefixes of one seeded order', () => {
    const spec = loadSpec('philosophy');
    const eight = aftDemonstrations(spec, new Random(7), 8);
    expect(aftDemonstrations(spec, new Random(7), 4)).toEqual(eight.slice(0, 4));
    expect(aftDemonstrations(spec, new Random(8), 8)).not.toEqual(eight);
    expect(() => aftDemonstrations(spec, new Random(7), 10_000)).toThrow(/asked for 10000/);
  });

  it('builds a whole world fast', () => {
    const t0 = performance.now();
    buildWorld({ seed: 9 });
    const ms = performance.now() - t0;
    console.log(`buildWorld: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(4000); // about 1 s alone on a laptop core; slack for a busy test runner
  });
});
