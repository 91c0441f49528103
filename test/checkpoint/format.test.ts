import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/checkpoint/crc32';
import {
  CHECKPOINT_VERSION,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  MAX_CHECKPOINT_BYTES,
  type Checkpoint,
} from '../../src/checkpoint/format';
import { Random } from '../../src/util/random';
import { assembleCheckpoint, CONFIG, expectSameBits, makeCheckpoint, splitCheckpoint, VOCAB } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Files taken apart and put back together with a correct checksum (fixtures.ts), so that a test
// reaches the check it targets instead of being stopped by the CRC.

/** The file with its JSON header edited, re-encoded with a valid layout and checksum. */
function withHeader(bytes: Uint8Array, edit: (header: any) => void): Uint8Array {
  const parts = splitCheckpoint(bytes);
  const header = JSON.parse(parts.header);
  edit(header);
  return assembleCheckpoint({ ...parts, header: JSON.stringify(header) });
}

/** The CheckpointError's message; fails the test for any other outcome. */
function rejection(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected a CheckpointError, but nothing was thrown');
}

const plain = encodeCheckpoint(makeCheckpoint(1, false));
const full = encodeCheckpoint(makeCheckpoint(2, true));

function expectEqualCheckpoints(actual: Checkpoint, expected: Checkpoint): void {
  expect(actual.config).toEqual(expected.config);
  expect(actual.vocab).toEqual(expected.vocab);
  expect(actual.provenance).toEqual(expected.provenance);
  expectSameBits(actual.weights, expected.weights);
  expect(actual.optimizer === undefined).toBe(expected.optimizer === undefined);
  if (expected.optimizer) {
    expect(actual.optimizer!.step).toBe(expected.optimizer.step);
    expectSameBits(actual.optimizer!.m, expected.optimizer.m);
    expectSameBits(actual.optimizer!.v, expected.optimizer.v);
  }
}

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('checkpoint format: round trip', () => {
  it('restores weights bit for bit, without optimizer state', () => {
    const original = makeCheckpoint(1, false);
    const decoded = decodeCheckpoint(encodeCheckpoint(original));
    expectEqualCheckpoints(decoded, original);
    expect(decoded.optimizer).toBeUndefined();
    expect(Object.keys(decoded).sort()).toEqual(['config', 'provenance', 'vocab', 'weights']);
  });

  it('restores weights and optimizer moments bit for bit', () => {
    const original = makeCheckpoint(2, true);
    expectEqualCheckpoints(decodeCheckpoint(encodeCheckpoint(original)), original);
  });

  it('keeps -0, subnormals and the largest floats exactly', () => {
    const original = makeCheckpoint(3, false);
    const edge = [-0, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754942106924411e-38, 3.4028234663852886e38, -3.4028234663852886e38];
    original.weights[0].set(edge);
    const decoded = decodeCheckpoint(encodeCheckpoint(original));
    expectSameBits(decoded.weights, original.weights);
    expect(Object.is(decoded.weights[0][0], -0)).toBe(true);
  });

  it('writes the documented layout, the same bytes every time', () => {
    const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    expect(new TextDecoder().decode(plain.subarray(0, 8))).toBe('MSMLABCK');
    expect(view.getUint32(8, true)).toBe(CHECKPOINT_VERSION);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(plain.subarray(16, 16 + headerLength)));
    expect(header.weights[0]).toEqual({ name: 'wte', shape: [15, 8], offset: 0, length: 15 * 8 * 4 });
    expect(header.optimizer).toBeNull();
    const payloadStart = Math.ceil((16 + headerLength) / 4) * 4;
    const payloadBytes = header.weights.reduce((n: number, e: { length: number }) => n + e.length, 0);
    expect(plain.length).toBe(payloadStart + payloadBytes + 4);
    expect(view.getUint32(plain.length - 4, true)).toBe(crc32(plain.subarray(0, plain.length - 4)));
    expect(view.getFloat32(payloadStart, true)).toBe(makeCheckpoint(1, false).weights[0][0]);
    expect(encodeCheckpoint(makeCheckpoint(1, false))).toEqual(plain);
  });

  it('decodes from an unaligned view into fresh arrays that do not share its memory', () => {
    const shifted = new Uint8Array(full.length + 3);
    shifted.set(full, 1);
    const input = shifted.subarray(1, 1 + full.length);
    const decoded = decodeCheckpoint(input);
    expectEqualCheckpoints(decoded, makeCheckpoint(2, true));
    for (const a of [...decoded.weights, ...decoded.optimizer!.m, ...decoded.optimizer!.v]) {
      expect(a.buffer).not.toBe(shifted.buffer);
      expect(a.byteOffset).toBe(0);
    }
    const before = decoded.weights[0][0];
    shifted.fill(0xff);
    expect(decoded.weights[0][0]).toBe(before);
  });
});

