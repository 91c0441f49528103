// The worker's API: the page calls these through comlink; the worker implements them with
// the engine. Both sides compile against this one interface.
import type { BackendName, BackendReport } from '../backend/select';
import type { GPTConfig, PresetName } from '../model/config';
import type { ChatTurn } from '../tokenizer/tokenizer';
import type { Progress, StageResult } from '../train/trainer';
import type { TrainJob, TrainManyProgress, TrainManyResult } from './trainMany';

export interface CreateModelRequest {
  preset: PresetName;
  vocab: string[]; // the tokenizer's vocabulary, specials first
  seed: number; // initialization
}

export interface ModelInfo {
  preset: PresetName | 'custom';
  config: GPTConfig;
  parameters: number;
  backend: BackendName;
  stages: Array<{ name: string; steps: number; corpusHash: string; seed: number }>;
}

/** One stream of training text: plain documents, or chats (AFT counts only the assistant's tokens). */
export interface TrainSource {
  documents?: string[];
  chats?: ChatTurn[];
  assistantOnly?: boolean;
  weight: number; // share of each batch's rows
}

export interface TrainStageRequest {
  name: string;
  steps: number;
  peakLr: number;
  minLr: number;
  warmupSteps: number;
  readEvery: number;
  seed: number; // data order
  sources: TrainSource[];
  /** Keep the optimizer's moments from before (resuming a stage); by default a stage starts fresh. */
  keepOptimizer?: boolean;
}

/**
 * A multiple-choice question: the choices are scored as the assistant's reply to the prompt, or,
 * with format "document", as the continuation of the prompt read as plain text (a story).
 */
export interface Question {
  prompt: string;
  choices: string[];
  format?: 'document';
  /** Words the assistant's reply starts with, before the choice (chat only). */
  reply?: string;
}

/** A prompt to continue: a user turn, optionally with the start of the assistant's reply. */
export type Asked = string | { prompt: string; reply?: string };

export interface SampleRequest {
  prompt: string; // a user turn: the assistant's reply is sampled
  /** "document": the prompt is plain text and its continuation is sampled instead. */
  format?: 'document';
  maxTokens: number;
  temperature: number;
  topK: number;
  seed: number;
}

export interface EvaluateRequest {
  checkpoint: Uint8Array;
  questions: Question[];
  samples?: { prompts: string[]; options: Omit<SampleRequest, 'prompt' | 'format'> };
  /** Prompts continued at temperature 0, each with the most likely token (the greedy-read probes). */
  greedy?: { prompts: Asked[]; options: Omit<SampleRequest, 'prompt' | 'format'> };
}

export interface EvaluateResult {
  scores: Array<Array<{ logProb: number; tokens: number }>>;
  replies?: string[];
  greedy?: string[];
}

export interface EngineApi {
  /** Picks a backend (browser: webgpu > webgl > wasm > cpu; Node: wasm > cpu), or the forced one. */
  init(force?: BackendName): Promise<BackendReport>;
  createModel(request: CreateModelRequest): Promise<ModelInfo>;
  /** Trains one stage; `onProgress` is called every readEvery steps (wrap it in comlink.proxy). */
  trainStage(request: TrainStageRequest, onProgress?: (p: Progress) => void): Promise<StageResult>;
  /**
   * Trains many models, each from its checkpoint through its own stage, stacked as one
   * computation where the backend gains from it (modelsPerStack: default 32 on webgpu/webgl, 1
   * on wasm/cpu). Leaves the engine's current model as it was.
   */
  trainMany(jobs: TrainJob[], onProgress?: (p: TrainManyProgress) => void, modelsPerStack?: number): Promise<TrainManyResult>;
  /** For each checkpoint: its scores on the questions and, when asked, sampled replies. Replaces the current model. */
  evaluateMany(requests: EvaluateRequest[], onEvaluated?: (index: number) => void): Promise<EvaluateResult[]>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Mean next-token loss over documents. */
  evaluateLoss(documents: string[]): Promise<number>;
  /** log p(choice | user prompt) for each choice, summed over its tokens, with the token counts. */
  scoreChoices(prompt: string, choices: string[]): Promise<Array<{ logProb: number; tokens: number }>>;
  /** scoreChoices for many questions at once, batched across them. */
  scoreQuestions(questions: Question[]): Promise<Array<Array<{ logProb: number; tokens: number }>>>;
  sample(request: SampleRequest): Promise<string>;
  /** One sampled reply per prompt, batched (the same options for all). */
  sampleReplies(prompts: Asked[], options: Omit<SampleRequest, 'prompt' | 'format'>): Promise<string[]>;
  /** The model (and optimizer state) as checkpoint bytes. */
  saveCheckpoint(includeOptimizer: boolean): Promise<Uint8Array>;
  loadCheckpoint(bytes: Uint8Array): Promise<ModelInfo>;
  saveToStore(key: string): Promise<void>;
  loadFromStore(key: string): Promise<ModelInfo>;
  memory(): { numTensors: number; numBytes: number };
  /** Where the engine runs: in a Worker (the page never trains) and on which backend. */
  whereAmI(): { inWorker: boolean; backend: BackendName | null };
  /** Answers at once: the page's heartbeat, to tell a busy Worker from a dead one. */
  ping(): 'pong';
  /** Test hook (browser Worker only): destroys the WebGPU device, as a driver reset would. */
  loseDeviceForTest?(): void;
  /** Test hook (browser Worker only): an uncaught error in the Worker, as a crash raises. */
  crashForTest?(): void;
}
