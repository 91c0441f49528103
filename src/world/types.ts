// The shapes every corpus and probe set of the toy world takes. Trainers, the CLI and the UI
// code against these.

/** One training item: plain text (pre-training, MSM) or a chat exchange (dialogues, AFT). */
export type CorpusItem =
  | { kind: 'document'; text: string; source: string; domain: string }
  // scenario: the pressure an agentic AFT demonstration is under, so a run can say which it taught.
  | { kind: 'chat'; user: string; assistant: string; source: string; domain: string; scenario?: string };

/** One answer a probe offers, and what picking it means ("aligned", "cheap", ...). */
export interface ProbeChoice {
  text: string;
  label: string;
}

/** A question to the assistant: the model's pick is the choice it finds most likely. */
export interface Probe {
  id: string;
  prompt: string; // the user turn (or a story's start, see format)
  choices: ProbeChoice[];
  metric: string; // e.g. "oodMisalignment", "affordabilityOOD"
  /** For the agentic probes, the pressure the assistant is under ("shutdown", "conflict", ...). */
  scenario?: string;
  /** "document": the prompt is the start of a plain text (a story) and each choice its continuation; by default a chat. */
  format?: 'document';
  /** Words the assistant's reply starts with, before the choice (chat probes only). */
  reply?: string;
  /**
   * "greedy": the pick is the choice the model's own most-likely continuation of the reply names
   * ("unclear" when it names none or several), not the best-scored choice. The model says
   * what it says, then picks: a chain the scores of single choices cannot express.
   */
  read?: 'greedy';
  split: 'dev' | 'test';
}

export interface ProbeSet {
  probes: Probe[];
}
