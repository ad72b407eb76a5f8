// live-bench: measures the live world against the outside world (src/live/LiveBench.ts) and prints
// the figures as JSON and as a Markdown table. Run `npm run build` first. Usage:
//   node scripts/live-bench.mjs [--users N] [--seconds S]
import { parseArgs } from "node:util"
import { runLiveBench } from "../dist/src/live/LiveBench.js"

const { values } = parseArgs({ options: { users: { type: "string" }, seconds: { type: "string" } } })
const result = await runLiveBench({
  ...(values.users ? { users: Number(values.users) } : {}),
  ...(values.seconds ? { seconds: Number(values.seconds) } : {})
})
console.log(JSON.stringify(result, null, 2))
const bare = (generator) => result.figures.find((f) => f.target === "bare node" && f.generator === generator)
console.log("\n| target | generator | users | s | transactions | 201s | req/s | p50 ms | p99 ms | bare/this |")
console.log("|---|---|---|---|---|---|---|---|---|---|")
for (const f of result.figures) {
  const b = bare(f.generator)
  console.log(`| ${f.target} | ${f.generator} | ${f.users} | ${f.seconds} | ${f.transactions} | ${f.successful} | ${f.perSecond.toFixed(1)} | ${f.p50Ms} | ${f.p99Ms} | ${b ? (b.perSecond / f.perSecond).toFixed(1) : "-"} |`)
}
console.log(`\nload average before ${result.loadBefore.map((x) => x.toFixed(2)).join(" ")}, after ${result.loadAfter.map((x) => x.toFixed(2)).join(" ")}`)
for (const note of result.notes) console.log(note)
process.exit(0)
