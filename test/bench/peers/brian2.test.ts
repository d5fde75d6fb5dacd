import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BRIAN2_INSTALL_HINT,
  Brian2OutputError,
  brian2Args,
  brian2ScriptPath,
  findBrian2Python,
  parseBrian2Output,
  runBrian2DiehlCook,
  validateBrian2Options,
  type Brian2Options,
} from '../../../bench/peers/brian2.js';
import { ValidationError } from '../../../src/errors.js';

const RESULT = {
  imagesPerSecond: 52.5,
  imagesPerCpuSecond: 60.1,
  images: 200,
  neurons: 400,
  inputs: 784,
  model: 'core',
  inputMode: 'poisson',
  learning: true,
  wallSeconds: 3.81,
  cpuSeconds: 3.33,
  binarySeconds: 4.2,
  buildSeconds: 17.7,
  setupSeconds: 4.0,
  spikesPerImage: 12.8,
  inputSpikesPerImage: 2219.8,
  activeNeurons: 31,
  meanWeight: 0.0995,
  simulatedSeconds: 100,
  dtMs: 0.5,
  threads: 1,
  seed: 1,
  params: { inputGainMv: 0.55 },
  brian2Version: '2.5.1',
  numpyVersion: '1.24.2',
  pythonVersion: '3.11.2',
  device: 'cpp_standalone',
  compileArgs: ['-O3'],
};

