/**
 * Fixed-width text tables for stdout. Numbers are right-aligned and formatted to a few significant
 * digits; the unit goes in the header ("events/s", "time (ms)") so cells stay bare numbers.
 */

export interface TableColumn<Row> {
  header: string;
  /** Shown in the header as "header (unit)". */
  unit?: string;
  /** Property name or accessor. */
  value: keyof Row | ((row: Row) => unknown);
  /** Default: 'right' for numbers, 'left' otherwise (decided per column from its values). */
  align?: 'left' | 'right';
  /** Cell formatter. Default: numbers via formatQuantity, null/undefined as '-', the rest String(). */
  format?: (value: unknown, row: Row) => string;
  /** Significant digits for the default number format. Default 3. */
  digits?: number;
}

export interface TableOptions {
  /** Between columns. Default two spaces. */
  separator?: string;
  /** Prefix of every line. Default ''. */
  indent?: string;
  /** Draw a line of '-' under the header. Default true. */
  rule?: boolean;
}

/**
 * A number in `digits` significant digits: plain for 1e-3 <= |x| < 1e6 (integers exactly when they
 * fit), else in exponent form (3.14e9). NaN/Infinity are spelled out.
 */
export function formatQuantity(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (Number.isInteger(x) && abs < 1e6) return String(x);
  if (abs >= 1e6 || abs < 1e-3) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  // Below 1e6 but with more integer digits than `digits`: the rounded integer, not "2.98e+3".
  const text = x.toPrecision(digits);
  return text.includes('e') ? String(Math.round(x)) : trimZeros(text);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function cellText<Row>(column: TableColumn<Row>, row: Row): { text: string; numeric: boolean } {
  const raw = typeof column.value === 'function' ? column.value(row) : row[column.value];
  if (column.format) return { text: column.format(raw, row), numeric: typeof raw === 'number' };
  if (raw === null || raw === undefined) return { text: '-', numeric: false };
  if (typeof raw === 'number') return { text: formatQuantity(raw, column.digits ?? 3), numeric: true };
  return { text: String(raw), numeric: false };
}

/** Renders rows under a header with aligned columns (trailing spaces trimmed). */
export function formatTable<Row>(columns: TableColumn<Row>[], rows: readonly Row[], options: TableOptions = {}): string {
  const separator = options.separator ?? '  ';
  const indent = options.indent ?? '';
  const headers = columns.map((c) => (c.unit ? `${c.header} (${c.unit})` : c.header));
  const cells = rows.map((row) => columns.map((c) => cellText(c, row)));
  const align = columns.map((c, k) => c.align ?? (cells.length > 0 && cells.every((r) => r[k].numeric || r[k].text === '-') && cells.some((r) => r[k].numeric) ? 'right' : 'left'));
  const widths = columns.map((_, k) => Math.max(headers[k].length, ...cells.map((r) => r[k].text.length)));
  const pad = (text: string, k: number) => (align[k] === 'right' ? text.padStart(widths[k]) : text.padEnd(widths[k]));
  const line = (texts: string[]) => `${indent}${texts.map((t, k) => pad(t, k)).join(separator)}`.trimEnd();
  const lines = [line(headers)];
  if (options.rule ?? true) lines.push(`${indent}${widths.map((w) => '-'.repeat(w)).join(separator)}`);
  for (const r of cells) lines.push(line(r.map((c) => c.text)));
  return `${lines.join('\n')}\n`;
}
