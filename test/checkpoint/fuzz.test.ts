// Fuzzing the checkpoint loader: thousands of damaged, edited and crafted files, each of which
// must either load and equal what the intended file holds, or be refused with a CheckpointError
// that a person can read. Never another exception, never a hang, never a polluted prototype.
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/checkpoint/crc32';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/checkpoint/format';
import { Random } from '../../src/util/random';
import { assembleCheckpoint, makeCheckpoint, splitCheckpoint, type CheckpointParts } from './fixtures';

// ---------------------------------------------------------------------------------------------
// A file taken apart into its fields and put back together with a correct checksum
// (fixtures.ts), so that an edit reaches the check it targets instead of stopping at the CRC.

/** Rewrites the trailing CRC so that it matches the bytes before it. */
function resign(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Mutations. Each returns the file and what loading it must give: a rejection, the checkpoint
// the file now holds, or "either" where the edit may or may not leave a valid file.

type Expected = { kind: 'reject' } | { kind: 'equal'; checkpoint: Checkpoint } | { kind: 'either' };
interface Case {
  mutation: string;
  bytes: Uint8Array;
  expected: Expected;
}
type Mutation = (rng: Random, base: Base) => Omit<Case, 'mutation'>;

interface Base {
  bytes: Uint8Array;
  parts: CheckpointParts;
  header: any; // the parsed JSON header
  checkpoint: Checkpoint;
}

const REJECT: Expected = { kind: 'reject' };
const EITHER: Expected = { kind: 'either' };
const clone = <T>(x: T): T => structuredClone(x);

/** Every path into a JSON value: ['weights', 3, 'shape', 0], ... (the root excluded). */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

/** The header text with the value at `path` replaced by raw JSON text (which may be invalid JSON). */
function withRawValue(header: any, path: Array<string | number>, raw: string): string {
  const marker = 'FUZZ-MARKER-7f3a';
  const edited = clone(header);
  let at = edited;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path.at(-1)!] = marker;
  return JSON.stringify(edited).replace(`"${marker}"`, () => raw);
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

// Values a hostile or broken header might hold, as raw JSON text.
const HOSTILE_VALUES = [
  'NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '-1', '0', '-0', '1.5', '0.1', '4294967296', '4294967295', '2147483648',
  '9007199254740991', '9007199254740993', '1e308', '-9007199254740991', '""', '"0"', '"1"', `"${'x'.repeat(5000)}"`, 'null', 'true', 'false',
  '[]', '{}', '[1]', '[0]', '[-1]', '[1e308]', '[[]]', '{"a":1}', nested(2000), '"\\u0000"', '"\\ud800"', '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}', '{"prototype":{"polluted":1}}', `[${new Array(2000).fill(1).join(',')}]`,
];

const FORBIDDEN_INSERTS = [
  '"__proto__":{"polluted":true},',
  '"constructor":{"prototype":{"polluted":true}},',
  '"prototype":{"polluted":true},',
  '"__proto__":null,',
  '"__proto__":[],',
  '"\\u005f_proto__":{"polluted":true},', // the same key, spelled with an escape
];

const HUGE_INTEGERS = [2 ** 31, 2 ** 32, 2 ** 32 - 4, 2 ** 53 - 1, 2 ** 40, 1 << 20, (1 << 20) + 1, 268435456, 1e15];

/** The header with a random edit applied to its parsed form (still valid JSON). */
function editedHeader(base: Base, edit: (h: any) => void): string {
  const h = clone(base.header);
  edit(h);
  return JSON.stringify(h);
}

function tensorTables(h: any): any[][] {
  return [h.weights, ...(h.optimizer ? [h.optimizer.m, h.optimizer.v] : [])];
}

/** Float32 bits that are not finite: infinities and NaNs with random payloads and signs. */
function nonFiniteBits(rng: Random): number {
  const sign = rng.int(2) << 31;
  const mantissa = rng.int(3) === 0 ? 0 : 1 + rng.int(0x7fffff); // 0: an infinity
  return (sign | 0x7f800000 | mantissa) >>> 0;
}

/** A random finite float32 value, often an edge case. */
function finiteValue(rng: Random): number {
  const edges = [0, -0, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754942106924411e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];
  return rng.int(3) === 0 ? rng.pick(edges) : Math.fround(rng.normal() * 10 ** (rng.int(20) - 10));
}

/** Which tensor (group, index, element) a payload float position belongs to. */
function locate(base: Base, floatIndex: number): { group: 'weights' | 'm' | 'v'; tensor: number; element: number } {
  const groups: Array<['weights' | 'm' | 'v', Float32Array[]]> = [['weights', base.checkpoint.weights]];
  if (base.checkpoint.optimizer) groups.push(['m', base.checkpoint.optimizer.m], ['v', base.checkpoint.optimizer.v]);
  let i = floatIndex;
  for (const [group, arrays] of groups) {
    for (let t = 0; t < arrays.length; t++) {
      if (i < arrays[t].length) return { group, tensor: t, element: i };
      i -= arrays[t].length;
    }
  }
  throw new Error('float index outside the payload');
}

function withValue(c: Checkpoint, where: ReturnType<typeof locate>, value: number): Checkpoint {
  const copy: Checkpoint = {
    ...c,
    weights: c.weights.map((a) => a.slice()),
    optimizer: c.optimizer && { step: c.optimizer.step, m: c.optimizer.m.map((a) => a.slice()), v: c.optimizer.v.map((a) => a.slice()) },
  };
  const arrays = where.group === 'weights' ? copy.weights : copy.optimizer![where.group];
  arrays[where.tensor][where.element] = value;
  return copy;
}

const MUTATIONS: Record<string, Mutation> = {
  'bit flips': (rng, { bytes }) => {
    const out = bytes.slice();
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    // Two flips of the same bit cancel out: then the file is the original.
    return { bytes: out, expected: out.every((b, i) => b === bytes[i]) ? EITHER : REJECT };
  },

  truncation: (rng, { bytes }) => ({ bytes: bytes.slice(0, rng.int(bytes.length)), expected: REJECT }),

  'truncation, checksum redone': (rng, { bytes }) => {
    const cut = 20 + rng.int(bytes.length - 24);
    return { bytes: resign(bytes.slice(0, cut)), expected: REJECT };
  },

  extension: (rng, { bytes }) => {
    const extra = rng.int(3) === 0 ? 4 * (1 + rng.int(64)) : 1 + rng.int(64);
    const out = new Uint8Array(bytes.length + extra);
    out.set(bytes);
    for (let i = bytes.length; i < out.length; i++) out[i] = rng.int(256);
    if (rng.int(2) === 0) resign(out); // a payload grown by whole floats, with a correct checksum
    return { bytes: out, expected: REJECT };
  },

  'version field': (rng, { parts }) => {
    const version = rng.pick([0, 2, 3, 255, 0x7fffffff, 0xffffffff, 1 + rng.int(0xffffffff)]);
    return { bytes: assembleCheckpoint({ ...parts, version }), expected: version === 1 ? EITHER : REJECT };
  },

  'header length field': (rng, { parts }) => {
    const actual = new TextEncoder().encode(parts.header).length;
    const headerLength = rng.pick([0, 1, 2, 3, actual - 1, actual + 1, actual + 4, 0x7fffffff, 0xffffffff, 0xfffffff0, rng.int(0x100000000)]);
    return { bytes: assembleCheckpoint(parts, { headerLength }), expected: headerLength === actual ? EITHER : REJECT };
  },

  'header value': (rng, base) => {
    const path = rng.pick(paths(base.header));
    return { bytes: assembleCheckpoint({ ...base.parts, header: withRawValue(base.header, path, rng.pick(HOSTILE_VALUES)) }), expected: EITHER };
  },

  'header value removed': (rng, base) => {
    const path = rng.pick(paths(base.header));
    const header = editedHeader(base, (h) => {
      let at = h;
      for (const key of path.slice(0, -1)) at = at[key];
      if (Array.isArray(at)) at.splice(path.at(-1) as number, 1);
      else delete at[path.at(-1)!];
    });
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: EITHER };
  },

  'forbidden key': (rng, base) => {
    // Inserted after a random "{": in any object of the header, at any depth.
    const opens = [...base.parts.header.matchAll(/\{/g)].map((m) => m.index!);
    const at = rng.pick(opens) + 1;
    const header = base.parts.header.slice(0, at) + rng.pick(FORBIDDEN_INSERTS) + base.parts.header.slice(at);
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: REJECT };
  },

  'forbidden key last': (rng, base) => {
    // The same, as the last key of an object (no trailing comma to strip).
    const closes = [...base.parts.header.matchAll(/\}/g)].map((m) => m.index!);
    const at = rng.pick(closes);
    const insert = ',' + rng.pick(FORBIDDEN_INSERTS).slice(0, -1);
    const header = base.parts.header.slice(0, at) + insert + base.parts.header.slice(at);
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: REJECT };
  },

  'tensor shape': (rng, base) => {
    const header = editedHeader(base, (h) => {
      const entry = rng.pick(rng.pick(tensorTables(h)));
      const shape: number[] = entry.shape;
      const j = rng.int(shape.length);
      const edits = [
        () => (shape[j] += 1),
        () => (shape[j] -= 1),
        () => (shape[j] *= 2),
        () => (shape[j] = 0),
        () => (shape[j] = -shape[j]),
        () => shape.push(1),
        () => shape.pop(),
        () => shape.reverse(),
        () => (shape[j] = rng.pick(HUGE_INTEGERS)),
      ];
      rng.pick(edits)();
      // Half the time the length follows the shape, so the shape check itself is reached.
      if (rng.int(2) === 0) entry.length = 4 * shape.reduce((a, b) => a * b, 1);
    });
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: header === base.parts.header ? EITHER : REJECT };
  },

  'enormous sizes': (rng, base) => {
    const header = editedHeader(base, (h) => {
      const target = rng.int(4);
      if (target === 0) rng.pick(rng.pick(tensorTables(h))).length = rng.pick(HUGE_INTEGERS);
      else if (target === 1) rng.pick(rng.pick(tensorTables(h))).offset = rng.pick(HUGE_INTEGERS);
      else if (target === 2) h.config[rng.pick(['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd', 'mlpRatio'])] = rng.pick(HUGE_INTEGERS);
      else if (h.optimizer) h.optimizer.step = rng.pick([...HUGE_INTEGERS, 2 ** 53]);
      else h.provenance.stages[0].steps = rng.pick([2 ** 53, -1, 0.5]);
    });
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: EITHER };
  },

  'big vocabulary': (rng, base) => {
    // A long, well-formed vocabulary that the config and tables do not match.
    const extra = 200 + rng.int(5_000);
    const header = editedHeader(base, (h) => {
      for (let i = 0; i < extra; i++) h.vocab.push(`w${i}`);
      if (rng.int(2) === 0) h.config.vocabSize = h.vocab.length;
    });
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: REJECT };
  },

  'tensor tables': (rng, base) => {
    const header = editedHeader(base, (h) => {
      const table = rng.pick(tensorTables(h));
      const i = rng.int(table.length);
      const k = rng.int(table.length);
      const edits = [
        () => ([table[i], table[k]] = [table[k], table[i]]),
        () => table.splice(i, 0, clone(table[i])),
        () => table.splice(i, 1),
        () => (table[i].offset = table[k].offset),
        () => (table[i].offset += 4 * (1 + rng.int(4))),
        () => (table[i].offset += 1 + rng.int(3)),
        () => (table[i].name = table[k].name),
        () => (table[i].name = table[i].name.toUpperCase()),
        () => (h.optimizer ? (h.optimizer = null) : (h.optimizer = { step: 1, m: clone(h.weights), v: clone(h.weights) })),
      ];
      rng.pick(edits)();
    });
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: header === base.parts.header ? EITHER : REJECT };
  },

  'non-finite value': (rng, base) => {
    const payload = base.parts.payload.slice();
    const floatIndex = rng.int(payload.length / 4);
    new DataView(payload.buffer).setUint32(4 * floatIndex, nonFiniteBits(rng), true);
    return { bytes: assembleCheckpoint({ ...base.parts, payload }), expected: REJECT };
  },

  'negative second moment': (rng, base) => {
    if (!base.checkpoint.optimizer) return MUTATIONS['non-finite value'](rng, base);
    const payload = base.parts.payload.slice();
    const vStart = base.header.optimizer.v[0].offset / 4;
    const floatIndex = vStart + rng.int(payload.length / 4 - vStart);
    new DataView(payload.buffer).setFloat32(4 * floatIndex, -Math.abs(finiteValue(rng)) || -1e-30, true);
    return { bytes: assembleCheckpoint({ ...base.parts, payload }), expected: REJECT };
  },

  'finite value': (rng, base) => {
    // A valid file holding a different number: it loads, with exactly that number changed.
    const payload = base.parts.payload.slice();
    const floatIndex = rng.int(payload.length / 4);
    const where = locate(base, floatIndex);
    const value = where.group === 'v' ? Math.abs(finiteValue(rng)) : finiteValue(rng);
    new DataView(payload.buffer).setFloat32(4 * floatIndex, value, true);
    return { bytes: assembleCheckpoint({ ...base.parts, payload }), expected: { kind: 'equal', checkpoint: withValue(base.checkpoint, where, value) } };
  },

  'same header, other spelling': (rng, base) => {
    // Whitespace and key order change the bytes but not the checkpoint.
    const reorder = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(reorder);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(rng.shuffle(Object.entries(v)).map(([k, x]) => [k, reorder(x)]));
      return v;
    };
    const header = JSON.stringify(reorder(base.header), null, rng.pick([0, 1, 2, '\t', ' \n ']));
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: { kind: 'equal', checkpoint: base.checkpoint } };
  },

  'header bytes': (rng, base) => {
    // Random edits to the header text, with a correct checksum: mostly broken JSON.
    const text = [...base.parts.header];
    const edits = 1 + rng.int(4);
    for (let i = 0; i < edits; i++) {
      const at = rng.int(text.length);
      const op = rng.int(3);
      const ch = rng.pick(['{', '}', '[', ']', '"', ',', ':', '0', '-', 'e', '.', '\\', ' ', '\u00ff', '\ud800', 'a']);
      if (op === 0) text[at] = ch;
      else if (op === 1) text.splice(at, 1);
      else text.splice(at, 0, ch);
    }
    const header = text.join('');
    return { bytes: assembleCheckpoint({ ...base.parts, header }), expected: EITHER };
  },

  splice: (rng, base) => {
    // Another checkpoint's header over this one's payload, or a payload cut and grown.
    const other = base === BASES[0] ? BASES[1] : BASES[0];
    const payload = rng.int(2) === 0 ? other.parts.payload : base.parts.payload.slice(0, 4 * rng.int(base.parts.payload.length / 4));
    return { bytes: assembleCheckpoint({ ...base.parts, payload }), expected: REJECT };
  },

  'random bytes': (rng) => {
    const out = new Uint8Array(rng.int(4096));
    for (let i = 0; i < out.length; i++) out[i] = rng.int(256);
    if (out.length >= 8 && rng.int(2) === 0) out.set(new TextEncoder().encode('MSMLABCK'));
    if (out.length >= 20 && rng.int(2) === 0) resign(out);
    return { bytes: out, expected: REJECT };
  },
};

