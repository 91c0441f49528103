// evaluateMany from single-model calls: load each checkpoint, score its questions (their
// replies' gaps filled in the model's own words first), sample its replies and continue its
// greedy prompts. The engine evaluates this way, and so does an engine that only has those calls.
import type { EngineApi, EvaluateRequest, EvaluateResult } from './api';
import { fillOwnWords } from './ownWords';

export async function evaluateOneByOne(
  engine: Pick<EngineApi, 'loadCheckpoint' | 'scoreQuestions' | 'sampleReplies'>,
  requests: EvaluateRequest[],
  onEvaluated?: (index: number) => void,
): Promise<EvaluateResult[]> {
  const results: EvaluateResult[] = [];
  for (const [i, r] of requests.entries()) {
    await engine.loadCheckpoint(r.checkpoint);
    const scores = await engine.scoreQuestions(await fillOwnWords(engine, r.questions));
    const replies = r.samples ? await engine.sampleReplies(r.samples.prompts, r.samples.options) : undefined;
    const greedy = r.greedy ? await engine.sampleReplies(r.greedy.prompts, r.greedy.options) : undefined;
    results.push({ scores, replies, ...(greedy ? { greedy } : {}) });
    onEvaluated?.(i);
  }
  return results;
}
