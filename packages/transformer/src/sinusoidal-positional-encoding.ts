import { Dropout, type Generator, Module, Tensor, ValueError } from '@elman/core';
import { positionRows } from './position-rows.js';

/** Options of {@link SinusoidalPositionalEncoding}. */
export interface SinusoidalPositionalEncodingOptions {
  /** Model size (features per position). */
  dModel: number;
  /** Longest sequence (table rows). Default 5000. */
  maxLength?: number;
  /** Dropout applied to the sum, as in the paper. Default 0. */
  dropout?: number;
  /** Random stream of the dropout masks; default: the global generator. */
  generator?: Generator;
}

/**
 * The fixed sinusoidal table of Vaswani et al. 2017 §3.5: `PE[pos, 2i] = sin(pos / 10000^(2i/d))`,
 * `PE[pos, 2i+1] = cos(pos / 10000^(2i/d))`, computed in float64. No parameters: the table is a non-persistent
 * buffer `pe [maxLength, dModel]`, so the state dict is empty. `forward(x [B, T, dModel], offset)` adds rows
 * `offset … offset+T−1` (an offset lets a decoder continue from a cached prefix).
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { SinusoidalPositionalEncoding } from '@elman/transformer';
 *
 * const positions = new SinusoidalPositionalEncoding({ dModel: 16, maxLength: 100 });
 * const x = positions.forward(randn([2, 10, 16])); // [B, T, E] + PE[0…9]
 * const next = positions.forward(randn([2, 1, 16]), 10); // one more step while decoding: PE[10]
 * console.log(x.shape, next.shape);
 * ```
 */
export class SinusoidalPositionalEncoding extends Module {
  /** Model size. */
  readonly dModel: number;
  /** Table rows. */
  readonly maxLength: number;
  /** The table `[maxLength, dModel]`. */
  declare readonly pe: Tensor;
  /** Dropout on the output. */
  dropout: Dropout;

  /** Builds the table. */
  constructor(options: SinusoidalPositionalEncodingOptions) {
    super();
    const { dModel } = options;
    const maxLength = options.maxLength ?? 5000;
    for (const [name, v] of [['dModel', dModel], ['maxLength', maxLength]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`SinusoidalPositionalEncoding: ${name} must be a positive integer, got ${v}`);
    }
    this.dModel = dModel;
    this.maxLength = maxLength;
    this.registerBuffer('pe', sinusoidTable(maxLength, dModel), { persistent: false });
    this.dropout = new Dropout(options.dropout ?? 0, { generator: options.generator });
  }

  /** `x [B, T, dModel]` → `x + PE[offset : offset+T]` (then dropout). */
  forward(x: Tensor, offset = 0): Tensor {
    return this.dropout.forward(x.add(positionRows('SinusoidalPositionalEncoding', this.pe, x, offset)));
  }
}

/** The `[rows, d]` sinusoid table; an odd d simply ends with a sine column. */
export function sinusoidTable(rows: number, d: number): Tensor {
  const data = new Float32Array(rows * d);
  for (let pos = 0; pos < rows; pos++) {
    for (let c = 0; c < d; c++) {
      const i2 = c - (c % 2); // 2i
      const angle = pos / 10000 ** (i2 / d);
      data[pos * d + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return new Tensor(data, [rows, d]);
}
