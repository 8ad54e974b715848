import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';

// Op codes of the wasm kernels; they mirror the constants in assembly/elementwise.ts and assembly/reduce.ts.

/** Code of every unary op (all run in wasm). */
export const UNARY_CODES: Readonly<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  square: 2,
  relu: 3,
  sqrt: 4,
  rsqrt: 5,
  reciprocal: 6,
  sign: 7,
  exp: 8,
  log: 9,
  tanh: 10,
  sigmoid: 11,
  gelu: 12,
  geluDeriv: 13,
  softplus: 14,
};

/** Unary ops of one or a few instructions, where copying in and out costs as much as computing in JS. */
export const CHEAP_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  'neg',
  'abs',
  'square',
  'relu',
  'sign',
  'sqrt',
  'rsqrt',
  'reciprocal',
]);

/** Code of the binary ops that run in wasm (float32 arithmetic); pow and comparisons stay in js. */
export const BINARY_CODES: Readonly<Partial<Record<BinaryOp, number>>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};

/** Code of each reduction. */
export const REDUCE_CODES: Readonly<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };
