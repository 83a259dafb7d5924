import { isMap, isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors';
import { cannotRead, readUserText } from '../util/files';

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
  const text = readUserText(file, (code) => cannotRead(label, file, code));
  const entries = /\.ya?ml$/i.test(file) ? parseIgnoreYaml(text, label) : parseIgnoreEntries(text, label);
  return new IgnoreList(entries, now);
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

/**
 * Trivy's `.trivyignore.yaml`: `vulnerabilities: [{ id, statement, expired_at }]` (other sections are for findings
 * the gate does not read). Entries narrowed with `paths` or `purls` are refused rather than widened to every
 * package: ignoring more than the file says would be the unsafe direction.
 */
export function parseIgnoreYaml(text: string, label: string): IgnoreEntry[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new InputError(`${label} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root))
    throw new InputError(`${label} must be a mapping with a vulnerabilities list (Trivy's .trivyignore.yaml format)`);
  const list = root.get('vulnerabilities', true);
  if (list === undefined || list === null) return [];
  if (!isSeq(list)) throw new InputError(`${label}: vulnerabilities must be a list of entries with an id`);
  return list.items.map((node, index) => {
    const line = isMap(node) && node.range ? lineOf(text, node.range[0]) : index + 1;
    const item = (isMap(node) ? node.toJSON() : undefined) as Record<string, unknown> | undefined;
    if (!item || typeof item.id !== 'string' || item.id.trim() === '')
      throw new InputError(`${label} line ${line}: each vulnerabilities entry needs an id`);
    if (item.paths !== undefined || item.purls !== undefined) {
      throw new InputError(
        `${label} line ${line}: ${item.id} is limited to paths or purls, which the gate cannot match; list the id without them or remove the entry`,
      );
    }
    const entry: IgnoreEntry = {
      id: item.id.trim(),
      line,
      comment: typeof item.statement === 'string' ? item.statement : '',
    };
    if (item.expired_at !== undefined) {
      const date = String(item.expired_at);
      if (!isCalendarDate(date)) throw new InputError(`${label} line ${line}: expired_at '${date}' must be YYYY-MM-DD`);
      entry.expires = date;
    }
    return entry;
  });
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