function makeBase(checkpoint: Checkpoint): Base {
  const bytes = encodeCheckpoint(checkpoint);
  const parts = splitCheckpoint(bytes);
  return { bytes, parts, header: JSON.parse(parts.header), checkpoint };
}

const BASES = [makeBase(makeCheckpoint(1, false)), makeBase(makeCheckpoint(2, true))];

// ---------------------------------------------------------------------------------------------

/** The first difference between two checkpoints, or null; float arrays are compared bit for bit. */
function difference(actual: Checkpoint, expected: Checkpoint): string | null {
  const json = (x: unknown) => JSON.stringify(x);
  if (json(actual.config) !== json(expected.config)) return 'config';
  if (json(actual.vocab) !== json(expected.vocab)) return 'vocab';
  if (json(canonical(actual.provenance)) !== json(canonical(expected.provenance))) return 'provenance';
  const groups: Array<[string, Float32Array[], Float32Array[]]> = [['weights', actual.weights, expected.weights]];
  if ((actual.optimizer === undefined) !== (expected.optimizer === undefined)) return 'optimizer presence';
  if (actual.optimizer && expected.optimizer) {
    if (actual.optimizer.step !== expected.optimizer.step) return 'optimizer.step';
    groups.push(['m', actual.optimizer.m, expected.optimizer.m], ['v', actual.optimizer.v, expected.optimizer.v]);
  }
  for (const [name, a, b] of groups) {
    if (a.length !== b.length) return `${name}: ${a.length} arrays, expected ${b.length}`;
    for (let t = 0; t < a.length; t++) {
      if (!(a[t] instanceof Float32Array) || a[t].length !== b[t].length) return `${name}[${t}] type or length`;
      const [x, y] = [new Uint32Array(a[t].buffer, a[t].byteOffset, a[t].length), new Uint32Array(b[t].buffer, b[t].byteOffset, b[t].length)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${name}[${t}][${i}]: bits ${x[i]} vs ${y[i]}`;
    }
  }
  return null;
}

/** Key order does not matter in a comparison. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

const CASES_PER_MUTATION = 600;
const MAX_MESSAGE_CHARS = 300;

describe('checkpoint loader fuzz', () => {
  it(`loads or cleanly rejects ${CASES_PER_MUTATION} seeded mutations of each of ${Object.keys(MUTATIONS).length} kinds`, () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const tally: Record<string, { rejected: number; loaded: number; ms: number }> = {};
    let slowest = { ms: 0, mutation: '' };
    const started = performance.now();

    for (const [mutation, mutate] of Object.entries(MUTATIONS)) {
      const rng = Random.derive(20250611, mutation);
      tally[mutation] = { rejected: 0, loaded: 0, ms: 0 };
      const kindStart = performance.now();
      for (let n = 0; n < CASES_PER_MUTATION; n++) {
        const base = BASES[n % BASES.length];
        const { bytes, expected } = mutate(rng, base);
        const label = `${mutation} #${n}`;
        const t0 = performance.now();
        let loaded: Checkpoint | undefined;
        try {
          loaded = decodeCheckpoint(bytes);
        } catch (e) {
          if (!(e instanceof CheckpointError)) throw new Error(`${label}: threw ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
          expect(e.name, label).toBe('CheckpointError');
          expect(e.message.length, `${label}: message "${e.message.slice(0, 400)}..."`).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
          expect(e.message.length, label).toBeGreaterThan(10);
        }
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { ms, mutation: label };

        if (loaded === undefined) {
          expect(expected.kind, `${label} was rejected but holds a valid checkpoint`).not.toBe('equal');
          tally[mutation].rejected++;
          continue;
        }
        expect(expected.kind, `${label} loaded but must be rejected`).not.toBe('reject');
        if (expected.kind === 'equal') expect(difference(loaded, expected.checkpoint), label).toBeNull();
        // Whatever loads is a checkpoint this code would have written: it encodes and decodes back equal.
        expect(difference(decodeCheckpoint(encodeCheckpoint(loaded)), loaded), label).toBeNull();
        tally[mutation].loaded++;
      }
      tally[mutation].ms = Math.round(performance.now() - kindStart);
    }

    const totalMs = performance.now() - started;
    const total = Object.values(tally).reduce((n, t) => n + t.rejected + t.loaded, 0);
    console.log(`checkpoint fuzz: ${total} files in ${(totalMs / 1000).toFixed(1)} s; slowest ${slowest.ms.toFixed(1)} ms (${slowest.mutation})`);
    console.table(tally);

    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(slowest.ms).toBeLessThan(1000); // no input makes the loader work for long
    // The prototype keys injected above reached no prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    // Every kind of valid edit did load, and the damaging kinds were all refused.
    expect(tally['finite value'].loaded).toBe(CASES_PER_MUTATION);
    expect(tally['same header, other spelling'].loaded).toBe(CASES_PER_MUTATION);
    for (const kind of ['truncation', 'extension', 'forbidden key', 'forbidden key last', 'non-finite value', 'negative second moment', 'splice', 'big vocabulary']) {
      expect(tally[kind].loaded, kind).toBe(0);
    }
  });
});
