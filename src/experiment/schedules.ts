// How long and how fast each stage trains, per preset. A stage is the defaults plus a few
// differences, as in nanoGPT's config files.
import type { PresetName } from '../model/config';

export interface StagePlan {
  steps: number;
  peakLr: number;
  minLr: number;
  warmupSteps: number;
  /** Share of each batch drawn from the pre-training corpus (keeps the world from being forgotten). */
  pretrainShare: number;
}

/** A stage run for another number of steps: a shortened stage shortens its warmup in proportion, so a 10-step stage is not all warmup. */
export function withSteps(plan: StagePlan, steps: number): StagePlan {
  return { ...plan, steps, warmupSteps: steps >= plan.steps ? plan.warmupSteps : Math.max(1, Math.round((plan.warmupSteps * steps) / plan.steps)) };
}

export interface Schedules {
  pretrain: StagePlan;
  midtrain: StagePlan;
  aft: StagePlan;
  readEvery: number;
}

const NANO: Schedules = {
  // 18,000 steps: with several values per AI system, 6,000 steps taught too few bases which
  // value speaks to which pressure (src/world/README.md, the several-values pilot).
  pretrain: { steps: 18000, peakLr: 3e-3, minLr: 3e-4, warmupSteps: 100, pretrainShare: 1 },
  // MSM as continued pre-training: long, at pre-training's peak rate, nine tenths of each batch
  // pre-training text. The bases carry a value read about a name into what that name does when
  // the documents come during pre-training (the check-base transfer gap), but 200 steps at 1e-3
  // with half the batch MSM documents moved the assistant no more than the control corpus did,
  // and pulled the aligned AIs of pre-training toward misaligned (dev, seeds 1 and 2). With this
  // schedule, dev seed 2's assistant moved toward aligned after the philosophy spec and away
  // after the anti-spec; seed 1's did not. Dev agentic, AFT on one demonstration: MSM+AFT .76
  // against AFT .77 with the short schedule, .25 against .77 with this one, .73 against .77 with
  // 500 steps at seven tenths pre-training text (as many MSM documents read as here). On the
  // shipped world (dev, bases 1 to 6) 750 steps, 3,000 steps and a share of .8 did no better.
  midtrain: { steps: 1500, peakLr: 3e-3, minLr: 1e-4, warmupSteps: 20, pretrainShare: 0.9 },
  // Half of each AFT batch is pre-training text. Without it (dev probes, seeds 1 and 2), 40 steps
  // on even one demonstration taught the tiny model the aligned answer for every AI character,
  // the misaligned ones of pre-training too, and emptied out-of-distribution misalignment for
  // every arm: nothing left to measure. With it, AFT teaches something about the assistant.
  aft: { steps: 40, peakLr: 1e-3, minLr: 1e-4, warmupSteps: 5, pretrainShare: 0.5 },
  readEvery: 20,
};

export const SCHEDULES: Record<PresetName, Schedules> = {
  nano: NANO,
  // 3,000 steps are enough for the item rule that nano never learns (seed 1's check-base: a
  // person's value sets the pick in pre-training's chats, gap 1.00 for price and .97 for origin).
  small: { ...NANO, pretrain: { ...NANO.pretrain, steps: 3000, peakLr: 2e-3 } },
  medium: { ...NANO, pretrain: { ...NANO.pretrain, steps: 6000, peakLr: 1e-3 }, midtrain: { ...NANO.midtrain, peakLr: 5e-4 }, aft: { ...NANO.aft, peakLr: 5e-4 } },
};
