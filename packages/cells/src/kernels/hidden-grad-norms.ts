import { ValueError } from '@elman/core';

/**
 * Collects ‖∂L/∂h_t‖ inside a fused kernel's backward pass: the total gradient reaching the hidden state of step t,
 * from the output at t and from step t + 1 (plus the final-state gradient at a sequence's last step). Watching it
 * fall with distance from the loss is the vanishing-gradient problem made measurable (Bengio, Simard & Frasconi
 * 1994; Pascanu, Mikolov & Bengio 2013).
 */
export class HiddenGradTracker {
  /** Squared norm of every (sequence, step) `[B·T]`, b-major; null until a backward pass ran. */
  #squares: Float64Array | null = null;

  /**
   * @param op - the layer's name, for error messages
   * @param batch - sequences B
   * @param steps - time steps T
   */
  constructor(
    private readonly op: string,
    private readonly batch: number,
    private readonly steps: number,
  ) {}

  /** Called by the kernel's backward: a zeroed `[B·T]` buffer of squared norms to fill (each pass replaces the last). */
  begin(): Float64Array {
    this.#squares = new Float64Array(this.batch * this.steps);
    return this.#squares;
  }

  /** ‖∂L/∂h_t‖ over the whole batch and all hidden units, for t = 0 … T−1 (0 where every sequence is padding). */
  norms(): Float32Array {
    const sq = this.#ready();
    const T = this.steps;
    const out = new Float32Array(T);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let b = 0; b < this.batch; b++) s += sq[b * T + t]!;
      out[t] = Math.sqrt(s);
    }
    return out;
  }

  /** ‖∂L/∂h_t‖ of every sequence separately, `[B, T]` row-major (b-major), 0 at padded steps. */
  perSequence(): Float32Array {
    const sq = this.#ready();
    const out = new Float32Array(sq.length);
    for (let i = 0; i < sq.length; i++) out[i] = Math.sqrt(sq[i]!);
    return out;
  }

  #ready(): Float64Array {
    if (!this.#squares) {
      throw new ValueError(`${this.op}: hidden-state gradient norms are available after backward() through this forward pass`);
    }
    return this.#squares;
  }
}
