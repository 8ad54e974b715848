// The word2vec training loop (Mikolov et al. 2013; word2vec.c v0.1c `TrainModelThread`) in AssemblyScript with
// SIMD128: the port of src/word2vec/kernel.ts `trainChunk`, which stays the reference and the fallback.
//
// Why wasm: Hogwild threads (Recht et al. 2011) share the weight rows, and a row update made of 100 scalar stores
// keeps the cores fighting over the same cache lines far longer than 25 f32x4 stores do (word2vec.c scales to two
// threads with its vectorised -O3 build, much less without). The math is f32 like word2vec.c; the random stream
// (SplitMix32 over a Weyl counter), the subsampling test and the alias-table noise draws are the JS kernel's
// operations in the same order on the same f64 values, so both kernels make the same random decisions.
//
// Every pointer is a byte address in the (imported) memory. `configure` sets the instance's globals once; each
// Hogwild worker instantiates this module over the same shared memory with its own scratch pointers and stream.

let cbow: bool = false;
let hs: bool = false;
let negative: i32 = 0;
let window: i32 = 1;
let dim: i32 = 0;
let vocabSize: i32 = 0;
let syn0: usize = 0; // [V, D] f32
let syn1: usize = 0; // [V − 1, D] f32
let syn1neg: usize = 0; // [V, D] f32
let expTable: usize = 0; // [EXP_TABLE_SIZE] f32
let keep: usize = 0; // [V] f64
let noiseProb: usize = 0; // [V] f64
let noiseAlias: usize = 0; // [V] i32
let codes: usize = 0; // [Σ path] u8
let points: usize = 0; // [Σ path] i32
let codeOffsets: usize = 0; // [V + 1] i32
let neu1: usize = 0; // [D] f32
let neu1e: usize = 0; // [D] f32
let sentence: usize = 0; // [maxLen] i32
let maxLen: i32 = 0;
let rng: usize = 0; // [1] i32: the Weyl counter
let targets: usize = 0; // [2 · window · (negative + 1)] i32: one window's drawn targets
let touched: usize = 0; // [1] f32: sink of the row-touching loads
let hotRows: i32 = 0; // K: rows 0..K − 1 of syn0 and syn1neg are trained in this thread's copies (0: none)
let hot0: usize = 0; // [K, D] f32: this thread's copy of syn0's first K rows
let hot0Base: usize = 0; // [K, D] f32: those rows as last read from syn0
let hot1: usize = 0; // [K, D] f32: this thread's copy of syn1neg's first K rows
let hot1Base: usize = 0; // [K, D] f32: those rows as last read from syn1neg

const MAX_EXP: f32 = 6;
/** word2vec.c's `EXP_TABLE_SIZE / MAX_EXP / 2` in integer arithmetic. */
const EXP_SCALE: f32 = 83;
const WEYL: u32 = 0x9e3779b9;

/** First byte after the module's static data: the JS side lays the tables out above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Sets this instance's sizes, table addresses and scratch addresses (see src/word2vec/wasm-kernel.ts). */
export function configure(
  isCbow: i32,
  useHs: i32,
  nNegative: i32,
  nWindow: i32,
  D: i32,
  V: i32,
  pSyn0: usize,
  pSyn1: usize,
  pSyn1neg: usize,
  pExpTable: usize,
  pKeep: usize,
  pNoiseProb: usize,
  pNoiseAlias: usize,
  pCodes: usize,
  pPoints: usize,
  pCodeOffsets: usize,
  pNeu1: usize,
  pNeu1e: usize,
  pSentence: usize,
  sentenceCapacity: i32,
  pRng: usize,
  pTargets: usize,
  pTouched: usize,
  nHot: i32,
  pHot0: usize,
  pHot0Base: usize,
  pHot1: usize,
  pHot1Base: usize,
): void {
  cbow = isCbow !== 0;
  hs = useHs !== 0;
  negative = nNegative;
  window = nWindow;
  dim = D;
  vocabSize = V;
  syn0 = pSyn0;
  syn1 = pSyn1;
  syn1neg = pSyn1neg;
  expTable = pExpTable;
  keep = pKeep;
  noiseProb = pNoiseProb;
  noiseAlias = pNoiseAlias;
  codes = pCodes;
  points = pPoints;
  codeOffsets = pCodeOffsets;
  neu1 = pNeu1;
  neu1e = pNeu1e;
  sentence = pSentence;
  maxLen = sentenceCapacity;
  rng = pRng;
  targets = pTargets;
  touched = pTouched;
  hotRows = nHot;
  hot0 = pHot0;
  hot0Base = pHot0Base;
  hot1 = pHot1;
  hot1Base = pHot1Base;
}

