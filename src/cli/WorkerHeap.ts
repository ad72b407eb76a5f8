/**
 * WorkerHeap: the V8 heap settings of the CLI — the suite's and explore's worker threads, and the
 * single runs of `run` and `bench` (b). Measured by `npm run bench` (b), (d) and (e); see
 * docs/ARCHITECTURE.md, "Speed".
 *
 * - A simulated run allocates a great deal of short-lived garbage (fibers, effects, rows); a larger
 *   young generation than V8's default in the workers means fewer scavenges and fewer objects
 *   promoted to the old generation.
 * - A run's live heap stays near 60 MB (the world, its databases and the history), but V8 lets the
 *   old generation grow to several times what survived its last full collection when a program
 *   allocates fast: the slow-payment siege's peak RSS was ~355 MB for ~60 MB of live data. A heap
 *   growing factor of 1.6 kept it near 220 MB (1.3: ~200 MB; 2.0: ~243 MB). A bounded factor means
 *   more full collections, which costs CPU (measured with make-down run three times in one process,
 *   under load: +20 % CPU at 1.3), so only single runs bound it; the pools, which make many runs and
 *   are judged by their throughput, keep V8's own.
 */
import v8 from "node:v8"

export const workerResourceLimits = { maxYoungGenerationSizeMb: 96 } as const

/** How much V8 may grow the heap past the live data after a full collection, in percent, for a single run. */
export const singleRunHeapGrowingPercent = 60

/**
 * Bounds the heap's growth for a single run (process-wide: worker threads started meanwhile share
 * it), until `unboundHeapGrowth`.
 */
export const boundHeapGrowth = (): void => {
  v8.setFlagsFromString(`--heap-growing-percent=${singleRunHeapGrowingPercent}`)
}

/** Back to V8's own heap growing strategy (0: the default, decided by V8 from the GC's speed). */
export const unboundHeapGrowth = (): void => {
  v8.setFlagsFromString("--heap-growing-percent=0")
}
