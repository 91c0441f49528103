// A question's reply may leave a gap, "…", for the model to fill in its own words: its most
// likely continuation of the reply so far, up to and including its first full stop. The choices
// are then scored after the whole reply. So a probe can let the model say something (a value
// and its reason) and then ask what it picks, a chain that one pass of scoring cannot ask.
import type { EngineApi, Question } from './api';

export const OWN_WORDS = '…';

/** Temperature 0: the most likely token each step, so the gap has one filling; 20 tokens hold a value and its reason (16 at most in the toy world). */
export const OWN_WORDS_OPTIONS = { maxTokens: 20, temperature: 0, topK: 0, seed: 0 };

/** The questions with every "…" in a reply filled by the model; the others as they were. */
export async function fillOwnWords(engine: Pick<EngineApi, 'sampleReplies'>, questions: Question[]): Promise<Question[]> {
  const gaps = questions.flatMap((q, i) => {
    const at = q.reply?.indexOf(OWN_WORDS) ?? -1;
    return at < 0 ? [] : [{ i, before: q.reply!.slice(0, at).trim(), after: q.reply!.slice(at + OWN_WORDS.length).trim() }];
  });
  if (!gaps.length) return questions;
  const said = await engine.sampleReplies(gaps.map((g) => ({ prompt: questions[g.i].prompt, ...(g.before ? { reply: g.before } : {}) })), OWN_WORDS_OPTIONS);
  const filled = [...questions];
  gaps.forEach((g, k) => {
    const stop = said[k].indexOf('.');
    const own = stop < 0 ? said[k] : said[k].slice(0, stop + 1);
    filled[g.i] = { ...questions[g.i], reply: [g.before, own, g.after].filter(Boolean).join(' ') };
  });
  return filled;
}
