import { describe, expect, it } from 'vitest';
import { JavaRandom } from './java-random';

describe(JavaRandom.name, () => {
  // Generated with OpenJDK: for each seed, `r = new Random(seed)` then three `r.nextInt(bound)` per bound.
  it.each<[number, number, [number, number, number]]>([
    [0, 999, [672, 241, 94]],
    [42, 10, [0, 3, 8]],
    [42, 16, [11, 0, 10]],
    [42, 2147483647, [1562431130, 117392763, 1467211248]],
    [-7, 999, [175, 186, 682]],
    [123456789012, 100000, [12462, 51847, 98496]],
    [3, 1, [0, 0, 0]],
  ])('new Random(%d).nextInt(%d) draws like Java', (seed, bound, expected) => {
    const sut = new JavaRandom(seed);
    expect([sut.nextInt(bound), sut.nextInt(bound), sut.nextInt(bound)]).toEqual(expected);
  });

  it('refuses a bound Java refuses', () => {
    expect(() => new JavaRandom(1).nextInt(0)).toThrow(RangeError);
  });
});
