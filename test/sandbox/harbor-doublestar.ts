// The emulator's own filter matching, written for it from bmatcuk/doublestar v1's rules (Harbor's
// src/pkg/reg/util/pattern.go Match calls doublestar.Match; src/go.mod pins v1.3.4) so that a bug in the product's
// matcher (shared/harbor/filters.ts, picomatch) cannot hide here: the pattern and the name are split
// at `/`; `**` as a whole segment matches any number of segments (none included); inside a segment `*` matches any run
// of characters, `?` one, `[...]`/`[^...]` a class, `\` escapes; `{a,b}` alternatives are expanded first.

export function doublestarMatch(pattern: string, name: string): boolean {
  // Alternatives may hold a `/` (`{team/api,tools/*}`), so they are expanded before the pattern is split.
  return expandBraces(pattern).some((p) => matchSegments(p.split('/'), name.split('/')));
}

function expandBraces(pattern: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    const close = closingBrace(pattern.slice(i));
    if (close < 0) return [pattern];
    const head = pattern.slice(0, i);
    const tail = pattern.slice(i + close + 1);
    return splitAlternatives(pattern.slice(i + 1, i + close)).flatMap((alt) => expandBraces(head + alt + tail));
  }
  return [pattern];
}

function matchSegments(pattern: string[], name: string[]): boolean {
  if (pattern.length === 0) return name.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= name.length; skip++) if (matchSegments(rest, name.slice(skip))) return true;
    return false;
  }
  return name.length > 0 && matchSegment(head, name[0]) && matchSegments(rest, name.slice(1));
}

/** One segment: `*`, `?`, classes and escapes; never crosses `/` (segments have none). */
function matchSegment(p: string, s: string): boolean {
  if (p === '') return s === '';
  const c = p[0];
  if (c === '*') {
    for (let i = 0; i <= s.length; i++) if (matchSegment(p.slice(1), s.slice(i))) return true;
    return false;
  }
  if (s === '') return false;
  if (c === '?') return matchSegment(p.slice(1), s.slice(1));
  if (c === '[') {
    const close = p.indexOf(']', 2);
    if (close < 0) return false;
    const negate = p[1] === '^' || p[1] === '!';
    const body = p.slice(negate ? 2 : 1, close);
    let hit = false;
    for (let i = 0; i < body.length; i++) {
      if (body[i + 1] === '-' && i + 2 < body.length) {
        if (s[0] >= body[i] && s[0] <= body[i + 2]) hit = true;
        i += 2;
      } else if (body[i] === s[0]) hit = true;
    }
    return hit !== negate && matchSegment(p.slice(close + 1), s.slice(1));
  }
  if (c === '\\' && p.length > 1) return p[1] === s[0] && matchSegment(p.slice(2), s.slice(1));
  return c === s[0] && matchSegment(p.slice(1), s.slice(1));
}

function closingBrace(p: string): number {
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '{') depth++;
    else if (p[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}
