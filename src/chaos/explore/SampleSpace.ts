/**
 * SampleSpace: the numbered samples of an exploration and how shards divide them. Sample i's
 * fast-check seed is derived from the exploration's seed and i alone (chaos/Seeds.ts deriveSeed), so a
 * sample is checked on its own — in any worker thread, in any order, on any machine — and gives the
 * same outcome everywhere. Shard i/n (1-based, as vitest's and Playwright's --shard) owns the indices
 * ≡ i−1 (mod n): the n shards are disjoint and together cover every index.
 *
 * Faults modelled: none (numbering only).
 */
import { deriveSeed } from "../Seeds.js"

export interface Shard {
  /** 1-based: 1 ≤ index ≤ count. */
  readonly index: number
  readonly count: number
}

/** The whole sample space: every index. */
export const wholeSpace: Shard = { index: 1, count: 1 }

/** The fast-check seed of sample `index` of the exploration seeded `exploreSeed`. */
export const sampleSeed = (exploreSeed: number, index: number): number => deriveSeed(exploreSeed, `sample/${index}`)

/** The global index of a shard's k-th sample (k from 0). */
export const shardSample = (shard: Shard, k: number): number => shard.index - 1 + k * shard.count

/** Whether a global index belongs to a shard. */
export const inShard = (shard: Shard, index: number): boolean => index % shard.count === shard.index - 1

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`
