import { describe, expect, it } from 'vitest';
import { Flags, parseArgs } from '../../src/cli/args';

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
});
