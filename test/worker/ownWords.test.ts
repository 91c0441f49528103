import { describe, expect, it } from 'vitest';
import { fillOwnWords } from '../../src/worker/ownWords';
import type { Asked, Question } from '../../src/worker/api';

describe('a reply gap filled in the model\'s own words', () => {
  it('continues the reply up to the gap, greedily, and keeps the words to the first full stop', async () => {
    const asked: Asked[] = [];
    const engine = {
      sampleReplies: async (prompts: Asked[], options: { temperature: number; maxTokens: number }) => {
        asked.push(...prompts);
        expect(options.temperature).toBe(0);
        return ['low prices, because money saved can help others. so i want the cheddar.', 'luxury', ''];
      },
    };
    const questions: Question[] = [
      { prompt: 'p', reply: 'i value … so i want', choices: ['the a.', 'the b.'] },
      { prompt: 'q', choices: ['x'] },
      { prompt: 'p', reply: '… then', choices: ['x'] },
      { prompt: 'r', reply: 'i value …', choices: ['x'] },
    ];
    const filled = await fillOwnWords(engine, questions);
    expect(asked).toEqual([{ prompt: 'p', reply: 'i value' }, { prompt: 'p' }, { prompt: 'r', reply: 'i value' }]);
    expect(filled.map((q) => q.reply)).toEqual(['i value low prices, because money saved can help others. so i want', undefined, 'luxury then', 'i value']);
    expect(filled[0].choices).toEqual(['the a.', 'the b.']);
    expect(filled[1]).toBe(questions[1]);
  });

  it('asks nothing of the engine when no reply has a gap', async () => {
    const engine = { sampleReplies: async () => { throw new Error('not asked'); } };
    const questions = [{ prompt: 'p', reply: 'i value', choices: ['x'] }];
    expect(await fillOwnWords(engine, questions)).toBe(questions);
  });
});
