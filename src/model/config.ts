// The only place a model's size is set. A preset is a GPTConfig without the vocabulary
// (that comes from the tokenizer) plus the batch size it is meant to train with.

export interface GPTConfig {
  vocabSize: number; // tokens in the tokenizer, specials included
  blockSize: number; // context length; every batch is padded to it so shapes never change
  nLayer: number;
  nHead: number;
  nEmbd: number; // residual width; nEmbd % nHead === 0
  mlpRatio: number; // MLP hidden width = mlpRatio * nEmbd
}

export interface Preset {
  model: Omit<GPTConfig, 'vocabSize'>;
  batchSize: number; // sequences per step
  note: string;
}

export const PRESETS = {
  // For tests and CI: well under a second a training step with wasm on a laptop CPU.
  nano: {
    model: { blockSize: 64, nLayer: 2, nHead: 2, nEmbd: 32, mlpRatio: 4 },
    batchSize: 16,
    note: 'tests and CI; fast on a CPU',
  },
  // The browser default: trains a toy world in minutes on an integrated GPU.
  small: {
    model: { blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 64, mlpRatio: 4 },
    batchSize: 32,
    note: 'browser default',
  },
  // For a discrete GPU.
  medium: {
    model: { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, mlpRatio: 4 },
    batchSize: 64,
    note: 'discrete GPU',
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export function configFor(preset: PresetName, vocabSize: number): GPTConfig {
  return { ...PRESETS[preset].model, vocabSize };
}

/** Throws with every problem named when a config cannot build a model. */
export function validateConfig(c: GPTConfig): void {
  const problems: string[] = [];
  for (const key of ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd', 'mlpRatio'] as const) {
    const v = c[key];
    if (!Number.isInteger(v) || v < 1 || v > 1 << 20) problems.push(`${key} must be a positive integer, got ${v}`);
  }
  if (problems.length === 0 && c.nEmbd % c.nHead !== 0) problems.push(`nEmbd (${c.nEmbd}) must be divisible by nHead (${c.nHead})`);
  if (problems.length) throw new Error(`invalid model config: ${problems.join('; ')}`);
}

/** Every parameter's name and shape, in a fixed order: the model, the optimizer and checkpoints agree on it. */
export function parameterShapes(c: GPTConfig): Array<[string, number[]]> {
  const C = c.nEmbd;
  const H = c.mlpRatio * C;
  const shapes: Array<[string, number[]]> = [
    ['wte', [c.vocabSize, C]],
    ['wpe', [c.blockSize, C]],
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `h${l}.`;
    shapes.push(
      [p + 'ln1.g', [C]], [p + 'ln1.b', [C]],
      [p + 'attn.wqkv', [C, 3 * C]], [p + 'attn.bqkv', [3 * C]],
      [p + 'attn.wo', [C, C]], [p + 'attn.bo', [C]],
      [p + 'ln2.g', [C]], [p + 'ln2.b', [C]],
      [p + 'mlp.wi', [C, H]], [p + 'mlp.bi', [H]],
      [p + 'mlp.wo', [H, C]], [p + 'mlp.bo', [C]],
    );
  }
  shapes.push(['lnf.g', [C]], ['lnf.b', [C]]);
  return shapes;
}

export function parameterCount(c: GPTConfig): number {
  return parameterShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}

/** The preset a config was made from, or 'custom'. */
export function presetOf(config: GPTConfig): PresetName | 'custom' {
  for (const name of Object.keys(PRESETS) as PresetName[]) {
    const m: Record<string, number> = PRESETS[name].model;
    if (Object.entries(m).every(([k, v]) => config[k as keyof GPTConfig] === v)) return name;
  }
  return 'custom';
}

/** Sequences per training step: the preset's, or 16 for a custom config. */
export function batchSizeOf(preset: PresetName | 'custom'): number {
  return preset === 'custom' ? 16 : PRESETS[preset].batchSize;
}
