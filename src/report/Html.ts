/**
 * Html: escaping for every string a report prints. `html` is a tagged template that escapes each
 * interpolated value unless it is already `Markup` (built by `html` itself, or an SVG string a
 * charting library rendered), so a page cannot print a run's strings unescaped by forgetting a call.
 */

/** Text that is already HTML. Only `html`, `raw` and the chart renderer make one. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

/** Escapes text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!)

/** Trusted markup, as is: only for strings this code made (never a run's). */
export const raw = (value: string): Markup => new Markup(value)

type Value = Markup | string | number | boolean | null | undefined | ReadonlyArray<Value>

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false) return ""
  if (value instanceof Markup) return value.value
  if (Array.isArray(value)) return value.map(render).join("")
  return escapeHtml(String(value))
}

/** `html\`<td>${text}</td>\``: every interpolation escaped unless it is Markup; arrays are joined. */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<Value>): Markup =>
  new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ""), ""))
