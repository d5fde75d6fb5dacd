import type { CommandModule } from 'yargs';
import bench from './bench.js';
import deploy from './deploy.js';
import energy from './energy.js';
import fidelity from './fidelity.js';
import stdp from './stdp.js';
import train from './train.js';

/** Every CLI verb, one module each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [train, stdp, bench, energy, fidelity, deploy];
