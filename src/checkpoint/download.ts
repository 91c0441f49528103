// Checkpoints as files the user keeps (browser, page thread): a download, and a file picked
// back in. A file is the way out when browser storage is full.

import { CheckpointError, decodeCheckpoint, encodeCheckpoint, MAX_CHECKPOINT_BYTES, type Checkpoint } from './format';

// Revoking the URL right after click() cancels the download in some browsers; this is long
// enough for any of them to have taken the blob.
const REVOKE_AFTER_MS = 40_000;

/** Offers the checkpoint to the user as a download named `fileName`. */
export function downloadCheckpoint(checkpoint: Checkpoint, fileName: string): void {
  const blob = new Blob([encodeCheckpoint(checkpoint)], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor); // Firefox ignores click() on an anchor outside the document
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Reads and validates a checkpoint file the user picked; throws CheckpointError. */
export async function readCheckpointFile(file: File): Promise<Checkpoint> {
  // Before reading: a huge file picked by mistake is refused without loading it into memory.
  if (file.size > MAX_CHECKPOINT_BYTES) {
    throw new CheckpointError(`"${file.name}" is ${mib(file.size)}, over the ${mib(MAX_CHECKPOINT_BYTES)} limit for a checkpoint`);
  }
  return decodeCheckpoint(new Uint8Array(await file.arrayBuffer()));
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
