/**
 * Feature detection for the wasm backend: which of the two kernel builds this runtime can compile.
 *
 * Each probe is the smallest module that uses the feature: one function of type `() -> v128`. `WebAssembly.validate`
 * rejects it where the feature is missing, without compiling or running anything.
 */

/** Which kernel build runs: `relaxed-simd` (FMA in the GEMM micro-kernel) or plain `simd` (SIMD128). */
export type WasmVariant = 'relaxed-simd' | 'simd';

/** Module header, type section `() -> v128`, function section declaring one function of that type. */
const PREFIX = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: 1 type, func () -> (v128)
  0x03, 0x02, 0x01, 0x00, // function section: 1 function of type 0
];
/** `i32.const 0; i8x16.splat`: pushes a v128. */
const V128 = [0x41, 0x00, 0xfd, 0x0f];

/** SIMD128 probe: the body is `i32.const 0; i8x16.splat; end`. */
export const SIMD_PROBE = Uint8Array.of(...PREFIX, 0x0a, 0x08, 0x01, 0x06, 0x00, ...V128, 0x0b);

/** Relaxed-SIMD probe: three v128 operands and `f32x4.relaxed_madd` (opcode 0xfd 0x105, LEB128 0x85 0x02). */
export const RELAXED_SIMD_PROBE = Uint8Array.of(
  ...PREFIX,
  0x0a, 0x13, 0x01, 0x11, 0x00, // code section: 1 body of 17 bytes, no locals
  ...V128, ...V128, ...V128,
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0x0b,
);

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Node 20 ships relaxed SIMD behind `--experimental-wasm-relaxed-simd`; V8 reads the flag at validation and compile
 * time, so setting it at run time is enough. `process.getBuiltinModule` (Node ≥ 20.16) reaches `node:v8` without a
 * static `node:` import, which keeps core browser-safe. Returns whether the flag could be set.
 */
export function enableRelaxedSimdFlag(): boolean {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
  if (typeof v8?.setFlagsFromString !== 'function') return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return true;
}

/**
 * The best kernel build this runtime validates: relaxed SIMD if available (after enabling it in Node 20), else
 * SIMD128, else `null` (no WebAssembly SIMD: the backend cannot run and `ready()` falls back to `js`).
 * The parameters exist for tests, which simulate other runtimes.
 */
export function detectWasmVariant(
  validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = defaultValidate,
  enableRelaxed: () => boolean = enableRelaxedSimdFlag,
): WasmVariant | null {
  if (!validate(SIMD_PROBE)) return null;
  if (validate(RELAXED_SIMD_PROBE)) return 'relaxed-simd';
  if (enableRelaxed() && validate(RELAXED_SIMD_PROBE)) return 'relaxed-simd';
  return 'simd';
}

function defaultValidate(bytes: Uint8Array<ArrayBuffer>): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
}