/** SplitMix32 finalizer (Steele et al. 2014) of a Weyl counter; kernel.ts `mix32` in u32 arithmetic. */
function mix32(x: u32): u32 {
  let z = x;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/** One alias-table draw of the noise distribution (kernel.ts `sampleNoise`, same f64 operations). */
function sampleNoise(r1: u32, r2: u32): i32 {
  const i = <i32>Math.floor(<f64>r1 * 2.3283064365386963e-10 * <f64>vocabSize);
  const off = <usize>i;
  return <f64>r2 * 2.3283064365386963e-10 < load<f64>(noiseProb + (off << 3)) ? i : load<i32>(noiseAlias + (off << 2));
}

/** Sum of the four lanes. */
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** `Σ a[k] · b[k]` over `k < n`: two f32x4 accumulators (a single one waits on every add), scalar tail. */
function dot(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  const end8 = <usize>(n & ~7) << 2;
  let off: usize = 0;
  for (; off < end8; off += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + off), v128.load(b + off)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + off, 16), v128.load(b + off, 16)));
  }
  if (n & 4) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + off), v128.load(b + off)));
    off += 16;
  }
  let f = hsum(f32x4.add(s0, s1));
  const end = <usize>n << 2;
  for (; off < end; off += 4) f += load<f32>(a + off) * load<f32>(b + off);
  return f;
}

/** `e += g · out` (the old row) and `out += g · h`, fused so each output row is loaded and stored once. */
function backprop(e: usize, out: usize, h: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  const end4 = <usize>(n & ~3) << 2;
  let off: usize = 0;
  for (; off < end4; off += 16) {
    const v = v128.load(out + off);
    v128.store(e + off, f32x4.add(v128.load(e + off), f32x4.mul(gv, v)));
    v128.store(out + off, f32x4.add(v, f32x4.mul(gv, v128.load(h + off))));
  }
  const end = <usize>n << 2;
  for (; off < end; off += 4) {
    const v = load<f32>(out + off);
    store<f32>(e + off, load<f32>(e + off) + g * v);
    store<f32>(out + off, v + g * load<f32>(h + off));
  }
}

/** `y += x` over `n` floats. */
function addTo(y: usize, x: usize, n: i32): void {
  const end4 = <usize>(n & ~3) << 2;
  let off: usize = 0;
  for (; off < end4; off += 16) v128.store(y + off, f32x4.add(v128.load(y + off), v128.load(x + off)));
  const end = <usize>n << 2;
  for (; off < end; off += 4) store<f32>(y + off, load<f32>(y + off) + load<f32>(x + off));
}

/** `y /= s` over `n` floats (a division, as word2vec.c's CBOW mean). */
function divide(y: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  const end4 = <usize>(n & ~3) << 2;
  let off: usize = 0;
  for (; off < end4; off += 16) v128.store(y + off, f32x4.div(v128.load(y + off), sv));
  const end = <usize>n << 2;
  for (; off < end; off += 4) store<f32>(y + off, load<f32>(y + off) / s);
}

/** The table sigmoid of `f`, for |f| < MAX_EXP. */
function sigmoid(f: f32): f32 {
  return load<f32>(expTable + (<usize><i32>((f + MAX_EXP) * EXP_SCALE) << 2));
}

