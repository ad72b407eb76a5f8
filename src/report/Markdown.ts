/**
 * Markdown: escaping for Markdown that CI systems render (GitHub job summaries and pull-request
 * comments render inline HTML too): a run's strings lose their power to open tags, break a table
 * cell or start formatting.
 */

/** Text for a Markdown paragraph or table cell: HTML and Markdown metacharacters escaped, one line. */
export const escapeMarkdown = (text: string): string =>
  text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")

/** Text for a fenced code block: nothing to escape but a fence. */
export const codeBlock = (text: string): string => ["```", text.replace(/```/g, "`\u200b``"), "```"].join("\n")

/** A Markdown table; every cell escaped. */
export const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${head.map(escapeMarkdown).join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(escapeMarkdown).join(" | ")} |`)
  ].join("\n")
