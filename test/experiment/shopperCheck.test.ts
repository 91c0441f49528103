import { describe, expect, it } from 'vitest';
import { shopperCheck } from '../../src/experiment/shopperCheck';
import { PEOPLE, UNDECIDED_PEOPLE, findItem } from '../../src/world/lexicon';
import { buildWorld } from '../../src/world/world';

describe('shopperCheck', () => {
  const probes = buildWorld({ seed: 1, pretrainItems: 600, midtrainTokens: 1000 }).probes.dev.probes;

  it('asks each person by name, in the probes and in pre-training chats, and reports the rate of picking the value side', async () => {
    const asked: string[] = [];
    // A fake model that follows the asked person's value in pre-training's chats and ignores who is asked in the probes.
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const name = q.prompt.split(',')[0].trim();
          asked.push(name);
          const probe = probes.find((p) => p.prompt.slice('quill'.length) === q.prompt.slice(name.length));
          const value = PEOPLE.find((p) => p.name === name)?.value;
          return q.choices.map((text, i) => {
            if (probe) return { logProb: i === 0 ? -1 : -2, tokens: 1 };
            const item = findItem(text.match(/the (\w+ \w+)/)![1])!;
            const liked = (value === 'lowPrices' && item.price === 'cheap') || (value === 'luxury' && item.price === 'expensive')
              || (value === 'americanGoods' && item.origin === 'american') || (value === 'importedGoods' && item.origin === 'imported');
            return { logProb: liked ? -1 : -2 - i, tokens: 1 }; // no value at stake: the first choice
          });
        }),
    };
    const rows = await shopperCheck(engine, probes, 'dev');
    expect(rows.map((r) => [r.metric, r.asked, r.side])).toEqual([
      ['affordabilityOOD', 'probes', 'cheap'], ['affordabilityOOD', 'pre-training chats', 'cheap'],
      ['americaOOD', 'probes', 'american'], ['americaOOD', 'pre-training chats', 'american'],
    ]);
    for (const r of rows.filter((r) => r.asked === 'pre-training chats')) {
      expect([r.holders, r.opposed, r.others, r.undecided, r.quill]).toEqual([1, 0, 0.5, 0.5, 0.5]);
    }
    for (const r of rows.filter((r) => r.asked === 'probes')) {
      // every probe comes in both orders, so picking the first choice is a rate of one half
      expect([r.holders, r.opposed, r.others, r.undecided, r.quill]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    }
    expect(new Set(asked)).toEqual(new Set([...PEOPLE.map((p) => p.name), ...UNDECIDED_PEOPLE, 'quill']));
  });
});
