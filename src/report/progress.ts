import cliProgress from 'cli-progress';
import { formatQuantity } from './table.js';

/**
 * Progress for long loops: a live bar (cli-progress) on a terminal, plain periodic lines otherwise.
 * Always written to stderr, so stdout stays clean for tables and `--json` output.
 */

export interface ProgressOptions {
  /** Number of items (samples, images, runs) the loop will process. */
  total: number;
  /** Shown first, e.g. "train epoch 1". */
  label?: string;
  /** Item name in rates. Default "samples". */
  unit?: string;
  /** Name of the caller's own metric, e.g. "spikes/sample". */
  metricName?: string;
  /** Set for --json runs: no live bar, plain lines only. */
  json?: boolean;
  /** Silence everything (still safe to call). */
  quiet?: boolean;
  /** Where progress goes. Default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Whether stdout is a terminal. Default process.stdout.isTTY. A piped stdout means plain lines. */
  stdoutIsTTY?: boolean;
  /** Seconds between plain lines. Default 10. */
  intervalSeconds?: number;
  /** Clock in seconds (injectable for tests). Default performance.now() / 1000. */
  now?: () => number;
}

export interface Progress {
  readonly mode: 'bar' | 'lines' | 'off';
  /** Sets the number of items done so far and, optionally, the current metric value. */
  update(done: number, metric?: number): void;
  /** Adds `by` (default 1) items. */
  increment(by?: number, metric?: number): void;
  /** Ends the display and prints a final summary line (lines mode). Idempotent. */
  stop(): void;
}

/** Compact duration: 42s, 3m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgress(options: ProgressOptions): Progress {
  const total = Math.max(0, options.total);
  const unit = options.unit ?? 'samples';
  const label = options.label ? `${options.label} ` : '';
  const now = options.now ?? (() => performance.now() / 1000);
  const stream = options.stream ?? process.stderr;
  const stdoutIsTTY = options.stdoutIsTTY ?? Boolean(process.stdout.isTTY);
  const mode: Progress['mode'] = options.quiet ? 'off' : !options.json && stdoutIsTTY && stream.isTTY ? 'bar' : 'lines';
  const interval = options.intervalSeconds ?? 10;
  const start = now();
  let done = 0;
  let metric: number | undefined;
  let lastLine = start;
  let stopped = false;

  const rate = () => {
    const elapsed = now() - start;
    return elapsed > 0 ? done / elapsed : 0;
  };
  const eta = () => {
    const r = rate();
    return r > 0 ? (total - done) / r : Infinity;
  };
  const metricText = () => (options.metricName && metric !== undefined ? `${options.metricName} ${formatQuantity(metric)}` : '');

  let bar: cliProgress.SingleBar | undefined;
  if (mode === 'bar') {
    const metricPart = options.metricName ? ' | {metric}' : '';
    bar = new cliProgress.SingleBar(
      {
        format: `${label}{bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s${metricPart} | ETA {etaText}`,
        stream,
        hideCursor: true,
        barsize: 30,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', metric: metricText(), etaText: '?' });
  }

  const line = (final: boolean) => {
    const elapsed = now() - start;
    const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
    const parts = [`${label}${done}/${total} ${unit} (${pct}%)`, `${formatQuantity(rate())} ${unit}/s`];
    const m = metricText();
    if (m) parts.push(m);
    parts.push(final ? `done in ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta())}`);
    stream.write(`${parts.join(', ')}\n`);
  };

  const update = (value: number, newMetric?: number) => {
    if (stopped) return;
    done = Math.min(total, Math.max(0, value));
    if (newMetric !== undefined) metric = newMetric;
    if (mode === 'bar') {
      bar!.update(done, { rate: formatQuantity(rate()), metric: metricText(), etaText: formatDuration(eta()) });
    } else if (mode === 'lines' && now() - lastLine >= interval) {
      lastLine = now();
      line(false);
    }
  };

  return {
    mode,
    update,
    increment: (by = 1, newMetric?: number) => update(done + by, newMetric),
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (mode === 'bar') {
        bar!.update(done, { rate: formatQuantity(rate()), metric: metricText(), etaText: formatDuration(0) });
        bar!.stop();
      } else if (mode === 'lines') {
        line(true);
      }
    },
  };
}
