import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseModel } from '../../src/cli/baseModels';
import { SHIPPED_SEEDS } from '../../src/runs/config';
import { buildWorld } from '../../src/world/world';
import type { PresetName } from '../../src/model/config';

// A shipped base that no longer matches its seed's toy internet would make every figure
// describe another world; run refuses one, and this test finds one before a run does.
describe('shipped base models', () => {
  const worlds = new Map<number, ReturnType<typeof buildWorld>>();
  const world = (seed: number) => worlds.get(seed) ?? worlds.set(seed, buildWorld({ seed })).get(seed)!;
  const shipped = Object.entries(SHIPPED_SEEDS).flatMap(([preset, seeds]) => seeds!.map((seed) => [preset as PresetName, seed] as const));

  it.each(shipped)('%s seed %i matches the pre-training corpus of its seed', async (preset, seed) => {
    const bytes = await readBaseModel(preset, seed, world(seed));
    expect(bytes.length).toBeGreaterThan(1000);
  }, 60_000);

  it('refuses a base read against another seed\'s world, and names the command for a missing one', async () => {
    await expect(readBaseModel('nano', 5, world(4))).rejects.toThrow(/another version of the toy internet.*pretrain --preset nano --seed 5/);
    await expect(readBaseModel('nano', 99, world(4))).rejects.toThrow(/no base model at models\/nano-base-seed99\.ckpt: build it with npm run lab -- pretrain --preset nano --seed 99/);
  }, 60_000);

  it('reads a base from another folder (--bases) with the same check, and names that folder when one is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msm-bases-'));
    try {
      await copyFile('models/nano-base-seed4.ckpt', join(dir, 'nano-base-seed4.ckpt'));
      expect(await readBaseModel('nano', 4, world(4), `${dir}/`)).toEqual(await readBaseModel('nano', 4, world(4)));
      await expect(readBaseModel('nano', 4, world(5), dir)).rejects.toThrow(/another version of the toy internet/);
      await expect(readBaseModel('nano', 5, world(5), dir)).rejects.toThrow(`no base model at ${dir}/nano-base-seed5.ckpt`);
    } finally {
      await rm(dir, { recursive: true });
    }
  }, 60_000);
});
