import { writeFileAtomic } from './atomic.js';

/**
 * CSV following RFC 4180's quoting: comma separated, fields quoted when they hold a comma, a quote,
 * a line break or leading/trailing spaces, quotes doubled inside quoted fields. Lines end in LF
 * (read by spreadsheets, pandas and R alike). Numbers are written at full precision.
 */

export type CsvRow = Record<string, unknown>;

/** One field's text. null/undefined → empty; objects and arrays → their JSON. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else text = JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows to CSV text with a header line. Columns default to the union of the rows' keys in first-seen
 * order; a row missing a column gets an empty field.
 */
export function toCsv(rows: readonly CsvRow[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [cols.map(csvField).join(',')];
  for (const row of rows) lines.push(cols.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Writes rows as CSV, atomically. */
export function writeCsvAtomic(path: string, rows: readonly CsvRow[], columns?: readonly string[]): void {
  writeFileAtomic(path, toCsv(rows, columns));
}
