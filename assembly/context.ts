// Layout of a layer's context block: 4-byte slots at fixed offsets from the context pointer.
// This file is plain constants so that both the AssemblyScript kernels and the TypeScript host
// (src/core/layout.ts) and reference twin import the very same numbers.

// Static configuration (written when the layer is created).
export const CTX_N_IN = 0;
export const CTX_N_OUT = 4;
export const CTX_STRIDE = 8; // padded row length in synapses (multiple of 16)
export const CTX_FORMAT = 12; // 0 = f32, 1 = fixed point
export const CTX_Q_MAX = 16; // 2^bits - 1 (fixed point)
export const CTX_ROUNDING = 20; // 0 nearest, 1 stochastic, 2 truncate
export const CTX_RULE = 24; // 0 none, 1 Diehl & Cook, 2 pair
export const CTX_MULTIPLICATIVE = 28; // pair rule: 1 = multiplicative
export const CTX_TRACE_RESET = 32; // 1 = traces reset to 1 on a spike, 0 = additive
export const CTX_INHIBITION = 36; // 0 none, 1 soft, 2 hard
export const CTX_RESET_SUBTRACT = 40; // 1 = reset by subtracting the threshold
export const CTX_REFRACTORY_STEPS = 44;
export const CTX_DENSE = 48; // 1 = dense clock-driven propagation
export const CTX_SEED = 52;
export const CTX_INSTANT_SYN = 56; // 1 = tauSynaptic 0 (instantaneous current)
export const CTX_MU_MODE = 60; // 0: (wMax-w)^0, 1: (wMax-w)^1, 2: table
export const CTX_MU_N = 64; // intervals in the mu table
export const CTX_PRE_DECAY_LEN = 68; // entries in the aPre^n table
export const CTX_POST_DECAY_LEN = 72; // entries in the aPost^n table
export const CTX_THETA_DECAY = 76; // 1 when aTheta != 1
export const CTX_ACC_LIMIT = 80; // input spikes per 16-bit accumulation chunk (fixed point)
export const CTX_HAS_TRACES = 84; // 1 when an STDP rule is configured
export const CTX_COMMIT = 88; // 1 = fixed-point store with per-sample commit (f32 working weights + levels)

// Dynamic state.
export const CTX_GLOBAL_STEP = 96; // u32: steps run + skipped since creation (RNG position)
export const CTX_ACTIVE_POST = 100; // entries in the active post-trace list
export const CTX_DIRTY_COUNT = 104; // entries in the list of columns changed since the last normalisation

// Per call.
export const CTX_STEPS = 112;
export const CTX_ENCODER = 116; // 0 silent, 1 Poisson, 2 regular, 3 explicit
export const CTX_LEARN = 120;
export const CTX_ADAPT = 124;
export const CTX_DO_NORMALISE = 128;
export const CTX_REST_STEPS = 132;
export const CTX_OUT_COUNT = 136;
export const CTX_OUT_CAPACITY = 140; // output spikes the buffer holds (the host sizes it for the worst case)

// f32 parameters.
export const CTX_V_REST = 192;
export const CTX_V_RESET = 196;
export const CTX_V_THRESH = 200;
export const CTX_V_MIN = 204;
export const CTX_A_MEM = 208;
export const CTX_A_SYN = 212;
export const CTX_GAIN = 216;
export const CTX_I_BIAS = 220;
export const CTX_A_THETA = 224;
export const CTX_THETA_PLUS = 228;
export const CTX_W_MAX = 232;
export const CTX_DELTA = 236;
export const CTX_INV_DELTA = 240;
export const CTX_DEP_RATE = 244; // Diehl & Cook etaPre, pair aMinus
export const CTX_POT_RATE = 248; // Diehl & Cook etaPost, pair aPlus
export const CTX_X_TAR = 252;
export const CTX_INH_STRENGTH = 256;
export const CTX_COLUMN_SUM = 260;
export const CTX_MU_SCALE = 264; // wMax^mu
export const CTX_INV_W_MAX = 268;
export const CTX_REST_SYN = 272; // aSyn^n for the current rest
export const CTX_REST_THETA = 276; // aTheta^n for the current rest