/** Row `w` of syn0 as this thread trains it: its own copy for the K most frequent words, else the shared row. */
function row0(w: i32, rowBytes: usize): usize {
  return w < hotRows ? hot0 + <usize>w * rowBytes : syn0 + <usize>w * rowBytes;
}

/** Row `w` of syn1neg as this thread trains it (see {@link row0}). */
function row1(w: i32, rowBytes: usize): usize {
  return w < hotRows ? hot1 + <usize>w * rowBytes : syn1neg + <usize>w * rowBytes;
}

/** `copy = base = shared` over `n` floats: a thread's hot rows start from the shared weights. */
function readHot(copy: usize, base: usize, shared: usize, n: i32): void {
  const bytes = <usize>n << 2;
  memory.copy(copy, shared, bytes);
  memory.copy(base, shared, bytes);
}

/** `shared += copy − base` over `n` floats: a thread's updates to its hot rows, merged into the shared weights. */
function mergeHot(copy: usize, base: usize, shared: usize, n: i32): void {
  const end4 = <usize>(n & ~3) << 2;
  let off: usize = 0;
  for (; off < end4; off += 16) {
    const delta = f32x4.sub(v128.load(copy + off), v128.load(base + off));
    v128.store(shared + off, f32x4.add(v128.load(shared + off), delta));
  }
  const end = <usize>n << 2;
  for (; off < end; off += 4) store<f32>(shared + off, load<f32>(shared + off) + (load<f32>(copy + off) - load<f32>(base + off)));
}

/** Hierarchical softmax along the Huffman path of `word`, input row `h`, accumulating into neu1e. */
function trainHs(word: i32, h: usize, alpha: f32): void {
  const rowBytes = <usize>dim << 2;
  const start = load<i32>(codeOffsets + (<usize>word << 2));
  const end = load<i32>(codeOffsets + (<usize>(word + 1) << 2));
  for (let d = start; d < end; d++) {
    const l2 = syn1 + <usize>load<i32>(points + (<usize>d << 2)) * rowBytes;
    const f = dot(h, l2, dim);
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    const g = (<f32>1 - <f32>load<u8>(codes + <usize>d) - sigmoid(f)) * alpha;
    backprop(neu1e, l2, h, g, dim);
  }
}

/**
 * Loads one float of every cache line of the row at `row`, so the line misses start now and overlap. Rows another
 * Hogwild worker has just written miss all the way to that core's cache (~50 ns on one chiplet, ~200 ns across
 * chiplets, measured here); touched ahead, a window's rows are in flight together instead of one stall per row.
 */
function touch(row: usize, rowBytes: usize, sum: f32): f32 {
  for (let off: usize = 0; off < rowBytes; off += 64) sum += load<f32>(row + off);
  return sum;
}

/**
 * Draws the negative-sampling targets of `word` into `at` (`word` itself first, then `negative` noise words, in the
 * order kernel.ts draws them) and touches their output rows; returns the advanced counter and adds the touched
 * values to the `touched` sink.
 */
function drawTargets(word: i32, at: usize, counter: u32): u32 {
  const rowBytes = <usize>dim << 2;
  let sum = touch(row1(word, rowBytes), rowBytes, 0);
  store<i32>(at, word);
  for (let d = 1; d <= negative; d++) {
    counter += WEYL;
    const r1 = mix32(counter);
    counter += WEYL;
    const target = sampleNoise(r1, mix32(counter));
    store<i32>(at + (<usize>d << 2), target);
    sum = touch(row1(target, rowBytes), rowBytes, sum);
  }
  store<f32>(touched, load<f32>(touched) + sum);
  return counter;
}

/** Negative sampling over the targets drawn at `at` for `word`, input row `h`, accumulating into neu1e. */
function trainNegative(word: i32, h: usize, alpha: f32, at: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let d = 0; d <= negative; d++) {
    const target = load<i32>(at + (<usize>d << 2));
    let label: f32 = 1;
    if (d > 0) {
      if (target === word) continue;
      label = 0;
    }
    const l2 = row1(target, rowBytes);
    const f = dot(h, l2, dim);
    const g = (f > MAX_EXP ? label - 1 : f < -MAX_EXP ? label : label - sigmoid(f)) * alpha;
    backprop(neu1e, l2, h, g, dim);
  }
}

