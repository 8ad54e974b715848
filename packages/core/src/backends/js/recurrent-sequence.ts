import type { Backend } from '../backend.js';
import { gruBackward, gruForward } from './gru-sequence.js';
import { lstmBackward, lstmForward } from './lstm-sequence.js';
import { rnnBackward, rnnForward } from './rnn-sequence.js';

/** The js backend's fused sequence forward: the readable reference the wasm kernels are tested against. */
export const recurrentForward: Backend['recurrentForward'] = (args) => {
  const kind = args.cell.kind;
  return kind === 'lstm' ? lstmForward(args) : kind === 'gru' ? gruForward(args) : rnnForward(args);
};

/** The js backend's fused sequence backward (BPTT). */
export const recurrentBackward: Backend['recurrentBackward'] = (args) => {
  const kind = args.cell.kind;
  if (kind === 'lstm') lstmBackward(args);
  else if (kind === 'gru') gruBackward(args);
  else rnnBackward(args);
};