const scratch = mkdtempSync(join(tmpdir(), 'brian2-wrapper-test-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in interpreter: answers the import probe, then runs `body` (sh) with the script arguments in "$@". */
function fakePython(name: string, body: string, probe = 'echo 2.5.1'): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "-c" ]; then ${probe}; exit $?; fi\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function options(extra: Partial<Brian2Options> = {}): Brian2Options {
  const count = 3;
  const images = new Uint8Array(count * 784);
  for (let k = 0; k < images.length; k++) images[k] = k % 251;
  return { images, count, neurons: 10, seed: 7, timeoutMs: 20_000, buildCacheDir: null, ...extra };
}

test('parseBrian2Output takes the last JSON line and ignores noise around it', () => {
  const stdout = `compiling...\n{"not": "it"\n${JSON.stringify(RESULT)}\n\n`;
  const parsed = parseBrian2Output(stdout);
  assert.is(parsed.imagesPerSecond, 52.5);
  assert.is(parsed.images, 200);
  assert.is(parsed.brian2Version, '2.5.1');
  assert.equal(parsed.params, { inputGainMv: 0.55 });
});

test('parseBrian2Output reports the script error, missing fields and absent output', () => {
  assert.throws(() => parseBrian2Output('{"error": "--images: 5000 requested but the file holds 1000"}'), /5000 requested/);
  const missing: Record<string, unknown> = { ...RESULT };
  delete missing.wallSeconds;
  assert.throws(() => parseBrian2Output(JSON.stringify(missing)), /wallSeconds/);
  assert.throws(() => parseBrian2Output(JSON.stringify({ ...RESULT, imagesPerSecond: null })), /imagesPerSecond/);
  assert.throws(() => parseBrian2Output(JSON.stringify({ ...RESULT, cpuSeconds: '3' })), /cpuSeconds/);
  assert.throws(() => parseBrian2Output(JSON.stringify({ ...RESULT, model: 'nest' })), /model/);
  assert.throws(() => parseBrian2Output('Traceback (most recent call last):\n  ...'), (err: unknown) => err instanceof Brian2OutputError);
  assert.throws(() => parseBrian2Output(''), /no JSON result/);
});

test('options are validated at the boundary', () => {
  assert.throws(() => validateBrian2Options(options({ count: 4 })), (err: unknown) => err instanceof ValidationError);
  assert.throws(() => validateBrian2Options(options({ neurons: 0 })), /neurons/);
  assert.throws(() => validateBrian2Options(options({ model: 'nest' as never })), /model/);
  assert.throws(() => validateBrian2Options(options({ params: { inputGainMv: Number.NaN } })), /params.inputGainMv/);
  assert.is(validateBrian2Options(options({ inputs: 392, count: 6 })), 392);
});

test('brian2Args passes every option to the script', () => {
  const args = brian2Args(options({ learning: false, model: 'dc2015', inputMode: 'generator', params: { wMax: 1 }, profile: true }), '/x/in.u8', '/x/build');
  const flag = (name: string): string | undefined => args[args.indexOf(name) + 1];
  assert.is(flag('--input'), '/x/in.u8');
  assert.is(flag('--images'), '3');
  assert.is(flag('--neurons'), '10');
  assert.is(flag('--seed'), '7');
  assert.is(flag('--model'), 'dc2015');
  assert.is(flag('--input-mode'), 'generator');
  assert.is(flag('--learning'), 'off');
  assert.is(flag('--threads'), '1');
  assert.equal(JSON.parse(flag('--params')!), { wMax: 1 });
  assert.is(flag('--build-dir'), '/x/build');
  assert.ok(args.includes('--profile'));
  assert.not.ok(brian2Args(options(), '/x/in.u8', null).includes('--build-dir'));
});

test('the Python script ships next to the wrapper', () => {
  assert.ok(brian2ScriptPath().endsWith('brian2_dc.py'));
  assert.ok(existsSync(brian2ScriptPath()));
});

test('without Brian2 the run is skipped with the install command', async () => {
  const noBrian = fakePython('python-without-brian2', 'exit 1', 'echo "ModuleNotFoundError: No module named brian2" >&2; exit 1');
  const res = await runBrian2DiehlCook(options({ pythonCandidates: ['/nonexistent/python3', noBrian] }));
  assert.ok(res.skipped);
  if (!res.skipped) return;
  assert.is(res.cause, 'not-installed');
  assert.ok(res.reason.includes(BRIAN2_INSTALL_HINT));
  assert.ok(res.reason.includes('apt-get install -y python3-brian'));
  assert.ok(res.reason.includes('/nonexistent/python3'));
  assert.is(await findBrian2Python(['/nonexistent/python3', noBrian]), null);
});

test('the first interpreter that imports brian2 is used', async () => {
  const good = fakePython('python-good', 'exit 0', 'echo 2.5.1');
  assert.equal(await findBrian2Python(['/nonexistent/python3', good]), { python: good, brian2Version: '2.5.1' });
});

test('a run writes exactly count * inputs pixels, parses the result and cleans up', async () => {
  // The fake echoes the image count, the size of the image file, its first bytes and the paths it was given.
  const rest = JSON.stringify({ ...RESULT, images: undefined }).slice(1, -1);
  const body = [
    'while [ $# -gt 0 ]; do case "$1" in --input) f="$2";; --images) n="$2";; --build-dir) d="$2";; esac; shift; done',
    'bytes=$(wc -c < "$f" | tr -d " ")',
    'first=$(od -An -tu1 -N2 "$f" | tr -s " " | sed "s/^ //;s/ /,/g")',
    'echo "Brian2 is compiling"',
    `printf '{"images": %s, "inputBytes": %s, "firstPixels": [%s], "inputPath": "%s", "buildDir": "%s", ${rest}}\\n' "$n" "$bytes" "$first" "$f" "$d"`,
  ].join('\n');
  const python = fakePython('python-echo', body);
  const cache = join(scratch, 'cache');
  const res = await runBrian2DiehlCook(options({ pythonCandidates: [python], buildCacheDir: cache }));
  assert.not.ok(res.skipped, res.skipped ? res.reason : '');
  if (res.skipped) return;
  const echoed = res as unknown as Record<string, unknown>;
  assert.is(res.images, 3);
  assert.is(echoed.inputBytes, 3 * 784);
  assert.equal(echoed.firstPixels, [0, 1]);
  assert.is(res.python, python);
  assert.is(res.command[0], python);
  assert.ok(res.command[1]!.endsWith('brian2_dc.py'));
  assert.not.ok(existsSync(echoed.inputPath as string), 'temporary image file removed');
  assert.ok((echoed.buildDir as string).startsWith(cache), 'cached build directory used');
  assert.equal(readdirSync(cache).filter((f) => f.endsWith('.lock')), [], 'build-directory lock released');
});

test('a script error or a crash is reported as a failed run, not thrown', async () => {
  const erroring = fakePython('python-error', `echo '{"error": "--images: 9 requested but the file holds 3"}'; exit 2`);
  const res = await runBrian2DiehlCook(options({ pythonCandidates: [erroring] }));
  assert.ok(res.skipped && res.cause === 'failed');
  assert.ok(res.skipped && res.reason.includes('9 requested'));
  const crashing = fakePython('python-crash', `echo '${JSON.stringify(RESULT)}'; echo 'Segmentation fault' >&2; exit 139`);
  const crashed = await runBrian2DiehlCook(options({ pythonCandidates: [crashing] }));
  assert.ok(crashed.skipped && crashed.cause === 'failed');
  assert.ok(crashed.skipped && crashed.reason.includes('Segmentation fault'));
});

test('a run over its time limit is killed and reported as a timeout', async () => {
  const marker = join(scratch, 'still-running');
  // The child `sleep` must die with the process group, or it would touch the marker afterwards.
  const slow = fakePython('python-slow', `(sleep 1; touch ${marker}) & sleep 30`);
  const res = await runBrian2DiehlCook(options({ pythonCandidates: [slow], timeoutMs: 300 }));
  assert.ok(res.skipped && res.cause === 'timeout');
  assert.ok(res.skipped && res.reason.includes('300 ms'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.not.ok(existsSync(marker), 'process group killed');
});

test.run();
