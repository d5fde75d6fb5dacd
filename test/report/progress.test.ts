import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { createProgress, formatDuration } from '../../src/report/progress.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  stream.isTTY = isTTY;
  stream.text = () => chunks.join('');
  return stream;
}

test('formatDuration', () => {
  assert.is(formatDuration(42.4), '42s');
  assert.is(formatDuration(185), '3m05s');
  assert.is(formatDuration(3720), '1h02m');
  assert.is(formatDuration(Infinity), '?');
});

test('plain lines when stdout is not a terminal: rate, metric, ETA at most once per interval', () => {
  let t = 100;
  const stream = sink(true);
  const p = createProgress({ total: 100, label: 'train', metricName: 'spikes/sample', stream, stdoutIsTTY: false, intervalSeconds: 10, now: () => t });
  assert.is(p.mode, 'lines');
  t = 105;
  p.update(10, 20);
  assert.is(stream.text(), '', 'nothing before the interval elapsed');
  t = 110;
  p.update(20, 21.5);
  assert.is(stream.text(), 'train 20/100 samples (20.0%), 2 samples/s, spikes/sample 21.5, ETA 40s\n');
  t = 112;
  p.increment(5);
  t = 150;
  p.update(100);
  p.stop();
  p.stop();
  const lines = stream.text().trim().split('\n');
  assert.is(lines.length, 3);
  assert.is(lines[2], 'train 100/100 samples (100.0%), 2 samples/s, spikes/sample 21.5, done in 50s');
});

test('--json never shows a bar; quiet writes nothing; a terminal gets the live bar', () => {
  const t = 0;
  const json = createProgress({ total: 5, json: true, stream: sink(true), stdoutIsTTY: true, now: () => t });
  assert.is(json.mode, 'lines');
  const quietStream = sink(true);
  const quiet = createProgress({ total: 5, quiet: true, stream: quietStream, now: () => t });
  quiet.update(5);
  quiet.stop();
  assert.is(quiet.mode, 'off');
  assert.is(quietStream.text(), '');
  const tty = sink(true);
  const bar = createProgress({ total: 4, unit: 'images', stream: tty, stdoutIsTTY: true });
  assert.is(bar.mode, 'bar');
  bar.update(4);
  bar.stop();
  assert.match(tty.text(), /4\/4 images/);
});

test.run();