describe('checkpoint format: damage', () => {
  it('rejects every one of 200 random single-byte flips with a CheckpointError', () => {
    const rng = new Random(42);
    const outcomes = { rejected: 0, decodedEqual: 0 };
    for (let trial = 0; trial < 200; trial++) {
      const damaged = full.slice();
      const position = rng.int(damaged.length);
      damaged[position] ^= 1 + rng.int(255); // never xor with 0: every trial changes the byte
      let decoded: Checkpoint | undefined;
      try {
        decoded = decodeCheckpoint(damaged);
      } catch (e) {
        expect(e, `flip at byte ${position}`).toBeInstanceOf(CheckpointError);
        outcomes.rejected++;
        continue;
      }
      // Reaching here would mean the CRC missed a single-byte change, which CRC-32 cannot.
      expectEqualCheckpoints(decoded, makeCheckpoint(2, true));
      outcomes.decodedEqual++;
    }
    expect(outcomes).toEqual({ rejected: 200, decodedEqual: 0 });
  });

  it('rejects the file cut off at every length', () => {
    for (let length = 0; length < plain.length; length++) {
      const message = rejection(() => decodeCheckpoint(plain.subarray(0, length)));
      expect(message).toMatch(/too short|not an MSM Lab checkpoint|checksum mismatch/);
    }
  });

  it('rejects trailing bytes', () => {
    const longer = new Uint8Array(plain.length + 4);
    longer.set(plain);
    expect(rejection(() => decodeCheckpoint(longer))).toContain('damaged: checksum mismatch');
  });

  it('says a file is damaged rather than naming a symptom', () => {
    const damaged = plain.slice();
    damaged[40] ^= 0x10; // inside the JSON header
    expect(rejection(() => decodeCheckpoint(damaged))).toBe('damaged: checksum mismatch (the file is truncated or corrupted)');
  });

  it('refuses a file over the size limit before reading any of it', () => {
    const huge = new Uint8Array(MAX_CHECKPOINT_BYTES + 1); // all zeros: the magic check would fail too
    expect(rejection(() => decodeCheckpoint(huge))).toContain('over the 256 MiB limit');
  });

  it('recognises files that are not checkpoints', () => {
    expect(rejection(() => decodeCheckpoint(new Uint8Array(10)))).toContain('too short to be an MSM Lab checkpoint');
    const zip = plain.slice();
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    expect(rejection(() => decodeCheckpoint(zip))).toContain('not an MSM Lab checkpoint');
  });
});

