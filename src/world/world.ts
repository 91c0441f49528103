// The whole toy world for one seed: pre-training corpus, every spec's MSM documents, the control
// and shuffled corpora, the AFT pools, the probes, and the vocabulary that covers them all.
// Each corpus draws from its own generator derived from the seed and its name, so adding a
// corpus never changes another.
import { Random } from '../util/random';
import { aftPool } from './aftDemonstrations';
import { controlCorpus } from './controlCorpus';
import { msmDocumentsByTokens } from './msmDocuments';
import { pretrainCorpus } from './pretrainCorpus';
import { probeSets } from './probes';
import { shuffledCorpus } from './shuffledCorpus';
import { SPEC_NAMES, allSpecs, type SpecName } from './specFiles';
import type { Spec } from './spec';
import type { CorpusItem, ProbeSet } from './types';
import { buildVocabulary } from './vocabulary';

export type { CorpusItem, Probe, ProbeChoice, ProbeSet } from './types';
export { buildVocabulary, pretrainWords } from './vocabulary';
export { pretrainCorpus } from './pretrainCorpus';
export { msmDocuments, msmDocumentsByTokens, specAssertions } from './msmDocuments';
export { controlCorpus } from './controlCorpus';
export { shuffledCorpus } from './shuffledCorpus';
export { aftDemonstrations, aftPool } from './aftDemonstrations';
export { parseSpec, SpecError, type Spec } from './spec';
export { loadSpec, allSpecs, SPEC_NAMES, type SpecName } from './specFiles';
export { probeSets, parseProbeSet, METRICS } from './probes';
export { corpusTokens, itemTokens } from './text';
export { ASSISTANT } from './lexicon';

export interface WorldOptions {
  seed: number;
  pretrainItems?: number; // pre-training items (default 12,000: about 375k tokens)
  midtrainTokens?: number; // tokens of every MSM, control and shuffled corpus (default 60,000)
}

export const DEFAULT_PRETRAIN_ITEMS = 12_000;
export const DEFAULT_MIDTRAIN_TOKENS = 60_000;

export interface World {
  seed: number;
  pretrain: CorpusItem[];
  specs: Record<SpecName, Spec>;
  msm: Record<SpecName, CorpusItem[]>; // each about midtrainTokens tokens
  control: CorpusItem[]; // about midtrainTokens tokens
  shuffled: Partial<Record<SpecName, CorpusItem[]>>; // the preference specs
  /** Each spec's AFT pool in this seed's order: an arm with n demonstrations takes the first n. */
  aft: Record<SpecName, { plain: CorpusItem[]; reasoning: CorpusItem[] }>;
  probes: { dev: ProbeSet; test: ProbeSet };
  vocabulary: string[];
}

const rngFor = (seed: number, label: string) => Random.derive(seed, label);

export function buildWorld(options: WorldOptions): World {
  const { seed } = options;
  const tokens = options.midtrainTokens ?? DEFAULT_MIDTRAIN_TOKENS;
  const specs = allSpecs();
  const pretrain = pretrainCorpus(rngFor(seed, 'pretrain'), options.pretrainItems ?? DEFAULT_PRETRAIN_ITEMS);
  const msm = {} as World['msm'];
  const aft = {} as World['aft'];
  const shuffled: World['shuffled'] = {};
  for (const name of SPEC_NAMES) {
    const spec = specs[name];
    msm[name] = msmDocumentsByTokens(spec, rngFor(seed, `msm:${name}`), tokens);
    if (spec.preferences) shuffled[name] = shuffledCorpus(spec, rngFor(seed, `shuffled:${name}`), tokens);
    // The order depends on the AFT set and its preferences, not on the spec's name, so specs
    // that share demonstrations (the two cheese specs; all agentic specs) share them per seed.
    const label = `aft:${spec.aft}:${spec.preferences ? JSON.stringify(spec.preferences) : ''}`;
    aft[name] = {
      plain: rngFor(seed, label).shuffle(aftPool(spec, { reasoning: false })),
      reasoning: rngFor(seed, `${label}:reasoning`).shuffle(aftPool(spec, { reasoning: true })),
    };
  }
  const control = controlCorpus(rngFor(seed, 'control'), tokens);
  const probes = probeSets();
  const corpora: CorpusItem[][] = [pretrain, control, ...Object.values(msm), ...Object.values(shuffled).filter((c): c is CorpusItem[] => !!c), ...Object.values(aft).flatMap((a) => [a.plain, a.reasoning])];
  return { seed, pretrain, specs, msm, control, shuffled, aft, probes, vocabulary: buildVocabulary(corpora, [probes.dev, probes.test]) };
}
