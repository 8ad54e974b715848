import type { Backend } from '../backend.js';
import { adamUpdate } from './adam-update.js';
import { attentionBackward, attentionForward } from './attention.js';
import { binary } from './binary.js';
import { crossEntropyBackward, crossEntropyForward } from './cross-entropy.js';
import { gather, scatterAdd } from './gather.js';
import { gemm } from './gemm.js';
import { gemmBiasAct } from './gemm-epilogue.js';
import { layerNorm } from './layer-norm.js';
import { recurrentBackward, recurrentForward } from './recurrent-sequence.js';
import { argReduce, reduce } from './reduce.js';
import { softmax } from './softmax.js';
import { stridedCopy } from './strided-copy.js';
import { clamp, unary } from './unary.js';
import { where } from './where.js';

/** The pure-TypeScript reference backend: always available, readable, and the baseline the others are tested against. */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    unary,
    clamp,
    binary,
    reduce,
    argReduce,
    gemm,
    gemmBiasAct,
    softmax,
    layerNorm,
    stridedCopy,
    gather,
    scatterAdd,
    where,
    crossEntropyForward,
    crossEntropyBackward,
    attentionForward,
    attentionBackward,
    recurrentForward,
    recurrentBackward,
    adamUpdate,
  };
}
