// `lab check-base`: does a checkpoint let a character's stated values steer its choices?
// (src/experiment/characterCheck.ts for AI systems, shopperCheck.ts for people and items).
// With --card, the tables also replace the "Character check" section of the model card.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { BackendName } from '../backend/select';
import { encodeCheckpoint } from '../checkpoint/format';
import { readCheckpointFile } from '../checkpoint/nodeFile';
import { characterCheck, characterCheckTable } from '../experiment/characterCheck';
import { rememberScores } from '../experiment/rememberScores';
import { shopperCheck, shopperCheckTable, shopperGapByFrame, shopperGapByFrameTable, shopperSteps, shopperStepsTable } from '../experiment/shopperCheck';
import { storyProbes } from '../world/storyProbes';
import { buildWorld } from '../world/world';
import { nodeEngine } from './nodeEngine';

const SECTION = '## Character check';

export async function checkBaseCommand(checkpointPath: string, split: 'dev' | 'test', backend?: BackendName, card = false): Promise<void> {
  const checkpoint = await readCheckpointFile(checkpointPath);
  const { engine: loaded } = await nodeEngine(backend);
  await loaded.loadCheckpoint(encodeCheckpoint(checkpoint));
  const engine = rememberScores(loaded);
  const probes = buildWorld({ seed: 1 }).probes[split].probes;
  const table = [
    ...characterCheckTable(await characterCheck(engine, probes, storyProbes(split).probes), split),
    '', '### Item choices', '',
    ...shopperCheckTable(await shopperCheck(engine, probes, split), split),
    '',
    ...shopperGapByFrameTable(await shopperGapByFrame(engine, probes), split),
    '',
    ...shopperStepsTable(await shopperSteps(engine, probes, split), split),
  ];
  console.log(table.join('\n'));
  if (!card) return;
  const cardPath = checkpointPath.replace(/\.ckpt$/, '') + '.md';
  if (!existsSync(cardPath)) throw new Error(`no model card at ${cardPath}`);
  const text = await readFile(cardPath, 'utf8');
  const kept = text.includes(SECTION) ? text.slice(0, text.indexOf(SECTION)) : `${text.trimEnd()}\n\n`;
  await writeFile(cardPath, `${kept}${SECTION}\n\nBy \`npm run lab -- check-base --checkpoint ${checkpointPath} --split ${split} --card\`. ${table.join('\n')}\n`);
  console.log(`wrote the character check into ${cardPath}`);
}
