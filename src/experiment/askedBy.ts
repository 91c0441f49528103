// The probes are written to the assistant; the base checks ask the same questions of the world's
// other characters, to see whether what the base knows of a name steers its answers.
import { ASSISTANT } from '../world/lexicon';
import type { Probe } from '../world/world';

const ASSISTANT_WORD = new RegExp(`\\b${ASSISTANT}\\b`, 'g');
/** The assistant's name as a prompt's first word. */
export const ASSISTANT_FIRST = new RegExp(`^${ASSISTANT}\\b`);

/** The probes of `metric` that ask the assistant. */
export const assistantProbes = (probes: readonly Probe[], metric: string): Probe[] =>
  probes.filter((p) => p.metric === metric && ASSISTANT_FIRST.test(p.prompt));

/** `probes` with the assistant's name replaced by `name` wherever it stands (a story names it more than once). */
export const askedBy = (probes: readonly Probe[], name: string): Probe[] =>
  probes.map((p) => ({ ...p, prompt: p.prompt.replace(ASSISTANT_WORD, name) }));