/**
 * Trains on one chunk (kernel.ts `trainChunk`): per sentence, subsample into the sentence buffer (at most its
 * capacity, the rest next round), then per position a shrunk window and a CBOW or skip-gram update.
 *
 * @param ids - Address of the chunk's word ids, sentences back to back.
 * @param ends - Address of each sentence's end offset.
 * @returns Words trained on after subsampling.
 */
export function trainChunk(ids: usize, ends: usize, nSentences: i32, alpha: f32): i32 {
  const rowBytes = <usize>dim << 2; // one row of a matrix, and the size of neu1 / neu1e
  const hotFloats = hotRows * dim;
  if (hotRows > 0) {
    readHot(hot0, hot0Base, syn0, hotFloats);
    if (negative > 0) readHot(hot1, hot1Base, syn1neg, hotFloats);
  }
  let counter = load<u32>(rng);
  let trained = 0;
  let i = 0;
  for (let si = 0; si < nSentences; si++) {
    const end = load<i32>(ends + (<usize>si << 2));
    while (i < end) {
      let len = 0;
      while (i < end && len < maxLen) {
        const w = load<i32>(ids + (<usize>i << 2));
        i++;
        const k = load<f64>(keep + (<usize>w << 3));
        if (k < 1) {
          counter += WEYL;
          if (k < <f64>(mix32(counter) >>> 8) * 5.9604644775390625e-8) continue;
        }
        store<i32>(sentence + (<usize>len << 2), w);
        len++;
      }
      trained += len;
      for (let pos = 0; pos < len; pos++) {
        const word = load<i32>(sentence + (<usize>pos << 2));
        counter += WEYL;
        const span = window - <i32>(mix32(counter) % <u32>window); // the shrunk window, in [1, window]
        const lo = max(pos - span, 0);
        const hi = min(pos + span, len - 1);
        if (cbow) {
          const cw = hi - lo; // the window's words but `pos` itself
          if (cw === 0) continue;
          if (negative > 0) counter = drawTargets(word, targets, counter);
          memory.fill(neu1, 0, rowBytes);
          for (let c = lo; c <= hi; c++) {
            if (c !== pos) addTo(neu1, row0(load<i32>(sentence + (<usize>c << 2)), rowBytes), dim);
          }
          divide(neu1, <f32>cw, dim);
          memory.fill(neu1e, 0, rowBytes);
          if (hs) trainHs(word, neu1, alpha);
          if (negative > 0) trainNegative(word, neu1, alpha, targets);
          for (let c = lo; c <= hi; c++) {
            if (c !== pos) addTo(row0(load<i32>(sentence + (<usize>c << 2)), rowBytes), neu1e, dim);
          }
        } else {
          // Every context's targets first (the draws do not depend on the weights), so the whole window's rows are
          // touched before the first update; then the updates in kernel.ts's order.
          const perContext = <usize>(negative + 1) << 2;
          if (negative > 0) {
            let at = targets;
            for (let c = lo; c <= hi; c++) {
              if (c === pos) continue;
              counter = drawTargets(word, at, counter);
              at += perContext;
            }
          }
          let at = targets;
          for (let c = lo; c <= hi; c++) {
            if (c === pos) continue;
            const l1 = row0(load<i32>(sentence + (<usize>c << 2)), rowBytes);
            memory.fill(neu1e, 0, rowBytes);
            if (hs) trainHs(word, l1, alpha);
            if (negative > 0) trainNegative(word, l1, alpha, at);
            addTo(l1, neu1e, dim);
            at += perContext;
          }
        }
      }
    }
  }
  if (hotRows > 0) {
    mergeHot(hot0, hot0Base, syn0, hotFloats);
    if (negative > 0) mergeHot(hot1, hot1Base, syn1neg, hotFloats);
  }
  store<u32>(rng, counter);
  return trained;
}
