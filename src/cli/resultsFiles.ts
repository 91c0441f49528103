// The files `lab run` and `lab merge` write, and the files `lab merge` and `lab report` read: a
// results JSON as `lab run` or `lab merge` wrote it, or a run file the app exported. A run file
// keeps every seed's probe scores, so its picks are recorded here and it reports (and merges)
// like a CLI run.
import { readFile } from 'node:fs/promises';
import { recordPicks } from '../experiment/recordedPicks';
import type { ExperimentResults } from '../experiment/summarize';
import { parseRunFile, RUN_FILE_FORMAT } from '../runs/runFile';

/**
 * A results JSON as `lab run` and `lab merge` write it: on one line, with loss curves kept to four
 * decimals (finer than any chart draws), so that a merge of thirty bases stays a few megabytes.
 * Every other number is written exactly, so a merge of written files recomputes the same figures.
 */
export function resultsText(results: ExperimentResults): string {
  return JSON.stringify(results, (key, value) => (key === 'losses' && Array.isArray(value) ? value.map(fourDecimals) : value));
}

const fourDecimals = (x: number) => Math.round(x * 1e4) / 1e4;

export async function readResultsFile(path: string): Promise<ExperimentResults> {
  return parseResults(await readFile(path, 'utf8'), path);
}

export function parseResults(text: string, name: string): ExperimentResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name} is not JSON (${(e as Error).message})`);
  }
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (fields.format === RUN_FILE_FORMAT) {
    let run;
    try {
      run = parseRunFile(text);
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
    // Through JSON, so that NaN reads as null, as in the CLI's files.
    return JSON.parse(JSON.stringify({ ...run.results, picks: recordPicks(run.seedResults) }));
  }
  const isResults = typeof fields.experiment === 'string' && Array.isArray(fields.seeds) && typeof fields.arms === 'object' && fields.arms !== null;
  if (!isResults) throw new Error(`${name} is neither a results JSON (from lab run or lab merge) nor a run file exported by the app`);
  return raw as ExperimentResults;
}
