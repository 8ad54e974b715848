// Entry point of the WebAssembly kernels (compiled twice by scripts/build-wasm.mjs: SIMD128 and relaxed SIMD).
// Every pointer argument is a byte address in this module's memory; the JS side (src/backends/wasm/) lays out
// buffers above heapBase(), copies operands in and results out.
export { gemm, gemmBiasAct, gemmWorkspace, setThreadIndex } from './gemm';
export { binary, clamp, unary } from './elementwise';
export { reduce } from './reduce';
export { softmax } from './softmax';
export { layerNorm } from './layer-norm';
export { crossEntropyBackward, crossEntropyForward } from './cross-entropy';

/** First byte after the module's static data: the JS arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { lstmBackward, lstmForward, lstmWorkspace } from './lstm-sequence';
export { rnnBackward, rnnForward, rnnWorkspace } from './rnn-sequence';
export { gruBackward, gruForward, gruWorkspace } from './gru-sequence';
export { scatterAddRows } from './scatter-add';
export { attentionBackward, attentionForward, attentionWorkspace } from './attention';
export { adamUpdate } from './adam';
