/**
 * A small, fast, seeded pseudo-random generator (SplitMix32) for the kernel's own
 * choices (ready-queue shuffles). It is deliberately independent of Effect's `Random`
 * service, which belongs to the simulated world.
 *
 * Same seed ⇒ same sequence, on every platform: only 32-bit integer arithmetic
 * (`Math.imul`, `>>>`) is used.
 */
export class SeededPrng {
  private state: number

  /** `seed` is reduced to 32 bits; any finite number is accepted (default 0). */
  constructor(seed: number = 0) {
    this.state = seed >>> 0
  }

  /** The next value, uniform in [0, 2^32). */
  nextUint32(): number {
    let z = (this.state = (this.state + 0x9e3779b9) >>> 0)
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }

  /** The next value, uniform in [0, bound), without modulo bias. `bound` must be in [1, 2^32]. */
  nextInt(bound: number): number {
    if (!(bound >= 1 && bound <= 0x1_0000_0000)) {
      throw new RangeError(`SeededPrng.nextInt: bound must be in [1, 2^32], got ${bound}`)
    }
    // Reject the top partial range so every residue is equally likely.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound)
    let x = this.nextUint32()
    while (x >= limit) x = this.nextUint32()
    return x % bound
  }

  /** The next value, uniform in [0, 1), with 32 bits of precision. */
  nextFloat(): number {
    return this.nextUint32() / 0x1_0000_0000
  }

  /** Fisher–Yates shuffle of `array[0 .. length)` in place. */
  shuffle<T>(array: Array<T>, length: number = array.length): void {
    for (let i = length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1)
      const tmp = array[i]!
      array[i] = array[j]!
      array[j] = tmp
    }
  }
}
