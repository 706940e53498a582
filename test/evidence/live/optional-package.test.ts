// Optional SDK clients: a missing package becomes one line naming the npm command; other failures pass through.

import { describe, expect, it } from 'vitest';
import {
  importOptional,
  MissingPackageError,
  OPTIONAL_PACKAGES,
} from '../../../src/evidence/live/optional-package.js';
import { UserError } from '../../../src/model/user-error.js';

/** The error Node's ESM loader throws for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/src/x.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('importOptional', () => {
  it('returns the module when it is installed', async () => {
    const m = await importOptional('@aws-sdk/client-sns', () => import('@aws-sdk/client-sns'));
    expect(typeof m.SNSClient).toBe('function');
  });

  it.each(Object.keys(OPTIONAL_PACKAGES) as (keyof typeof OPTIONAL_PACKAGES)[])(
    '%s missing: a user error of one line with the npm install command',
    async (name) => {
      const err = await importOptional(name, () => Promise.reject(notFound(name))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingPackageError);
      expect(err).toBeInstanceOf(UserError);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`npm install -g ${name}`);
      expect(message).toContain(OPTIONAL_PACKAGES[name]);
    },
  );

  it('a dependency of the package missing (a broken install) is not reported as the package missing', async () => {
    const inner = notFound('@smithy/core');
    const err = await importOptional('@aws-sdk/client-sns', () => Promise.reject(inner)).catch(
      (e: unknown) => e,
    );
    expect(err).toBe(inner);
  });
});
