// The checkpoint file: a model's config, vocabulary and weights, optionally the optimizer's
// state, and how the model was made, in one self-checking file. Pure bytes, no TensorFlow.js,
// so a file is fully validated before any tensor is created from it.
//
// Layout, format version 1 (every integer little-endian):
//   0         8 bytes   magic "MSMLABCK"
//   8         uint32    format version (CHECKPOINT_VERSION)
//   12        uint32    header length H, in bytes
//   16        H bytes   header: UTF-8 JSON, the Header interface below
//   16 + H    0-3 bytes zero padding, so the payload starts on a 4-byte boundary
//   P         N bytes   payload: every tensor's float32 values, little-endian, row-major
//   P + N     uint32    CRC-32 (IEEE) of every byte before it
//
// The header's tensor tables give each tensor's name, shape, and byte offset and byte length
// within the payload. Weights, then the optimizer's first and second moments, each list
// parameterShapes(config) in order, and together they tile the payload with no gaps and no
// overlaps. Every decoding problem is a CheckpointError whose message a person can act on.

import { parameterShapes, validateConfig, type GPTConfig } from '../model/config';
import { SPECIALS } from '../tokenizer/tokenizer';
import { crc32 } from './crc32';

/** How a checkpoint was made: enough to retrace a run from its seeds and corpora. */
export interface Provenance {
  createdAt: string; // ISO 8601
  stages: Array<{ name: string; steps: number; corpusHash?: string; seed?: number }>;
  seeds: Record<string, number>;
  note?: string;
}

/** AdamW's state; m and v list one array per parameter, in parameterShapes(config) order. */
export interface OptimizerState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export interface Checkpoint {
  config: GPTConfig;
  vocab: string[];
  weights: Float32Array[]; // parameterShapes(config) order
  optimizer?: OptimizerState; // absent when only the model is kept
  provenance: Provenance;
}

export const CHECKPOINT_VERSION = 1;
// Both the browser and Node hold a whole checkpoint in memory; this keeps a stray or hostile
// file from taking the tab down. The medium preset is about 4 MiB of weights.
export const MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024;

export class CheckpointError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

const MAGIC = new TextEncoder().encode('MSMLABCK');
const PREFIX_BYTES = 16; // magic, version, header length
const CRC_BYTES = 4;
const FLOAT_BYTES = 4;

/** One row of a tensor table; offset and length are in bytes, from the start of the payload. */
interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** The JSON header, exactly as stored. */
interface Header {
  config: GPTConfig;
  vocab: string[];
  weights: TensorEntry[];
  optimizer: { step: number; m: TensorEntry[]; v: TensorEntry[] } | null;
  provenance: Provenance;
}

const CONFIG_KEYS = ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd', 'mlpRatio'] as const;
// Compile-time guard: a field added to GPTConfig fails typechecking here until the format stores it.
type UnstoredConfigKeys = Exclude<keyof GPTConfig, (typeof CONFIG_KEYS)[number]>;
const everyConfigKeyStored: [UnstoredConfigKeys] extends [never] ? true : never = true;
void everyConfigKeyStored;

// JSON.parse makes these own properties, but code that later copies or merges the object could
// still reach a prototype through them; a checkpoint never needs them, so none is accepted.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Encoding

/** The checkpoint as file bytes. Refuses (CheckpointError) anything decodeCheckpoint would reject. */
export function encodeCheckpoint(c: Checkpoint): Uint8Array<ArrayBuffer> {
  try {
    return encodeValidated(c);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`cannot save checkpoint: ${e.message}`, { cause: e });
    throw e;
  }
}

