#!/usr/bin/env python3
"""Diehl & Cook (2015) MNIST training pass in Brian2, C++ standalone mode, as the peer of `deep-stdp bench`.

The whole pass (every image, its presentation and its rest) is one `run()`: image switching is done with
TimedArrays and weight normalisation with `run_regularly`, so the project is generated and compiled once and
the binary runs once. Code generation + compilation ("build") is timed apart from the simulation loop.

Two models (see docs/peers.md for the exact differences):
  core    current-based LIF matching deep-stdp's core (docs/core.md): delta or exponential current synapses,
          adaptive threshold, soft lateral inhibition, Diehl & Cook paper STDP rule with per-neuron traces.
  dc2015  the published network (peter-u-diehl/stdp-mnist): conductance-based LIF, explicit inhibitory
          population, 0-10 ms input delays, the code's triplet-like rule with per-synapse traces.

Prints exactly one JSON object on stdout (last line); diagnostics go to stderr.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

PRESENTATION_MS = 350.0
REST_MS = 150.0
SLOT_MS = 50.0  # common divisor of presentation and rest: the on/off switch resolution
DT_MS = 0.5

# Defaults of the current-based model. Every key can be overridden with --params '{"key": value}'.
CORE_DEFAULTS = {
    'tauMembraneMs': 100.0,
    'tauSynMs': 0.0,          # 0: instantaneous (delta) synapses, v += inputGain * w
    'inputGainMv': 0.55,      # mV per unit weight (deep-stdp's diehl-cook-2015 preset)
    'vRestMv': -65.0,
    'vResetMv': -65.0,
    'vThreshMv': -52.0,
    'vInitMv': -65.0,
    'vMinMv': -100.0,
    'refractoryMs': 5.0,
    'thetaPlusMv': 0.05,
    'tauThetaMs': 1e7,
    'inhibitionMv': 40.0,     # soft lateral inhibition per spike (deep-stdp's preset)
    'tauPreMs': 20.0,
    'tauPostMs': 20.0,
    'etaPre': 1e-4,
    'etaPost': 1e-2,
    'xTar': 0.0,
    'mu': 0.0,
    'wMax': 1.0,
    'wInitMax': 0.3,          # initial weights U[0, wInitMax)
    'columnSum': 78.0,        # scaled by nIn / 784 for other input sizes
    'maxRateHz': 63.75,
    'resetBetweenSamples': 1.0,  # 1: membrane, synaptic current and traces back to rest before every image
    'thetaInitMv': 0.0,
    'iBias': 0.0,             # constant bias in weight units: adds inputGain * iBias mV per step
    'traceAdditive': 0.0,     # 1: traces += 1 on a spike; 0: traces = 1
    'resetSubtract': 0.0,     # 1: v -= vThresh + theta on a spike; 0: v = vReset
}

# Constants of peter-u-diehl/stdp-mnist (Diehl&Cook_spiking_MNIST.py, training mode).
DC2015_DEFAULTS = {
    'maxRateHz': 63.75,
    'columnSum': 78.0,
    'wExcInh': 10.4,
    'wInhExc': 17.0,
    'thetaPlusMv': 0.05,
    'tauThetaMs': 1e7,
    'thetaInitMv': 20.0,
    'offsetMv': 20.0,
    'etaPre': 1e-4,
    'etaPost': 1e-2,
    'wMax': 1.0,
    'maxDelayMs': 10.0,
}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--input', required=True, help='images: raw uint8 (images x inputs bytes) or .npy (uint8)')
    p.add_argument('--images', type=int, default=0, help='number of images to present (0: all in the file)')
    p.add_argument('--inputs', type=int, default=784, help='pixels per image (raw files only)')
    p.add_argument('--neurons', type=int, default=400, help='excitatory neurons')
    p.add_argument('--model', choices=['core', 'dc2015'], default='core')
    p.add_argument('--input-mode', choices=['poisson', 'generator'], default='poisson',
                   help='poisson: Brian2 draws rand() < rate*dt per input per step (PoissonGroup); generator: the '
                        'same Bernoulli spikes drawn with numpy before the run and replayed by a SpikeGeneratorGroup')
    p.add_argument('--learning', choices=['on', 'off'], default='on')
    p.add_argument('--threads', type=int, default=1, help='OpenMP threads (1: plain serial code, no OpenMP)')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--params', default='{}', help='JSON object overriding model parameters')
    p.add_argument('--profile', action='store_true', help='add per-code-object run times (Brian2 profiling)')
    p.add_argument('--build-dir', default='', help='standalone project directory, kept for reuse (default: temporary)')
    return p.parse_args(argv)


def fail(message, code=2):
    sys.stdout.write(json.dumps({'error': message}) + '\n')
    sys.exit(code)


def load_images(path, count, inputs):
    import numpy as np
    if path.endswith('.npy'):
        arr = np.load(path)
        if arr.dtype != np.uint8:
            fail(f'--input: .npy must hold uint8, got {arr.dtype}')
        arr = arr.reshape(arr.shape[0], -1)
    else:
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size == 0 or raw.size % inputs != 0:
            fail(f'--input: {raw.size} bytes is not a positive multiple of --inputs {inputs}')
        arr = raw.reshape(-1, inputs)
    if count == 0:
        count = arr.shape[0]
    if count > arr.shape[0]:
        fail(f'--images: {count} requested but the file holds {arr.shape[0]}')
    return arr[:count]


def merged(defaults, overrides):
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        fail(f'--params: unknown keys {unknown}; allowed: {sorted(defaults)}')
    out = dict(defaults)
    for k, v in overrides.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            fail(f'--params: {k} must be a number, got {v!r}')
        out[k] = float(v)
    return out


def stimulus_arrays(images, max_rate_hz):
    """Rates per image (Hz, images x inputs) and the on/off gate per 50 ms slot (7 on, 3 off per image)."""
    import numpy as np
    rates = images.astype(np.float64) / 255.0 * max_rate_hz
    on_slots = int(round(PRESENTATION_MS / SLOT_MS))
    off_slots = int(round(REST_MS / SLOT_MS))
    gate = np.tile(np.r_[np.ones(on_slots), np.zeros(off_slots)], images.shape[0])
    return rates, gate


def generator_spikes(rates, seed):
    """Pre-drawn input spikes, distributed exactly like PoissonGroup's per-step Bernoulli draws with p = rate*dt
    (first spike at step Geometric(p) - 1, then Geometric(p) gaps), presentation only; O(spikes) per image.
    Returns (indices, steps) sorted by step, then index."""
    import numpy as np
    rng = np.random.default_rng(seed)
    on_steps = int(round(PRESENTATION_MS / DT_MS))
    image_steps = int(round((PRESENTATION_MS + REST_MS) / DT_MS))
    idx_parts, step_parts = [], []
    for k in range(rates.shape[0]):
        p = rates[k] * DT_MS / 1000.0
        active = np.nonzero(p > 0)[0]
        if active.size == 0:
            continue
        pa = p[active][:, None]
        expected = on_steps * float(pa.max())
        columns = int(expected + 6.0 * np.sqrt(expected) + 8)
        steps = np.cumsum(rng.geometric(pa, size=(active.size, columns)), axis=1) - 1
        while np.any(steps[:, -1] < on_steps):  # rare: a row needs more gaps
            more = np.cumsum(rng.geometric(pa, size=(active.size, columns)), axis=1) + steps[:, -1:]
            steps = np.concatenate([steps, more], axis=1)
        row, col = np.nonzero(steps < on_steps)
        index = active[row].astype(np.int32)
        step = steps[row, col]
        order = np.lexsort((index, step))
        idx_parts.append(index[order])
        step_parts.append(step[order].astype(np.int64) + k * image_steps)
    if not idx_parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    return np.concatenate(idx_parts), np.concatenate(step_parts)


def input_group(b, n_in, rates, gate, ns, input_mode, seed):
    """Generator mode: returns (SpikeGeneratorGroup, number of generated spikes). Poisson mode: puts the rate
    TimedArrays into `ns` and returns (None, None); the caller builds the group (it differs per model)."""
    ms, Hz = b.ms, b.Hz
    if input_mode == 'generator':
        indices, steps = generator_spikes(rates, seed)
        gen = b.SpikeGeneratorGroup(n_in, indices, steps * DT_MS * ms, sorted=True, name='inputs')
        return gen, int(indices.size)
    ns['rates_ta'] = b.TimedArray(rates * Hz, dt=(PRESENTATION_MS + REST_MS) * ms)
    ns['gate_ta'] = b.TimedArray(gate, dt=SLOT_MS * ms)
    return None, None


def build_core(b, n_in, n_exc, rates, gate, prm, learning, input_mode, seed):
    """Current-based network matching deep-stdp's core. Returns (objects, input group, excitatory group, synapses)."""
    ms, mV, Hz = b.ms, b.mV, b.Hz
    ns = {
        'tau_m': prm['tauMembraneMs'] * ms, 'v_rest': prm['vRestMv'] * mV, 'v_reset': prm['vResetMv'] * mV,
        'v_thresh': prm['vThreshMv'] * mV, 'v_min': prm['vMinMv'] * mV, 'theta_plus': prm['thetaPlusMv'] * mV,
        'tau_theta': prm['tauThetaMs'] * ms, 'gain': prm['inputGainMv'] * mV, 's_inh': prm['inhibitionMv'] * mV,
        'tau_pre': prm['tauPreMs'] * ms, 'tau_post': prm['tauPostMs'] * ms, 'eta_pre': prm['etaPre'],
        'eta_post': prm['etaPost'], 'x_tar': prm['xTar'], 'mu': prm['mu'], 'wmax': prm['wMax'],
        'step': DT_MS * ms, 'i_bias': prm['iBias'],
    }
    inp, generated = input_group(b, n_in, rates, gate, ns, input_mode, seed)
    objects = []
    trace_spike = 'xpre += 1' if prm['traceAdditive'] != 0 else 'xpre = 1'
    if inp is None:
        # Inputs: Poisson draw per input per step, exactly PoissonGroup's threshold, plus a per-input pre trace.
        inp = b.NeuronGroup(n_in, '''dxpre/dt = -xpre/tau_pre : 1
                                     n_spikes : 1''',
                            threshold='rand() < rates_ta(t, i) * gate_ta(t) * dt',
                            reset=trace_spike + '\nn_spikes += 1', method='exact', namespace=ns, name='inputs')
        # The trace must include this step's pre spike before potentiation runs (docs/core.md step 6).
        inp.resetter['spike'].when = 'before_synapses'
    objects.append(inp)

    # The core adds inputGain * (isyn + iBias) mV per step, so the continuous-time drive is that divided by dt.
    bias = ' + gain * i_bias / step' if prm['iBias'] != 0 else ''
    tau_syn = prm['tauSynMs']
    if tau_syn > 0:
        ns['tau_syn'] = tau_syn * ms
        eqs = f'''dv/dt = (v_rest - v)/tau_m + i_syn/step{bias} : volt (unless refractory)
                  di_syn/dt = -i_syn/tau_syn : volt'''
        propagate = 'i_syn_post += gain * w'
    else:
        eqs = f'dv/dt = (v_rest - v)/tau_m{bias} : volt (unless refractory)'
        propagate = 'v_post += gain * w * int(not_refractory_post)'
    eqs += '''
        dtheta/dt = -theta/tau_theta : volt
        dxpost/dt = -xpost/tau_post : 1
        n_spikes : 1
        colsum : 1'''
    reset = ('v = v - (v_thresh + theta)' if prm['resetSubtract'] != 0 else 'v = v_reset') + \
        ('\nxpost += 1' if prm['traceAdditive'] != 0 else '\nxpost = 1') + '\nn_spikes += 1' + \
        ('\ntheta += theta_plus' if learning else '')
    exc = b.NeuronGroup(n_exc, eqs, threshold='v > v_thresh + theta', reset=reset,
                        refractory=prm['refractoryMs'] * ms, method='exact', namespace=ns, name='excitatory')
    exc.v = prm['vInitMv'] * mV
    exc.theta = prm['thetaInitMv'] * mV

    if learning and generated is not None:
        # A SpikeGeneratorGroup has no state variables, so the pre trace lives on each synapse (event-driven).
        syn = b.Synapses(inp, exc, '''w : 1
                                      dxpre/dt = -xpre/tau_pre : 1 (event-driven)''',
                         on_pre=propagate + '\n' + trace_spike + '\nw = clip(w - eta_pre * xpost_post, 0, wmax)',
                         on_post='w = clip(w + eta_post * (xpre - x_tar) * (wmax - w)**mu, 0, wmax)',
                         namespace=ns, name='input_exc')
    elif learning:
        syn = b.Synapses(inp, exc, 'w : 1',
                         on_pre=propagate + '\nw = clip(w - eta_pre * xpost_post, 0, wmax)',
                         on_post='w = clip(w + eta_post * (xpre_pre - x_tar) * (wmax - w)**mu, 0, wmax)',
                         namespace=ns, name='input_exc')
    else:
        syn = b.Synapses(inp, exc, 'w : 1', on_pre=propagate, namespace=ns, name='input_exc')
    syn.connect()
    syn.w = 'rand() * %r' % prm['wInitMax']

    # Soft winner-take-all: each spike pushes every other neuron down by s_inh (clamped at v_min) in the same
    # step, before resets; the spiking neuron itself is reset anyway.
    lateral = b.Synapses(exc, exc, on_pre='v_post = clip(v_post - s_inh, v_min, 1*volt)', namespace=ns,
                         name='lateral_inhibition')
    lateral.connect(condition='i != j')
    objects += [exc, syn, lateral]
    if prm['resetBetweenSamples'] != 0:
        period = (PRESENTATION_MS + REST_MS) * ms
        objects.append(exc.run_regularly('v = v_rest\nxpost = 0' + ('\ni_syn = 0*mV' if tau_syn > 0 else ''),
                                         dt=period, when='start', order=-3, name='sample_reset_exc'))
        owner = syn if (learning and generated is not None) else (inp if generated is None else None)
        if owner is not None:
            objects.append(owner.run_regularly('xpre = 0', dt=period, when='start', order=-3, name='sample_reset_pre'))
    return objects, (inp if generated is None else generated), exc, syn


