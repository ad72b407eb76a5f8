/**
 * The live suite (`npm run test:live`): real processes, Redis and Toxiproxy on loopback, one file at
 * a time (the machine has two cores and every file starts its own stack). `npm test` does not run it.
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/live/**/*.live.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false
  }
})