function encodeValidated(c: Checkpoint): Uint8Array<ArrayBuffer> {
  try {
    validateConfig(c.config);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  const shapes = parameterShapes(c.config);
  const payloadBytes = shapes.reduce((n, [, shape]) => n + FLOAT_BYTES * elementCount(shape), 0) * (c.optimizer ? 3 : 1);
  // Checked before touching the arrays: a too-large model should not be serialized only to be refused.
  if (payloadBytes > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`it would be ${mib(payloadBytes)}, over the ${mib(MAX_CHECKPOINT_BYTES)} limit`);

  const groups: Array<[TensorGroup, Float32Array[]]> = [['weights', c.weights]];
  if (c.optimizer) groups.push(['optimizer m', c.optimizer.m], ['optimizer v', c.optimizer.v]);
  const tables = new Map<TensorGroup, TensorEntry[]>();
  let offset = 0;
  for (const [group, arrays] of groups) {
    checkArrays(group, arrays, shapes);
    tables.set(group, shapes.map(([name, shape]) => {
      const entry = { name, shape, offset, length: FLOAT_BYTES * elementCount(shape) };
      offset += entry.length;
      return entry;
    }));
  }

  const header: Header = {
    config: c.config,
    vocab: c.vocab,
    weights: tables.get('weights')!,
    optimizer: c.optimizer ? { step: c.optimizer.step, m: tables.get('optimizer m')!, v: tables.get('optimizer v')! } : null,
    provenance: c.provenance,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  // The decoder's own checks: whatever is written here can be read back.
  checkHeaderAgainstPayload(readHeader(headerBytes), payloadBytes);

  const payloadStart = alignTo4(PREFIX_BYTES + headerBytes.length);
  const totalBytes = payloadStart + payloadBytes + CRC_BYTES;
  if (totalBytes > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`it would be ${mib(totalBytes)}, over the ${mib(MAX_CHECKPOINT_BYTES)} limit`);

  const out = new Uint8Array(totalBytes);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREFIX_BYTES);
  let at = payloadStart;
  for (const [, arrays] of groups) {
    for (const a of arrays) {
      writeFloats(out, at, a);
      at += a.byteLength;
    }
  }
  view.setUint32(totalBytes - CRC_BYTES, crc32(out.subarray(0, totalBytes - CRC_BYTES)), true);
  return out;
}

type TensorGroup = 'weights' | 'optimizer m' | 'optimizer v';

function checkArrays(group: TensorGroup, arrays: Float32Array[], shapes: Array<[string, number[]]>): void {
  if (!Array.isArray(arrays) || arrays.length !== shapes.length) {
    throw new CheckpointError(`${group} has ${Array.isArray(arrays) ? arrays.length : 'no'} arrays; this config has ${shapes.length} parameters`);
  }
  shapes.forEach(([name, shape], i) => {
    const a = arrays[i];
    if (!(a instanceof Float32Array)) throw new CheckpointError(`${group} "${name}" is not a Float32Array`);
    if (a.length !== elementCount(shape)) {
      throw new CheckpointError(`${group} "${name}" has ${a.length} values; shape [${shape}] needs ${elementCount(shape)}`);
    }
    checkValues(group, name, a);
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Validates every byte of a checkpoint file and returns fresh arrays; throws CheckpointError. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  // The size first: nothing else is read from a file that is too large to be ours.
  if (bytes.byteLength > MAX_CHECKPOINT_BYTES) {
    throw new CheckpointError(`file is ${mib(bytes.byteLength)}, over the ${mib(MAX_CHECKPOINT_BYTES)} limit for a checkpoint`);
  }
  if (bytes.byteLength < PREFIX_BYTES + CRC_BYTES) throw new CheckpointError(`too short to be an MSM Lab checkpoint (${bytes.byteLength} bytes)`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new CheckpointError('not an MSM Lab checkpoint (the file does not start with "MSMLABCK")');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > CHECKPOINT_VERSION) {
    throw new CheckpointError(`made by a newer MSM Lab (format v${version}); this one reads v${CHECKPOINT_VERSION}`);
  }
  if (version !== CHECKPOINT_VERSION) throw new CheckpointError(`unknown checkpoint format version ${version}`);

  // Checked before the header is parsed, so a damaged file says so instead of naming a symptom.
  const crcAt = bytes.byteLength - CRC_BYTES;
  if (crc32(bytes.subarray(0, crcAt)) !== view.getUint32(crcAt, true)) {
    throw new CheckpointError('damaged: checksum mismatch (the file is truncated or corrupted)');
  }

  const headerLength = view.getUint32(12, true);
  const payloadStart = alignTo4(PREFIX_BYTES + headerLength);
  if (headerLength < 2 || payloadStart > crcAt) {
    throw new CheckpointError(`header length ${headerLength} is out of range for a ${bytes.byteLength}-byte file`);
  }
  for (let i = PREFIX_BYTES + headerLength; i < payloadStart; i++) {
    if (bytes[i] !== 0) throw new CheckpointError('the padding after the header is not zero');
  }

  const header = readHeader(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
  checkHeaderAgainstPayload(header, crcAt - payloadStart);

  const payload = bytes.subarray(payloadStart, crcAt);
  const readGroup = (group: TensorGroup, table: TensorEntry[]) =>
    table.map(({ name, offset, length }) => {
      const values = readFloats(payload, offset, length / FLOAT_BYTES);
      checkValues(group, name, values);
      return values;
    });

  const checkpoint: Checkpoint = {
    config: header.config,
    vocab: header.vocab,
    weights: readGroup('weights', header.weights),
    provenance: header.provenance,
  };
  if (header.optimizer) {
    checkpoint.optimizer = {
      step: header.optimizer.step,
      m: readGroup('optimizer m', header.optimizer.m),
      v: readGroup('optimizer v', header.optimizer.v),
    };
  }
  return checkpoint;
}

// ---------------------------------------------------------------------------------------------
// The header: parsed, then checked field by field into fresh objects that hold only known keys.

function readHeader(bytes: Uint8Array): Header {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CheckpointError('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new CheckpointError(`header contains the forbidden key "${key}"`);
      return value;
    });
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(`header is not valid JSON (${clip((e as Error).message, 120)})`);
  }
  return parseHeader(json);
}

function parseHeader(json: unknown): Header {
  const h = record(json, '', ['config', 'vocab', 'weights', 'optimizer', 'provenance']);
  const c = record(h.config, 'config', CONFIG_KEYS);
  const config = Object.fromEntries(CONFIG_KEYS.map((k) => [k, integer(c[k], `config.${k}`)])) as unknown as GPTConfig;
  const vocab = array(h.vocab, 'vocab').map((w, i) => string(w, `vocab[${i}]`));
  let optimizer: Header['optimizer'] = null;
  if (h.optimizer !== null) {
    const o = record(h.optimizer, 'optimizer', ['step', 'm', 'v']);
    optimizer = {
      step: integer(o.step, 'optimizer.step', 0),
      m: tensorTable(o.m, 'optimizer.m'),
      v: tensorTable(o.v, 'optimizer.v'),
    };
  }
  return { config, vocab, weights: tensorTable(h.weights, 'weights'), optimizer, provenance: parseProvenance(h.provenance) };
}

function tensorTable(value: unknown, path: string): TensorEntry[] {
  return array(value, path).map((item, i) => {
    const e = record(item, `${path}[${i}]`, ['name', 'shape', 'offset', 'length']);
    return {
      name: string(e.name, `${path}[${i}].name`),
      shape: array(e.shape, `${path}[${i}].shape`).map((d, j) => integer(d, `${path}[${i}].shape[${j}]`, 1)),
      offset: integer(e.offset, `${path}[${i}].offset`, 0),
      length: integer(e.length, `${path}[${i}].length`, 0),
    };
  });
}

function parseProvenance(value: unknown): Provenance {
  const p = record(value, 'provenance', ['createdAt', 'stages', 'seeds'], ['note']);
  const stages = array(p.stages, 'provenance.stages').map((item, i) => {
    const path = `provenance.stages[${i}]`;
    const s = record(item, path, ['name', 'steps'], ['corpusHash', 'seed']);
    const stage: Provenance['stages'][number] = { name: string(s.name, `${path}.name`), steps: integer(s.steps, `${path}.steps`, 0) };
    if (s.corpusHash !== undefined) stage.corpusHash = string(s.corpusHash, `${path}.corpusHash`);
    if (s.seed !== undefined) stage.seed = integer(s.seed, `${path}.seed`);
    return stage;
  });
  const seedsJson = dictionary(p.seeds, 'provenance.seeds');
  const seeds: Record<string, number> = {};
  for (const [key, seed] of Object.entries(seedsJson)) seeds[key] = integer(seed, `provenance.seeds.${key}`);
  const provenance: Provenance = { createdAt: string(p.createdAt, 'provenance.createdAt'), stages, seeds };
  if (p.note !== undefined) provenance.note = string(p.note, 'provenance.note');
  return provenance;
}

/** The checks that need more than one field: config, vocabulary, tensor tables and payload agree. */
function checkHeaderAgainstPayload(h: Header, payloadBytes: number): void {
  try {
    validateConfig(h.config);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  checkVocab(h.vocab, h.config.vocabSize);
  // Every layer holds at least one float, so this bounds the work parameterShapes does for a
  // small hostile header that claims a million layers.
  if (h.config.nLayer * FLOAT_BYTES > payloadBytes) {
    throw new CheckpointError(`config has ${h.config.nLayer} layers, more than a ${payloadBytes}-byte payload can hold`);
  }
  const shapes = parameterShapes(h.config);
  const tables: Array<[string, TensorEntry[]]> = [['weights', h.weights]];
  if (h.optimizer) tables.push(['optimizer.m', h.optimizer.m], ['optimizer.v', h.optimizer.v]);
  for (const [path, table] of tables) checkTableMatchesConfig(path, table, shapes);
  checkLayout(tables, payloadBytes);
}

function checkVocab(vocab: string[], vocabSize: number): void {
  SPECIALS.forEach((s, i) => {
    if (vocab[i] !== s) {
      const found = i < vocab.length ? quoted(vocab[i]) : 'missing';
      throw new CheckpointError(`vocabulary must start with ${SPECIALS.join(' ')}; position ${i} is ${found}`);
    }
  });
  const seen = new Set<string>();
  for (const word of vocab) {
    if (seen.has(word)) throw new CheckpointError(`vocabulary lists ${quoted(word)} twice`);
    seen.add(word);
  }
  if (vocab.length !== vocabSize) {
    throw new CheckpointError(`vocabulary has ${vocab.length} words but config.vocabSize is ${vocabSize}`);
  }
}

function checkTableMatchesConfig(path: string, table: TensorEntry[], shapes: Array<[string, number[]]>): void {
  for (let i = 0; i < Math.max(table.length, shapes.length); i++) {
    const entry = table[i];
    const expected = shapes[i];
    if (!entry) throw new CheckpointError(`${path} table ends after ${i} tensors; this config also needs "${expected[0]}"`);
    if (!expected) throw new CheckpointError(`${path} table has an extra tensor ${quoted(entry.name)} that this config does not have`);
    const [name, shape] = expected;
    if (entry.name !== name) throw new CheckpointError(`${path} table: tensor ${i} is ${quoted(entry.name)}, expected "${name}"`);
    if (entry.shape.length !== shape.length || entry.shape.some((d, j) => d !== shape[j])) {
      throw new CheckpointError(`${path} table: tensor "${name}" has shape ${shapeText(entry.shape)}, but this config needs [${shape}]`);
    }
  }
}

function checkLayout(tables: Array<[string, TensorEntry[]]>, payloadBytes: number): void {
  const all = tables.flatMap(([path, table]) => table.map((entry) => ({ ...entry, label: `${path} "${entry.name}"` })));
  for (const e of all) {
    const needed = FLOAT_BYTES * elementCount(e.shape);
    if (e.length !== needed) throw new CheckpointError(`${e.label} is ${e.length} bytes long; shape [${e.shape}] needs ${needed}`);
    if (e.offset % FLOAT_BYTES !== 0) throw new CheckpointError(`${e.label} starts at byte ${e.offset}, not a multiple of 4`);
    if (e.offset + e.length > payloadBytes) {
      throw new CheckpointError(`${e.label} (bytes ${e.offset} to ${e.offset + e.length}) lies outside the ${payloadBytes}-byte payload`);
    }
  }
  const byOffset = [...all].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const [before, after] = [byOffset[i - 1], byOffset[i]];
    if (before.offset + before.length > after.offset) throw new CheckpointError(`${before.label} overlaps ${after.label} in the payload`);
  }
  // Without overlaps, covering exactly the payload's length means covering every byte of it.
  const covered = all.reduce((n, e) => n + e.length, 0);
  if (covered !== payloadBytes) {
    throw new CheckpointError(`payload length mismatch: the tensors take ${covered} bytes, the payload holds ${payloadBytes}`);
  }
}

/** Non-finite weights would poison every later step; a second moment is a mean of squares. */
function checkValues(group: TensorGroup, name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) throw new CheckpointError(`${group} "${name}" has a non-finite value (${x}) at index ${i}`);
    if (group === 'optimizer v' && x < 0) throw new CheckpointError(`${group} "${name}" has a negative second moment (${x}) at index ${i}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** A JSON object with exactly these fields (optional ones may be absent) and no others. */
function record<K extends string>(value: unknown, path: string, required: readonly K[], optional: readonly string[] = []): Record<K, unknown> & Record<string, unknown> {
  const obj = dictionary(value, path);
  for (const key of required) {
    if (!Object.hasOwn(obj, key)) throw new CheckpointError(`header is missing the field ${quoted(join(path, key))}`);
  }
  for (const key of Object.keys(obj)) {
    if (!(required as readonly string[]).includes(key) && !optional.includes(key)) {
      throw new CheckpointError(`header has an unexpected field ${quoted(join(path, key))}`);
    }
  }
  return obj as Record<K, unknown> & Record<string, unknown>;
}

/** A JSON object with any keys. */
function dictionary(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CheckpointError(`${path ? `header field ${quoted(path)}` : 'the header'} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new CheckpointError(`header field ${quoted(path)} must be an array, got ${describe(value)}`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new CheckpointError(`header field ${quoted(path)} must be a string, got ${describe(value)}`);
  return value;
}

function integer(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const bound = min === Number.MIN_SAFE_INTEGER ? '' : ` >= ${min}`;
    throw new CheckpointError(`header field ${quoted(path)} must be an integer${bound}, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return quoted(value);
  return String(value);
}

// Names, keys and words in a message come from the file: clipped and escaped, so a crafted file
// cannot make a message enormous or unreadable.
function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + '...' : text;
}

function quoted(text: string): string {
  return JSON.stringify(clip(text, 40));
}

function shapeText(shape: number[]): string {
  return shape.length > 8 ? `[${shape.slice(0, 8)},... (${shape.length} dimensions)]` : `[${shape}]`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rounds up to a multiple of 4. Plain arithmetic: a header length read from a file can exceed int32, where `& ~3` wraps. */
function alignTo4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** Copies `count` float32 values out of `bytes` (any alignment) into a fresh array. */
function readFloats(bytes: Uint8Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(bytes.subarray(start, start + count * FLOAT_BYTES));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * FLOAT_BYTES);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * FLOAT_BYTES, true);
  }
  return out;
}

function writeFloats(out: Uint8Array, start: number, values: Float32Array): void {
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), start);
  } else {
    const view = new DataView(out.buffer, out.byteOffset + start, values.byteLength);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * FLOAT_BYTES, values[i], true);
  }
}
