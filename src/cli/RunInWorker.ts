/**
 * RunInWorker: one simulated run on a worker thread of the scenario pool (ScenarioPool.ts), with a
 * progress bar on a terminal — what `run` and `bench` use, as `suite` runs each of its scenarios.
 *
 * Why a worker and not the main thread: a worker's young generation can be sized
 * (`workerResourceLimits`), the main thread's only by a node flag at start-up. A simulated run makes
 * a great deal of short-lived garbage; with V8's default young generation its scavenges took about a
 * third of the CPU of a run (make-down three times in one process: 11.5 s of GC in 31.3 s of CPU),
 * in a worker with the pool's limits a fifth (4.4 s in 21.5 s). Measured with a PerformanceObserver
 * on "gc" entries; see docs/ARCHITECTURE.md, "Speed".
 */
import { runInPool } from "./ScenarioPool.js"
import { progressBar } from "./Progress.js"
import type { ScenarioOutcome, ScenarioTask } from "./ScenarioWorker.js"

/** Runs `task` on a worker thread and returns its outcome; wall time is the worker's own (`wallMs`). */
export const runInWorker = async (
  task: Omit<ScenarioTask, "progress">,
  options: { readonly progress: boolean }
): Promise<ScenarioOutcome> => {
  const bar = progressBar(task.scenario.name, options.progress)
  try {
    const [outcome] = await runInPool([task], 1, {
      onProgress: (_index, t, planned) => bar.update(t, planned, `${(t / 1000).toFixed(0)} s simulated`)
    })
    return outcome!
  } finally {
    bar.finish()
  }
}
