import type { Comment } from '../doc/commentary';
import { toCodePointOffset } from '../anchor/passage';
import type { SessionExportInput } from './markdown';
import { indexTranscript, sessionOutline } from './outline';

/** The columns of the annotations CSV, in order. */
export const CSV_COLUMNS = [
  'id',
  'parent_id',
  'exchange',
  'turn',
  'speaker',
  'quote',
  'start',
  'end',
  'author',
  'created',
  'updated',
  'status',
  'tags',
  'body',
  'verdict',
] as const;

/**
 * Guards a field against spreadsheet formula injection: Excel, LibreOffice and
 * Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and some
 * with a leading tab or carriage return) as a formula, so a comment typed as
 * `=HYPERLINK("http://evil", "click")` would become a live link, or worse, in
 * the spreadsheet of whoever opens the export. A leading apostrophe makes the
 * spreadsheet show the text as typed. The cost is that the apostrophe is in
 * the file for other readers: the CSV is for reading, the JSON-LD for moving data.
 */
export function neutraliseFormula(field: string): string {
  return /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
}

/** One field quoted as RFC 4180 asks: only when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Rows as RFC 4180 CSV text: CRLF after every record, including the last. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((f) => csvField(neutraliseFormula(f))).join(',')).join('\r\n') + '\r\n';
}

/**
 * Every comment, reply and highlight as one CSV row, in transcript order
 * (each thread's replies right after it): offsets in Unicode code points,
 * times in ISO 8601 UTC, tags joined with `; `, and the author's verdict on
 * that turn. Starts with a UTF-8 byte-order mark (unless `bom: false`) because
 * Excel otherwise reads the file as ANSI and garbles every accented name.
 */
export function sessionToCsv(input: SessionExportInput, options: { bom?: boolean } = {}): string {
  const ix = indexTranscript(input.transcript);
  const outline = sessionOutline(input);
  const verdictBy = new Map(input.verdicts.map((v) => [`${v.turnId}|${v.userId}`, v.value]));

  const row = (c: Comment): string[] => {
    const turn = ix.turns.get(c.turnId);
    const text = turn?.text ?? '';
    const exchange = ix.exchangeOfTurn.get(c.turnId);
    return [
      c.id,
      c.parentId ?? '',
      exchange ? String(exchange.number) : '',
      c.turnId,
      turn ? ix.speakerName(turn) : '',
      c.target?.exact ?? '',
      c.target ? String(toCodePointOffset(text, c.target.start)) : '',
      c.target ? String(toCodePointOffset(text, c.target.end)) : '',
      c.author.name,
      new Date(c.createdAt).toISOString(),
      new Date(c.updatedAt).toISOString(),
      c.status,
      c.tags.join('; '),
      c.body,
      verdictBy.get(`${c.turnId}|${c.author.id}`) ?? '',
    ];
  };

  const rows: string[][] = [[...CSV_COLUMNS]];
  const seen = new Set<string>();
  for (const section of outline.sections) {
    for (const e of section.turns) {
      for (const t of e.threads) {
        for (const c of [t.root, ...t.replies]) {
          rows.push(row(c));
          seen.add(c.id);
        }
      }
    }
  }
  // Comments on turns the outline does not list (a turn id the transcript lacks) still belong in the data.
  for (const c of input.comments) if (!seen.has(c.id)) rows.push(row(c));
  return (options.bom === false ? '' : '\uFEFF') + toCsv(rows);
}
