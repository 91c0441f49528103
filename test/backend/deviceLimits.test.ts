import { describe, expect, it } from 'vitest';
import { checkFitsDevice, DeviceLimitError, exceededLimit, smallerPresetThatFits, stepTensors, type BufferLimits } from '../../src/backend/deviceLimits';
import { configFor, PRESETS, type PresetName } from '../../src/model/config';

const VOCAB = 643; // the toy world's vocabulary, specials included
const MiB = 1024 * 1024;
// What the WebGPU spec guarantees every device: 128 MiB per binding, 256 MiB per buffer.
const SPEC_MINIMUM: BufferLimits = { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB };

const step = (preset: PresetName, models = 1) => ({ batchSize: PRESETS[preset].batchSize, models });

function refusal(preset: PresetName, limits: BufferLimits, models = 1): DeviceLimitError {
  try {
    checkFitsDevice(configFor(preset, VOCAB), step(preset, models), limits, preset);
  } catch (e) {
    expect(e).toBeInstanceOf(DeviceLimitError);
    return e as DeviceLimitError;
  }
  throw new Error(`expected the ${preset} preset to be refused`);
}

describe('the largest buffer of a training step', () => {
  it('is the logits for every preset with the toy vocabulary, sized exactly', () => {
    // [B*T, V] float32: nano 16*64*643*4, small 32*64*643*4, medium 64*64*643*4 bytes.
    expect(stepTensors(configFor('nano', VOCAB), step('nano'))[0]).toMatchObject({ shape: [1024, 643], bytes: 2_633_728 });
    expect(stepTensors(configFor('small', VOCAB), step('small'))[0]).toMatchObject({ shape: [2048, 643], bytes: 5_267_456 });
    expect(stepTensors(configFor('medium', VOCAB), step('medium'))[0]).toMatchObject({ shape: [4096, 643], bytes: 10_534_912 });
    expect(stepTensors(configFor('medium', VOCAB), step('medium'))[0].name).toMatch(/^logits/);
  });

  it('is the attention scores when the context is long and the vocabulary small', () => {
    const config = { vocabSize: 50, blockSize: 512, nLayer: 1, nHead: 8, nEmbd: 64, mlpRatio: 4 };
    const [largest] = stepTensors(config, { batchSize: 4 });
    expect(largest.name).toMatch(/^attention scores/);
    expect(largest).toMatchObject({ shape: [32, 512, 512], bytes: 32 * 512 * 512 * 4 });
  });

  it('grows with the number of models trained in one stacked step', () => {
    const one = stepTensors(configFor('small', VOCAB), step('small'))[0].bytes;
    expect(stepTensors(configFor('small', VOCAB), step('small', 8))[0].bytes).toBe(8 * one);
  });
});

describe('checkFitsDevice', () => {
  it('lets every preset through on the limits every WebGPU device has', () => {
    for (const preset of Object.keys(PRESETS) as PresetName[]) {
      expect(exceededLimit(configFor(preset, VOCAB), step(preset), SPEC_MINIMUM)).toBeNull();
      expect(() => checkFitsDevice(configFor(preset, VOCAB), step(preset), SPEC_MINIMUM, preset)).not.toThrow();
    }
  });

  it('refuses medium on an 8 MiB binding limit, naming the limit and suggesting small', () => {
    const e = refusal('medium', { maxStorageBufferBindingSize: 8 * MiB, maxBufferSize: 256 * MiB });
    expect(e.limit).toBe('maxStorageBufferBindingSize');
    expect(e.allowed).toBe(8 * MiB);
    expect(e.suggestion).toBe('small');
    expect(e.message).toBe(
      'the medium preset (batch 64) is too big for this GPU: one training step needs a 10.0 MiB buffer for ' +
        'logits (and the one-hot tokens) [positions, vocabulary], over the GPU\'s maxStorageBufferBindingSize of 8.0 MiB; ' +
        'try the small preset (or a smaller batch)',
    );
  });

  it('suggests nano when small does not fit either', () => {
    const e = refusal('medium', { maxStorageBufferBindingSize: 4 * MiB, maxBufferSize: 4 * MiB });
    expect(e.suggestion).toBe('nano');
    expect(refusal('small', { maxStorageBufferBindingSize: 4 * MiB, maxBufferSize: 4 * MiB }).suggestion).toBe('nano');
  });

  it('names maxBufferSize when it is the tighter limit', () => {
    const e = refusal('small', { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 3 * MiB });
    expect(e.limit).toBe('maxBufferSize');
    expect(e.message).toContain("over the GPU's maxBufferSize of 3.0 MiB; try the nano preset");
  });

  it('has nothing smaller to suggest when nano does not fit', () => {
    const e = refusal('nano', { maxStorageBufferBindingSize: 2 * MiB, maxBufferSize: 2 * MiB });
    expect(e.suggestion).toBeNull();
    expect(e.message).toMatch(/needs a 2\.5 MiB buffer .* try a smaller batch, or the wasm backend$/);
  });

  it('refuses a stack of models that would not fit, though one model would', () => {
    expect(() => checkFitsDevice(configFor('medium', VOCAB), step('medium'), SPEC_MINIMUM, 'medium')).not.toThrow();
    const e = refusal('medium', SPEC_MINIMUM, 24); // 24 models: 24 x 10.0 MiB of logits
    expect(e.tensor.bytes).toBe(24 * 10_534_912);
    expect(e.limit).toBe('maxStorageBufferBindingSize');
    expect(e.suggestion).toBe('small');
  });

  it('suggests only presets smaller than the one refused', () => {
    expect(smallerPresetThatFits(configFor('nano', VOCAB), step('nano'), SPEC_MINIMUM)).toBeNull();
    expect(smallerPresetThatFits(configFor('medium', VOCAB), step('medium'), SPEC_MINIMUM)).toBe('small');
  });
});
