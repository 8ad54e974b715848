import { type RNNNetworkOptions, type RecurrentNetworkOptions, RecurrentNetwork } from './recurrent-network.js';

/**
 * Multi-layer LSTM equivalent to `torch.nn.LSTM(inputSize, hiddenSize, numLayers, bias, batch_first=True, dropout,
 * bidirectional)`: state dict `weight_ih_l{k}[_reverse] [4H, ·]`, …; `forward(x [B, T, X], {state?: {h, c}, lengths?})`
 * → `{output [B, T, D·H], state: {h [L·D, B, H], c [L·D, B, H]}}`.
 *
 * @example
 * ```ts
 * const net = lstm({ inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true });
 * const { output, state } = net.forward(x); // x [4, 10, 8] → output [4, 10, 32], state.h [4, 4, 16]
 * ```
 */
export function lstm(options: RecurrentNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('lstm', options);
}

/**
 * Multi-layer GRU equivalent to `torch.nn.GRU(..., batch_first=True)` (gates r, z, n, reset-after):
 * `forward(x, {state?: {h}, lengths?})` → `{output [B, T, D·H], state: {h [L·D, B, H]}}`.
 */
export function gru(options: RecurrentNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('gru', options);
}

/**
 * Multi-layer Elman RNN equivalent to `torch.nn.RNN(..., nonlinearity, batch_first=True)`:
 * `forward(x, {state?: {h}, lengths?})` → `{output [B, T, D·H], state: {h [L·D, B, H]}}`.
 */
export function rnn(options: RNNNetworkOptions): RecurrentNetwork {
  return new RecurrentNetwork('rnn', options);
}
