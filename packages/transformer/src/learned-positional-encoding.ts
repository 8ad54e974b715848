import { Dropout, type Generator, Module, Parameter, type Tensor, ValueError, normal_ } from '@elman/core';
import { positionRows } from './position-rows.js';

/** Options of {@link LearnedPositionalEncoding}. */
export interface LearnedPositionalEncodingOptions {
  /** Model size (features per position). */
  dModel: number;
  /** Longest sequence (table rows). */
  maxLength: number;
  /** Dropout applied to the sum. Default 0. */
  dropout?: number;
  /** Standard deviation of the initial N(0, σ²) table. Default 0.02 (GPT-2, Radford et al. 2019). */
  initStd?: number;
  /** Random stream for the initial table and the dropout masks; default: the global generator. */
  generator?: Generator;
}

/**
 * A trained position table (Gehring et al. 2017; GPT, Radford et al. 2018): state dict `weight [maxLength, dModel]`.
 * `forward(x [B, T, dModel], offset)` adds rows `offset … offset+T−1`, and the rows used receive gradients.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { LearnedPositionalEncoding } from '@elman/transformer';
 *
 * const positions = new LearnedPositionalEncoding({ dModel: 16, maxLength: 64 }); // a trained [64, 16] table (GPT)
 * const x = positions.forward(randn([2, 10, 16])); // [B, T, E] + rows 0…9
 * console.log(x.shape, Object.keys(positions.stateDict())); // [2, 10, 16] ['weight']
 * ```
 */
export class LearnedPositionalEncoding extends Module {
  /** Model size. */
  readonly dModel: number;
  /** Table rows. */
  readonly maxLength: number;
  /** The table `[maxLength, dModel]`. */
  weight: Parameter;
  /** Dropout on the output. */
  dropout: Dropout;

  /** Creates the table, drawn from N(0, initStd²). */
  constructor(options: LearnedPositionalEncodingOptions) {
    super();
    const { dModel, maxLength } = options;
    for (const [name, v] of [['dModel', dModel], ['maxLength', maxLength]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`LearnedPositionalEncoding: ${name} must be a positive integer, got ${v}`);
    }
    this.dModel = dModel;
    this.maxLength = maxLength;
    this.weight = new Parameter(new Float32Array(maxLength * dModel), [maxLength, dModel]);
    normal_(this.weight, 0, options.initStd ?? 0.02, { generator: options.generator });
    this.dropout = new Dropout(options.dropout ?? 0, { generator: options.generator });
  }

  /** `x [B, T, dModel]` → `x + weight[offset : offset+T]` (then dropout). */
  forward(x: Tensor, offset = 0): Tensor {
    return this.dropout.forward(x.add(positionRows('LearnedPositionalEncoding', this.weight, x, offset)));
  }
}
