/**
 * ScenarioPool: runs many scenario runs at once, one per worker thread (tinypool, the pool vitest
 * itself runs on), and hands back each result as it finishes and all of them in task order. Each
 * run is a pure function of its task (ScenarioWorker.ts), so the results, trace hashes included, are
 * the same for any number of jobs.
 */
import { MessageChannel } from "node:worker_threads"
import Tinypool from "tinypool"
import { workerResourceLimits } from "./WorkerHeap.js"
import type { ScenarioOutcome, ScenarioTask } from "./ScenarioWorker.js"

export interface PoolCallbacks {
  /** Simulated progress of a running task. */
  readonly onProgress?: (index: number, simulatedMs: number, plannedMs: number) => void
  readonly onStart?: (index: number) => void
  /** A task finished (in completion order). */
  readonly onResult?: (index: number, result: ScenarioOutcome) => void
  /** The order tasks are handed to workers, as task indices (e.g. the longest first). Default: task order. */
  readonly submitOrder?: ReadonlyArray<number>
}

export const runInPool = async (
  tasks: ReadonlyArray<Omit<ScenarioTask, "progress">>,
  jobs: number,
  callbacks: PoolCallbacks = {}
): Promise<Array<ScenarioOutcome>> => {
  const threads = Math.max(1, Math.min(jobs, tasks.length))
  const pool = new Tinypool({
    filename: new URL("./ScenarioWorker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    isolateWorkers: false,
    resourceLimits: workerResourceLimits
  })
  try {
    const order = callbacks.submitOrder ?? tasks.map((_, i) => i)
    const results: Array<ScenarioOutcome> = []
    await Promise.all(order.map(async (index) => {
      const task = tasks[index]!
      const { port1, port2 } = new MessageChannel()
      port1.on("message", (m: { simulatedMs: number; plannedMs: number }) => {
        callbacks.onProgress?.(index, m.simulatedMs, m.plannedMs)
      })
      port1.once("message", () => callbacks.onStart?.(index))
      try {
        const result = await pool.run({ ...task, progress: port2 } satisfies ScenarioTask, { transferList: [port2] }) as ScenarioOutcome
        callbacks.onResult?.(index, result)
        results[index] = result
      } finally {
        port1.close()
      }
    }))
    return results
  } finally {
    await pool.destroy()
  }
}
