import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { attentionBackward as jsBackward, attentionForward as jsForward } from '../js/attention.js';
import { type WasmBackend, createWasmBackend } from './index.js';

/** Largest |got − want| relative to the largest |want| (the GEMMs' error scales with the operands, not per element). */
function relErr(got: Float32Array, want: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  }
  return worst / (scale || 1);
}

interface Case {
  G: number;
  T: number;
  S: number;
  D: number;
  Dv: number;
  bias: 'none' | 'shared' | 'per-group';
  dw: boolean;
  ds: boolean;
  dropout: boolean;
}

const CASES: Case[] = [
  { G: 1, T: 1, S: 1, D: 1, Dv: 1, bias: 'none', dw: false, ds: false, dropout: false },
  { G: 3, T: 5, S: 7, D: 4, Dv: 6, bias: 'shared', dw: true, ds: true, dropout: false }, // odd sizes: GEMM edges, row tails
  { G: 6, T: 9, S: 13, D: 8, Dv: 8, bias: 'per-group', dw: false, ds: true, dropout: true },
  { G: 4, T: 6, S: 5, D: 3, Dv: 2, bias: 'none', dw: true, ds: false, dropout: true },
  { G: 30, T: 128, S: 96, D: 32, Dv: 24, bias: 'shared', dw: true, ds: true, dropout: true }, // 2 arena chunks each way
];

describe.each(['simd', 'relaxed-simd'] as const)('wasm attention kernels (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each(CASES)('agree with the js kernels: %o', (c) => {
    const { G, T, S, D, Dv } = c;
    const gen = new Generator(G * 1000 + T * 10 + S);
    const q = gen.fillNormal(new Float32Array(G * T * D), 0, 1);
    const k = gen.fillNormal(new Float32Array(G * S * D), 0, 1);
    const v = gen.fillNormal(new Float32Array(G * S * Dv), 0, 1);
    const bias = c.bias === 'none' ? null : gen.fillNormal(new Float32Array((c.bias === 'shared' ? 1 : G) * T * S), 0, 1);
    // Mask some keys (never a whole row): −Infinity must give probability exactly 0.
    if (bias) for (let i = 1; i < bias.length; i += 5) if (i % S !== 0) bias[i] = Number.NEGATIVE_INFINITY;
    const scale = 1 / Math.sqrt(D);
    const shared = c.bias === 'shared';
    // Inverted dropout mask with p = 0.25: 0 or 4/3.
    const mask = c.dropout ? Float32Array.from({ length: G * T * S }, () => (gen.uniform() < 0.25 ? 0 : 4 / 3)) : null;
    const run = (fwd: typeof jsForward, bwd: typeof jsBackward) => {
      const p = new Float32Array(G * T * S);
      const w = mask ? new Float32Array(G * T * S) : null;
      const ctx = new Float32Array(G * T * Dv);
      fwd(G, T, S, D, Dv, q, k, v, bias, shared, scale, mask, p, w, ctx);
      const g = new Generator(7);
      const dc = g.fillNormal(new Float32Array(G * T * Dv), 0, 1);
      const dw = c.dw ? g.fillNormal(new Float32Array(G * T * S), 0, 1) : null;
      const out = {
        p,
        w,
        ctx,
        dq: new Float32Array(G * T * D),
        dk: new Float32Array(G * S * D),
        dv: new Float32Array(G * S * Dv),
        ds: c.ds ? new Float32Array(G * T * S) : null,
      };
      bwd(G, T, S, D, Dv, q, k, v, p, w, mask, dc, dw, scale, out.dq, out.dk, out.dv, out.ds);
      return out;
    };
    const want = run(jsForward, jsBackward);
    const got = run(wasm.attentionForward, wasm.attentionBackward);
    if (bias) for (let i = 0; i < got.p.length; i++) if (bias[shared ? i % (T * S) : i] === Number.NEGATIVE_INFINITY) expect(got.p[i]).toBe(0);
    expect(relErr(got.p, want.p), 'weights').toBeLessThan(1e-5);
    if (mask) {
      expect(relErr(got.w!, want.w!), 'dropped weights').toBeLessThan(1e-5);
      for (let i = 0; i < mask.length; i++) if (mask[i] === 0) expect(got.w![i]).toBe(0);
    }
    expect(relErr(got.ctx, want.ctx), 'context').toBeLessThan(1e-5);
    expect(relErr(got.dq, want.dq), 'dq').toBeLessThan(1e-4);
    expect(relErr(got.dk, want.dk), 'dk').toBeLessThan(1e-4);
    expect(relErr(got.dv, want.dv), 'dv').toBeLessThan(1e-4);
    if (c.ds) expect(relErr(got.ds!, want.ds!), 'ds').toBeLessThan(1e-4);
  });
});
