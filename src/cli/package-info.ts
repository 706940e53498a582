// The package's own package.json (its version for `--version`), found next to src/ or dist/.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The `version` of s3doctor's package.json (`0.0.0` if it cannot be read, which a packed install never hits). */
export function packageVersion(): string {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  // src/cli -> ../.. ; dist/src/cli -> ../../..
  for (const up of ['../..', '../../..']) {
    const file = join(here, up, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 's3doctor' && pkg.version) return (cached = pkg.version);
  }
  return (cached = '0.0.0');
}
