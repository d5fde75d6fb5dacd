// STDP pair updates against closed forms. Setup: input 0 is a driver (weight wMax) that makes the neuron
// fire in the step it spikes; input 1 is the plastic synapse under test (too weak to fire the neuron).
// The membrane forgets within a step (tauMembrane << dt), so post spikes happen exactly at driver spikes.
// Gold (traces exp(-dt * gap / tau), evaluated by the core as f32 table entries):
//   pair, additive:        pre at tp, post at tq > tp:  dw = +aPlus  * exp(-(tq - tp) dt / tauPlus)
//                          post at tq, pre at tp > tq:  dw = -aMinus * exp(-(tp - tq) dt / tauMinus)
//   pair, multiplicative:  the same times (wMax - w) for potentiation, times w for depression
//   Diehl & Cook:          post: dw = etaPost * (xPre - xTar) * (wMax - w)^mu;  pre: dw = -etaPre * xPost
// Same-step pre and post count as causal (pre trace updated first; depression sees the trace before the post spike).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, spikeLists } from './helpers.js';
import type { Backend, StdpConfig } from '../../src/core/layer.js';

const dt = 0.5;
const wMax = 1;

function run(backend: Backend, stdp: StdpConfig, w1: number, pre: number[], post: number[], steps = 200): number {
  const layer = layerOn(backend, {
    nIn: 2,
    nOut: 1,
    dt,
    seed: 9,
    neuron: { vRest: 0, vReset: 0, vThresh: 0.9, tauMembrane: 0.01, inputGain: 1 },
    weights: { format: 'f32', wMax },
    stdp,
  });
  layer.setWeights([wMax, w1]);
  const events: [number, number][] = [...post.map((t) => [0, t] as [number, number]), ...pre.map((t) => [1, t] as [number, number])];
  const r = layer.present({ steps, spikeSteps: spikeLists(2, events), learn: true });
  assert.equal(Array.from(r.spikeSteps), [...post].sort((x, y) => x - y), 'post spikes exactly at the driver spikes');
  return layer.getWeights()[1];
}

const close = (got: number, want: number, what: string): void => {
  assert.ok(Math.abs(got - want) <= 2e-7 * Math.max(1, Math.abs(want)), `${what}: got ${got}, want ${want}`);
};

for (const backend of BACKENDS) {
  for (const traceMode of ['additive', 'reset'] as const) {
    test(`${backend}: pair rule (${traceMode} traces), additive updates equal the closed form`, () => {
      const stdp: StdpConfig = { rule: 'pair', aPlus: 0.01, aMinus: 0.012, tauPlus: 16.8, tauMinus: 33.7, traceMode };
      const w1 = 0.3;
      for (const gap of [0, 1, 5, 40, 150]) {
        close(run(backend, stdp, w1, [20], [20 + gap]), w1 + 0.01 * Math.exp((-gap * dt) / 16.8), `causal gap ${gap}`);
        if (gap > 0) close(run(backend, stdp, w1, [20 + gap], [20]), w1 - 0.012 * Math.exp((-gap * dt) / 33.7), `acausal gap ${gap}`);
      }
      // Two pairs: pre 10, post 15, pre 30 -> +aPlus e^{-5dt/tau+} - aMinus e^{-15dt/tau-}
      close(
        run(backend, stdp, w1, [10, 30], [15]),
        w1 + 0.01 * Math.exp((-5 * dt) / 16.8) - 0.012 * Math.exp((-15 * dt) / 33.7),
        'pre-post-pre',
      );
    });
  }

  test(`${backend}: pair rule, multiplicative updates equal the closed form`, () => {
    const stdp: StdpConfig = { rule: 'pair', aPlus: 0.05, aMinus: 0.04, tauPlus: 20, tauMinus: 20, multiplicative: true };
    for (const w1 of [0.1, 0.5, 0.8]) {
      close(run(backend, stdp, w1, [20], [26]), w1 + 0.05 * Math.exp((-6 * dt) / 20) * (wMax - w1), `causal w=${w1}`);
      close(run(backend, stdp, w1, [26], [20]), w1 - 0.04 * Math.exp((-6 * dt) / 20) * w1, `acausal w=${w1}`);
    }
  });

  test(`${backend}: Diehl & Cook rule equals the closed form for mu = 0, 1, 0.5 and xTar > 0`, () => {
    for (const mu of [0, 1, 0.5]) {
      for (const xTar of [0, 0.4]) {
        const stdp: StdpConfig = { rule: 'dc', etaPre: 0.002, etaPost: 0.05, xTar, mu, tauPre: 20, tauPost: 30 };
        const w1 = 0.3;
        const xPre = Math.exp((-8 * dt) / 20);
        // causal: pre at 20, post at 28
        close(run(backend, stdp, w1, [20], [28]), w1 + 0.05 * (xPre - xTar) * (wMax - w1) ** mu, `causal mu=${mu} xTar=${xTar}`);
        // acausal: post at 20 (no pre trace yet: xPre = 0), then pre at 28
        const afterPost = w1 + 0.05 * (0 - xTar) * (wMax - w1) ** mu;
        const want = afterPost - 0.002 * Math.exp((-8 * dt) / 30);
        close(run(backend, stdp, w1, [28], [20]), want, `acausal mu=${mu} xTar=${xTar}`);
      }
    }
  });

  test(`${backend}: hard bounds [0, wMax]`, () => {
    const stdp: StdpConfig = { rule: 'pair', aPlus: 0.5, aMinus: 0.5, tauPlus: 20, tauMinus: 20 };
    assert.is(run(backend, stdp, 0.9, [10], [10]), wMax);
    assert.is(run(backend, stdp, 0.1, [10], [5]), 0);
  });

  test(`${backend}: learning off leaves weights unchanged; rule none has no STDP events`, () => {
    const layer = layerOn(backend, {
      nIn: 2, nOut: 1, dt, seed: 9,
      neuron: { vRest: 0, vReset: 0, vThresh: 0.9, tauMembrane: 0.01 },
      weights: { format: 'f32', wMax },
      stdp: { rule: 'pair', aPlus: 0.5, aMinus: 0.5, tauPlus: 20, tauMinus: 20 },
    });
    layer.setWeights([1, 0.3]);
    layer.present({ steps: 50, spikeSteps: [[10, 20], [12, 15]], learn: false });
    assert.equal(Array.from(layer.getWeights()), [1, Math.fround(0.3)]);
    const c = layer.counters();
    assert.is(c.stdpPreEvents, 0);
    assert.is(c.stdpPostEvents, 0);
    layer.present({ steps: 50, spikeSteps: [[10, 20], [12, 15]], learn: true });
    const d = layer.counters();
    assert.is(d.stdpPreEvents, 4);
    assert.is(d.stdpPostEvents, 2);
  });
}

test.run();
