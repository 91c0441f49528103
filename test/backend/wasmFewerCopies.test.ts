import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { useCopyingWasmKernels } from '../../src/backend/wasmFewerCopies';
import { Random } from '../../src/util/random';

// Buffers the wasm backend holds: each shared one is counted once.
const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('wasm kernels without copies', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });
  afterAll(() => {
    tf.engine().reset();
  });

  it('a clone outlives its source, makes no new buffer, and frees it with the last holder', () => {
    const before = buffers();
    const x = tf.tensor1d([1.5, -2, 3]);
    const y = x.clone();
    expect(buffers()).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
    y.dispose();
    expect(buffers()).toBe(before);
  });

  it('a cast to the same dtype shares; a cast to another dtype still converts', () => {
    const before = buffers();
    const x = tf.tensor1d([1.7, -2.2, 3]);
    const same = x.cast('float32');
    expect(buffers()).toBe(before + 1);
    const ints = x.cast('int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual(Array.from(new Float32Array([1.7, -2.2, 3])));
    tf.dispose([same, ints]);
    expect(buffers()).toBe(before);
  });

  it('gradients through saved tensors are unchanged and leave no buffer behind', () => {
    const before = buffers();
    const x = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const w = tf.tensor2d([[1, 2], [-3, 0.5]]);
    // d/dx sum((x w)^2 * x) = 2 (x w ⊙ x) wᵀ + (x w)^2
    const g = tf.grad((a: tf.Tensor) => a.matMul(w).square().mul(a).sum())(x);
    const xw = [[0.5 * 1 + -1 * -3, 0.5 * 2 + -1 * 0.5], [2 * 1 + 0.25 * -3, 2 * 2 + 0.25 * 0.5]];
    const xs = [[0.5, -1], [2, 0.25]];
    const ws = [[1, 2], [-3, 0.5]];
    const got = g.arraySync() as number[][];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const want = 2 * (xw[i][0] * xs[i][0] * ws[j][0] + xw[i][1] * xs[i][1] * ws[j][1]) + xw[i][j] ** 2;
        expect(got[i][j]).toBeCloseTo(want, 4);
      }
    }
    tf.dispose([x, w, g]);
    expect(buffers()).toBe(before);
  });

  it('slices and splits give what indexing the values gives, at every rank, contiguous or not', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 200; trial++) {
      const rank = 1 + rng.int(5);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(5));
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const begin = shape.map((n) => rng.int(n));
      const size = shape.map((n, d) => rng.int(n - begin[d] + 1)); // may be 0
      const x = tf.tensor(values, shape, trial % 2 ? 'int32' : 'float32');
      const want: number[] = [];
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      const visit = (d: number, offset: number) => {
        if (d === rank) return void want.push(values[offset]);
        for (let i = begin[d]; i < begin[d] + size[d]; i++) visit(d + 1, offset + i * strides[d]);
      };
      visit(0, 0);
      const got = x.slice(begin, size);
      expect(got.shape).toEqual(size);
      expect(Array.from(got.dataSync())).toEqual(want);
      const axis = rng.int(rank);
      const parts = tf.split(x, [1, shape[axis] - 1], axis);
      expect(Array.from(tf.concat(parts, axis).dataSync())).toEqual(values);
      tf.dispose([x, got, ...parts]);
    }
  });

  it('the benchmark can put TF.js\'s copying kernels back and take them out again', () => {
    const x = tf.tensor1d([1, 2]);
    const before = buffers();
    useCopyingWasmKernels(true);
    const copy = x.clone();
    expect(buffers()).toBe(before + 1);
    useCopyingWasmKernels(false);
    const share = x.clone();
    expect(buffers()).toBe(before + 1);
    tf.dispose([x, copy, share]);
  });

  it('slices a tensor made on another backend (moving it may grow the heap) and bool tensors', async () => {
    await tf.setBackend('cpu');
    const n = 1 << 24; // 64 MB: moving it onto wasm grows the heap
    const big = tf.fill([n / 4, 4], 2.5);
    const flags = tf.tensor2d([[true, false, true], [false, false, true]], [2, 3], 'bool');
    await tf.setBackend('wasm');
    const part = big.slice([n / 4 - 2, 1], [2, 2]);
    expect(Array.from(part.dataSync())).toEqual([2.5, 2.5, 2.5, 2.5]);
    const column = flags.slice([0, 2], [2, 1]);
    expect(Array.from(column.dataSync())).toEqual([1, 1]);
    tf.dispose([big, flags, part, column]);
  });
});
