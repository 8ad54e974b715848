/** Logistic sigmoid 1 / (1 + e^−v); saturates cleanly to 0 or 1 (e^−v → ∞ gives 0, never NaN). */
export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}
