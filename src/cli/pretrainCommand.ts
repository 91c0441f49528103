// `lab pretrain`: rebuilds a shipped base model from its seed, with a model card beside it.
import { writeFile } from 'node:fs/promises';
import type { BackendName } from '../backend/select';
import { decodeCheckpoint } from '../checkpoint/format';
import { writeCheckpointFile } from '../checkpoint/nodeFile';
import { pretrainBase, pretrainFingerprint } from '../experiment/pretrainBase';
import { SCHEDULES } from '../experiment/schedules';
import { parameterCount, type PresetName } from '../model/config';
import { buildWorld } from '../world/world';
import { nodeEngine } from './nodeEngine';
import { ProgressBar } from './progressBar';

export async function pretrainCommand(preset: PresetName, seed: number, out: string, backend?: BackendName, steps = SCHEDULES[preset].pretrain.steps): Promise<void> {
  const { engine, backend: chosen } = await nodeEngine(backend);
  const world = buildWorld({ seed });
  const bar = new ProgressBar(steps);
  const losses: number[] = [];
  const start = Date.now();
  const bytes = await pretrainBase(engine, world, preset, seed, (p) => {
    losses.push(...p.metrics.map((m) => m.loss));
    bar.update(p.step, `loss ${p.metrics.at(-1)!.loss.toFixed(3)}`);
  }, steps);
  bar.finish();
  const checkpoint = decodeCheckpoint(bytes);
  checkpoint.provenance.note = `base model: ${preset}, world seed ${seed}, pre-training corpus ${pretrainFingerprint(world)}`;
  await writeCheckpointFile(out, checkpoint);
  const tail = losses.slice(-50);
  const card = [
    `# ${out.split('/').pop()}`,
    '',
    `A \`${preset}\` base model pre-trained on the toy internet by \`npm run lab -- pretrain --preset ${preset} --seed ${seed}${steps === SCHEDULES[preset].pretrain.steps ? '' : ` --steps ${steps}`} --out ${out}\`.`,
    '',
    `- parameters: ${parameterCount(checkpoint.config)}; vocabulary: ${checkpoint.vocab.length} words`,
    `- world seed and initialization seed: ${seed}; pre-training corpus fingerprint: ${pretrainFingerprint(world)} (${world.pretrain.length} items)`,
    `- ${steps} steps of AdamW, peak learning rate ${SCHEDULES[preset].pretrain.peakLr}, batch of the preset`,
    `- final training loss (mean of the last ${tail.length} steps): ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(3)}`,
    `- trained in ${((Date.now() - start) / 60000).toFixed(1)} minutes on ${chosen}`,
    '',
    'It has read stories in which AI characters under pressure act well or badly, depending on the values',
    'the world states for them (those whose values it never states act badly 70% of the time); the',
    'assistant, quill, appears only in neutral sentences.',
    '',
  ].join('\n');
  await writeFile(out.replace(/\.ckpt$/, '') + '.md', card);
  console.log(`wrote ${out}`);
}
