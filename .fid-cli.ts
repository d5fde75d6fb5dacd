// Runs the fidelity command module through yargs exactly as src/cli.ts does (until it is registered there).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import fidelity from './src/commands/fidelity.js';
import { ValidationError } from './src/errors.js';
try {
  await yargs(hideBin(process.argv)).scriptName('deep-stdp').strict().demandCommand(1).command(fidelity).fail((msg, err) => { if (err) throw err; throw new ValidationError('arguments', process.argv.slice(2).join(' '), msg); }).parseAsync();
} catch (err) {
  process.stderr.write(`deep-stdp: ${(err as Error).message}\n`);
  process.exit(2);
}
