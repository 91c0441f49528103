import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError, MAX_CHECKPOINT_BYTES } from '../../src/checkpoint/format';
import { readCheckpointFile, writeCheckpointFile } from '../../src/checkpoint/nodeFile';
import { expectSameBits, makeCheckpoint } from './fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msm-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoint files in Node', () => {
  it('writes and reads a checkpoint bit for bit, leaving only the file', async () => {
    const path = join(dir, 'model.msmlab');
    const original = makeCheckpoint(1, true);
    await writeCheckpointFile(path, original);
    expect(await readdir(dir)).toEqual(['model.msmlab']);
    const loaded = await readCheckpointFile(path);
    expect(loaded.config).toEqual(original.config);
    expect(loaded.vocab).toEqual(original.vocab);
    expect(loaded.provenance).toEqual(original.provenance);
    expectSameBits(loaded.weights, original.weights);
    expect(loaded.optimizer!.step).toBe(350);
    expectSameBits(loaded.optimizer!.m, original.optimizer!.m);
    expectSameBits(loaded.optimizer!.v, original.optimizer!.v);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'model.msmlab');
    await writeCheckpointFile(path, makeCheckpoint(2, true));
    const replacement = makeCheckpoint(3, false);
    await writeCheckpointFile(path, replacement);
    const loaded = await readCheckpointFile(path);
    expectSameBits(loaded.weights, replacement.weights);
    expect(loaded.optimizer).toBeUndefined();
    expect(await readdir(dir)).toEqual(['model.msmlab']);
  });

  it('never touches the disk for a checkpoint that cannot be encoded', async () => {
    const path = join(dir, 'model.msmlab');
    await writeCheckpointFile(path, makeCheckpoint(4, false));
    const before = await readFile(path);
    const bad = makeCheckpoint(5, false);
    bad.weights[3][1] = Infinity;
    await expect(writeCheckpointFile(path, bad)).rejects.toThrow('weights "h0.ln1.b" has a non-finite value (Infinity) at index 1');
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['model.msmlab']);
  });

  it('leaves no temporary file when the write fails', async () => {
    await expect(writeCheckpointFile(join(dir, 'missing', 'model.msmlab'), makeCheckpoint(6, false))).rejects.toThrow(/ENOENT/);
    // The target is a non-empty directory: the temporary file is written, then the rename fails.
    const occupied = join(dir, 'occupied');
    await mkdir(join(occupied, 'child'), { recursive: true });
    await expect(writeCheckpointFile(occupied, makeCheckpoint(6, false))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const path = join(dir, 'huge.msmlab');
    const file = await open(path, 'w');
    await file.truncate(MAX_CHECKPOINT_BYTES + 1); // sparse: no disk space used
    await file.close();
    await expect(readCheckpointFile(path)).rejects.toThrow(CheckpointError);
    await expect(readCheckpointFile(path)).rejects.toThrow('huge.msmlab is 256.0 MiB, over the 256 MiB limit for a checkpoint');
  });

  it('rejects damaged files and files that are not checkpoints', async () => {
    const path = join(dir, 'model.msmlab');
    await writeCheckpointFile(path, makeCheckpoint(7, false));
    const bytes = await readFile(path);
    bytes[bytes.length - 100] ^= 0x01;
    await writeFile(path, bytes);
    await expect(readCheckpointFile(path)).rejects.toThrow('damaged: checksum mismatch');
    await writeFile(path, 'hello, this is a text file and not a checkpoint at all');
    await expect(readCheckpointFile(path)).rejects.toThrow('not an MSM Lab checkpoint');
  });
});
