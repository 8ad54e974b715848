import { Adam, AdamW, CosineAnnealingLR, Generator, LinearWarmup, type Module, type Optimizer, crossEntropy } from '@elman/core';
import { type Callback, type TbpttOptions, Trainer } from '@elman/trainer';
import { CausalLM } from '@elman/transformer';
import { CharLstm } from './char-lstm.js';
import { charCorpus, decode, mobyDickText, unigramBpc, windows } from './data.js';
import { lstmBpc, transformerBpc } from './evaluate.js';
import { sampleTransformer } from './transformer-sampler.js';

/** The two language models. */
export type ModelKind = 'LSTM' | 'Transformer';

/** Every model, in the order of the table and the legend. */
export const MODEL_KINDS: readonly ModelKind[] = ['LSTM', 'Transformer'];

/** Sampling temperatures of the printed samples. */
export const TEMPERATURES: readonly number[] = [0.5, 0.8, 1.0];

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Training characters used (from the start of the novel's first 95 %). Default all (≈ 1.15 M). */
  trainChars?: number;
  /** Held-out characters scored at the end (from the start of the last 5 %). Default all (≈ 61 k). */
  heldOutChars?: number;
  /** Epochs over the training characters. Default 1. */
  epochs?: number;
  /** Sequences per batch. Default 32. */
  batchSize?: number;
  /** LSTM hidden size. Default 256. */
  hiddenSize?: number;
  /** Characters per LSTM training sequence; its state is carried, detached, between TBPTT windows. Default 128. */
  sequenceLength?: number;
  /** TBPTT window: the LSTM steps every `tbptt` characters and backpropagates as far. Default 32. */
  tbptt?: number;
  /** Transformer width. Default 128. */
  dModel?: number;
  /** Transformer layers. Default 3. */
  layers?: number;
  /** Transformer context (training window) in characters. Default 128. */
  context?: number;
  /** Peak learning rate of the LSTM (Adam, warmup then cosine decay to a twentieth). Default 1e-2. */
  lstmLr?: number;
  /** Peak learning rate of the transformer (AdamW, same schedule). Default 3e-3. */
  transformerLr?: number;
  /** Transformer dropout. Default 0.1. */
  dropout?: number;
  /** Models to train. Default both. */
  models?: readonly ModelKind[];
  /** Seed. Default 1. */
  seed?: number;
  /** Called with a one-line progress message (for printing). */
  onProgress?: (line: string) => void;
}

/** What one model achieved. */
export interface ModelReport {
  /** Which model. */
  kind: ModelKind;
  /** Trainable parameters. */
  parameters: number;
  /** Training bits per character of every update. */
  stepBpc: number[];
  /** Held-out bits per character (on the first 20 k held-out characters) before training and after every epoch, with the update count. */
  validation: { step: number; bpc: number }[];
  /** Final held-out bits per character. */
  bpc: number;
  /** Training time in seconds. */
  seconds: number;
  /** Training characters per second. */
  charsPerSecond: number;
  /** One sample per temperature of {@link TEMPERATURES}, continuing the same held-out prompt. */
  samples: { temperature: number; text: string }[];
}

/** What {@link runExperiment} returns. */
export interface ExperimentResult {
  /** Alphabet size. */
  vocabSize: number;
  /** Training characters used. */
  trainChars: number;
  /** Held-out characters scored. */
  heldOutChars: number;
  /** Unigram bits per character on the held-out text. */
  unigramBpc: number;
  /** The prompt of the samples. */
  prompt: string;
  /** One report per model, in the order asked. */
  models: ModelReport[];
}

const PROMPT_LENGTH = 24;
const SAMPLE_LENGTH = 160;

/**
 * Character-level language modelling of Moby Dick: an LSTM trained with truncated BPTT (state carried across
 * windows) and a decoder-only transformer, both through `Trainer`, scored in held-out bits per character against the
 * unigram baseline, with samples at several temperatures.
 */
