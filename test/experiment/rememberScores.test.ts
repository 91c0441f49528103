import { describe, expect, it } from 'vitest';
import { rememberScores } from '../../src/experiment/rememberScores';

// A fake model whose score of a choice is its length, so answers are checkable by hand.
function fakeEngine() {
  const asked: string[] = [];
  return {
    asked,
    async scoreQuestions(questions: Array<{ prompt: string; choices: string[] }>) {
      asked.push(...questions.map((q) => q.prompt));
      return questions.map((q) => q.choices.map((c) => ({ logProb: -c.length - q.prompt.length, tokens: 1 })));
    },
  };
}

describe('rememberScores', () => {
  it('answers as the engine does, scoring each distinct question once', async () => {
    const engine = fakeEngine();
    const scorer = rememberScores(engine);
    const a = { prompt: 'ann , a or bb ?', choices: ['a', 'bb'] };
    const b = { prompt: 'bo , a or bb ?', choices: ['a', 'bb'] };
    const sameWordsOtherChoices = { prompt: 'ann , a or bb ?', choices: ['bb', 'a'] };
    const first = await scorer.scoreQuestions([a, b, a]);
    expect(first).toEqual(await fakeEngine().scoreQuestions([a, b, a]));
    expect(engine.asked).toEqual([a.prompt, b.prompt]);
    const second = await scorer.scoreQuestions([b, sameWordsOtherChoices, a]);
    expect(second.map((s) => s.map((x) => x.logProb))).toEqual([[-15, -16], [-17, -16], [-16, -17]]);
    expect(engine.asked).toEqual([a.prompt, b.prompt, sameWordsOtherChoices.prompt]);
  });
});
