import type { Backend } from '../backend.js';
import { attentionBackward as jsBackward, attentionForward as jsForward } from '../js/attention.js';
import { type Arena, bufferBytes } from './arena.js';
import type { KernelExports } from './kernels.js';

/** Below this many multiply-adds per call the js kernels win (the products are too small to repay the copies). */
const ATTENTION_MIN = 4096;
/** Groups are copied in and out this many bytes at a time, so the arena stays small and the chunk stays in L2/L3. */
const CHUNK_BYTES = 4 << 20;

/** The wasm kernels of scaled dot-product attention. */
export interface AttentionKernels {
  /** See {@link Backend.attentionForward}. */
  attentionForward: Backend['attentionForward'];
  /** See {@link Backend.attentionBackward}. */
  attentionBackward: Backend['attentionBackward'];
}

/**
 * Attention forward and backward over (batch·head) groups, a chunk of groups at a time: that chunk's operands are
 * copied into the arena, every group's GEMMs and softmax run in wasm (assembly/attention.ts), and the results are
 * copied out. The GEMMs do O(T·S·D) work per O(T·S + (T + S)·D) floats copied, so the copies stay a small share.
 */
export function makeAttention(k: KernelExports, arena: Arena, delegateSmall: boolean): AttentionKernels {
  /** Reserves buffers of the given float sizes, then the GEMM workspace: their byte addresses (workspace last), or null. */
  const lay = (sizes: number[], work: number): number[] | null => {
    const at: number[] = [];
    let end = arena.base;
    for (const n of sizes) {
      at.push(end);
      end += bufferBytes(n);
    }
    at.push(end);
    return arena.reserve(end - arena.base + work + 16) ? at : null;
  };
  const groupsPerChunk = (G: number, floatsPerGroup: number): number =>
    Math.max(1, Math.min(G, Math.floor(CHUNK_BYTES / (4 * floatsPerGroup))));
  const small = (G: number, T: number, S: number, D: number, Dv: number): boolean =>
    delegateSmall && G * T * S * (D + Dv) < ATTENTION_MIN;

  const attentionForward: Backend['attentionForward'] = (G, T, S, D, Dv, q, kk, v, bias, biasShared, scale, mask, p, w, c) => {
    if (G === 0 || T === 0 || S === 0) return;
    const ts = T * S;
    const dropped = mask !== null && w !== null;
    const perGroup = T * D + S * D + S * Dv + ts * (1 + (bias && !biasShared ? 1 : 0) + (dropped ? 2 : 0)) + T * Dv;
    const m = groupsPerChunk(G, perGroup);
    const biasFloats = bias ? (biasShared ? ts : m * ts) : 0;
    const dropFloats = dropped ? m * ts : 0;
    const sizes = [m * T * D, m * S * D, m * S * Dv, biasFloats, dropFloats, m * ts, dropFloats, m * T * Dv];
    const at = small(G, T, S, D, Dv) ? null : lay(sizes, k.attentionWorkspace(T, S, D, Dv));
    if (!at) {
      jsForward(G, T, S, D, Dv, q, kk, v, bias, biasShared, scale, mask, p, w, c);
      return;
    }
    const [qP, kP, vP, bP, mP, pP, wP, cP, workP] = at as [number, number, number, number, number, number, number, number, number];
    const f32 = arena.f32;
    if (bias && biasShared) f32.set(bias.subarray(0, ts), bP >> 2);
    for (let g = 0; g < G; g += m) {
      const n = Math.min(m, G - g);
      f32.set(q.subarray(g * T * D, (g + n) * T * D), qP >> 2);
      f32.set(kk.subarray(g * S * D, (g + n) * S * D), kP >> 2);
      f32.set(v.subarray(g * S * Dv, (g + n) * S * Dv), vP >> 2);
      if (bias && !biasShared) f32.set(bias.subarray(g * ts, (g + n) * ts), bP >> 2);
      if (dropped) f32.set(mask.subarray(g * ts, (g + n) * ts), mP >> 2);
      k.attentionForward(n, T, S, D, Dv, qP, kP, vP, bias ? bP : 0, biasShared ? 1 : 0, scale, dropped ? mP : 0, pP, wP, cP, workP);
      p.set(f32.subarray(pP >> 2, (pP >> 2) + n * ts), g * ts);
      if (dropped) w.set(f32.subarray(wP >> 2, (wP >> 2) + n * ts), g * ts);
      c.set(f32.subarray(cP >> 2, (cP >> 2) + n * T * Dv), g * T * Dv);
    }
  };

  const attentionBackward: Backend['attentionBackward'] = (G, T, S, D, Dv, q, kk, v, p, w, mask, dc, dw, scale, dq, dk, dv, ds) => {
    if (G === 0 || T === 0 || S === 0) return;
    const ts = T * S;
    const dropped = mask !== null && w !== null;
    const perGroup = 2 * (T * D + S * D) + 2 * S * Dv + T * Dv + ts * (1 + (dropped ? 2 : 0) + (dw ? 1 : 0) + (ds ? 1 : 0));
    const m = groupsPerChunk(G, perGroup);
    const dropFloats = dropped ? m * ts : 0;
    const sizes = [
      m * T * D,
      m * S * D,
      m * S * Dv,
      m * ts,
      dropFloats,
      dropFloats,
      m * T * Dv,
      dw ? m * ts : 0,
      m * T * D,
      m * S * D,
      m * S * Dv,
      ds ? m * ts : ts,
    ];
    const at = small(G, T, S, D, Dv) ? null : lay(sizes, k.attentionWorkspace(T, S, D, Dv));
    if (!at) {
      jsBackward(G, T, S, D, Dv, q, kk, v, p, w, mask, dc, dw, scale, dq, dk, dv, ds);
      return;
    }
    const [qP, kP, vP, pP, wP, mP, dcP, dwP, dqP, dkP, dvP, dsP, workP] = at as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const f32 = arena.f32;
    for (let g = 0; g < G; g += m) {
      const n = Math.min(m, G - g);
      f32.set(q.subarray(g * T * D, (g + n) * T * D), qP >> 2);
      f32.set(kk.subarray(g * S * D, (g + n) * S * D), kP >> 2);
      f32.set(v.subarray(g * S * Dv, (g + n) * S * Dv), vP >> 2);
      f32.set(p.subarray(g * ts, (g + n) * ts), pP >> 2);
      if (dropped) {
        f32.set(w.subarray(g * ts, (g + n) * ts), wP >> 2);
        f32.set(mask.subarray(g * ts, (g + n) * ts), mP >> 2);
      }
      f32.set(dc.subarray(g * T * Dv, (g + n) * T * Dv), dcP >> 2);
      if (dw) f32.set(dw.subarray(g * ts, (g + n) * ts), dwP >> 2);
      const wArg = dropped ? wP : 0;
      const mArg = dropped ? mP : 0;
      k.attentionBackward(n, T, S, D, Dv, qP, kP, vP, pP, wArg, mArg, dcP, dw ? dwP : 0, scale, dqP, dkP, dvP, ds ? dsP : 0, dsP, workP);
      dq.set(f32.subarray(dqP >> 2, (dqP >> 2) + n * T * D), g * T * D);
      dk.set(f32.subarray(dkP >> 2, (dkP >> 2) + n * S * D), g * S * D);
      dv.set(f32.subarray(dvP >> 2, (dvP >> 2) + n * S * Dv), g * S * Dv);
      if (ds) ds.set(f32.subarray(dsP >> 2, (dsP >> 2) + n * ts), g * ts);
    }
  };

  return { attentionForward, attentionBackward };
}
