import { ShapeError, Tensor, ValueError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { expectClose, readFixture } from '../fixtures/test-utils.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { StandardScaler } from './standard-scaler.js';

/** fixtures/make-fixtures.py: scikit-learn's scaler formulas in float64 NumPy. */
interface ScalerFixture {
  train: number[];
  test: number[];
  features: number;
  minmax: { featureRange: [number, number]; dataMin: number[]; dataMax: number[]; train: number[]; test: number[] };
  standard: { mean: number[]; std: number[]; train: number[]; test: number[] };
}
const { scalers: fx } = readFixture<{ scalers: ScalerFixture }>('./fixtures/data.json', import.meta.url);
const train = new Tensor(Float32Array.from(fx.train), [fx.train.length / 3, 3]);
const test = new Tensor(Float32Array.from(fx.test), [fx.test.length / 3, 3]);

describe('MinMaxScaler', () => {
  it('matches scikit-learn per feature, including a constant feature', () => {
    const s = new MinMaxScaler({ featureRange: fx.minmax.featureRange }).fit(train);
    expectClose(s.dataMin, fx.minmax.dataMin, 0, 0, 'dataMin');
    expectClose(s.dataMax, fx.minmax.dataMax, 0, 0, 'dataMax');
    expectClose(s.transform(train).f32, fx.minmax.train, 1e-6, 1e-6, 'train');
    expectClose(s.transform(test).f32, fx.minmax.test, 1e-6, 1e-6, 'test');
  });

  it('inverts its transform and survives a JSON round trip', () => {
    const s = new MinMaxScaler().fit(train);
    expectClose(s.inverseTransform(s.transform(test)).f32, test.f32, 1e-6, 1e-3, 'round trip');
    const back = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.transform(test).f32).toEqual(s.transform(test).f32);
    // A 3-d tensor scales along its last axis too.
    const cube = train.reshape([4, 10, 3]);
    expect(s.transform(cube).shape).toEqual([4, 10, 3]);
    expect(s.transform(cube).f32).toEqual(s.transform(train).f32);
  });

  it('treats a vector as one feature', () => {
    const s = new MinMaxScaler().fit([2, 4, 6]);
    expect(s.numFeatures).toBe(1);
    expect([...s.transform([2, 5, 6]).f32]).toEqual([0, 0.75, 1]);
  });

  it('rejects use before fit, wrong feature counts, bad ranges and bad data', () => {
    expect(() => new MinMaxScaler().transform(train)).toThrow(new ValueError('MinMaxScaler.transform: call fit first'));
    const s = new MinMaxScaler().fit(train);
    expect(() => s.transform(tensor([[1, 2]]))).toThrow(
      new ShapeError('MinMaxScaler.transform: x [1, 2] has 2 features (last axis) but the scaler was fitted on 3'),
    );
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(/lo < hi/);
    expect(() => new MinMaxScaler().fit([1, Number.NaN])).toThrow(/non-finite value \(NaN\) at flat index 1/);
    expect(() => new MinMaxScaler().fit(tensor([[]]))).toThrow(/cannot fit on an empty tensor/);
    expect(() => MinMaxScaler.fromJSON({ type: 'StandardScaler' } as never)).toThrow(/not a MinMaxScaler state/);
  });
});

describe('StandardScaler', () => {
  it('matches scikit-learn (population std; a constant feature is only centred)', () => {
    const s = new StandardScaler().fit(train);
    expectClose(s.mean, fx.standard.mean, 1e-12, 1e-9, 'mean');
    expectClose(s.std, fx.standard.std, 1e-9, 1e-9, 'std');
    expectClose(s.transform(train).f32, fx.standard.train, 1e-5, 1e-6, 'train');
    expectClose(s.transform(test).f32, fx.standard.test, 1e-5, 1e-6, 'test');
  });

  it('inverts its transform and survives a JSON round trip', () => {
    const s = new StandardScaler();
    const scaled = s.fitTransform(train);
    expectClose(s.inverseTransform(scaled).f32, train.f32, 1e-6, 1e-3, 'round trip');
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back.transform(test).f32).toEqual(s.transform(test).f32);
    expect(() => StandardScaler.fromJSON({ type: 'StandardScaler', mean: [0, 1], std: [1] })).toThrow(/std has 1 entries, expected 2/);
    expect(() => new StandardScaler().toJSON()).toThrow(/call fit first/);
  });
});
