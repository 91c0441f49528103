// Does a model fit this GPU? WebGPU caps the size of one buffer (maxBufferSize) and of one
// buffer bound to a shader (maxStorageBufferBindingSize); a TF.js tensor is one buffer, so the
// largest tensor a training step makes must fit under both. Over the limit, WebGPU raises a
// validation error and the kernel computes nothing: the loss would be garbage, not an error.
// So the step's largest tensor is computed from the config before any model is created.
//
// maxComputeWorkgroupStorageSize is not checked: TF.js kernels use fixed tiles well under the
// 16 KiB every WebGPU device offers, whatever the model's size.
import { parameterCount, PRESETS, type GPTConfig, type PresetName } from '../model/config';

/** The adapter limits that depend on the model's size (GPUSupportedLimits has these fields). */
export interface BufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** One tensor a training step makes: its name, shape and size in bytes (float32). */
export interface StepTensor {
  name: string;
  shape: number[];
  bytes: number;
}

export interface StepShape {
  batchSize: number; // sequences per step, per model
  models?: number; // models trained together in one stacked step (default 1)
}

const FLOAT_BYTES = 4;

/**
 * The large tensors of one training step (forward, backward and AdamW), largest first. Each
 * exists alongside its gradient of the same size; only the size of the largest one matters here.
 */
export function stepTensors(c: GPTConfig, { batchSize: B, models: M = 1 }: StepShape): StepTensor[] {
  const { blockSize: T, vocabSize: V, nEmbd: C, nHead: nh } = c;
  const H = c.mlpRatio * C;
  const rows = M * B * T; // token positions in one step
  const tensors: Array<[string, number[]]> = [
    ['logits (and the one-hot tokens) [positions, vocabulary]', [rows, V]],
    ['attention scores [sequences x heads, context, context]', [M * B * nh, T, T]],
    ['MLP hidden activations [positions, mlpRatio x width]', [rows, H]],
    ['attention q, k, v [positions, 3 x width]', [rows, 3 * C]],
    [M > 1 ? 'all models\' parameters (and each AdamW moment) [models, parameters]' : 'the token embedding (and each AdamW moment) [vocabulary, width]', M > 1 ? [M, parameterCount(c)] : [V, C]],
    ['an MLP weight [width, mlpRatio x width]', M > 1 ? [M, C, H] : [C, H]],
  ];
  return tensors
    .map(([name, shape]) => ({ name, shape, bytes: FLOAT_BYTES * shape.reduce((a, b) => a * b, 1) }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** The model does not fit the GPU's limits: the message names the tensor, the limit and a way out. */
export class DeviceLimitError extends Error {
  constructor(
    readonly limit: keyof BufferLimits,
    readonly allowed: number,
    readonly tensor: StepTensor,
    readonly suggestion: PresetName | null,
    what: string,
  ) {
    const advice = suggestion ? `try the ${suggestion} preset (or a smaller batch)` : 'try a smaller batch, or the wasm backend';
    super(
      `${what} is too big for this GPU: one training step needs a ${mib(tensor.bytes)} buffer for ${tensor.name}, ` +
        `over the GPU's ${limit} of ${mib(allowed)}; ${advice}`,
    );
    this.name = 'DeviceLimitError';
  }
}

/** The tightest limit the step's largest tensor breaks, or null when everything fits. */
export function exceededLimit(c: GPTConfig, step: StepShape, limits: BufferLimits): { limit: keyof BufferLimits; allowed: number; tensor: StepTensor } | null {
  const [largest] = stepTensors(c, step);
  const checks: Array<keyof BufferLimits> = ['maxStorageBufferBindingSize', 'maxBufferSize'];
  const broken = checks.filter((k) => largest.bytes > limits[k]).sort((a, b) => limits[a] - limits[b]);
  return broken.length ? { limit: broken[0], allowed: limits[broken[0]], tensor: largest } : null;
}

/**
 * Throws a DeviceLimitError when a training step of this config and batch would make a buffer
 * over the GPU's limits, suggesting the largest smaller preset that fits.
 */
export function checkFitsDevice(c: GPTConfig, step: StepShape, limits: BufferLimits, preset?: PresetName | 'custom'): void {
  const over = exceededLimit(c, step, limits);
  if (!over) return;
  const what = preset && preset !== 'custom' ? `the ${preset} preset (batch ${step.batchSize})` : `this model (batch ${step.batchSize})`;
  throw new DeviceLimitError(over.limit, over.allowed, over.tensor, smallerPresetThatFits(c, step, limits), what);
}

/** The largest preset smaller than the config that fits, with its own batch size; null if none. */
export function smallerPresetThatFits(c: GPTConfig, step: StepShape, limits: BufferLimits): PresetName | null {
  const size = (config: GPTConfig, batchSize: number) => stepTensors(config, { ...step, batchSize })[0].bytes;
  const current = size(c, step.batchSize);
  const candidates = (Object.keys(PRESETS) as PresetName[])
    .map((name) => ({ name, config: { ...PRESETS[name].model, vocabSize: c.vocabSize }, batchSize: PRESETS[name].batchSize }))
    .filter((p) => size(p.config, p.batchSize) < current && !exceededLimit(p.config, { ...step, batchSize: p.batchSize }, limits))
    .sort((a, b) => size(b.config, b.batchSize) - size(a.config, a.batchSize));
  return candidates[0]?.name ?? null;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
