// Pre-training a base model on the toy internet: the start of every experiment for a seed.
import type { PresetName } from '../model/config';
import type { Progress } from '../train/trainer';
import type { EngineApi } from '../worker/api';
import type { World } from '../world/world';
import { fingerprint } from '../util/hash';
import { SCHEDULES } from './schedules';
import { stageRequest } from './runExperiment';

export async function pretrainBase(
  engine: Pick<EngineApi, 'createModel' | 'trainStage' | 'saveCheckpoint'>,
  world: World,
  preset: PresetName,
  seed: number,
  onProgress?: (p: Progress) => void,
  steps = SCHEDULES[preset].pretrain.steps,
): Promise<Uint8Array> {
  const schedules = SCHEDULES[preset];
  await engine.createModel({ preset, vocab: world.vocabulary, seed });
  await engine.trainStage(stageRequest('pretrain', { ...schedules.pretrain, steps }, schedules.readEvery, seed, [], world.pretrain), onProgress);
  return engine.saveCheckpoint(false);
}

/** The fingerprint of a world's pre-training corpus, recorded on base models. */
export function pretrainFingerprint(world: World): string {
  return fingerprint(JSON.stringify(world.pretrain));
}
