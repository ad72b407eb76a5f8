/**
 * Progress: a one-line progress bar on stderr for long simulated runs, drawn only when stderr is a
 * terminal (CI logs and --json output stay clean).
 */
export interface ProgressBar {
  readonly update: (done: number, total: number, label?: string) => void
  readonly finish: () => void
}

export const progressBar = (title: string, enabled = Boolean(process.stderr.isTTY)): ProgressBar => {
  let last = -1
  return {
    update: (done, total, label) => {
      if (!enabled) return
      const fraction = total <= 0 ? 1 : Math.min(1, done / total)
      const percent = Math.floor(fraction * 100)
      if (percent === last) return
      last = percent
      const width = 30
      const filled = Math.round(fraction * width)
      process.stderr.write(
        `\r${title} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}%${label ? ` ${label}` : ""}`
      )
    },
    finish: () => {
      if (enabled && last >= 0) process.stderr.write("\r\x1b[2K")
    }
  }
}
