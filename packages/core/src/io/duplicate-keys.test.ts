import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from './duplicate-keys.js';

describe('findDuplicateKey', () => {
  it('finds keys repeated within one object, at any depth', () => {
    expect(findDuplicateKey('{"a":1,"b":2,"a":3}')).toBe('a');
    expect(findDuplicateKey('{"x":{"k":"1","k":"2"}}')).toBe('k');
    expect(findDuplicateKey('{"x":[{"k":1},{"k":2,"k":3}]}')).toBe('k');
  });

  it('compares decoded keys, so escapes of the same key collide', () => {
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toBe('a');
  });

  it('does not confuse values, array items, sibling objects or escaped quotes with keys', () => {
    expect(findDuplicateKey('{"a":"a","b":["a","a"],"c":{"a":1},"d":{"a":2}}')).toBeUndefined();
    expect(findDuplicateKey('{"q\\"":"\\"q\\"","q":"x\\\\","r":{"\\\\":1}}')).toBeUndefined();
    expect(findDuplicateKey('{ "a" : { } , "b" : [ { "a" : 1 } , "a" ] }')).toBeUndefined();
  });
});
