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
 * @property {(core: typeof import('@elman/core'), params: Record<string, number>) => (() => void)} elman
 *   builds the inputs once and returns one repetition on Elman's active backend
 * @property {(tf: any, params: Record<string, number>) => (() => void)} [tfjs]
 *   the same work in tfjs; omit it when tfjs has no equivalent (the results then carry no peer)
 */
export {};
