// Profile names from the user's AWS config and credentials files, for the assistant's picker (names only, never values).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
