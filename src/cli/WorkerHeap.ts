/**
 * WorkerHeap: the V8 heap limits of the suite's and explore's worker threads. A simulated run
 * allocates a great deal of short-lived garbage (fibers, effects, rows); a larger young generation
 * than V8's default means fewer scavenges and fewer objects promoted to the old generation. Measured
 * by `npm run bench` (d) and (e) — see docs/ARCHITECTURE.md, "Speed".
 */
export const workerResourceLimits = { maxYoungGenerationSizeMb: 96 } as const
