import cliProgress from 'cli-progress';
import { formatDuration } from '../report/progress.js';
import { formatQuantity } from '../report/table.js';
import type { EpochRecord } from './records.js';
import type { Phase } from './run.js';

/**
 * Progress of several concurrent runs: one live bar per running run on a terminal (cli-progress
 * MultiBar), plain lines every `intervalSeconds` otherwise; always on stderr. Each finished epoch
 * prints one line with its metrics.
 */
export interface RunBoard {
  start(run: string, epochs: number): void;
  phase(run: string, epoch: number, phase: Phase, total: number): void;
  progress(run: string, done: number, metric?: number): void;
  epoch(run: string, record: EpochRecord, epochs: number): void;
  end(run: string): void;
  log(line: string): void;
  stop(): void;
}

const UNITS: Record<Phase, string> = {
  features: 'images', 'stdp-learn': 'samples', 'stdp-frozen': 'samples', kmeans: 'iterations', train: 'images', evaluate: 'images', fisher: 'images',
};

export function createRunBoard(options: { quiet?: boolean; json?: boolean; stream?: NodeJS.WriteStream; intervalSeconds?: number } = {}): RunBoard {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) {
    const noop = () => {};
    return { start: noop, phase: noop, progress: noop, epoch: noop, end: noop, log: noop, stop: noop };
  }
  const tty = Boolean(stream.isTTY) && Boolean(process.stdout.isTTY) && !options.json;
  const interval = (options.intervalSeconds ?? 10) * 1000;
  interface State { epoch: number; epochs: number; phase: Phase | null; total: number; done: number; metric?: number; started: number; last: number; bar?: cliProgress.SingleBar }
  const runs = new Map<string, State>();
  const multi = tty
    ? new cliProgress.MultiBar({
        format: '{run} epoch {epoch} {phase} {bar} {value}/{total} {unit} | {rate}/s{metric} | ETA {eta_formatted}',
        stream,
        hideCursor: true,
        barsize: 24,
        fps: 4,
        clearOnComplete: false,
        stopOnComplete: false,
      }, cliProgress.Presets.shades_classic)
    : null;
  const write = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };
  const payload = (run: string, s: State) => {
    const secs = (Date.now() - s.started) / 1000;
    return {
      run,
      epoch: `${s.epoch}/${s.epochs}`,
      phase: (s.phase ?? '').padEnd(11),
      unit: s.phase ? UNITS[s.phase] : '',
      rate: secs > 0 ? formatQuantity(s.done / secs) : '0',
      metric: s.metric !== undefined && s.phase === 'train' ? ` | loss ${formatQuantity(s.metric)}` : '',
    };
  };
  return {
    start(run, epochs) {
      const s: State = { epoch: 0, epochs, phase: null, total: 1, done: 0, started: Date.now(), last: 0 };
      runs.set(run, s);
      if (multi) s.bar = multi.create(1, 0, payload(run, s));
    },
    phase(run, epoch, phase, total) {
      const s = runs.get(run);
      if (!s) return;
      Object.assign(s, { epoch, phase, total: Math.max(1, total), done: 0, started: Date.now(), metric: undefined });
      s.bar?.start(s.total, 0, payload(run, s));
    },
    progress(run, done, metric) {
      const s = runs.get(run);
      if (!s) return;
      s.done = done;
      if (metric !== undefined) s.metric = metric;
      if (s.bar) s.bar.update(done, payload(run, s));
      else if (Date.now() - s.last >= interval) {
        s.last = Date.now();
        const p = payload(run, s);
        const eta = s.done > 0 ? ((Date.now() - s.started) / 1000) * (s.total - s.done) / s.done : NaN;
        write(`${run} epoch ${p.epoch} ${s.phase} ${done}/${s.total} ${p.unit}, ${p.rate} ${p.unit}/s${p.metric}, ETA ${formatDuration(eta)}`);
      }
    },
    epoch(run, r, epochs) {
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      write(
        `${run} epoch ${r.epoch}/${epochs}: pseudo-label acc ${pct(r.clusterTrain.accuracy)} NMI ${r.clusterTrain.nmi.toFixed(3)}` +
          ` | held-out cluster acc ${pct(r.clusterTest.accuracy)} head acc ${pct(r.headTest.accuracy)}` +
          ` | loss ${r.trainLoss.toFixed(3)}${r.fisherTrace !== null ? ` | Fisher ${formatQuantity(r.fisherTrace)}` : ''}` +
          `${r.stdp ? ` | reseeded ${r.stdp.reseeded}` : r.kmeans ? ` | reseeded ${r.kmeans.reseeded}` : ''} | ${formatDuration(r.seconds.total)}`,
      );
    },
    end(run) {
      const s = runs.get(run);
      if (s?.bar) {
        s.bar.stop();
        multi?.remove(s.bar);
      }
      runs.delete(run);
    },
    log: write,
    stop() {
      multi?.stop();
    },
  };
}
