#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ValidationError } from './errors.js';
import { commands } from './commands/index.js';

/** yargs entry: one command module per verb in src/commands/. */
async function main(): Promise<void> {
  let cli = yargs(hideBin(process.argv))
    .scriptName('deep-stdp')
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new ValidationError('arguments', process.argv.slice(2).join(' '), msg);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.parseAsync();
}

main().catch((err: unknown) => {
  if (err instanceof ValidationError) {
    process.stderr.write(`deep-stdp: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`deep-stdp: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
