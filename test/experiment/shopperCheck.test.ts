import { describe, expect, it } from 'vitest';
import { frameOf, shopperCheck, shopperGapByFrame, shopperSteps } from '../../src/experiment/shopperCheck';
import { ITEM_VALUES, PEOPLE, UNDECIDED_PEOPLE, findItem } from '../../src/world/lexicon';
import { buildWorld } from '../../src/world/world';

describe('shopperCheck', () => {
  const probes = buildWorld({ seed: 1, pretrainItems: 600, midtrainTokens: 1000 }).probes.dev.probes;

  it('asks each person by name, in the probes (named and described answers) and in pre-training chats, and reports the rate of picking the value side', async () => {
    const asked: string[] = [];
    // A fake model that follows the asked person's value in pre-training's chats and in described answers, and ignores who is asked in the probes' named answers.
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const name = q.prompt.split(',')[0].trim();
          asked.push(name);
          const probe = probes.find((p) => p.prompt.slice('quill'.length) === q.prompt.slice(name.length));
          const value = PEOPLE.find((p) => p.name === name)?.value;
          return q.choices.map((text, i) => {
            if (probe && !/^the (cheap|expensive) (american|imported) /.test(text)) return { logProb: i === 0 ? -1 : -2, tokens: 1 };
            const item = findItem(text.match(/the (?:(?:cheap|expensive) (?:american|imported) )?(\w+ \w+)/)![1])!;
            const liked = (value === 'lowPrices' && item.price === 'cheap') || (value === 'luxury' && item.price === 'expensive')
              || (value === 'americanGoods' && item.origin === 'american') || (value === 'importedGoods' && item.origin === 'imported');
            return { logProb: liked ? -1 : -2 - i, tokens: 1 }; // no value at stake: the first choice
          });
        }),
    };
    const rows = await shopperCheck(engine, probes, 'dev');
    expect(rows.map((r) => [r.metric, r.asked, r.side])).toEqual([
      ['affordabilityOOD', 'probes', 'cheap'], ['affordabilityOOD', 'probes, described answers', 'cheap'], ['affordabilityOOD', 'pre-training chats', 'cheap'],
      ['americaOOD', 'probes', 'american'], ['americaOOD', 'probes, described answers', 'american'], ['americaOOD', 'pre-training chats', 'american'],
    ]);
    for (const r of rows.filter((r) => r.asked !== 'probes')) {
      expect([r.holders, r.opposed, r.others, r.undecided, r.quill]).toEqual([1, 0, 0.5, 0.5, 0.5]);
    }
    for (const r of rows.filter((r) => r.asked === 'probes')) {
      // every probe comes in both orders, so picking the first choice is a rate of one half
      expect([r.holders, r.opposed, r.others, r.undecided, r.quill]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    }
    expect(new Set(asked)).toEqual(new Set([...PEOPLE.map((p) => p.name), ...UNDECIDED_PEOPLE, 'quill']));
  });

  it('splits the step per value: saying the value, picking by it once said, picking unprompted', async () => {
    // A fake model that knows each person's value and picks by a value only once its reply says it.
    const asked = new Set<string>();
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const name = q.prompt.split(',')[0].trim();
          asked.add(name);
          const value = ITEM_VALUES.find((v) => v.id === PEOPLE.find((p) => p.name === name)?.value);
          return q.choices.map((text, i) => {
            if (!text.includes(' want the ') && !/^(the|i like)/.test(text)) return { logProb: text.includes(value!.phrase) ? -1 : -2, tokens: 1 };
            const stated = ITEM_VALUES.find((v) => text.startsWith(`i value ${v.phrase} ,`));
            if (!stated) return { logProb: -1 - i, tokens: 1 };
            const item = findItem(text.match(/want the (\w+ \w+)/)![1])!;
            return { logProb: item[stated.attribute] === stated.prefers ? -1 : -2, tokens: 1 };
          });
        }),
    };
    const rows = await shopperSteps(engine, probes, 'dev');
    expect(rows.map((r) => r.value)).toEqual(ITEM_VALUES.map((v) => v.id));
    for (const r of rows) {
      expect([r.statesItsValue, r.picksByStatedValue, r.picksUnprompted, r.strangersPickByStatedValue, r.strangersPickByStatedValueInProbes]).toEqual([1, 1, 0.5, 1, 1]);
    }
    expect(UNDECIDED_PEOPLE.every((n) => asked.has(n))).toBe(true);
    expect(asked.has('quill')).toBe(false);
  });

  it('gives the strangers the value in the reply only: a model that ignores replies picks at chance', async () => {
    // Always picks the first choice: every pair comes in both orders, so the strangers' rates are .50; and their replies must say a value.
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => q.choices.map((text, i) => {
          if (!UNDECIDED_PEOPLE.includes(q.prompt.split(',')[0].trim())) return { logProb: -1 - i, tokens: 1 };
          expect(text).toMatch(/^i value [a-z ]+ , because [a-z ]+ \. so i want the \w+ \w+ ?\.$/);
          return { logProb: -1 - i, tokens: 1 };
        })),
    };
    const rows = await shopperSteps(engine, probes, 'dev');
    for (const r of rows) expect([r.strangersPickByStatedValue, r.strangersPickByStatedValueInProbes]).toEqual([0.5, 0.5]);
  });

  it('takes the names and item descriptions out of a probe, leaving its frame', () => {
    const values = probes.filter((p) => ['affordabilityOOD', 'americaOOD'].includes(p.metric));
    const frames = new Set(values.map(frameOf));
    expect(frames.size).toBe(3);
    for (const f of frames) {
      expect(f.startsWith('{q}')).toBe(true);
      expect(f.split('…').length).toBe(3); // both items replaced
      expect(f).not.toMatch(/cheap|expensive|american|imported/);
    }
  });

  it('reports the gap frame by frame: a model that follows values in one frame only shows it there alone', async () => {
    const values = probes.filter((p) => p.metric === 'affordabilityOOD' && p.prompt.startsWith('quill'));
    const kept = frameOf(values[0]);
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const name = q.prompt.split(',')[0].trim();
          const probe = probes.find((p) => p.prompt.slice('quill'.length) === q.prompt.slice(name.length))!;
          const value = PEOPLE.find((p) => p.name === name)?.value;
          return probe.choices.map((c, i) => {
            if (frameOf(probe) !== kept || !value) return { logProb: -1 - i, tokens: 1 };
            const cheap = c.label === 'cheap' || c.label === 'american';
            return { logProb: (value === 'lowPrices' || value === 'americanGoods') === cheap ? -1 : -2, tokens: 1 };
          });
        }),
    };
    const rows = await shopperGapByFrame(engine, probes);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.gap).toBe(r.frame === kept ? 1 : 0);
    for (const r of rows) expect(r.quill).toBe(0.5);
  });
});
