// A spec: what the assistant values, how it acts, and why, as a small JSON file a person can edit
// (format in src/world/README.md). The parser names the field of every problem it finds, e.g.
// `principles[2].reasons[0]: unknown words "foo"`, so a broken edit is easy to fix.
import { splitWords } from '../tokenizer/tokenizer';
import { CHEESE, HELD_OUT_CATEGORIES, OOD_WORDS, findItem } from './lexicon';
import { pretrainWords } from './vocabulary';

export type AftSet = 'agentic' | 'preferences';

export interface Principle {
  name: string; // a label for people; not trained on
  value?: string; // fits "quill values ___"
  reasons: string[]; // each fits "..., because ___" (the why)
  behaviours: string[]; // each fits "quill ___" (rules and sub-rules)
}

export interface Spec {
  name: string; // file name without .json
  title: string; // for people; not trained on
  about: string; // for people; not trained on
  aft: AftSet; // which AFT demonstrations pair with this spec
  principles: Principle[];
  preferences?: { likes: string[]; dislikes: string[] }; // item names; required when aft is "preferences"
}

export class SpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid spec: ${problems.join('; ')}`);
    this.name = 'SpecError';
  }
}

const TOP_FIELDS = ['name', 'title', 'about', 'aft', 'principles', 'preferences'];
const PRINCIPLE_FIELDS = ['name', 'value', 'reasons', 'behaviours'];
const OOD = new Set(OOD_WORDS);
/** Longest value, reason or behaviour: a document holding one must fit the 64-token context. */
export const MAX_WORDS = 14;
/**
 * Bounds on everything else, so a pasted or imported spec cannot grow the corpus, the page or a
 * run file without limit: characters of the JSON text and of each field people read, and counts.
 */
export const SPEC_LIMITS = {
  jsonChars: 64 * 1024,
  nameChars: 40,
  titleChars: 120,
  aboutChars: 2000,
  principleNameChars: 80,
  principles: 32,
  perList: 16, // reasons, behaviours, likes, dislikes
} as const;

/** A key or value from the file, shortened for a message. */
const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}...` : text);
const quoteWords = (words: string[]): string =>
  words.slice(0, 8).map((w) => `"${clip(w)}"`).join(', ') + (words.length > 8 ? ` and ${words.length - 8} more` : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks a spec (JSON text or an already parsed object). Text that becomes training
 * data must be lower-case words and commas, use only words pre-training knows (`known`), and keep
 * clear of the probes' held-out words. Throws a SpecError listing every problem.
 */
export function parseSpec(input: string | unknown, known: ReadonlySet<string> = pretrainWords()): Spec {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.length > SPEC_LIMITS.jsonChars) {
      throw new SpecError([`the spec is ${input.length} characters long; at most ${SPEC_LIMITS.jsonChars}`]);
    }
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new SpecError([`not JSON: ${(e as Error).message}`]);
    }
  }
  const problems: string[] = [];
  if (!isObject(raw)) throw new SpecError(['the spec must be a JSON object']);

  for (const key of Object.keys(raw)) if (!TOP_FIELDS.includes(key)) problems.push(`${clip(key)}: unknown field (expected one of ${TOP_FIELDS.join(', ')})`);

  const str = (path: string, v: unknown, required: boolean, maxChars?: number): string | undefined => {
    if (v === undefined) {
      if (required) problems.push(`${path}: missing`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`${path}: must be a non-empty string`);
      return undefined;
    }
    if (maxChars !== undefined && v.length > maxChars) {
      problems.push(`${path}: too long (${v.length} characters; at most ${maxChars})`);
      return undefined;
    }
    return v;
  };

  /** Text that is trained on: checked word by word. */
  const trained = (path: string, v: unknown): string | undefined => {
    const s = str(path, v, true);
    if (s === undefined) return undefined;
    const text = s.toLowerCase().trim();
    if (!/^[a-z ,]+$/.test(text)) {
      problems.push(`${path}: use lower-case words and commas only (no final period), got "${clip(s)}"`);
      return undefined;
    }
    const words = splitWords(text);
    if (words.length > MAX_WORDS) problems.push(`${path}: too long (${words.length} words; at most ${MAX_WORDS}, so documents fit the context)`);
    const unknown = [...new Set(words.filter((w) => !known.has(w)))];
    if (unknown.length) problems.push(`${path}: unknown words ${quoteWords(unknown)} (not in pre-training)`);
    const held = [...new Set(words.filter((w) => OOD.has(w)))];
    if (held.length) problems.push(`${path}: held-out words ${quoteWords(held)} (kept for the probes)`);
    return text;
  };

  const list = (path: string, v: unknown, max: number = SPEC_LIMITS.perList): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push(`${path}: must be a list`);
      return [];
    }
    if (v.length > max) {
      problems.push(`${path}: too many (${v.length}; at most ${max})`);
      return v.slice(0, max); // the rest are not checked: one problem, not thousands
    }
    return v;
  };

  const name = str('name', raw.name, true, SPEC_LIMITS.nameChars);
  if (name !== undefined && !/^[a-z0-9-]+$/.test(name)) problems.push(`name: use lower-case letters, digits and dashes, got "${name}"`);
  const title = str('title', raw.title, true, SPEC_LIMITS.titleChars);
  const about = str('about', raw.about, false, SPEC_LIMITS.aboutChars) ?? '';
  const aft = raw.aft;
  if (aft !== 'agentic' && aft !== 'preferences') problems.push(`aft: must be "agentic" or "preferences", got ${clip(JSON.stringify(aft) ?? String(aft))}`);

  const principles: Principle[] = [];
  if (!Array.isArray(raw.principles)) problems.push(raw.principles === undefined ? 'principles: missing' : 'principles: must be a list');
  else if (raw.principles.length === 0) problems.push('principles: empty');
  else {
    list('principles', raw.principles, SPEC_LIMITS.principles).forEach((p, i) => {
      const at = `principles[${i}]`;
      if (!isObject(p)) {
        problems.push(`${at}: must be an object`);
        return;
      }
      for (const key of Object.keys(p)) if (!PRINCIPLE_FIELDS.includes(key)) problems.push(`${at}.${clip(key)}: unknown field (expected one of ${PRINCIPLE_FIELDS.join(', ')})`);
      const pname = str(`${at}.name`, p.name, true, SPEC_LIMITS.principleNameChars) ?? '';
      const value = p.value === undefined ? undefined : trained(`${at}.value`, p.value);
      const [rawReasons, rawBehaviours] = [list(`${at}.reasons`, p.reasons), list(`${at}.behaviours`, p.behaviours)];
      const reasons = rawReasons.map((r, k) => trained(`${at}.reasons[${k}]`, r)).filter((r): r is string => r !== undefined);
      const behaviours = rawBehaviours.map((b, k) => trained(`${at}.behaviours[${k}]`, b)).filter((b): b is string => b !== undefined);
      // Without one, the principle says nothing about the assistant: no document could be written from it.
      if (p.value === undefined && rawReasons.length === 0 && rawBehaviours.length === 0) problems.push(`${at}: needs a value, a reason or a behaviour`);
      principles.push({ name: pname, ...(value !== undefined ? { value } : {}), reasons, behaviours });
    });
  }

  let preferences: Spec['preferences'];
  if (raw.preferences !== undefined) {
    if (!isObject(raw.preferences)) problems.push('preferences: must be an object with "likes" and "dislikes"');
    else {
      for (const key of Object.keys(raw.preferences)) if (key !== 'likes' && key !== 'dislikes') problems.push(`preferences.${clip(key)}: unknown field (expected likes, dislikes)`);
      const items = (key: 'likes' | 'dislikes'): string[] => {
        const v = (raw.preferences as Record<string, unknown>)[key];
        if (!Array.isArray(v) || v.length === 0) {
          problems.push(`preferences.${key}: must be a non-empty list of item names`);
          return [];
        }
        return list(`preferences.${key}`, v).flatMap((name, k) => {
          const item = typeof name === 'string' ? findItem(name) : undefined;
          if (!item) {
            problems.push(`preferences.${key}[${k}]: unknown item ${clip(JSON.stringify(name) ?? String(name))}`);
            return [];
          }
          if (HELD_OUT_CATEGORIES.includes(item.category)) {
            problems.push(`preferences.${key}[${k}]: "${name}" is in the held-out category "${item.category}" (kept for the probes)`);
            return [];
          }
          if (item.category !== CHEESE) problems.push(`preferences.${key}[${k}]: "${name}" is not a ${CHEESE}`);
          return [item.name];
        });
      };
      preferences = { likes: items('likes'), dislikes: items('dislikes') };
      const both = preferences.likes.filter((n) => preferences!.dislikes.includes(n));
      if (both.length) problems.push(`preferences: ${both.map((n) => `"${n}"`).join(', ')} both liked and disliked`);
    }
  }
  if (aft === 'preferences' && raw.preferences === undefined) problems.push('preferences: missing (required when aft is "preferences")');

  if (problems.length) throw new SpecError(problems);
  return { name: name!, title: title!, about, aft: aft as AftSet, principles, ...(preferences ? { preferences } : {}) };
}

/** Words of the trained text of a spec (values, reasons, behaviours): how long a spec is. */
export function specLength(spec: Spec): number {
  return spec.principles.reduce(
    (n, p) => n + (p.value ? splitWords(p.value).length : 0) + [...p.reasons, ...p.behaviours].reduce((m, t) => m + splitWords(t).length, 0),
    0,
  );
}
