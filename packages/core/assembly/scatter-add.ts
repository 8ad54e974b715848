// Scatter-add of rows: the backward pass of an embedding lookup (Bengio et al. 2003), dW[index[j]] += dY[j].

/**
 * `out[index[j]·inner … +inner] += src[j·inner … +inner]` for `k` rows, four lanes at a time. Indices were
 * range-checked by the op; repeated indices accumulate in order, as in the js kernel.
 */
export function scatterAddRows(src: usize, k: i32, inner: i32, index: usize, out: usize): void {
  const rowBytes = <usize>inner << 2;
  const body = <usize>(inner & ~3) << 2;
  for (let j = 0; j < k; j++) {
    const s = src + <usize>j * rowBytes;
    const d = out + <usize>load<i32>(index + (<usize>j << 2)) * rowBytes;
    let o: usize = 0;
    for (; o < body; o += 16) v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
    for (; o < rowBytes; o += 4) store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
  }
}
