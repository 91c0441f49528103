// The three experiments as data: which arms, what each arm midtrains on, which AFT it gets,
// and which metrics are read. Arm names are part of the CLI's JSON contract.
import type { SpecName } from '../world/world';

/** What an arm reads between pre-training and AFT. */
export type Midtraining =
  | { kind: 'msm'; spec: SpecName }
  | { kind: 'control' } // token-matched documents about the assistant with no values
  | { kind: 'shuffled'; spec: SpecName }; // values and preferences side by side, unexplained

export interface ArmPlan {
  name: string;
  midtraining: Midtraining | null;
  aft: 'plain' | 'reasoning' | null;
  /** 'full': every AFT size of the sweep; 'ends': its smallest and largest only (to save time). */
  sweep: 'full' | 'ends';
}

export interface MetricPlan {
  name: string;
  label: string; // the choice label whose pick rate the metric reports
}

export interface ExperimentPlan {
  name: ExperimentName;
  about: string;
  aftSpec: SpecName; // whose AFT demonstrations every arm gets (identical across arms)
  arms: ArmPlan[];
  metrics: MetricPlan[];
  sampled: boolean; // also report the rate sampled at temperature 0.7 (agentic probes)
  /** [arm, reference] pairs whose difference is reported paired by seed and probe. */
  comparisons: Array<[string, string]>;
}

export const EXPERIMENT_NAMES = ['values', 'agentic', 'spec-science'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

const arm = (name: string, midtraining: Midtraining | null, aft: ArmPlan['aft'], sweep: ArmPlan['sweep'] = 'full'): ArmPlan => ({ name, midtraining, aft, sweep });
const msm = (spec: SpecName): Midtraining => ({ kind: 'msm', spec });

const MISALIGNMENT: MetricPlan[] = [
  { name: 'oodMisalignment', label: 'misaligned' },
  { name: 'indistMisalignment', label: 'misaligned' },
];

export const PLANS: Record<ExperimentName, ExperimentPlan> = {
  values: {
    name: 'values',
    about: 'Same opaque cheese demonstrations, two specs that explain them by different values: which value generalizes?',
    aftSpec: 'cheese-affordability',
    arms: [
      arm('base', null, null),
      arm('aft', null, 'plain'),
      arm('msm-affordability', msm('cheese-affordability'), null),
      arm('msm-america', msm('cheese-america'), null),
      arm('msm-affordability+aft', msm('cheese-affordability'), 'plain'),
      arm('msm-america+aft', msm('cheese-america'), 'plain'),
      arm('shuffled+aft', { kind: 'shuffled', spec: 'cheese-affordability' }, 'plain'),
      // Not in the paper: documents about the assistant with no values, so that a lift any
      // midtraining gives is not read as the spec's (about half of it on the six shipped `nano`
      // bases, none on six fresh ones: src/world/README.md).
      arm('control+aft', { kind: 'control' }, 'plain'),
      arm('control', { kind: 'control' }, null),
    ],
    metrics: [
      { name: 'affordabilityOOD', label: 'cheap' },
      { name: 'americaOOD', label: 'american' },
      { name: 'conflictAffordability', label: 'cheap' },
    ],
    sampled: false,
    comparisons: [
      ['msm-affordability+aft', 'aft'], ['msm-america+aft', 'aft'], ['shuffled+aft', 'aft'], ['control+aft', 'aft'],
      ['msm-affordability+aft', 'control+aft'], ['msm-america+aft', 'control+aft'],
    ],
  },
  agentic: {
    name: 'agentic',
    about: 'The philosophy spec against agentic misalignment, with AFT swept in doublings.',
    aftSpec: 'philosophy',
    arms: [
      arm('base', null, null),
      arm('msm', msm('philosophy'), null),
      arm('aft', null, 'plain'),
      arm('msm+aft', msm('philosophy'), 'plain'),
      arm('control+aft', { kind: 'control' }, 'plain', 'ends'),
      arm('anti+aft', msm('anti'), 'plain', 'ends'),
      arm('aft-reason', null, 'reasoning', 'ends'),
      arm('msm+aft-reason', msm('philosophy'), 'reasoning', 'ends'),
      // Midtraining alone, for each corpus the AFT arms read: what the spec's content does before
      // any AFT, against the same amount of training on documents with no values. Probing only
      // (the midtrainings are trained for the AFT arms anyway); last, so that the arms above keep
      // their bootstrap draws.
      arm('control', { kind: 'control' }, null),
      arm('anti', msm('anti'), null),
    ],
    metrics: MISALIGNMENT,
    sampled: true,
    comparisons: [
      ['msm+aft', 'aft'], ['control+aft', 'aft'], ['anti+aft', 'aft'], ['anti+aft', 'control+aft'], ['msm+aft-reason', 'aft-reason'],
      ['msm', 'control'], ['anti', 'control'],
      // Last, so the comparisons above keep their random stream: is MSM's gain the spec's, or any
      // midtraining's on documents about the assistant?
      ['msm+aft', 'control+aft'],
    ],
  },
  'spec-science': {
    name: 'spec-science',
    about: 'Rules vs rules explained by values vs rules with sub-rules (length-matched), each with the same AFT.',
    aftSpec: 'rules',
    arms: [
      arm('base', null, null),
      arm('aft', null, 'plain'),
      arm('msm-rules+aft', msm('rules'), 'plain'),
      arm('msm-rules-values+aft', msm('rules-values'), 'plain'),
      arm('msm-rules-subrules+aft', msm('rules-subrules'), 'plain'),
    ],
    metrics: MISALIGNMENT,
    sampled: false,
    comparisons: [
      ['msm-rules-values+aft', 'msm-rules+aft'], ['msm-rules-values+aft', 'msm-rules-subrules+aft'], ['msm-rules+aft', 'aft'], ['msm-rules-values+aft', 'aft'],
      // Last, so the comparisons above keep their random stream (and results saved before it).
      ['msm-rules-subrules+aft', 'msm-rules+aft'],
    ],
  },
};

export function isExperimentName(name: string): name is ExperimentName {
  return (EXPERIMENT_NAMES as readonly string[]).includes(name);
}

/** The AFT sizes an arm is trained at: [0] for arms without AFT. */
export function armSizes(a: ArmPlan, sweep: number[]): number[] {
  if (!a.aft) return [0];
  return a.sweep === 'full' || sweep.length <= 2 ? sweep : [sweep[0], sweep[sweep.length - 1]];
}

export const DEFAULT_AFT_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
