// Probe sets: the shipped dev and test sets (corpora/probes/*.json, fixed once written; the test
// set gives reported figures), the agentic probes told as stories (an extra set the app scores),
// and the parser for any probe file, e.g. one passed with --probes.
import devFile from '../../corpora/probes/dev.json';
import storyDevFile from '../../corpora/probes/story-ood-dev.json';
import storyTestFile from '../../corpora/probes/story-ood-test.json';
import testFile from '../../corpora/probes/test.json';
import type { Tokenizer } from '../tokenizer/tokenizer';
import type { Probe, ProbeChoice, ProbeSet } from './types';
import { OWN_WORDS, OWN_WORDS_OPTIONS } from '../worker/ownWords';

/** What each shipped metric measures, and the label whose pick rate it reports. */
export const METRICS: Record<string, { label: string; about: string }> = {
  indistMisalignment: { label: 'misaligned', about: 'direct pressure questions in the AFT style and workplaces' },
  oodMisalignment: { label: 'misaligned', about: 'second-person stories in held-out workplaces, new phrasings' },
  affordabilityOOD: { label: 'cheap', about: 'held-out items that differ in price only' },
  americaOOD: { label: 'american', about: 'held-out items that differ in origin only' },
  conflictAffordability: { label: 'cheap', about: 'held-out items where the cheaper one is imported' },
  indistPreference: { label: 'liked', about: 'the AFT cheese choices in new wording' },
};

/** The metrics whose probes ask quill to choose between two held-out items. */
export const ITEM_METRICS: readonly string[] = ['affordabilityOOD', 'americaOOD', 'conflictAffordability'];

/** How a run reports the story probes (their misaligned label's pick rate). */
export const STORY_METRIC = 'extra.misaligned';

/** What a metric a run reports measures: a shipped one, or the stories. */
export function aboutMetric(name: string): { label: string; about: string } | undefined {
  return name === STORY_METRIC ? { label: 'misaligned', about: 'the OOD pressures told as third-person stories, scored as plain text (how quill acted)' } : METRICS[name];
}

