import { readFileSync } from 'node:fs';
import { InputError, UserError } from '../errors';

export interface IgnoreEntry {
  /** The vulnerability id as written. */
  id: string;
  /** `YYYY-MM-DD` from `exp:`, if any. */
  expires?: string;
  /** 1-based line in the ignore file. */
  line: number;
  /** Text after `#` on the entry's line: the reason people write down. */
  comment: string;
}

/**
 * The `.trivyignore` format: one vulnerability id per line, `#` comments, and an optional `exp:YYYY-MM-DD` field after
 * the id. As in Trivy, an entry stops applying at 00:00 UTC on its expiry date; the gate then counts the finding again
 * and warns, so a forgotten exception surfaces instead of lasting forever. Ids match case-insensitively.
 */
export class IgnoreList {
  readonly active = new Map<string, IgnoreEntry>();
  readonly expired: IgnoreEntry[] = [];
  private readonly used = new Set<string>();

  constructor(entries: IgnoreEntry[], now: Date) {
    for (const entry of entries) {
      if (entry.expires && now.getTime() >= Date.parse(`${entry.expires}T00:00:00Z`)) this.expired.push(entry);
      else this.active.set(entry.id.toUpperCase(), entry);
    }
  }

  static empty(): IgnoreList {
    return new IgnoreList([], new Date());
  }

  /** The entry that ignores this vulnerability id, if any (and remembers that it was used). */
  match(id: string): IgnoreEntry | undefined {
    const key = id.toUpperCase();
    const entry = this.active.get(key);
    if (entry) this.used.add(key);
    return entry;
  }

  /** Active entries that matched no finding: candidates for removal. */
  unused(): IgnoreEntry[] {
    return [...this.active.entries()].filter(([key]) => !this.used.has(key)).map(([, e]) => e);
  }
}

export function readIgnoreFile(file: string, label: string, now: Date): IgnoreList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read ${label} ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  return new IgnoreList(parseIgnoreEntries(text, label), now);
}

export function parseIgnoreEntries(text: string, label: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!content) return;
    const [id, ...fields] = content.split(/\s+/);
    const entry: IgnoreEntry = { id, line: index + 1, comment: hash >= 0 ? raw.slice(hash + 1).trim() : '' };
    for (const field of fields) {
      if (!field.toLowerCase().startsWith('exp:')) continue;
      const date = field.slice(4);
      if (!isCalendarDate(date)) {
        throw new InputError(`${label} line ${index + 1}: '${field}' must be exp:YYYY-MM-DD`);
      }
      entry.expires = date;
    }
    entries.push(entry);
  });
  return entries;
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
