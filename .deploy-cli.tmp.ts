// Temporary CLI entry with only the deploy command (until the lead registers it in src/commands/index.ts).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import deploy from './src/commands/deploy.js';
await yargs(hideBin(process.argv)).scriptName('deep-stdp').strict().command(deploy).demandCommand(1).parseAsync();
