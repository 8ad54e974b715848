// Helpers shared by every kernel. ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so each of the two builds
// (scripts/build-wasm.mjs) keeps exactly one branch.

/**
 * `a * b + c` per f32 lane. The relaxed-SIMD build uses `f32x4.relaxed_madd`, which V8 lowers to one FMA where the
 * CPU has it (Relaxed SIMD proposal, W3C WebAssembly CG 2023); the SIMD128 build multiplies and adds.
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Sum of the four lanes of `v` promoted to f64, added to `acc` (an f64x2). */
export function addPromoted(acc: v128, v: v128): v128 {
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
}

/** The two f64 lanes of `v` added together. */
export function hsum64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
