// A small parser for `command --flag value --switch` command lines, with errors that name the flag,
// and what the run flags say: the seeds and the stage schedules.
import { SCHEDULES, withSteps, type Schedules, type StagePlan } from '../experiment/schedules';
import type { PresetName } from '../model/config';

export interface ParsedArgs {
  command: string | undefined;
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (flags start with --)`);
    const name = arg.slice(2);
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(name, next);
      i++;
    } else flags.set(name, true);
  }
  return { command, flags };
}

export class Flags {
  private readonly used = new Set<string>();
  constructor(private readonly flags: Map<string, string | true>) {}

  string(name: string, fallback?: string): string {
    this.used.add(name);
    const v = this.flags.get(name);
    if (v === undefined) {
      if (fallback === undefined) throw new Error(`--${name} is required`);
      return fallback;
    }
    if (v === true) throw new Error(`--${name} needs a value`);
    return v;
  }

  optional(name: string): string | undefined {
    return this.flags.has(name) ? this.string(name) : (this.used.add(name), undefined);
  }

  int(name: string, fallback: number): number {
    const v = this.string(name, String(fallback));
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number, got "${v}"`);
    return Number(v);
  }

  /** A number from 0 to below 1 (a share, a learning rate); `above0` refuses 0 as well. */
  fraction(name: string, fallback: number, above0 = false): number {
    const v = this.string(name, String(fallback));
    const x = Number(v);
    if (!(v.trim() !== '' && x >= 0 && x < 1 && (!above0 || x > 0))) throw new Error(`--${name} must be a number ${above0 ? 'above 0' : 'from 0'} and below 1, got "${v}"`);
    return x;
  }

  intList(name: string): number[] | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    const parts = v.split(',');
    if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new Error(`--${name} must be positive whole numbers separated by commas, got "${v}"`);
    return parts.map(Number);
  }

  has(name: string): boolean {
    this.used.add(name);
    return this.flags.has(name);
  }

  /** Throws on any flag the command does not know (a typo should not be ignored). */
  rejectUnknown(): void {
    const unknown = [...this.flags.keys()].filter((k) => !this.used.has(k));
    if (unknown.length) throw new Error(`unknown flag${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `--${u}`).join(', ')}`);
  }
}

/** `--seeds N` runs seeds 1 to N; `--seed-list 2,5` runs exactly those (one base model a seed). */
export function seedsFrom(flags: Flags): number[] {
  const list = flags.intList('seed-list');
  if (list && flags.has('seeds')) throw new Error('give --seeds or --seed-list, not both');
  if (list) {
    if (new Set(list).size !== list.length) throw new Error(`--seed-list repeats a seed: ${list.join(',')}`);
    return list;
  }
  const count = flags.int('seeds', 3);
  if (count < 1) throw new Error('--seeds must be at least 1');
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** The preset's stage schedules, with --msm-steps, --msm-lr, --msm-pretrain-share, --aft-steps, --aft-lr and --aft-pretrain-share overriding them. */
export function schedulesFrom(flags: Flags, preset: PresetName): Schedules {
  const base = SCHEDULES[preset];
  // A higher or lower peak rate keeps the decay's end at most a tenth of it.
  const stage = (s: StagePlan, flag: 'msm' | 'aft'): StagePlan => {
    const peakLr = flags.fraction(`${flag}-lr`, s.peakLr, true);
    return { ...withSteps(s, flags.int(`${flag}-steps`, s.steps)), peakLr, minLr: Math.min(s.minLr, peakLr / 10), pretrainShare: flags.fraction(`${flag}-pretrain-share`, s.pretrainShare) };
  };
  return { ...base, midtrain: stage(base.midtrain, 'msm'), aft: stage(base.aft, 'aft') };
}
