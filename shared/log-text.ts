/** How verbatim foreign text (a remote log, a tool's output) is set apart from the step's own lines on every platform. */
export function fenceForeign(text: string): string {
  return text
    .replace(/\s+$/, '')
    .split(/\r?\n|\r/)
    .map((line) => `  | ${line}`)
    .join('\n');
}