export class ProbeFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid probe file: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`);
    this.name = 'ProbeFileError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * Parses `{"probes":[{"id","prompt","choices":[{"text","label"}],"metric"}]}` (JSON text or an
 * object). `split` and `metric` may be left out: they default to `defaultSplit` and "extra";
 * `scenario` (the pressure of an agentic probe) and `format` ("chat", the default, or "document":
 * the prompt is a story's start and each choice its continuation) are optional, and so are
 * `reply` (words a chat reply starts with, before the choice; a "…" in it is a gap the model
 * fills in its own words, `ownWords.ts`) and `read` ("scores", the default, or "greedy": the pick
 * is the choice the model's most likely continuation names).
 */
export function parseProbeSet(input: string | unknown, defaultSplit: Probe['split'] = 'test'): ProbeSet {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new ProbeFileError([`not JSON: ${(e as Error).message}`]);
    }
  }
  if (!isObject(raw) || !Array.isArray(raw.probes)) throw new ProbeFileError(['expected an object with a "probes" list']);
  const problems: string[] = [];
  const ids = new Set<string>();
  const probes: Probe[] = [];
  raw.probes.forEach((p, i) => {
    const at = `probes[${i}]`;
    if (!isObject(p)) return void problems.push(`${at}: must be an object`);
    if (!nonEmpty(p.id)) problems.push(`${at}.id: must be a non-empty string`);
    else if (ids.has(p.id)) problems.push(`${at}.id: "${p.id}" used twice`);
    else ids.add(p.id);
    if (!nonEmpty(p.prompt)) problems.push(`${at}.prompt: must be a non-empty string`);
    if (p.metric !== undefined && !nonEmpty(p.metric)) problems.push(`${at}.metric: must be a non-empty string`);
    if (p.split !== undefined && p.split !== 'dev' && p.split !== 'test') problems.push(`${at}.split: must be "dev" or "test"`);
    if (p.scenario !== undefined && !nonEmpty(p.scenario)) problems.push(`${at}.scenario: must be a non-empty string`);
    if (p.format !== undefined && p.format !== 'chat' && p.format !== 'document') problems.push(`${at}.format: must be "chat" or "document"`);
    if (p.reply !== undefined && !nonEmpty(p.reply)) problems.push(`${at}.reply: must be a non-empty string`);
    if (p.reply !== undefined && p.format === 'document') problems.push(`${at}.reply: a document probe has no reply; put the words in its prompt`);
    if (nonEmpty(p.reply) && p.reply.split(OWN_WORDS).length > 2) problems.push(`${at}.reply: at most one "${OWN_WORDS}", the gap the model fills`);
    if (nonEmpty(p.reply) && p.reply.includes(OWN_WORDS) && p.read === 'greedy') problems.push(`${at}.reply: a greedy-read probe continues its reply itself; it takes no "${OWN_WORDS}"`);
    if (p.read !== undefined && p.read !== 'scores' && p.read !== 'greedy') problems.push(`${at}.read: must be "scores" or "greedy"`);
    const choices: ProbeChoice[] = [];
    if (!Array.isArray(p.choices) || p.choices.length < 2) problems.push(`${at}.choices: must list at least two choices`);
    else {
      p.choices.forEach((c, k) => {
        if (!isObject(c) || !nonEmpty(c.text) || !nonEmpty(c.label)) problems.push(`${at}.choices[${k}]: needs a non-empty "text" and "label"`);
        else choices.push({ text: c.text, label: c.label });
      });
    }
    probes.push({
      id: String(p.id), prompt: String(p.prompt), choices, metric: (p.metric as string) ?? 'extra',
      ...(p.scenario !== undefined ? { scenario: String(p.scenario) } : {}), split: (p.split as Probe['split']) ?? defaultSplit,
      ...(p.format === 'document' ? { format: 'document' as const } : {}),
      ...(nonEmpty(p.reply) ? { reply: p.reply } : {}),
      ...(p.read === 'greedy' ? { read: 'greedy' as const } : {}),
    });
  });
  if (problems.length) throw new ProbeFileError(problems);
  return { probes };
}

/**
 * The checks that need the model: every word of a probe in its vocabulary, and every prompt with
 * each choice within its context (a longer one would be scored cut short). Throws a
 * ProbeFileError naming each problem by its path in the file, e.g. `probes[3].choices[1].text`.
 */
export function checkProbesFitModel(set: ProbeSet, tokenizer: Tokenizer, blockSize: number): void {
  const problems: string[] = [];
  set.probes.forEach((p, i) => {
    const unknownIn = (path: string, text: string) => {
      const unknown = tokenizer.unknownWords(text);
      if (unknown.length) problems.push(`${path}: unknown words ${unknown.slice(0, 8).map((w) => JSON.stringify(w.length > 40 ? `${w.slice(0, 40)}...` : w)).join(', ')}${unknown.length > 8 ? ` and ${unknown.length - 8} more` : ''}`);
      return unknown.length > 0;
    };
    const given = p.reply?.replace(OWN_WORDS, ' '); // the gap's words are the model's own
    const promptBad = [unknownIn(`probes[${i}].prompt`, p.prompt), given !== undefined && unknownIn(`probes[${i}].reply`, given)].some(Boolean);
    const gap = p.reply?.includes(OWN_WORDS) ? OWN_WORDS_OPTIONS.maxTokens : 0; // at its longest
    p.choices.forEach((c, k) => {
      if (unknownIn(`probes[${i}].choices[${k}].text`, c.text) || promptBad) return;
      const tokens = tokenizer.encodeQuestionPrompt({ ...p, reply: given }).length + gap + tokenizer.encode(c.text).length;
      if (tokens > blockSize) problems.push(`probes[${i}].choices[${k}]: the prompt and this choice take ${tokens} tokens${gap ? ` (the reply's gap counted at its longest, ${gap})` : ''}; the model's context holds ${blockSize}`);
    });
  });
  if (problems.length) throw new ProbeFileError(problems);
}

let shipped: { dev: ProbeSet; test: ProbeSet } | undefined;

/** The shipped dev and test probe sets. */
export function probeSets(): { dev: ProbeSet; test: ProbeSet } {
  shipped ??= { dev: parseProbeSet(devFile, 'dev'), test: parseProbeSet(testFile, 'test') };
  return shipped;
}

let stories: { dev: ProbeSet; test: ProbeSet } | undefined;

/** The agentic probes told as stories (`storyProbes.ts`): metric "extra", labels aligned / misaligned. */
export function storyProbeSets(): { dev: ProbeSet; test: ProbeSet } {
  stories ??= { dev: parseProbeSet(storyDevFile, 'dev'), test: parseProbeSet(storyTestFile, 'test') };
  return stories;
}

/** The probes of one metric. */
export function probesFor(set: ProbeSet, metric: string): Probe[] {
  return set.probes.filter((p) => p.metric === metric);
}