describe('checkpoint format: versions and header', () => {
  it('names a newer format version, and rejects an unknown one', () => {
    const newer = assembleCheckpoint({ ...splitCheckpoint(plain), version: 2 });
    expect(rejection(() => decodeCheckpoint(newer))).toBe('made by a newer MSM Lab (format v2); this one reads v1');
    const zero = assembleCheckpoint({ ...splitCheckpoint(plain), version: 0 });
    expect(rejection(() => decodeCheckpoint(zero))).toContain('unknown checkpoint format version 0');
  });

  it('checks the header length against the file', () => {
    const parts = splitCheckpoint(plain);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint(parts, { headerLength: 0xffffff00 })))).toMatch(/header length 4294967040 is out of range/);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint(parts, { headerLength: 0 })))).toMatch(/header length 0 is out of range/);
  });

  it('requires zero padding after the header', () => {
    let parts = splitCheckpoint(plain);
    // Grow the header by spaces (still the same JSON) until padding is needed.
    while ((16 + new TextEncoder().encode(parts.header).length) % 4 === 0) parts = { ...parts, header: parts.header + ' ' };
    expect(decodeCheckpoint(assembleCheckpoint(parts)).vocab).toEqual(VOCAB);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint(parts, { padByte: 7 })))).toContain('padding after the header is not zero');
  });

  it('rejects a header that is not UTF-8 JSON', () => {
    const parts = splitCheckpoint(plain);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint({ ...parts, header: '{"config": ' })))).toContain('header is not valid JSON');
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint({ ...parts, header: '[1, 2]' })))).toContain('the header must be an object');
    const badUtf8 = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint(parts, { headerBytes: badUtf8 })))).toContain('header is not valid UTF-8');
  });

  it('names a missing, mistyped or unexpected field', () => {
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => delete h.provenance)))).toContain('header is missing the field "provenance"');
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => delete h.provenance.stages[0].steps)))).toContain(
      'header is missing the field "provenance.stages[0].steps"',
    );
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => (h.config.nLayer = '1'))))).toContain(
      'header field "config.nLayer" must be an integer, got "1"',
    );
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => (h.weights[3].offset = -4))))).toContain(
      'header field "weights[3].offset" must be an integer >= 0, got -4',
    );
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => (h.provenance.seeds.init = 1.5))))).toContain(
      'header field "provenance.seeds.init" must be an integer, got 1.5',
    );
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => (h.vocab[7] = 3))))).toContain('header field "vocab[7]" must be a string, got 3');
    expect(rejection(() => decodeCheckpoint(withHeader(plain, (h) => (h.config.dropout = 0))))).toContain('header has an unexpected field "config.dropout"');
    expect(rejection(() => decodeCheckpoint(withHeader(full, (h) => (h.optimizer.step = -1))))).toContain(
      'header field "optimizer.step" must be an integer >= 0, got -1',
    );
  });

  it('rejects __proto__, constructor and prototype keys anywhere in the header', () => {
    const parts = splitCheckpoint(plain);
    const inject = (find: string, insert: string) => {
      expect(parts.header).toContain(find);
      return assembleCheckpoint({ ...parts, header: parts.header.replace(find, find + insert) });
    };
    expect(rejection(() => decodeCheckpoint(inject('"provenance":{', '"__proto__":{"polluted":true},')))).toBe(
      'header contains the forbidden key "__proto__"',
    );
    expect(rejection(() => decodeCheckpoint(inject('"seeds":{', '"constructor":5,')))).toContain('forbidden key "constructor"');
    expect(rejection(() => decodeCheckpoint(inject('{"name":"wpe",', '"prototype":{},')))).toContain('forbidden key "prototype"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('checkpoint format: header against config and payload', () => {
  it('rejects an invalid config with validateConfig\'s reasons', () => {
    const bad = withHeader(plain, (h) => (h.config.nHead = 3));
    expect(rejection(() => decodeCheckpoint(bad))).toContain('invalid model config: nEmbd (8) must be divisible by nHead (3)');
  });

  it('checks the vocabulary', () => {
    const swapped = withHeader(plain, (h) => ([h.vocab[0], h.vocab[1]] = [h.vocab[1], h.vocab[0]]));
    expect(rejection(() => decodeCheckpoint(swapped))).toContain('vocabulary must start with <pad> <bos> <eos> <user> <assistant>; position 0 is "<bos>"');
    const twice = withHeader(plain, (h) => (h.vocab[6] = h.vocab[5]));
    expect(rejection(() => decodeCheckpoint(twice))).toContain(`vocabulary lists "${VOCAB[5]}" twice`);
    const longer = withHeader(plain, (h) => h.vocab.push('extra'));
    expect(rejection(() => decodeCheckpoint(longer))).toContain('vocabulary has 16 words but config.vocabSize is 15');
  });

  it('names the first tensor whose shape differs, even with a correct checksum', () => {
    const bad = withHeader(plain, (h) => (h.weights[4].shape = [8, 25]));
    expect(rejection(() => decodeCheckpoint(bad))).toBe('weights table: tensor "h0.attn.wqkv" has shape [8,25], but this config needs [8,24]');
    const badMoment = withHeader(full, (h) => (h.optimizer.v[1].shape = [8, 9]));
    expect(rejection(() => decodeCheckpoint(badMoment))).toBe('optimizer.v table: tensor "wpe" has shape [8,9], but this config needs [8,8]');
  });

  it('names tensors that are out of order, missing or extra', () => {
    const swapped = withHeader(plain, (h) => ([h.weights[2], h.weights[3]] = [h.weights[3], h.weights[2]]));
    expect(rejection(() => decodeCheckpoint(swapped))).toContain('weights table: tensor 2 is "h0.ln1.b", expected "h0.ln1.g"');
    const missing = withHeader(plain, (h) => h.weights.pop());
    expect(rejection(() => decodeCheckpoint(missing))).toContain('weights table ends after 15 tensors; this config also needs "lnf.b"');
    const extra = withHeader(plain, (h) => h.weights.push({ name: 'head', shape: [1], offset: 0, length: 4 }));
    expect(rejection(() => decodeCheckpoint(extra))).toContain('weights table has an extra tensor "head"');
  });

  it('rejects a config whose tensor table belongs to another config', () => {
    const bigger = withHeader(plain, (h) => (h.config.nLayer = 2));
    expect(rejection(() => decodeCheckpoint(bigger))).toContain('weights table: tensor 14 is "lnf.g", expected "h1.ln1.g"');
  });

  it('bounds the work a header that claims a million layers can cause', () => {
    const hostile = withHeader(plain, (h) => (h.config.nLayer = 1 << 20));
    expect(rejection(() => decodeCheckpoint(hostile))).toMatch(/config has 1048576 layers, more than a \d+-byte payload can hold/);
  });

  it('rejects offsets and lengths that overlap, leave the payload or miss bytes', () => {
    const overlapping = withHeader(plain, (h) => (h.weights[1].offset = h.weights[0].offset + 4));
    expect(rejection(() => decodeCheckpoint(overlapping))).toContain('weights "wte" overlaps weights "wpe" in the payload');
    const outside = withHeader(plain, (h) => (h.weights[15].offset += 4));
    expect(rejection(() => decodeCheckpoint(outside))).toMatch(/weights "lnf.b" \(bytes \d+ to \d+\) lies outside the \d+-byte payload/);
    const misaligned = withHeader(plain, (h) => (h.weights[15].offset += 2));
    expect(rejection(() => decodeCheckpoint(misaligned))).toContain('not a multiple of 4');
    const wrongLength = withHeader(plain, (h) => (h.weights[0].length -= 4));
    expect(rejection(() => decodeCheckpoint(wrongLength))).toContain('weights "wte" is 476 bytes long; shape [15,8] needs 480');
    const parts = splitCheckpoint(plain);
    const padded = new Uint8Array(parts.payload.length + 4);
    padded.set(parts.payload);
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint({ ...parts, payload: padded })))).toMatch(
      /payload length mismatch: the tensors take (\d+) bytes, the payload holds \d+/,
    );
  });
});

