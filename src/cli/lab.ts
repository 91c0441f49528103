// npm run lab -- <command> ...: the experiments, headless. See the README for every command.
import { isBackendName, type BackendName } from '../backend/select';
import { isPresetName, type PresetName } from '../model/config';
import { Flags, parseArgs, schedulesFrom, seedsFrom } from './args';
import { pretrainCommand } from './pretrainCommand';
import { probeCommand } from './probeCommand';
import { checkBaseCommand } from './checkBaseCommand';
import { exportCommand } from './exportCommand';
import { reportMarkdown } from '../experiment/report';
import { mergeResults } from '../experiment/mergeResults';
import { encodeDigest } from '../experiment/digest';
import type { ExperimentResults } from '../experiment/summarize';
import { writeFile } from 'node:fs/promises';
import { defaultWorkers, runCommand } from './runCommand';
import { readResultsFile, resultsText } from './resultsFiles';
import { DEFAULT_AFT_SIZES, isExperimentName } from '../experiment/plans';
import { SCHEDULES } from '../experiment/schedules';
import { buildWorld, parseProbeSet, type Probe } from '../world/world';
import { checkProbeWords } from '../experiment/scoreProbes';
import { Tokenizer } from '../tokenizer/tokenizer';
import { readFile } from 'node:fs/promises';

const USAGE = `usage:
  npm run lab -- run --experiment values|agentic|spec-science --preset nano --seeds 3|--seed-list 2,3 --out results.json
                     [--aft-sizes 1,2,4,...] [--backend wasm|cpu] [--probes FILE] [--split test|dev]
                     [--save-checkpoints DIR] [--workers N] [--msm-steps N] [--msm-lr X] [--msm-pretrain-share X] [--aft-steps N] [--aft-lr X]
                     [--aft-pretrain-share X] [--bases DIR]
  npm run lab -- probe --checkpoint FILE --probes FILE
  npm run lab -- check-base --checkpoint FILE [--split dev|test] [--card]
  npm run lab -- pretrain --preset nano --seed 1 --out models/nano-base-seed1.ckpt [--steps N]
  npm run lab -- export --spec FILE --out DIR [--seed 1]
  npm run lab -- merge --results seeds1-6.json,seeds7-12.json --out results.json
  npm run lab -- report --results a.json,b.json --out docs/results.md [--digest docs/results-digest.json]
  (merge and report read results files of lab run or lab merge, and run files exported by the app)`;

function preset(flags: Flags): PresetName {
  const p = flags.string('preset', 'nano');
  if (!isPresetName(p)) throw new Error(`unknown preset "${p}": use nano, small or medium`);
  return p;
}

function backend(flags: Flags): BackendName | undefined {
  const b = flags.optional('backend');
  if (b !== undefined && !isBackendName(b)) throw new Error(`unknown backend "${b}"`);
  return b;
}

async function main(argv: string[]): Promise<void> {
  const { command, flags: raw } = parseArgs(argv);
  const flags = new Flags(raw);
  switch (command) {
    case 'pretrain': {
      const p = preset(flags);
      const args = [p, flags.int('seed', 1), flags.string('out'), backend(flags), flags.int('steps', SCHEDULES[p].pretrain.steps)] as const;
      flags.rejectUnknown();
      if (args[4] < 1) throw new Error('--steps must be at least 1');
      return pretrainCommand(...args);
    }
    case 'probe': {
      const args = [flags.string('checkpoint'), flags.string('probes'), backend(flags)] as const;
      flags.rejectUnknown();
      return probeCommand(...args);
    }
    case 'check-base': {
      const split = flags.string('split', 'dev');
      if (split !== 'test' && split !== 'dev') throw new Error(`--split must be test or dev, got "${split}"`);
      const args = [flags.string('checkpoint'), split, backend(flags), flags.has('card')] as const;
      flags.rejectUnknown();
      return checkBaseCommand(...args);
    }
    case 'export': {
      const args = [flags.string('spec'), flags.string('out'), flags.int('seed', 1)] as const;
      flags.rejectUnknown();
      return exportCommand(...args);
    }
    case 'merge': {
      const inputs = flags.string('results').split(',');
      const out = flags.string('out');
      flags.rejectUnknown();
      const merged = mergeResults(await readResultsFiles(inputs));
      await writeFile(out, resultsText(merged));
      console.log(`wrote ${out} (seeds ${merged.seeds.join(', ')})`);
      return;
    }
    case 'report': {
      const inputs = flags.string('results').split(',');
      const out = flags.string('out');
      const digest = flags.optional('digest');
      flags.rejectUnknown();
      const all = await readResultsFiles(inputs);
      await writeFile(out, reportMarkdown(all));
      console.log(`wrote ${out}`);
      if (digest) {
        await writeFile(digest, encodeDigest(all.map((results, i) => ({ file: inputs[i], results }))));
        console.log(`wrote ${digest}`);
      }
      return;
    }
    case 'run': {
      const experiment = flags.string('experiment');
      if (!isExperimentName(experiment)) throw new Error(`unknown experiment "${experiment}": use values, agentic or spec-science`);
      const split = flags.string('split', 'test');
      if (split !== 'test' && split !== 'dev') throw new Error(`--split must be test or dev, got "${split}"`);
      const seeds = seedsFrom(flags);
      const probesFile = flags.optional('probes');
      const job = {
        experiment, split: split as 'test' | 'dev', preset: preset(flags), backend: backend(flags),
        aftSizes: flags.intList('aft-sizes') ?? DEFAULT_AFT_SIZES,
        extraProbes: probesFile ? await readExtraProbes(probesFile) : [],
        saveCheckpoints: flags.optional('save-checkpoints'),
        schedules: schedulesFrom(flags, preset(flags)),
        bases: flags.optional('bases'),
      };
      const out = flags.string('out');
      const workers = flags.int('workers', defaultWorkers());
      flags.rejectUnknown();
      const sizes = [...job.aftSizes].sort((a, b) => a - b);
      if (sizes.join() !== job.aftSizes.join()) throw new Error('--aft-sizes must be in increasing order');
      await runCommand(job, seeds, out, workers);
      return;
    }
    default:
      throw new Error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

async function readResultsFiles(paths: string[]): Promise<ExperimentResults[]> {
  return Promise.all(paths.map(readResultsFile));
}

/** An extra probe file: every probe is scored under the metric "extra". */
async function readExtraProbes(path: string): Promise<Probe[]> {
  const probes = parseProbeSet(await readFile(path, 'utf8')).probes.map((p) => ({ ...p, metric: 'extra' }));
  checkProbeWords(probes, new Tokenizer(buildWorld({ seed: 1 }).vocabulary)); // fail before any training
  return probes;
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