def build_dc2015(b, n_in, n_exc, rates, gate, prm, learning, input_mode, seed):
    """The published conductance-based network with its inhibitory population."""
    ms, mV, Hz = b.ms, b.mV, b.Hz
    ns = {
        'v_rest_e': -65 * mV, 'v_rest_i': -60 * mV, 'v_reset_e': -65 * mV, 'v_reset_i': -45 * mV,
        'v_thresh_e': -52 * mV, 'v_thresh_i': -40 * mV, 'offset': prm['offsetMv'] * mV,
        'theta_plus': prm['thetaPlusMv'] * mV, 'tau_theta': prm['tauThetaMs'] * ms,
        'tc_pre': 20 * ms, 'tc_post1': 20 * ms, 'tc_post2': 40 * ms,
        'nu_pre': prm['etaPre'], 'nu_post': prm['etaPost'], 'wmax': prm['wMax'],
    }
    inp, generated = input_group(b, n_in, rates, gate, ns, input_mode, seed)
    if inp is None:
        inp = b.PoissonGroup(n_in, rates='rates_ta(t, i) * gate_ta(t)', namespace=ns, name='inputs')
    exc_eqs = '''dv/dt = ((v_rest_e - v) + ge*(-v) + gi*(-100*mV - v)) / (100*ms) : volt (unless refractory)
                 dge/dt = -ge/(1.0*ms) : 1
                 dgi/dt = -gi/(2.0*ms) : 1
                 dtheta/dt = -theta/tau_theta : volt
                 n_spikes : 1
                 colsum : 1'''
    reset = 'v = v_reset_e\nn_spikes += 1' + ('\ntheta += theta_plus' if learning else '')
    exc = b.NeuronGroup(n_exc, exc_eqs, threshold='v > v_thresh_e + theta - offset', reset=reset,
                        refractory=5 * ms, method='euler', namespace=ns, name='excitatory')
    inh_eqs = '''dv/dt = ((v_rest_i - v) + ge*(-v) + gi*(-85*mV - v)) / (10*ms) : volt (unless refractory)
                 dge/dt = -ge/(1.0*ms) : 1
                 dgi/dt = -gi/(2.0*ms) : 1'''
    inh = b.NeuronGroup(n_exc, inh_eqs, threshold='v > v_thresh_i', reset='v = v_reset_i', refractory=2 * ms,
                        method='euler', namespace=ns, name='inhibitory')
    exc.v = ns['v_rest_e'] - 40 * mV
    inh.v = ns['v_rest_i'] - 40 * mV
    exc.theta = prm['thetaInitMv'] * mV

    if learning:
        model = '''w : 1
                   post2before : 1
                   dpre/dt = -pre/tc_pre : 1 (event-driven)
                   dpost1/dt = -post1/tc_post1 : 1 (event-driven)
                   dpost2/dt = -post2/tc_post2 : 1 (event-driven)'''
        syn = b.Synapses(inp, exc, model,
                         on_pre='ge_post += w\npre = 1.\nw = clip(w - nu_pre * post1, 0, wmax)',
                         on_post='post2before = post2\nw = clip(w + nu_post * pre * post2before, 0, wmax)\n'
                                 'post1 = 1.\npost2 = 1.',
                         namespace=ns, name='input_exc')
    else:
        syn = b.Synapses(inp, exc, 'w : 1', on_pre='ge_post += w', namespace=ns, name='input_exc')
    syn.connect()
    syn.w = '0.3 * (rand() + 0.01)'
    syn.delay = 'rand() * %r * ms' % prm['maxDelayMs']
    e2i = b.Synapses(exc, inh, on_pre='ge_post += %r' % prm['wExcInh'], name='exc_inh')
    e2i.connect(j='i')
    i2e = b.Synapses(inh, exc, on_pre='gi_post += %r' % prm['wInhExc'], name='inh_exc')
    i2e.connect(condition='i != j')
    objects = [inp, exc, inh, syn, e2i, i2e]
    if generated is not None:
        return objects, generated, exc, syn
    # Poisson input spikes are counted with a SpikeMonitor that records no spike list (a count per input only).
    counter = b.SpikeMonitor(inp, record=False, name='input_counter')
    return objects + [counter], counter, exc, syn


