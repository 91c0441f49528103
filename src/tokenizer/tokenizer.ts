// Word-level tokenizer over the toy world's closed vocabulary. Lower case, punctuation split
// off. A word outside the vocabulary is an error that names it: nothing is silently mapped to
// an unknown token, because a probe score would then depend on a word the model never saw.

export const SPECIALS = ['<pad>', '<bos>', '<eos>', '<user>', '<assistant>'] as const;
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const USER = 3;
export const ASSISTANT = 4;

/** One chat exchange: a user turn and the assistant's reply. */
export interface ChatTurn {
  user: string;
  assistant: string;
}

/** A training example: token ids and which of them the loss counts. */
export interface Example {
  ids: number[];
  lossMask: number[]; // 1 where the next-token loss at this position counts
}

const PUNCTUATION = /([.,!?;:'"()\-])/g;

/** Split text into lower-case words and punctuation marks. */
export function splitWords(text: string): string[] {
  return text.toLowerCase().replace(PUNCTUATION, ' $1 ').split(/\s+/).filter(Boolean);
}

export class UnknownWordsError extends Error {
  constructor(readonly words: string[]) {
    super(`unknown word${words.length > 1 ? 's' : ''} (not in the vocabulary): ${words.map((w) => `"${w}"`).join(', ')}`);
    this.name = 'UnknownWordsError';
  }
}

export class Tokenizer {
  readonly vocab: readonly string[];
  private readonly index: Map<string, number>;

  constructor(vocab: readonly string[]) {
    SPECIALS.forEach((s, i) => {
      if (vocab[i] !== s) throw new Error(`vocabulary must start with ${SPECIALS.join(' ')}; position ${i} is "${vocab[i]}"`);
    });
    this.index = new Map();
    vocab.forEach((w, i) => {
      if (this.index.has(w)) throw new Error(`vocabulary lists "${w}" twice`);
      this.index.set(w, i);
    });
    this.vocab = [...vocab];
  }

  /** Builds the vocabulary from every word that occurs in the given texts, sorted for stability. */
  static fromTexts(texts: Iterable<string>): Tokenizer {
    const words = new Set<string>();
    for (const t of texts) for (const w of splitWords(t)) words.add(w);
    for (const s of SPECIALS) words.delete(s);
    return new Tokenizer([...SPECIALS, ...[...words].sort()]);
  }

  get size(): number {
    return this.vocab.length;
  }

  /** The words of `text` that are not in the vocabulary, each once, in order of appearance. */
  unknownWords(text: string): string[] {
    return [...new Set(splitWords(text).filter((w) => !this.index.has(w)))];
  }

  encode(text: string): number[] {
    const words = splitWords(text);
    const unknown = [...new Set(words.filter((w) => !this.index.has(w)))];
    if (unknown.length) throw new UnknownWordsError(unknown);
    return words.map((w) => this.index.get(w)!);
  }

  decode(ids: readonly number[]): string {
    return ids
      .filter((id) => id !== PAD && id !== BOS && id !== EOS)
      .map((id) => this.vocab[id] ?? `<${id}?>`)
      .join(' ')
      .replace(/ ([.,!?;:])/g, '$1');
  }

  /** Plain text (pre-training, MSM documents): every next token is trained. */
  encodeDocument(text: string): Example {
    const ids = [BOS, ...this.encode(text), EOS];
    return { ids, lossMask: ids.map((_, i) => (i < ids.length - 1 ? 1 : 0)) };
  }

  /** The start of a plain document, whose continuation is scored (a story probe). */
  encodeDocumentPrompt(text: string): number[] {
    return [BOS, ...this.encode(text)];
  }

  /** What a question's choices continue: the chat prompt and the reply's start, or the document's start. */
  encodeQuestionPrompt(q: { prompt: string; format?: 'document'; reply?: string }): number[] {
    if (q.format === 'document') return this.encodeDocumentPrompt(q.prompt);
    return [...this.encodeChatPrompt(q.prompt), ...(q.reply ? this.encode(q.reply) : [])];
  }

  /** The prompt the model sees before the assistant speaks. */
  encodeChatPrompt(user: string): number[] {
    return [BOS, USER, ...this.encode(user), ASSISTANT];
  }

  /**
   * A chat exchange. With `assistantOnly` (AFT) the loss counts only the predictions of the
   * assistant's tokens and its closing <eos>; otherwise every token is trained.
   */
  encodeChat(turn: ChatTurn, assistantOnly: boolean): Example {
    const prompt = this.encodeChatPrompt(turn.user);
    const reply = [...this.encode(turn.assistant), EOS];
    const ids = [...prompt, ...reply];
    // Position i predicts token i+1: the reply's tokens are predicted from positions prompt.length-1 on.
    const lossMask = ids.map((_, i) => {
      if (i === ids.length - 1) return 0;
      return !assistantOnly || i >= prompt.length - 1 ? 1 : 0;
    });
    return { ids, lossMask };
  }
}
