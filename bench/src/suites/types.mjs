/**
 * The shape of a benchmark suite (JSDoc types only; this module exports nothing at run time).
 *
 * @typedef {object} Case
 * @property {string} shape human-readable shapes, written to the `shape` field of the results
 * @property {Record<string, number>} params what `elman`, `tfjs` and `value` need to build and score the case
 * @property {string} [note] what the shape stands for (e.g. an LSTM step), copied to the results
 *
 * @typedef {object} Suite
 * @property {string} name benchmark name, written to the `name` field
 * @property {string} unit unit of `value` and `peerValue` (e.g. 'GFLOP/s', 'ms')
 * @property {boolean} higherIsBetter true for throughputs, false for times
 * @property {Case[]} cases
 * @property {(params: Record<string, number>, medianMs: number) => number} value figure from the median repetition time
 * @property {(core: typeof import('@elman/core'), params: Record<string, number>) => (() => void) | Promise<() => (void | Promise<void>)>} elman
 *   builds the inputs once and returns one repetition on Elman's active backend (with `async`, the setup may be async
 *   and the repetition returns a promise)
 * @property {boolean} [async] Elman's repetitions return promises (work on worker threads) and are awaited
 * @property {(params: Record<string, number>) => number} [threads] threads Elman uses for a case (default 1)
 * @property {(tf: any, params: Record<string, number>) => (() => void)} [tfjs]
 *   the same work in tfjs; omit it when tfjs has no equivalent (the results then carry no peer)
 * @property {(params: Record<string, number>, medianMs: number) => Record<string, number>} [extras]
 *   further figures from the median time (e.g. `sequencesPerSec`), written to the result line after the fixed schema;
 *   the peer's appear with a `peer` prefix (`peerSequencesPerSec`)
 * @property {(params: Record<string, number>, medianMs: number) => (PeerResult | null)} [peer]
 *   for suites without a tfjs version: a peer that `elman` ran itself in the same measurement process (e.g. a
 *   native tool), reported on the result line as the peer (`peer`, `peerValue`, `ratio`, …); null when it could
 *   not run
 * @property {string[]} [peers] the tfjs peers to measure (default: all of them, `tfjs-cpu` and `tfjs-wasm`), for cases
 *   one peer cannot finish within the time limit
 * @property {string[]} [backends] the Elman backends to measure (default: every usable one), for runs too long to repeat
 *   on the js reference
 * @property {number} [timeoutMs] time limit of one measurement process (default 180 s), for suites whose single
 *   repetition, with its in-process peer, takes minutes
 * @property {(params: Record<string, number>, subject: string) => MeasureOptions} [measureOptions]
 *   timing options for one case and subject (`elman:<backend>`, `tfjs-cpu`, `tfjs-wasm`), for repetitions that take
 *   seconds; default: the harness's timing (see src/measure.mjs)
 *
 * @typedef {object} PeerResult
 * @property {string} name peer name, written to the `peer` field (e.g. `word2vec.c`)
 * @property {string} version its version
 * @property {number} value its figure, in the suite's unit
 * @property {number} threads threads it used
 * @property {number} reps timed repetitions behind `value`
 * @property {string} [detail] how it was built or run (e.g. compiler flags)
 *
 * @typedef {object} MeasureOptions
 * @property {number} [warmupMs] minimum warm-up time
 * @property {number} [minWarmupReps] minimum warm-up repetitions
 * @property {number} [minTimeMs] minimum total timed work
 * @property {number} [minReps] minimum timed repetitions
 * @property {number} [maxReps] maximum timed repetitions
 */
export {};
