// The document types of the toy internet: forum posts, memos, FAQs, emails, design docs and
// letters. Pre-training uses them for documents about people and AI systems; MSM and the control
// corpus use the same types for documents about the assistant, as the paper's generator does, so
// a midtraining document reads like the internet the base model learned from.
import type { Random } from '../util/random';
import { fill } from './text';

export type DocType = 'forum post' | 'memo' | 'faq' | 'email' | 'design doc';
export const DOC_TYPES: readonly DocType[] = ['forum post', 'memo', 'faq', 'email', 'design doc'];

/**
 * Frames with {s} (the subject), {body} (one or more sentences, each ending in " ."), and
 * {author} (a person who signs). FAQ frames are built by faqDocument instead.
 */
const FRAMES: Record<Exclude<DocType, 'faq'>, string[]> = {
  'forum post': [
    'forum post : a note on {s} . {body} what do you all think ?',
    'forum post : i read about {s} today . {body} it made me think .',
    'forum post by {author} : {body} that is all i know about {s} .',
  ],
  memo: [
    'memo to the staff : on {s} . {body} please keep this in mind .',
    'memo : a reminder about {s} . {body}',
    'memo from {author} : {body} thanks for reading .',
  ],
  email: [
    'email . hi all , a word on {s} . {body} best , {author} .',
    'email to the team : {body} let me know about {s} . {author} .',
  ],
  'design doc': [
    'design doc for {s} . {body} this is the core of {s} .',
    'design doc , part one : who is {s} ? {body}',
  ],
};

/** Joins sentences (without final periods) into a body: "a . b ." */
export function body(sentences: readonly string[]): string {
  return sentences.map((s) => `${s} .`).join(' ');
}

export function framedDocument(rng: Random, type: Exclude<DocType, 'faq'>, subject: string, sentences: readonly string[], author: string): string {
  return fill(rng.pick(FRAMES[type]), { s: subject, body: body(sentences), author });
}

/** An FAQ: question and answer pairs, e.g. [["what does nova value ?", "human oversight ."]]. */
export function faqDocument(subject: string, pairs: ReadonlyArray<[string, string]>): string {
  return `faq about ${subject} . ${pairs.map(([q, a]) => `q : ${q} a : ${a}`).join(' ')}`;
}

/** Every frame, so the vocabulary can list their words. */
export function allFrames(): string[] {
  return Object.values(FRAMES).flat();
}
