import type { CommandModule } from 'yargs';
import bench from './bench.js';
import energy from './energy.js';
import stdp from './stdp.js';

/** Every CLI verb, one module each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [stdp, bench, energy];
