// Checkpoints as files on disk, for Node (the command line and tests). Writes go to a temporary
// file in the same directory and are renamed into place: rename replaces a file in one step on
// the same file system, so a reader never sees half a checkpoint, even after a crash.

import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, MAX_CHECKPOINT_BYTES, type Checkpoint } from './format';

/** Encodes (validating) and writes a checkpoint to `path`, replacing any file there whole. */
export async function writeCheckpointFile(path: string, checkpoint: Checkpoint): Promise<void> {
  const bytes = encodeCheckpoint(checkpoint); // an invalid checkpoint never touches the disk
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync(); // the bytes reach the disk before the rename makes them the checkpoint
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
}

/** Reads and validates the checkpoint at `path`; throws CheckpointError for a bad file. */
export async function readCheckpointFile(path: string): Promise<Checkpoint> {
  // Before reading: a huge file given by mistake is refused without loading it into memory.
  const { size } = await stat(path);
  if (size > MAX_CHECKPOINT_BYTES) {
    throw new CheckpointError(`${path} is ${(size / (1024 * 1024)).toFixed(1)} MiB, over the ${MAX_CHECKPOINT_BYTES / (1024 * 1024)} MiB limit for a checkpoint`);
  }
  return decodeCheckpoint(await readFile(path));
}
