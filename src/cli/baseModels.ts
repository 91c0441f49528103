// Where the shipped base models live, and the check that one still matches the world's
// pre-training corpus (a stale base would make every figure describe another world).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint } from '../checkpoint/format';
import { pretrainFingerprint } from '../experiment/pretrainBase';
import type { PresetName } from '../model/config';
import type { World } from '../world/world';

/** `dir` is `models/` for the shipped bases; another folder holds bases built for a study. */
export function baseModelPath(preset: PresetName, seed: number, dir = 'models'): string {
  return join(dir, `${preset}-base-seed${seed}.ckpt`);
}

export async function readBaseModel(preset: PresetName, seed: number, world: World, dir?: string): Promise<Uint8Array> {
  const path = baseModelPath(preset, seed, dir);
  if (!existsSync(path)) throw new Error(`no base model at ${path}: build it with npm run lab -- pretrain --preset ${preset} --seed ${seed} --out ${path}`);
  const bytes = new Uint8Array(await readFile(path));
  const checkpoint = decodeCheckpoint(bytes);
  const note = checkpoint.provenance.note ?? '';
  const expected = pretrainFingerprint(world);
  if (!note.includes(expected) || checkpoint.vocab.join(' ') !== world.vocabulary.join(' ')) {
    throw new Error(`${path} was pre-trained on another version of the toy internet or vocabulary (its note: "${note}"; the corpus now is ${expected}): rebuild it with npm run lab -- pretrain --preset ${preset} --seed ${seed} --out ${path}`);
  }
  return bytes;
}
