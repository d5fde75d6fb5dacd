import { runDeployCommand } from './src/commands/deploy.js';
import { DEPLOY_DEFAULTS } from './src/deploy/run.js';
const args = process.argv.slice(2);
const opts: any = { ...DEPLOY_DEFAULTS, out: '/tmp/deploy-run1', test: 500, calibration: 500 };
for (let i = 0; i < args.length; i += 2) opts[args[i]!.replace(/^--/, '')] = JSON.parse(args[i + 1]!);
await runDeployCommand(opts);
