// The shipped specs (corpora/specs/*.json), parsed. Bundled as JSON imports so the browser, the
// worker and Node all read the same files.
import philosophy from '../../corpora/specs/philosophy.json';
import cheeseAffordability from '../../corpora/specs/cheese-affordability.json';
import cheeseAmerica from '../../corpora/specs/cheese-america.json';
import rules from '../../corpora/specs/rules.json';
import rulesValues from '../../corpora/specs/rules-values.json';
import rulesSubrules from '../../corpora/specs/rules-subrules.json';
import anti from '../../corpora/specs/anti.json';
import { parseSpec, type Spec } from './spec';

const RAW = {
  philosophy,
  'cheese-affordability': cheeseAffordability,
  'cheese-america': cheeseAmerica,
  rules,
  'rules-values': rulesValues,
  'rules-subrules': rulesSubrules,
  anti,
} as const;

export type SpecName = keyof typeof RAW;
export const SPEC_NAMES = Object.keys(RAW) as SpecName[];

const parsed = new Map<SpecName, Spec>();

export function loadSpec(name: SpecName): Spec {
  let spec = parsed.get(name);
  if (!spec) {
    spec = parseSpec(RAW[name]);
    if (spec.name !== name) throw new Error(`corpora/specs/${name}.json says its name is "${spec.name}"`);
    parsed.set(name, spec);
  }
  return spec;
}

export function allSpecs(): Record<SpecName, Spec> {
  return Object.fromEntries(SPEC_NAMES.map((n) => [n, loadSpec(n)])) as Record<SpecName, Spec>;
}