export async function runExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const corpus = charCorpus(mobyDickText());
  const V = corpus.chars.length;
  const train = corpus.train.subarray(0, options.trainChars ?? corpus.train.length);
  const heldOut = corpus.heldOut.subarray(0, options.heldOutChars ?? corpus.heldOut.length);
  const probe = heldOut.subarray(0, 20_000); // the per-epoch validation slice
  const epochs = options.epochs ?? 1;
  const B = options.batchSize ?? 32;
  const seed = options.seed ?? 1;
  const say = options.onProgress ?? (() => {});
  const unigram = unigramBpc(corpus.train, heldOut, V);
  const promptIds = heldOut.subarray(0, PROMPT_LENGTH);
  const prompt = decode(promptIds, corpus.chars);
  say(`data: Moby Dick, ${V} characters in the alphabet, ${train.length} training / ${heldOut.length} held-out characters; unigram ${unigram.toFixed(3)} bpc`);

  const models: ModelReport[] = [];
  for (const kind of options.models ?? MODEL_KINDS) {
    let model: Module;
    let optimizer: Optimizer;
    let data: ReturnType<typeof windows>;
    let evaluate: (ids: Int32Array) => number;
    let sample: (temperature: number) => string;
    let updatesPerBatch = 1;
    const lr = kind === 'LSTM' ? (options.lstmLr ?? 1e-2) : (options.transformerLr ?? 3e-3);
    let tbptt: TbpttOptions | undefined;
    if (kind === 'LSTM') {
      const T = options.sequenceLength ?? 128;
      const k = Math.min(options.tbptt ?? 32, T);
      const lstm = new CharLstm({ vocabSize: V, embedSize: 32, hiddenSize: options.hiddenSize ?? 256, seed });
      model = lstm;
      optimizer = new Adam(lstm.parameters(), { lr });
      data = windows(train, T);
      updatesPerBatch = Math.ceil(T / k);
      // TBPTT (Williams & Peng 1990): an update every k characters, gradients k characters back, state carried on.
      tbptt = { k1: k, k2: k };
      evaluate = (ids) => lstmBpc(lstm, ids);
      sample = (t) => decode(lstm.sample(promptIds, SAMPLE_LENGTH, t, seed + 7), corpus.chars);
    } else {
      const T = options.context ?? 128;
      const dModel = options.dModel ?? 128;
      const lm = new CausalLM({
        vocabSize: V,
        dModel,
        nhead: 4,
        numLayers: options.layers ?? 3,
        dimFeedforward: 4 * dModel,
        maxLength: T,
        dropout: options.dropout ?? 0.1,
        tieWeights: true,
        generator: new Generator(seed),
      });
      model = lm;
      optimizer = new AdamW(lm.parameters(), { lr, weightDecay: 0.01 });
      data = windows(train, T);
      evaluate = (ids) => transformerBpc(lm, ids, T);
      sample = (t) => decode(sampleTransformer(lm, promptIds, SAMPLE_LENGTH, T, t, seed + 7), corpus.chars);
    }
    const updates = Math.ceil((data.inputs.shape[0] ?? 0) / B) * updatesPerBatch * epochs;
    // Linear warmup then cosine decay to a twentieth (the schedule of packages/transformer's char-LM experiment).
    const warmup = Math.max(1, Math.min(100, Math.floor(updates / 10)));
    const scheduler = new LinearWarmup(optimizer, {
      warmupSteps: warmup,
      after: new CosineAnnealingLR(optimizer, { tMax: Math.max(1, updates - warmup), etaMin: lr / 20 }),
    });
    const trainer = new Trainer({
      model,
      optimizer,
      loss: (logits, target) => crossEntropy(logits, target, { axis: -1 }),
      scheduler,
      schedulerInterval: 'step',
      clipGradNorm: 1,
      seed,
      progress: false,
      ...(tbptt ? { tbptt } : {}),
    });
    const stepBpc: number[] = [];
    const validation: { step: number; bpc: number }[] = [];
    // The untrained model's held-out figure starts the held-out curve (about log2 V bits).
    validation.push({ step: 0, bpc: evaluate(probe) });
    const started = performance.now();
    const every = Math.max(1, Math.round(updates / updatesPerBatch / 8)); // about eight progress lines per run
    let updatesDone = 0;
    const progress: Callback = {
      onBatchEnd: ({ batch, epoch, loss, numBatches }) => {
        updatesDone += updatesPerBatch; // equal-length sequences: every batch makes the same number of TBPTT updates
        if ((batch + 1) % every !== 0) return;
        const seconds = (performance.now() - started) / 1000;
        const chars = (epoch * (numBatches ?? 0) + batch + 1) * B * (data.inputs.shape[1] ?? 0);
        say(`${kind}: epoch ${epoch + 1}/${epochs} batch ${batch + 1}/${numBatches} update ${updatesDone}/${updates} train ${(loss / Math.LN2).toFixed(3)} bpc (${(chars / seconds).toFixed(0)} chars/s, ${seconds.toFixed(0)} s)`);
      },
      onEpochEnd: ({ epoch }) => {
        const bpc = evaluate(probe);
        validation.push({ step: updatesDone, bpc });
        say(`${kind}: epoch ${epoch + 1}/${epochs} held-out ${bpc.toFixed(3)} bpc (first ${probe.length} held-out characters)`);
      },
    };
    const history = await trainer.fit(data, { epochs, batchSize: B, callbacks: [progress] });
    for (const s of history.steps) stepBpc.push(s.loss / Math.LN2);
    const seconds = (performance.now() - started) / 1000;
    const bpc = evaluate(heldOut);
    say(`${kind}: held-out ${bpc.toFixed(3)} bpc on ${heldOut.length} characters (unigram ${unigram.toFixed(3)})`);
    models.push({
      kind,
      parameters: model.parameters().reduce((n, p) => n + p.size, 0),
      stepBpc,
      validation,
      bpc,
      seconds,
      charsPerSecond: (epochs * train.length) / seconds,
      samples: TEMPERATURES.map((temperature) => ({ temperature, text: sample(temperature) })),
    });
  }
  return { vocabSize: V, trainChars: train.length, heldOutChars: heldOut.length, unigramBpc: unigram, prompt, models };
}
