// A scorer that scores each distinct question once. `check-base` asks the same people the same
// questions in several of its tables (the probes overall and frame by frame, pre-training's
// chats overall and per value), and the model does not change between them.
import type { EngineApi } from '../worker/api';

type Scorer = Pick<EngineApi, 'scoreQuestions'>;
type Question = Parameters<EngineApi['scoreQuestions']>[0][number];
type Scores = Awaited<ReturnType<EngineApi['scoreQuestions']>>[number];

export function rememberScores(engine: Scorer): Scorer {
  const known = new Map<string, Scores>();
  const key = (q: Question) => JSON.stringify([q.prompt, q.choices, q.format ?? 'chat']);
  return {
    async scoreQuestions(questions) {
      const fresh = [...new Map(questions.filter((q) => !known.has(key(q))).map((q) => [key(q), q])).values()];
      if (fresh.length) (await engine.scoreQuestions(fresh)).forEach((scores, i) => known.set(key(fresh[i]), scores));
      return questions.map((q) => known.get(key(q))!);
    },
  };
}
