import { type RNNNetworkOptions, type RecurrentNetworkOptions, RecurrentNetwork } from './recurrent-network.js';

/**
 * Multi-layer LSTM equivalent to `torch.nn.LSTM(inputSize, hiddenSize, numLayers, bias, batch_first=True, dropout,
 * bidirectional)`: state dict `weight_ih_l{k}[_reverse] [4H, ·]`, …; `forward(x [B, T, X], {state?: {h, c}, lengths?})`
 * → `{output [B, T, D·H], state: {h [L·D, B, H], c [L·D, B, H]}}`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { lstm } from '@elman/wrappers';
 *
 * const net = lstm({ inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true, dropout: 0.1 });
 * const { output, state } = net.forward(randn([4, 10, 8])); // x [B, T, X]
 * console.log(output.shape, state.h.shape, state.c?.shape); // [4, 10, 32] [4, 4, 16] [4, 4, 16]
 * console.log(Object.keys(net.stateDict()).slice(0, 5)); // torch.nn.LSTM's: weight_ih_l0, …, weight_ih_l0_reverse
 * ```
 */
export function lstm(options: RecurrentNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('lstm', options);
}

/**
 * Multi-layer GRU equivalent to `torch.nn.GRU(..., batch_first=True)` (gates r, z, n, reset-after):
 * `forward(x, {state?: {h}, lengths?})` → `{output [B, T, D·H], state: {h [L·D, B, H]}}`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { gru } from '@elman/wrappers';
 *
 * const net = gru({ inputSize: 8, hiddenSize: 16, numLayers: 3 });
 * const h0 = randn([3, 2, 16]); // [L·D, B, H]
 * const { output, state } = net.forward(randn([2, 6, 8]), { state: { h: h0 }, lengths: [6, 4] });
 * console.log(output.shape, state.h.shape); // [2, 6, 16] [3, 2, 16]
 * ```
 */
export function gru(options: RecurrentNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('gru', options);
}

/**
 * Multi-layer Elman RNN equivalent to `torch.nn.RNN(..., nonlinearity, batch_first=True)`:
 * `forward(x, {state?: {h}, lengths?})` → `{output [B, T, D·H], state: {h [L·D, B, H]}}`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { rnn } from '@elman/wrappers';
 *
 * const net = rnn({ inputSize: 4, hiddenSize: 8, numLayers: 2, nonlinearity: 'relu', bidirectional: true });
 * const { output, state } = net.forward(randn([2, 5, 4]));
 * console.log(output.shape, state.h.shape); // [2, 5, 16] [4, 2, 8]
 * ```
 */
export function rnn(options: RNNNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('rnn', options);
}
