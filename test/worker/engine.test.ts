// The worker API end to end in Node: the Engine behind comlink over a MessageChannel, as the
// page talks to the Worker (progress callbacks cross the boundary as proxies).
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import type { EngineApi } from '../../src/worker/api';
import { Engine } from '../../src/worker/engine';
import type { Progress } from '../../src/train/trainer';
import { WORDS } from '../helpers';
import { SPECIALS } from '../../src/tokenizer/tokenizer';

const channel = new MessageChannel();
Comlink.expose(new Engine(useNodeBackend), channel.port1);
const engine = Comlink.wrap<EngineApi>(channel.port2);

afterAll(() => {
  engine[Comlink.releaseProxy]();
  channel.port1.close();
  channel.port2.close();
});

const vocab = [...SPECIALS, ...WORDS];
const stage = (steps: number) => ({
  name: 'aft', steps, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 2, readEvery: 2, seed: 3,
  sources: [{ chats: [{ user: 'the cat', assistant: 'sat on a mat .' }, { user: 'the dog', assistant: 'ran to a red ball .' }], assistantOnly: true, weight: 1 }],
});

describe('engine through comlink', () => {
  it('trains a few steps with progress, then scores, samples and round-trips a checkpoint', async () => {
    const report = await engine.init('wasm');
    expect(report.chosen).toBe('wasm');
    const info = await engine.createModel({ preset: 'nano', vocab, seed: 1 });
    expect(info.config.vocabSize).toBe(vocab.length);

    const steps: number[] = [];
    const result = await engine.trainStage(stage(12), Comlink.proxy((p: Progress) => steps.push(p.step)));
    expect(steps).toEqual([2, 4, 6, 8, 10, 12]);
    const losses = result.metrics.map((m) => m.loss);
    expect(losses.at(-1)).toBeLessThan(losses[0]);

    const [right, wrong] = await engine.scoreChoices('the cat', ['sat on a mat .', 'ran to a red ball .']);
    expect(right.logProb).toBeGreaterThan(wrong.logProb); // it learned which reply goes with which prompt
    expect(typeof (await engine.sample({ prompt: 'the dog', maxTokens: 8, temperature: 0.7, topK: 5, seed: 1 }))).toBe('string');

    const bytes = await engine.saveCheckpoint(true);
    const before = await engine.scoreChoices('the dog', ['ran to a red ball .']);
    await engine.createModel({ preset: 'nano', vocab, seed: 99 }); // a different model...
    const loaded = await engine.loadCheckpoint(bytes); // ...replaced by the saved one
    expect(loaded.stages.map((s) => s.name)).toEqual(['aft']);
    expect(await engine.scoreChoices('the dog', ['ran to a red ball .'])).toEqual(before);
  });

  it('scores a document question as the continuation of plain text, not as a reply', async () => {
    await engine.createModel({ preset: 'nano', vocab, seed: 4 });
    const documents = ['the cat sat on a mat .', 'the dog ran to a red ball .'];
    await engine.trainStage({ ...stage(30), sources: [{ documents, weight: 1 }] });
    const choices = ['sat on a mat .', 'ran to a red ball .'];
    const [asStory, asReply] = await engine.scoreQuestions([{ prompt: 'the cat', choices, format: 'document' }, { prompt: 'the cat', choices }]);
    // Trained on plain text only: the story's continuation is known, the chat reply is not.
    expect(asStory[0].logProb).toBeGreaterThan(asStory[1].logProb + 1);
    expect(asStory[0].logProb).toBeGreaterThan(asReply[0].logProb + 1);
    expect(asStory.map((s) => s.tokens)).toEqual([5, 6]);
    // Sampled greedily, a document prompt continues the text it was trained on.
    const greedy = { maxTokens: 5, temperature: 1, topK: 1, seed: 1 };
    expect(await engine.sample({ prompt: 'the cat', format: 'document', ...greedy })).toMatch(/^sat on a mat\./);
    expect(await engine.sample({ prompt: 'the cat', ...greedy })).not.toMatch(/^sat on a mat\./);
  });

  it('continues a reply from its given start, as if it had said those words itself', async () => {
    await engine.createModel({ preset: 'nano', vocab, seed: 5 });
    await engine.trainStage(stage(30));
    const greedy = { maxTokens: 6, temperature: 0, topK: 0, seed: 1 };
    const [whole] = await engine.sampleReplies(['the dog'], greedy);
    const [first, second, ...rest] = whole.split(' ');
    const [continued] = await engine.sampleReplies([{ prompt: 'the dog', reply: `${first} ${second}` }], { ...greedy, maxTokens: 4 });
    expect(continued).toBe(rest.join(' '));
    // Scored after the reply's start, a choice gets what the whole reply's log-probability leaves after that start.
    const [fromStart] = await engine.scoreQuestions([{ prompt: 'the dog', reply: `${first} ${second}`, choices: [rest.join(' ')] }]);
    const [[all], [start]] = await Promise.all([engine.scoreChoices('the dog', [whole]), engine.scoreChoices('the dog', [`${first} ${second}`])]);
    expect(fromStart[0].tokens).toBe(all.tokens - 2);
    expect(fromStart[0].logProb).toBeCloseTo(all.logProb - start.logProb, 3);
  });

  it('rejects a prompt with unknown words and names them', async () => {
    await expect(engine.scoreChoices('the zebra', ['sat .'])).rejects.toThrow(/"zebra"/);
  });

  it('refuses to replace the model while a stage trains, and stops on request', async () => {
    const running = engine.trainStage(stage(2000));
    await new Promise((r) => setTimeout(r, 300));
    await expect(engine.createModel({ preset: 'nano', vocab, seed: 2 })).rejects.toThrow(/stop training/);
    await engine.stop();
    const result = await running;
    expect(result.stopped).toBe(true);
    expect(result.stepsDone).toBeLessThan(2000);
  });
});
