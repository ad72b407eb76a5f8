/**
 * WorkerHeap: the V8 heap settings of the CLI's process and of the suite's and explore's worker
 * threads. Measured by `npm run bench` (b), (d) and (e) — see docs/ARCHITECTURE.md, "Speed".
 *
 * - A simulated run allocates a great deal of short-lived garbage (fibers, effects, rows); a larger
 *   young generation than V8's default in the workers means fewer scavenges and fewer objects
 *   promoted to the old generation.
 * - A run's live heap stays near 60 MB (the world, its databases and the history), but V8 lets the
 *   old generation grow to several times what survived its last full collection when a program
 *   allocates fast: the siege's peak RSS was ~355 MB for ~60 MB of live data. A heap growing factor
 *   of 1.3 keeps the peak near 200 MB; measured in bench (b), the wall time did not grow with it.
 */
import v8 from "node:v8"

export const workerResourceLimits = { maxYoungGenerationSizeMb: 96 } as const

/** How much V8 may grow the heap past the live data after a full collection, in percent. */
export const heapGrowingPercent = 30

let tuned = false

/** Sets the process-wide heap growing factor (once; the worker threads share it). */
export const tuneHeap = (): void => {
  if (tuned) return
  tuned = true
  v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`)
}