describe('checkpoint format: values', () => {
  it('refuses to encode NaN or Infinity, naming the tensor', () => {
    const withNaN = makeCheckpoint(4, false);
    withNaN.weights[12][3] = NaN;
    expect(rejection(() => encodeCheckpoint(withNaN))).toBe('cannot save checkpoint: weights "h0.mlp.wo" has a non-finite value (NaN) at index 3');
    const withInfinity = makeCheckpoint(4, true);
    withInfinity.optimizer!.m[0][9] = -Infinity;
    expect(rejection(() => encodeCheckpoint(withInfinity))).toContain('optimizer m "wte" has a non-finite value (-Infinity) at index 9');
    const negativeV = makeCheckpoint(4, true);
    negativeV.optimizer!.v[1][0] = -1e-8;
    expect(rejection(() => encodeCheckpoint(negativeV))).toContain('optimizer v "wpe" has a negative second moment');
  });

  it('rejects NaN in a file whose checksum is right, naming the tensor', () => {
    const parts = splitCheckpoint(plain);
    const header = JSON.parse(parts.header);
    const payload = parts.payload.slice();
    new DataView(payload.buffer).setUint32(header.weights[1].offset + 8, 0x7fc00001, true); // a quiet NaN with a payload
    expect(rejection(() => decodeCheckpoint(assembleCheckpoint({ ...parts, payload })))).toBe('weights "wpe" has a non-finite value (NaN) at index 2');
  });

  it('refuses to encode arrays that do not match the config', () => {
    const short = makeCheckpoint(5, false);
    short.weights[2] = short.weights[2].subarray(1);
    expect(rejection(() => encodeCheckpoint(short))).toContain('weights "h0.ln1.g" has 7 values; shape [8] needs 8');
    const fewer = makeCheckpoint(5, true);
    fewer.optimizer!.v.pop();
    expect(rejection(() => encodeCheckpoint(fewer))).toContain('optimizer v has 15 arrays; this config has 16 parameters');
    const notFloat = makeCheckpoint(5, false);
    (notFloat.weights as unknown[])[0] = Array.from(notFloat.weights[0]);
    expect(rejection(() => encodeCheckpoint(notFloat))).toContain('weights "wte" is not a Float32Array');
  });

  it('refuses to encode what it could not decode', () => {
    const extraKey = makeCheckpoint(6, false);
    (extraKey.config as unknown as Record<string, number>).dropout = 0;
    expect(rejection(() => encodeCheckpoint(extraKey))).toContain('unexpected field "config.dropout"');
    const badVocab = makeCheckpoint(6, false);
    badVocab.vocab[1] = '<start>';
    expect(rejection(() => encodeCheckpoint(badVocab))).toContain('vocabulary must start with');
    const badSeed = makeCheckpoint(6, false);
    badSeed.provenance.seeds = Object.defineProperty({}, 'constructor', { value: 3, enumerable: true });
    expect(rejection(() => encodeCheckpoint(badSeed))).toContain('forbidden key "constructor"');
  });

  it('refuses to encode a model over the size limit before reading its weights', () => {
    const huge: Checkpoint = { ...makeCheckpoint(7, false), config: { ...CONFIG, vocabSize: 1 << 20, nEmbd: 64 }, weights: [] };
    expect(rejection(() => encodeCheckpoint(huge))).toMatch(/cannot save checkpoint: it would be [\d.]+ MiB, over the 256 MiB limit/);
  });
});
