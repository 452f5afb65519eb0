/**
 * The generator of `java.util.Random`: a 48-bit linear congruential generator (Knuth, TAOCP vol. 2 §3.2.1) with
 * Java's published constants. `States.MathRandom(start, end, seed)` must give the same number for the same seed, and
 * the service behind Step Functions is a Java one, so a seeded call uses the generator Java programs get from
 * `new Random(seed)`.
 */
export class JavaRandom {
  private static readonly MULTIPLIER = 0x5deece66dn;
  private static readonly ADDEND = 0xbn;
  private static readonly MASK = (1n << 48n) - 1n;
  private seed: bigint;

  /** `new Random(seed)`: the seed is taken as a Java long (64-bit two's complement). */
  constructor(seed: number) {
    this.seed = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ JavaRandom.MULTIPLIER) & JavaRandom.MASK;
  }

  /** `Random.nextInt(bound)`: uniform in [0, bound), for 0 < bound <= 2^31 - 1. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x7fffffff)
      throw new RangeError(`bound must be a positive int: ${bound}`);
    if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    // Rejection sampling, exactly as Java does it, so the sequence matches Java's draw for draw.
    for (;;) {
      const bits = this.next(31);
      const value = bits % bound;
      if (bits - value + (bound - 1) < 0x80000000) return value;
    }
  }

  private next(bits: number): number {
    this.seed = (this.seed * JavaRandom.MULTIPLIER + JavaRandom.ADDEND) & JavaRandom.MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }
}
