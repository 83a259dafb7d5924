/**
 * Text from outside the step (a remote error, a task's resource name, a finding id) made safe for one markdown table
 * cell: a line break or `|` would end the cell or the row, and `<`/`>` could open HTML.
 */
export function markdownCell(text: string): string {
  return flatten(text).replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** The same for a cell shown as code: inside backticks entities are not decoded, and a backtick would end the span. */
export function markdownCode(text: string): string {
  return `\`${flatten(text).replace(/`/g, "'")}\``;
}

function flatten(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
}
