// Profile names from the user's AWS config and credentials files, for the assistant's picker (names only, never values).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Section names of an AWS shared config or credentials file. In `config`, profiles are
 * `[profile NAME]` and `[default]`; `[sso-session X]` and `[services X]` are not profiles. In
 * `credentials`, every `[NAME]` is a profile. Only the headers are read: no value is kept.
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
 */
export function profileNames(text: string, kind: 'config' | 'credentials'): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (!m) continue;
    const header = m[1]!;
    if (kind === 'credentials') {
      out.push(header);
      continue;
    }
    if (header === 'default') out.push('default');
    else {
      const p = /^profile\s+(.+)$/.exec(header);
      if (p) out.push(p[1]!.trim());
    }
  }
  return out;
}

/** Every profile name in `AWS_CONFIG_FILE` (~/.aws/config) and `AWS_SHARED_CREDENTIALS_FILE` (~/.aws/credentials), sorted, `default` first. */
export async function listAwsProfiles(
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): Promise<string[]> {
  const files: [string, 'config' | 'credentials'][] = [
    [env.AWS_CONFIG_FILE || join(home, '.aws', 'config'), 'config'],
    [env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'), 'credentials'],
  ];
  const names = new Set<string>();
  for (const [path, kind] of files) {
    try {
      for (const n of profileNames(await readFile(path, 'utf8'), kind)) names.add(n);
    } catch {
      // A missing or unreadable file just has no profiles.
    }
  }
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/**
 * Throws a one-line {@link UsageError} when `--profile NAME` names no profile in the config or
 * credentials file: the SDK would otherwise report "could not load credentials", as if it had expired.
 */
export async function assertProfileExists(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): Promise<void> {
  const names = await listAwsProfiles(env, home);
  if (names.includes(name)) return;
  const config = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const creds = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const known = names.length
    ? `profiles there: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`
    : 'no profile is defined there';
  throw new UsageError(
    `AWS profile "${name}" does not exist in ${config} or ${creds} (${known}); create it with \`aws configure --profile ${name}\` or \`aws configure sso\`, or pass another --profile.`,
  );
}
