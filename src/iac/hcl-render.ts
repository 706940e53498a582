// Renders policy values as Terraform writes them: jsonencode object syntax and aws_iam_policy_document statement blocks.

/** A string as an HCL quoted template (`${` and `%{` escaped). */
export function hclString(s: string): string {
  return JSON.stringify(s)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k);
}

function inline(v: unknown): string | undefined {
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const items = v.map(inline);
    if (items.some((i) => i === undefined)) return undefined;
    const one = `[${items.join(', ')}]`;
    return one.length <= 100 ? one : undefined;
  }
  return undefined;
}

/** Lines `key = value`, `=` aligned over runs of one-line entries (as terraform fmt does). */
function entries(pairs: [string, unknown][], unit: string, depth: number): string[] {
  const ind = unit.repeat(depth);
  const out: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const w = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) out.push(`${ind}${k.padEnd(w)} = ${v}`);
    run = [];
  };
  for (const [k0, v] of pairs) {
    const k = key(k0);
    const one = inline(v);
    if (one !== undefined) {
      run.push([k, one]);
      continue;
    }
    flush();
    out.push(`${ind}${k} = ${hclValue(v, unit, depth)}`);
  }
  flush();
  return out;
}

/** A value in HCL syntax (objects over several lines), for nesting at `depth`. */
export function hclValue(v: unknown, unit: string, depth: number): string {
  const one = inline(v);
  if (one !== undefined) return one;
  const ind = unit.repeat(depth);
  if (Array.isArray(v))
    return `[\n${v.map((x) => `${ind}${unit}${hclValue(x, unit, depth + 1)},`).join('\n')}\n${ind}]`;
  const o = v as Record<string, unknown>;
  return `{\n${entries(Object.entries(o), unit, depth + 1).join('\n')}\n${ind}}`;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** Policy variables `${aws:username}` as an aws_iam_policy_document writes them: `&{aws:username}`. */
function ampersand(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/\$\{/g, '&{');
  if (Array.isArray(v)) return v.map(ampersand);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [ampersand(k) as string, ampersand(x)]));
  return v;
}

/** A policy statement as an `aws_iam_policy_document` `statement` block (policy variables as `&{...}`). */
export function statementBlock(statement: Record<string, unknown>, unit: string, depth: number): string {
  const s = ampersand(statement) as Record<string, unknown>;
  const ind = unit.repeat(depth);
  const lines: string[] = [];
  const simple: [string, unknown][] = [];
  if (s.Sid !== undefined) simple.push(['sid', s.Sid]);
  simple.push(['effect', s.Effect ?? 'Allow']);
  for (const [k, n] of [
    ['Action', 'actions'],
    ['NotAction', 'not_actions'],
    ['Resource', 'resources'],
    ['NotResource', 'not_resources'],
  ] as const)
    if (s[k] !== undefined) simple.push([n, list(s[k])]);
  lines.push(...entries(simple, unit, depth + 1));
  for (const [k, n] of [
    ['Principal', 'principals'],
    ['NotPrincipal', 'not_principals'],
  ] as const) {
    const p = s[k];
    if (p === undefined) continue;
    const byType: [string, unknown[]][] =
      p === '*'
        ? [['*', ['*']]]
        : Object.entries(p as Record<string, unknown>).map(([t, ids]) => [t, list(ids)]);
    for (const [type, ids] of byType) {
      lines.push(
        '',
        `${ind}${unit}${n} {`,
        ...entries(
          [
            ['type', type],
            ['identifiers', ids],
          ],
          unit,
          depth + 2,
        ),
        `${ind}${unit}}`,
      );
    }
  }
  const cond = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  for (const [test, keys] of Object.entries(cond))
    for (const [variable, values] of Object.entries(keys))
      lines.push(
        '',
        `${ind}${unit}condition {`,
        ...entries(
          [
            ['test', test],
            ['variable', variable],
            ['values', list(values)],
          ],
          unit,
          depth + 2,
        ),
        `${ind}${unit}}`,
      );
  return `${ind}statement {\n${lines.join('\n')}\n${ind}}`;
}
