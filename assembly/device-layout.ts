// Layout of a device / write-statistics block (assembly/device.ts, assembly/write-stats.ts).
// Plain constants so that the kernels, their TypeScript twins and the host (src/fidelity/device-model.ts)
// import the very same numbers. All offsets are bytes from the block's start, so the host may move the
// block in memory (the layer keeps its pointer in CTX_P_DEVICE).

// Header: i32 slots.
export const DEV_MODE = 0; // 0 = write statistics only; 1 = device writer for f32 weights
export const DEV_ROUNDING = 4; // pulse-count rounding (ROUND_* of assembly/context.ts)
export const DEV_INTERVALS = 8; // K: intervals of every curve table (K + 1 entries)
export const DEV_CLASSES = 12; // device classes (1 = every synapse has the same curves)
export const DEV_C2C = 16; // 1 = cycle-to-cycle noise on
export const DEV_HIST_HALF = 20; // H: histogram bins -H..H plus one bin each for < -H and > H
// Header: f32 slots.
export const DEV_INV_STEP = 32; // pulses per weight unit: Pmax / wMax
export const DEV_PULSE_STEP = 36; // pulse-position change of one pulse: 1 / Pmax
export const DEV_SIGMA_W = 40; // cycle-to-cycle sigma of one pulse in weight units: sigma * wMax
export const DEV_UNIT_INV = 44; // histogram bins per weight unit (1 / size of one bin)
export const DEV_K_F32 = 48; // K as f32
export const DEV_INV_W_MAX = 52; // 1 / wMax
// Header: u32 offsets of the arrays, from the block's start.
export const DEV_O_TABLES = 64; // f32 curve tables, class c: [LTP forward, LTP inverse, LTD forward, LTD inverse]
export const DEV_O_LTP_CLASS = 68; // u8 class of every synapse (index i * nOut + j) for potentiation
export const DEV_O_LTD_CLASS = 72; // u8 class of every synapse for depression
export const DEV_O_GAUSS = 76; // f32 x GAUSS_TABLE_SIZE: standard normal quantiles at (k + 0.5) / size
export const DEV_O_SQRT = 80; // f32 x (MAX_PULSES + 1): sqrt(n)
export const DEV_O_STATS = 84; // f64 statistics, one section per phase (below)
export const DEV_HEADER_BYTES = 128;

export const MODE_STATS = 0;
export const MODE_DEVICE = 1;

// Phases: STDP updates inside a sample, and the per-neuron normalisation after it.
export const PHASE_STDP = 0;
export const PHASE_NORM = 1;
export const PHASES = 2;

// f64 slots of one phase section.
export const ST_ATTEMPTS = 0; // updates with a non-zero requested change
export const ST_LOST = 1; // ... that rounded to no change (also counted in the core's lostUpdates)
export const ST_SATURATED = 2; // ... that rounded to a change the bounds cancelled
export const ST_WRITES = 3; // ... that changed the stored value
export const ST_PULSES = 4; // programming pulses (fixed point: |level change|; device: |pulses| requested)
export const ST_HIST = 5; // histogram of applied changes in bins, 2H + 3 slots: < -H, -H..H, > H
export const ST_FIXED_SLOTS = 5;

export const GAUSS_TABLE_BITS = 16;
export const GAUSS_TABLE_SIZE = 65536;
// roundLevels clamps a requested change to +-512 levels: no write has more pulses.
export const MAX_PULSES = 512;
// Mixed into the per-step rounding key to draw the cycle-to-cycle noise from an independent stream.
export const C2C_SALT = 0x68e31da4;
