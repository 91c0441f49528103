// Small checkpoints for the checkpoint tests: a nano-like config, random weights from a seed.
import { expect } from 'vitest';
import { crc32 } from '../../src/checkpoint/crc32';
import type { Checkpoint } from '../../src/checkpoint/format';
import { parameterShapes, type GPTConfig } from '../../src/model/config';
import { SPECIALS } from '../../src/tokenizer/tokenizer';
import { Random } from '../../src/util/random';

export const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'red', '.'];
export const VOCAB = [...SPECIALS, ...WORDS];
export const CONFIG: GPTConfig = { vocabSize: VOCAB.length, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8, mlpRatio: 4 };

/** One array per parameter, in parameterShapes order; `squared` gives second-moment-like values (>= 0). */
export function randomArrays(config: GPTConfig, rng: Random, scale: number, squared = false): Float32Array[] {
  return parameterShapes(config).map(([, shape]) => {
    const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
    for (let i = 0; i < a.length; i++) a[i] = squared ? (rng.normal() * scale) ** 2 : rng.normal() * scale;
    return a;
  });
}

export function makeCheckpoint(seed: number, withOptimizer: boolean): Checkpoint {
  const rng = new Random(seed);
  const checkpoint: Checkpoint = {
    config: { ...CONFIG },
    vocab: [...VOCAB],
    weights: randomArrays(CONFIG, rng, 0.02),
    provenance: {
      createdAt: '2025-01-02T03:04:05.000Z',
      stages: [
        { name: 'pretrain', steps: 300, corpusHash: 'abc123', seed: 7 },
        { name: 'msm', steps: 50 },
      ],
      seeds: { init: seed, data: 11 },
      note: 'fixture ✓ with non-ASCII text',
    },
  };
  if (withOptimizer) checkpoint.optimizer = { step: 350, m: randomArrays(CONFIG, rng, 1e-3), v: randomArrays(CONFIG, rng, 1e-3, true) };
  return checkpoint;
}

/** Asserts identical float32 bit patterns, array by array. */
export function expectSameBits(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a).toBeInstanceOf(Float32Array);
    expect(new Uint32Array(a.buffer, a.byteOffset, a.length)).toEqual(new Uint32Array(expected[i].buffer, expected[i].byteOffset, expected[i].length));
  });
}

/** A checkpoint file's parts, to edit one and put the file back together with a correct checksum. */
export interface CheckpointParts {
  version: number;
  header: string;
  payload: Uint8Array;
}

export function splitCheckpoint(bytes: Uint8Array): CheckpointParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const payloadStart = Math.ceil((16 + headerLength) / 4) * 4;
  return {
    version: view.getUint32(8, true),
    header: new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)),
    payload: bytes.slice(payloadStart, bytes.length - 4),
  };
}

/** The file from its parts, with a valid checksum; options write a wrong header length, padding or header bytes. */
export function assembleCheckpoint({ version, header, payload }: CheckpointParts, options: { headerLength?: number; padByte?: number; headerBytes?: Uint8Array } = {}): Uint8Array {
  const headerBytes = options.headerBytes ?? new TextEncoder().encode(header);
  const payloadStart = Math.ceil((16 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(payloadStart + payload.length + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('MSMLABCK'));
  view.setUint32(8, version >>> 0, true);
  view.setUint32(12, (options.headerLength ?? headerBytes.length) >>> 0, true);
  out.set(headerBytes, 16);
  out.fill(options.padByte ?? 0, 16 + headerBytes.length, payloadStart);
  out.set(payload, payloadStart);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}