// Byte offsets of the arrays (u32).
export const CTX_P_W = 320;
export const CTX_P_NNZ = 324;
export const CTX_P_V = 328;
export const CTX_P_ISYN = 332;
export const CTX_P_THETA = 336;
export const CTX_P_REFR = 340;
export const CTX_P_X_PRE = 344;
export const CTX_P_LAST_PRE = 348;
export const CTX_P_X_POST = 352;
export const CTX_P_LAST_POST = 356;
export const CTX_P_ACTIVE_POST = 360;
export const CTX_P_ACTIVE_FLAG = 364;
export const CTX_P_INP = 368;
export const CTX_P_ACC16 = 372;
export const CTX_P_ACC32 = 376;
export const CTX_P_SPIKE_COUNT = 380;
export const CTX_P_OUT_STEPS = 384;
export const CTX_P_OUT_NEURONS = 388;
export const CTX_P_STEP_LIST = 392;
export const CTX_P_FLAGS = 396;
export const CTX_P_HEAD = 400;
export const CTX_P_NEXT = 404;
export const CTX_P_P_IN = 408;
export const CTX_P_INV_LOG = 412;
export const CTX_P_REG_COUNT = 416;
export const CTX_P_EXPLICIT_PTR = 420;
export const CTX_P_EXPLICIT_INPUTS = 424;
export const CTX_P_E_TABLE = 428;
export const CTX_P_PRE_DECAY = 432;
export const CTX_P_POST_DECAY = 436;
export const CTX_P_MU_TABLE = 440;
export const CTX_P_D_IDX = 444;
export const CTX_P_D_VAL = 448;
export const CTX_P_X_PRE_NOW = 452;
export const CTX_P_COL_SUM = 456;
export const CTX_P_REST_A = 460;
export const CTX_P_REST_C = 464;
export const CTX_P_REST_B = 468;
export const CTX_P_COUNTERS = 472;
export const CTX_P_CAND = 476;
export const CTX_P_CAND_V = 480;
export const CTX_P_D_VEC = 484;
export const CTX_P_DIRTY_FLAG = 488;
export const CTX_P_DIRTY_LIST = 492;
export const CTX_P_DEVICE = 496; // device / write-statistics block (assembly/device-layout.ts), 0 = none
export const CTX_P_LEVELS = 500; // u8 levels of a per-sample-commit store (CTX_COMMIT), 0 = none

export const CTX_BYTES = 512;

// Counter slots (f64) in the order of src/core/counters.ts COUNTER_NAMES.
export const CNT_INPUT_SPIKES = 0;
export const CNT_SYNAPTIC_EVENTS = 1;
export const CNT_DENSE_SYNAPTIC_OPS = 2;
export const CNT_NEURON_UPDATES = 3;
export const CNT_OUTPUT_SPIKES = 4;
export const CNT_STDP_PRE_EVENTS = 5;
export const CNT_STDP_POST_EVENTS = 6;
export const CNT_WEIGHT_WRITES = 7;
export const CNT_LOST_UPDATES = 8;
export const CNT_STEPS_RUN = 9;
export const CNT_STEPS_SKIPPED = 10;
export const CNT_COUNT = 11;

// Enumerations.
export const FORMAT_F32 = 0;
export const FORMAT_FIXED = 1;
export const ROUND_NEAREST = 0;
export const ROUND_STOCHASTIC = 1;
export const ROUND_TRUNCATE = 2;
export const RULE_NONE = 0;
export const RULE_DC = 1;
export const RULE_PAIR = 2;
export const INHIBIT_NONE = 0;
export const INHIBIT_SOFT = 1;
export const INHIBIT_HARD = 2;
export const ENCODER_SILENT = 0;
export const ENCODER_POISSON = 1;
export const ENCODER_REGULAR = 2;
export const ENCODER_EXPLICIT = 3;

// Counter-based RNG streams.
export const STREAM_POISSON = 1;
export const STREAM_POISSON_FIRST = 2;
export const STREAM_ROUND_PRE = 3;
export const STREAM_ROUND_POST = 4;
export const STREAM_ROUND_NORM = 5;
export const STREAM_INIT = 6;
export const STREAM_DEVICE = 7;
export const STREAM_ROUND_COMMIT = 8;

// Sizes of host-built tables.
export const E_TABLE_BITS = 16;
export const E_TABLE_SIZE = 65536;
export const DECAY_TABLE_MAX = 65536;
export const MU_TABLE_INTERVALS = 1024;
// Row stride granularity in synapses: one v128 of u8 levels.
export const ROW_ALIGN = 16;
