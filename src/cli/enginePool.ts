// The runner's engine for the command line: N child processes, each an Engine on wasm (wasm
// runs one thread per process here), fed one job at a time so that every core stays busy.
// With one worker the Engine runs in this process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../backend/select';
import type { BatchEngine } from '../experiment/runExperiment';
import type { EvaluateRequest, EvaluateResult } from '../worker/api';
import type { TrainJob, TrainManyResult } from '../worker/trainMany';
import { nodeEngine } from './nodeEngine';

type Task = { kind: 'train'; job: TrainJob } | { kind: 'evaluate'; request: EvaluateRequest };
type Reply = { ready: BackendName } | { trained: TrainManyResult } | { evaluated: EvaluateResult[] } | { error: string };

export interface EnginePool extends BatchEngine {
  backend: BackendName;
  close(): void;
}

export async function startEnginePool(workers: number, backend?: BackendName): Promise<EnginePool> {
  if (workers <= 1) {
    const { engine, backend: chosen } = await nodeEngine(backend);
    return { backend: chosen, trainMany: (jobs, p) => engine.trainMany(jobs, p), evaluateMany: (r, p) => engine.evaluateMany(r, p), close: () => {} };
  }
  const children = await Promise.all(Array.from({ length: workers }, () => startChild(backend)));
  // Longest tasks first, so that the last ones to finish are short and no process waits long
  // for another at the end of a phase.
  const run = <T>(tasks: Task[], read: (r: Reply) => T, onDone: (i: number) => void): Promise<T[]> => {
    const results: T[] = new Array(tasks.length);
    const order = tasks.map((_, i) => i).sort((a, b) => cost(tasks[b]) - cost(tasks[a]) || a - b);
    let next = 0;
    return Promise.all(children.map(async (c) => {
      for (let n = next++; n < order.length; n = next++) {
        const i = order[n];
        results[i] = read(await c.ask(tasks[i]));
        onDone(i);
      }
    })).then(() => results);
  };
  return {
    backend: children[0].backend,
    async trainMany(jobs, onProgress) {
      const each = await run(jobs.map((job) => ({ kind: 'train' as const, job })), (r) => ('trained' in r ? r.trained : fail(r)), (i) =>
        onProgress?.({ jobs: [i], step: jobs[i].stage.steps, steps: jobs[i].stage.steps, metrics: [[]], tokensPerSecond: 0, finished: true }),
      );
      return { results: each.flatMap((e) => e.results), checkpoints: each.flatMap((e) => e.checkpoints) };
    },
    async evaluateMany(requests, onEvaluated) {
      const each = await run(requests.map((request) => ({ kind: 'evaluate' as const, request })), (r) => ('evaluated' in r ? r.evaluated[0] : fail(r)), (i) => onEvaluated?.(i));
      return each;
    },
    close: () => children.forEach((c) => c.process.kill()),
  };
}

// A rough cost: a stage's steps times its longest example; an evaluation's scoring, and its sampling (a few times more).
function cost(task: Task): number {
  if (task.kind === 'train') {
    let longest = 1;
    for (const s of task.job.stage.sources) {
      for (const d of s.documents ?? []) longest = Math.max(longest, d.length);
      for (const c of s.chats ?? []) longest = Math.max(longest, c.user.length + c.assistant.length);
    }
    return task.job.stage.steps * longest;
  }
  return 1 + (task.request.samples ? 3 : 0) + (task.request.greedy ? 3 : 0);
}

function fail(r: Reply): never {
  throw new Error('error' in r ? r.error : `unexpected reply from an engine process: ${JSON.stringify(r).slice(0, 200)}`);
}

async function startChild(backend?: BackendName): Promise<{ process: ChildProcess; backend: BackendName; ask: (t: Task) => Promise<Reply> }> {
  // 'advanced' serialization passes checkpoints as bytes, not as JSON objects of numbers.
  const child = fork(fileURLToPath(import.meta.url), ['--engine-process', backend ?? ''], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  let waiting: ((r: Reply) => void) | null = null;
  let failure: Error | null = null;
  child.on('message', (r: Reply) => waiting?.(r));
  child.on('exit', (code) => {
    failure = new Error(`an engine process exited with code ${code}`);
    waiting?.({ error: failure.message });
  });
  const next = () => new Promise<Reply>((resolve) => (waiting = resolve));
  const ready = await next();
  if (!('ready' in ready)) fail(ready);
  return {
    process: child,
    backend: ready.ready,
    ask: (task) => {
      if (failure) return Promise.reject(failure);
      const reply = next();
      child.send(task);
      return reply;
    },
  };
}

// As a child process: one engine, one task at a time.
if (process.argv.includes('--engine-process')) {
  const forced = process.argv[process.argv.indexOf('--engine-process') + 1] as BackendName | '';
  const { engine, backend } = await nodeEngine(forced || undefined);
  process.on('message', async (task: Task) => {
    try {
      if (task.kind === 'train') process.send!({ trained: await engine.trainMany([task.job]) } satisfies Reply);
      else process.send!({ evaluated: await engine.evaluateMany([task.request]) } satisfies Reply);
    } catch (e) {
      process.send!({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
  process.send!({ ready: backend } satisfies Reply);
}
