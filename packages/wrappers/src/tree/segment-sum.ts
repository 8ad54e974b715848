import { ShapeError, Tensor, ValueError, fmtShape, getBackend, record } from '@elman/core';

/**
 * Sums the rows of `x [M, H]` into `numSegments` buckets: `out[segment[m]] += x[m]` (`torch.index_add` onto zeros).
 * Tree nets use it to add children's states into their parents' rows (one kernel call per tree level). Backward is
 * the matching row gather: each row's gradient is its segment's gradient.
 */
export function segmentSum(x: Tensor, segment: Int32Array, numSegments: number): Tensor {
  if (x.rank !== 2) throw new ShapeError(`segmentSum: x must be [M, H], got ${fmtShape(x.shape)}`);
  const m = x.shape[0]!;
  const h = x.shape[1]!;
  if (segment.length !== m) {
    throw new ShapeError(`segmentSum: segment has ${segment.length} entries but x is ${fmtShape(x.shape)}`);
  }
  for (let i = 0; i < m; i++) {
    const s = segment[i]!;
    if (!(s >= 0 && s < numSegments)) {
      throw new ValueError(`segmentSum: segment[${i}] = ${s} is outside [0, ${numSegments}) (x ${fmtShape(x.shape)})`);
    }
  }
  const out = new Tensor(new Float32Array(numSegments * h), [numSegments, h]); // [S, H]
  if (m > 0) getBackend().scatterAdd(x.data as Float32Array, 1, numSegments, h, segment, m, true, out.data as Float32Array);
  return record('segmentSum', [x], out, { segment, m, h, numSegments }, (g, s) => {
    const dx = new Tensor(new Float32Array(s.m * s.h), [s.m, s.h]); // [M, H]
    if (s.m > 0) getBackend().gather(g.data, 1, s.numSegments, s.h, s.segment, s.m, true, dx.data);
    return [dx];
  });
}
