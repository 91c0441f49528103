import { describe, expect, it } from 'vitest';
import { Flags, parseArgs, schedulesFrom, seedsFrom } from '../../src/cli/args';
import { SCHEDULES } from '../../src/experiment/schedules';
import { quickConfig, schedulesFor } from '../../src/runs/config';

describe('command-line flags', () => {
  it('reads values, lists and switches', () => {
    const { command, flags } = parseArgs(['run', '--experiment', 'agentic', '--aft-sizes', '1,2,4', '--verbose']);
    const f = new Flags(flags);
    expect(command).toBe('run');
    expect(f.string('experiment')).toBe('agentic');
    expect(f.intList('aft-sizes')).toEqual([1, 2, 4]);
    expect(f.has('verbose')).toBe(true);
    expect(f.int('seeds', 3)).toBe(3);
    expect(() => f.rejectUnknown()).not.toThrow();
  });

  it('names a bad or unknown flag', () => {
    const f = new Flags(parseArgs(['run', '--seeds', 'three', '--aft-sizes', '1,x', '--typo', '1']).flags);
    expect(() => f.int('seeds', 3)).toThrow(/--seeds must be a whole number, got "three"/);
    expect(() => f.intList('aft-sizes')).toThrow(/--aft-sizes/);
    expect(() => f.rejectUnknown()).toThrow(/unknown flag: --typo/);
    expect(() => new Flags(parseArgs(['run']).flags).string('out')).toThrow(/--out is required/);
    expect(() => parseArgs(['run', 'stray'])).toThrow(/unexpected argument "stray"/);
  });

  it('reads fractions in [0, 1), and refuses 0 where it must be above 0', () => {
    const f = new Flags(parseArgs(['run', '--share', '0.5', '--lr', '0', '--big', '1', '--word', 'x']).flags);
    expect(f.fraction('share', 0)).toBe(0.5);
    expect(f.fraction('missing', 0.25)).toBe(0.25);
    expect(f.fraction('lr', 0.1)).toBe(0);
    expect(() => f.fraction('lr', 0.1, true)).toThrow(/--lr must be a number above 0 and below 1, got "0"/);
    expect(() => f.fraction('big', 0)).toThrow(/--big must be a number from 0 and below 1, got "1"/);
    expect(() => f.fraction('word', 0)).toThrow(/--word/);
  });

  it('runs seeds 1 to N, or exactly the seeds listed', () => {
    const seeds = (...argv: string[]) => seedsFrom(new Flags(parseArgs(['run', ...argv]).flags));
    expect(seeds()).toEqual([1, 2, 3]);
    expect(seeds('--seeds', '2')).toEqual([1, 2]);
    expect(seeds('--seed-list', '3')).toEqual([3]);
    expect(seeds('--seed-list', '5,2')).toEqual([5, 2]);
    expect(() => seeds('--seeds', '0')).toThrow(/--seeds must be at least 1/);
    expect(() => seeds('--seed-list', '2,2')).toThrow(/repeats a seed/);
    expect(() => seeds('--seed-list', '0')).toThrow(/--seed-list must be positive/);
    expect(() => seeds('--seeds', '2', '--seed-list', '3')).toThrow(/not both/);
  });

  it('gives the schedules of the app for the same stage lengths: a shortened stage shortens its warmup', () => {
    const flags = (...argv: string[]) => new Flags(parseArgs(['run', ...argv]).flags);
    const quick = schedulesFrom(flags('--msm-steps', '300', '--aft-steps', '20'), 'nano');
    expect(quick).toEqual(schedulesFor(quickConfig('agentic')));
    expect([quick.midtrain.warmupSteps, quick.aft.warmupSteps]).toEqual([4, 3]);
    expect(schedulesFrom(flags(), 'small')).toEqual(SCHEDULES.small);
    const longer = schedulesFrom(flags('--aft-steps', '80', '--aft-lr', '0.01'), 'nano').aft;
    expect(longer).toEqual({ ...SCHEDULES.nano.aft, steps: 80, peakLr: 0.01 });
  });
});