def add_normalisation(b, exc, syn, column_sum):
    """Scale each neuron's incoming column to `column_sum` at the start of every image (as D&C's code does)."""
    period = (PRESENTATION_MS + REST_MS) * b.ms
    zero = exc.run_regularly('colsum = 0', dt=period, when='start', order=-2, name='norm_clear')
    acc = syn.run_regularly('colsum_post += w', dt=period, when='start', order=-1, name='norm_sum')
    # An all-zero column stays zero (the clip only avoids 0/0).
    scale = syn.run_regularly('w = w * %r / clip(colsum_post, 1e-300, 1e300)' % column_sum, dt=period,
                              when='start', order=0, name='norm_scale')
    return [zero, acc, scale]


def main(argv):
    args = parse_args(argv)
    if args.neurons < 1 or args.images < 0 or args.inputs < 1 or args.threads < 1:
        fail('--neurons, --inputs and --threads must be >= 1 and --images >= 0')
    if args.threads > 1 and args.learning == 'on':
        # Brian2 parallelises a Synapses run_regularly over synapses, so the column sums of the weight
        # normalisation would race.
        fail('--threads > 1 needs --learning off (the normalisation column sums are not thread-safe)')
    try:
        overrides = json.loads(args.params)
        if not isinstance(overrides, dict):
            raise ValueError('not an object')
    except ValueError as exc:
        fail(f'--params: not a JSON object ({exc})')

    t_start = time.perf_counter()
    import numpy as np
    import brian2 as b
    b.BrianLogger.log_level_error()
    images = load_images(args.input, args.images, args.inputs)
    n_images, n_in = images.shape
    learning = args.learning == 'on'
    prm = merged(CORE_DEFAULTS if args.model == 'core' else DC2015_DEFAULTS, overrides)
    if 'columnSum' not in overrides:
        prm['columnSum'] = prm['columnSum'] * n_in / 784.0

    own_dir = not args.build_dir
    build_dir = tempfile.mkdtemp(prefix='brian2-dc-') if own_dir else os.path.abspath(args.build_dir)
    b.set_device('cpp_standalone', directory=build_dir, build_on_run=False)
    # 1 thread: no OpenMP at all (plain serial loops); >1: OpenMP with that many threads.
    b.prefs.devices.cpp_standalone.openmp_threads = 0 if args.threads == 1 else args.threads
    b.prefs.codegen.cpp.extra_compile_args_gcc = ['-w', '-O3', '-ffast-math', '-fno-finite-math-only',
                                                  '-march=native', '-std=c++11']
    b.prefs.devices.cpp_standalone.extra_make_args_unix = ['-j%d' % max(1, os.cpu_count() or 1)]
    b.defaultclock.dt = DT_MS * b.ms
    b.seed(args.seed)

    rates, gate = stimulus_arrays(images, prm['maxRateHz'])
    builder = build_core if args.model == 'core' else build_dc2015
    objects, inp_counter, exc, syn = builder(b, n_in, args.neurons, rates, gate, prm, learning, args.input_mode,
                                             args.seed)
    if learning:
        objects += add_normalisation(b, exc, syn, prm['columnSum'])
    net = b.Network(*objects)
    duration = n_images * (PRESENTATION_MS + REST_MS) * b.ms
    # Brian2 times its loop with std::clock(), i.e. process CPU time; wall time is measured around it as well,
    # since a loaded machine makes the two differ.
    b.device.insert_code('main', 'struct timespec _peer_w0; clock_gettime(CLOCK_MONOTONIC, &_peer_w0);')
    net.run(duration, profile=args.profile)
    b.device.insert_code('main', '''{
        struct timespec _peer_w1; clock_gettime(CLOCK_MONOTONIC, &_peer_w1);
        std::ofstream _peer_f("results/loop_wall_seconds.txt"); _peer_f.precision(9);
        _peer_f << (double)(_peer_w1.tv_sec - _peer_w0.tv_sec) + 1e-9 * (double)(_peer_w1.tv_nsec - _peer_w0.tv_nsec);
    }''')
    t_build0 = time.perf_counter()
    b.device.build(directory=build_dir, compile=True, run=False, debug=False, clean=own_dir)
    t_build1 = time.perf_counter()
    b.device.run(build_dir, with_output=False, run_args=[])
    t_run1 = time.perf_counter()

    cpu_seconds = float(b.device._last_run_time)
    with open(os.path.join(build_dir, 'results', 'loop_wall_seconds.txt')) as f:
        wall_seconds = float(f.read().strip())
    per_neuron = np.asarray(exc.n_spikes[:])
    exc_spikes = float(np.sum(per_neuron))
    if isinstance(inp_counter, int):
        in_spikes = float(inp_counter)
    elif isinstance(inp_counter, b.SpikeMonitor):
        in_spikes = float(inp_counter.num_spikes)
    else:
        in_spikes = float(np.sum(inp_counter.n_spikes[:]))
    w = np.asarray(syn.w[:])
    result = {
        'imagesPerSecond': n_images / wall_seconds if wall_seconds > 0 else None,
        'imagesPerCpuSecond': n_images / cpu_seconds if cpu_seconds > 0 else None,
        'images': n_images,
        'neurons': args.neurons,
        'inputs': n_in,
        'model': args.model,
        'learning': learning,
        'inputMode': args.input_mode,
        'wallSeconds': wall_seconds,
        'cpuSeconds': cpu_seconds,
        'binarySeconds': t_run1 - t_build1,
        'buildSeconds': t_build1 - t_build0,
        'setupSeconds': t_build0 - t_start,
        'spikesPerImage': exc_spikes / n_images,
        'inputSpikesPerImage': in_spikes / n_images,
        'activeNeurons': int(np.count_nonzero(per_neuron)),
        'meanWeight': float(w.mean()),
        'simulatedSeconds': float(duration / b.second),
        'dtMs': DT_MS,
        'threads': args.threads,
        'seed': args.seed,
        'params': prm,
        'brian2Version': b.__version__,
        'numpyVersion': np.__version__,
        'pythonVersion': sys.version.split()[0],
        'device': 'cpp_standalone',
        'compileArgs': list(b.prefs.codegen.cpp.extra_compile_args_gcc),
    }
    if args.profile:
        result['profileSeconds'] = {name: float(t / b.second) for name, t in net.profiling_info}
    if own_dir:
        shutil.rmtree(build_dir, ignore_errors=True)
    sys.stdout.write(json.dumps(result) + '\n')


if __name__ == '__main__':
    main(sys.argv[1:])
