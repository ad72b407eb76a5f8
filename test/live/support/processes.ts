/**
 * Process-tree helpers for the live suite: the descendants of a process (from /proc), and whether
 * any of a set of pids is still alive (a zombie counts as gone: it holds nothing).
 */
import { readdirSync, readFileSync } from "node:fs"

const parentOf = (pid: number): { ppid: number; state: string } | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return { state: fields[0]!, ppid: Number(fields[1]) }
  } catch {
    return undefined
  }
}

/** Every live descendant of `root`. */
export const descendants = (root: number): Array<number> => {
  const children = new Map<number, Array<number>>()
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    const info = parentOf(Number(name))
    if (!info || info.state === "Z") continue
    const list = children.get(info.ppid) ?? []
    list.push(Number(name))
    children.set(info.ppid, list)
  }
  const out: Array<number> = []
  const stack = [root]
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      out.push(child)
      stack.push(child)
    }
  }
  return out
}

/** The pids among `pids` that still run (not gone, not a zombie). */
export const stillRunning = (pids: ReadonlyArray<number>): Array<number> =>
  pids.filter((pid) => {
    const info = parentOf(pid)
    return info !== undefined && info.state !== "Z"
  })

/** Waits until none of `pids` runs, up to `millis`; returns those still running. */
export const awaitGone = async (pids: ReadonlyArray<number>, millis = 10_000): Promise<Array<number>> => {
  const deadline = Date.now() + millis
  let left = stillRunning(pids)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    left = stillRunning(left)
  }
  return left
}
