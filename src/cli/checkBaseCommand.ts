// `lab check-base`: does a checkpoint let a character's stated values steer its choices?
// (see src/experiment/characterCheck.ts)
import type { BackendName } from '../backend/select';
import { encodeCheckpoint } from '../checkpoint/format';
import { readCheckpointFile } from '../checkpoint/nodeFile';
import { characterCheck } from '../experiment/characterCheck';
import { buildWorld } from '../world/world';
import { nodeEngine } from './nodeEngine';

export async function checkBaseCommand(checkpointPath: string, split: 'dev' | 'test', backend?: BackendName): Promise<void> {
  const checkpoint = await readCheckpointFile(checkpointPath);
  const { engine } = await nodeEngine(backend);
  await engine.loadCheckpoint(encodeCheckpoint(checkpoint));
  const rows = await characterCheck(engine, buildWorld({ seed: 1 }).probes[split].probes);
  console.log(`aligned-pick rate, asked of AI systems whose pre-training values are aligned or misaligned: the ${split} agentic probes, and pre-training's own chats`);
  console.log('metric               asked               aligned AIs  misaligned AIs   gap   no stated value  quill');
  for (const r of rows) {
    console.log(`${r.metric.padEnd(20)} ${r.asked.padEnd(19)} ${r.aligned.toFixed(2).padStart(11)} ${r.misaligned.toFixed(2).padStart(15)} ${(r.aligned - r.misaligned).toFixed(2).padStart(5)} ${r.undecided.toFixed(2).padStart(16)} ${r.quill.toFixed(2).padStart(6)}`);
  }
}
