// The text formatter: a readable report for a terminal (colour only when the caller enables it).

import type {
  AuthorizationResult,
  Cause,
  Evaluation,
  Evidence,
  Fix,
  Report,
  Result,
  StatementTrace,
  TriageReport,
} from '../../model/index.js';
import {
  approximateNote,
  contextValue,
  decisionLabel,
  fixFacts,
  iacGroups,
  iacPatchLabel,
  iacPatchNotes,
  isExplained,
  plural,
  policyLabel,
  sourceLabel,
} from './common.js';
import { collectHint } from './hints.js';
import { originalOf } from './safe.js';
import { findPolicyStatement } from '../../evidence/policy-lookup.js';
import { makeStyler, type Styler } from './style.js';

/** Options of the text formatter. */
export interface TextOptions {
  /** ANSI colour (the caller decides: TTY and no NO_COLOR). */
  colour: boolean;
  /** The evidence used, to show deciding statements verbatim. */
  evidence?: Evidence;
}

const INDENT = '    ';

/** Joins items with ", " into lines of at most `width` characters (an item longer than that gets its own line). */
export function wrapList(items: string[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    const next = cur ? `${cur}, ${it}` : it;
    if (cur && next.length > width) {
      lines.push(`${cur},`);
      cur = it;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

function indent(text: string, prefix = INDENT): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : prefix + l))
    .join('\n');
}

/** Colours a unified diff: additions green, removals red, hunk headers cyan. */
export function colourDiff(diff: string, s: Styler): string {
  return diff
    .split('\n')
    .filter((l) => !/^=+$/.test(l))
    .map((l) => {
      if (l.startsWith('+++') || l.startsWith('---')) return s('bold', l);
      if (l.startsWith('+')) return s('green', l);
      if (l.startsWith('-')) return s('red', l);
      if (l.startsWith('@@')) return s('cyan', l);
      return l;
    })
    .join('\n');
}

/** The deciding statement as JSON, with the condition key and its values highlighted. */
export function renderStatement(cause: Cause, evidence: Evidence | undefined, s: Styler): string | undefined {
  if (!cause.policy) return undefined;
  const st = findPolicyStatement(evidence, cause.policy);
  if (!st) return undefined;
  const json = JSON.stringify(st, null, 2);
  const key = cause.condition?.key;
  if (!key) return json;
  const lines = json.split('\n');
  const at = lines.findIndex((l) => l.includes(JSON.stringify(key)));
  if (at >= 0) {
    // Highlight the key's line and, for a list of values, the lines up to its closing bracket.
    let end = at;
    if (lines[at]!.trimEnd().endsWith('[')) {
      while (end < lines.length - 1 && !lines[end]!.trim().startsWith(']')) end += 1;
    }
    for (let i = at; i <= end; i++) lines[i] = s(['bold', 'yellow'], lines[i]!);
  }
  return lines.join('\n');
}

function renderFix(fix: Fix, n: number, s: Styler): string {
  const out: string[] = [];
  const { kind, verification: v, blastRadius: br } = fixFacts(fix);
  out.push(`${s('bold', `Fix ${n}`)} (${kind}): ${fix.summary}`);
  if (v) out.push(indent(fix.verified ? s('green', v) : s('yellow', v), '  '));
  if (br) out.push(indent(`blast radius: ${br}`, '  '));
  for (const na of fix.blastRadius?.newlyAllowed.slice(0, 5) ?? []) {
    out.push(indent(s('yellow', `+ ${na.principal} ${na.action} ${na.resource}`), '    '));
  }
  if ((fix.blastRadius?.newlyAllowed.length ?? 0) > 5) {
    out.push(indent(`... and ${fix.blastRadius!.newlyAllowed.length - 5} more`, '    '));
  }
  if (fix.patch) {
    const t = fix.patch.target;
    out.push(indent(`change to: ${t.type} ${t.name ? `${t.name} (${t.id})` : t.id}`, '  '));
  }
  if (fix.diff) out.push(indent(colourDiff(fix.diff.trimEnd(), s), '  '));
  if (fix.commands?.length) {
    out.push(indent('AWS CLI:', '  '));
    for (const c of fix.commands) out.push(indent(s('cyan', c), '    '));
  }
  if (fix.iac) {
    out.push(indent('Infrastructure as code (--iac):', '  '));
    for (const g of iacGroups(fix)) {
      // A fix of several documents: each document's heading, then its patches or why no source matched it.
      const pad = g.heading ? '      ' : '    ';
      if (g.heading) out.push(indent(`${g.heading}:`, '    '));
      if (g.unmatched) out.push(indent(`no source matched: ${g.unmatched}`, pad));
      for (const p of g.patches) {
        const label = iacPatchLabel(p, g.heading !== undefined);
        out.push(indent(p.verified ? s('green', label) : s('yellow', label), pad));
        for (const l of iacPatchNotes(p)) out.push(indent(l, `${pad}  `));
        out.push(indent(colourDiff(p.diff.trimEnd(), s), pad));
      }
    }
  }
  return out.join('\n');
}

function renderCause(cause: Cause, n: number, r: Result, evidence: Evidence | undefined, s: Styler): string {
  const conf =
    cause.confidence === 'certain'
      ? s(['bold', 'red'], cause.confidence)
      : cause.confidence === 'likely'
        ? s('yellow', cause.confidence)
        : s('dim', cause.confidence);
  const out: string[] = [
    `${s('bold', `Cause ${n}`)}: ${s('bold', cause.code)} (${conf})  ${s('dim', `rule ${cause.rule}`)}`,
  ];
  out.push(indent(cause.explanation, '  '));
  if (
    cause.action &&
    cause.resource &&
    (cause.action !== r.request.action || cause.resource !== r.request.resource)
  ) {
    out.push(indent(`blocks ${cause.action} on ${cause.resource}`, '  '));
  }
  if (cause.policy) out.push(indent(`statement: ${policyLabel(cause.policy)}`, '  '));
  if (cause.condition) {
    const c = cause.condition;
    out.push(
      indent(
        `condition: ${c.operator} ${s('bold', c.key)} ${contextValue(c.policyValues)}; request value: ${s(
          ['bold', 'yellow'],
          contextValue(c.requestValue),
        )}`,
        '  ',
      ),
    );
  }
  const st = renderStatement(cause, evidence, s);
  if (st) out.push(indent(st, '    '));
  cause.fixes.forEach((f, i) => out.push(indent(renderFix(f, i + 1, s), '  ')));
  return out.join('\n');
}

/** One diagnosed request. */
export function renderResultText(r: Result, opts: TextOptions): string {
  const s = makeStyler(opts.colour);
  const out: string[] = [];
  const header = [sourceLabel(r.input), r.request.operation, r.request.time].filter(Boolean).join('  ');
  out.push(s(['bold', 'cyan'], header));
  out.push(`  principal  ${r.request.principal}`);
  out.push(`  action     ${r.request.action || 'unknown'}`);
  out.push(`  resource   ${r.request.resource || 'unknown (the input names no bucket)'}`);
  if (r.request.errorCode) out.push(`  error      ${r.request.errorCode}`);
  if (r.request.actions && r.request.actions.length > 1) {
    for (const a of r.request.actions) out.push(`  needs      ${a.action} on ${a.resource} (${a.need})`);
  }
  const ctx = Object.entries(r.request.context);
  if (ctx.length)
    out.push(
      ...wrapList(
        ctx.map(([k, v]) => `${k}=${contextValue(v)}`),
        100,
      ).map((l, i) => `  ${i === 0 ? 'context   ' : '          '} ${l}`),
    );
  for (const p of r.request.provedAbsent ?? []) out.push(`  not sent   ${p.key} (${p.proof})`);
  const evidenceWord =
    r.evidence === 'snapshot' ? 'a snapshot' : r.evidence === 'live' ? 'live AWS' : undefined;
  const decisionColour = r.decision === 'Allowed' ? 'green' : 'red';
  out.push(
    `  decision   ${s(['bold', decisionColour], decisionLabel(r))}${
      evidenceWord
        ? s(
            'dim',
            ` (evidence: ${evidenceWord}${r.decisionOpen ? ', not settled' : r.reproduced ? ', reproduced' : ', not reproduced'})`,
          )
        : s('dim', ' (from the logs alone)')
    }`,
  );
  for (const why of r.notReproducedBecause ?? []) out.push(`  ${s('yellow', 'may have changed:')} ${why}`);
  if (r.causes.length === 0 && r.decision !== 'Allowed')
    out.push(`  ${s('yellow', 'No cause could be shown with the evidence at hand.')}`);
  r.causes.forEach((c, i) => out.push(indent(renderCause(c, i + 1, r, opts.evidence, s), '  ')));
  if (r.unknowns.length) {
    out.push(`  ${s('bold', 'Unknown')} (evidence that could change the verdict):`);
    for (const u of r.unknowns) {
      out.push(
        `    ${u.path}${u.couldExplain.length ? s('dim', ` could explain ${u.couldExplain.join(', ')}`) : ''}`,
      );
      if (u.reason) out.push(`      ${s('dim', `why missing: ${u.reason}`)}`);
      out.push(`      ${s('dim', `-> ${collectHint(originalOf(u).path)}`)}`);
    }
  }
  out.push(
    `  ${isExplained(r) ? s('green', 'explained') : s('yellow', 'not explained with the evidence at hand')}`,
  );
  return out.join('\n');
}

/** A whole diagnose report. */
export function renderReportText(report: Report, opts: TextOptions): string {
  const s = makeStyler(opts.colour);
  const parts = report.results.map((r) => renderResultText(r, opts));
  const explained = report.results.filter(isExplained).length;
  const malformed = report.malformed ?? [];
  for (const m of malformed.slice(0, 20)) {
    parts.push(
      s('yellow', `skipped ${m.line !== undefined ? `${m.source}:${m.line}` : m.source}: ${m.reason}`),
    );
  }
  if (malformed.length > 20)
    parts.push(s('yellow', `... and ${malformed.length - 20} more malformed entries`));
  if (report.results.length === 0) parts.push('No denied request found in the input.');
  parts.push(
    s(
      'bold',
      `${plural(report.results.length, 'denied request')}: ${explained} explained, ${report.results.length - explained} not explained` +
        (malformed.length
          ? `; ${plural(malformed.length, 'malformed entry', 'malformed entries')} skipped`
          : ''),
    ),
  );
  return parts.join('\n\n') + '\n';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The triage summary: ranked groups with counts and first/last seen. */
export function renderTriageText(t: TriageReport, opts: TextOptions): string {
  const s = makeStyler(opts.colour);
  const out: string[] = [];
  const sc = t.scanned;
  out.push(
    s(
      'bold',
      `Scanned ${plural(sc.files, 'file')}, ${plural(sc.lines, 'line')} (${formatBytes(sc.bytes)}): ${sc.denied} denied, ${sc.malformed} malformed`,
    ),
  );
  if (t.approximate) out.push(s('yellow', approximateNote(t.approximate)));
  if (t.groups.length === 0) out.push('No denied request found.');
  const width = String(t.groups[0]?.count ?? 0).length;
  t.groups.forEach((g, i) => {
    const share = sc.denied > 0 ? ` ${((g.count / sc.denied) * 100).toFixed(1)}%` : '';
    const over = g.countError ? ` (up to ${g.countError} over)` : '';
    out.push('');
    out.push(
      `${s('bold', `#${i + 1}`)} ${s(['bold', 'red'], pad(String(g.count), width))}${s('dim', share + over)}  ${g.errorCode}  ${g.action}  s3://${g.bucket}/${g.keyPrefix}`,
    );
    out.push(`    principal   ${g.principal}`);
    if (g.firstSeen || g.lastSeen) out.push(`    seen        ${g.firstSeen ?? '?'} .. ${g.lastSeen ?? '?'}`);
    out.push(`    sample      ${sourceLabel(g.sample)}`);
    if (g.diagnosis) {
      const d = g.diagnosis;
      out.push(`    decision    ${decisionLabel(d)}`);
      for (const c of d.causes)
        out.push(`    cause       ${s('bold', c.code)} (${c.confidence}): ${c.explanation}`);
      for (const c of d.causes) {
        for (const f of c.fixes)
          out.push(`    fix         ${f.summary}${f.verified ? s('green', ' (verified)') : ''}`);
      }
      for (const u of d.unknowns)
        out.push(`    unknown     ${u.path}${u.reason ? s('dim', ` (why missing: ${u.reason})`) : ''}`);
    }
  });
  for (const m of t.malformed.slice(0, 10)) {
    out.push(
      s('yellow', `skipped ${m.line !== undefined ? `${m.source}:${m.line}` : m.source}: ${m.reason}`),
    );
  }
  if (t.malformed.length > 10)
    out.push(s('yellow', `... ${t.scanned.malformed - 10} more malformed entries (see --format json)`));
  return out.join('\n') + '\n';
}

/** `1.5 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function renderStatementTrace(st: StatementTrace, s: Styler): string[] {
  const mark =
    st.matched === 'true'
      ? s(st.effect === 'Deny' ? 'red' : 'green', 'matched')
      : st.matched === 'unknown'
        ? s('yellow', 'unknown')
        : s('dim', 'no match');
  const out = [
    `${policyLabel(st.policy)}: ${st.effect} ${mark}${st.failedOn ? s('dim', ` (fails on ${st.failedOn})`) : ''}`,
  ];
  for (const c of st.conditions) {
    const res =
      c.result === 'true'
        ? s('green', 'true')
        : c.result === 'false'
          ? s('red', 'false')
          : s('yellow', 'unknown');
    out.push(
      `  ${c.operator} ${c.key} ${contextValue(c.policyValues)} vs request ${s('bold', c.keyState === 'present' ? contextValue(c.requestValue) : `(${c.keyState})`)} -> ${res}`,
    );
  }
  return out;
}

function renderAuthorization(a: AuthorizationResult, s: Styler): string {
  // Which KMS key S3 would use may be unknown: the request's `key/*` is a placeholder, not a key.
  const unknownKey = a.layers.find(
    (l) => (l.layer === 'kms-key-policy' || l.layer === 'kms-key-state') && l.facts?.keyUnknown === true,
  );
  const target = unknownKey
    ? `the SSE-KMS key S3 would use (unknown: ${unknownKey.missingEvidence?.join(', ') ?? 'which key'})`
    : a.request.resource;
  const out = [
    `${s('bold', a.request.action)} on ${target}: ${s(['bold', a.decision === 'Allowed' ? 'green' : 'red'], a.decision)}${
      a.certain ? '' : s('yellow', ` (not certain; possible: ${a.possibleDecisions.join(', ')})`)
    }`,
  ];
  for (const l of a.layers) {
    if (l.outcome === 'not-applicable') continue;
    const colour = l.outcome === 'allow' ? 'green' : l.outcome === 'unknown' ? 'yellow' : 'red';
    out.push(
      `  ${pad(l.layer, 28)} ${s(colour, l.outcome)}${l.possible ? s('dim', ` (possible: ${l.possible.join(', ')})`) : ''}`,
    );
    for (const p of l.policies) {
      for (const st of p.statements) {
        if (st.matched === 'false' && st.failedOn !== 'condition') continue;
        for (const line of renderStatementTrace(st, s)) out.push(`      ${line}`);
      }
    }
    for (const m of l.missingEvidence ?? []) out.push(`      ${s('dim', `missing: ${m}`)}`);
  }
  return out.join('\n');
}

/** `simulate`'s text: the decision and a readable trace of every authorization and layer. */
export function renderEvaluationText(e: Evaluation, opts: TextOptions): string {
  const s = makeStyler(opts.colour);
  const out = [
    `${s('bold', 'Decision')}: ${s(['bold', e.decision === 'Allowed' ? 'green' : 'red'], e.decision)}${
      e.certain ? '' : s('yellow', ` (not certain; possible: ${e.possibleDecisions.join(', ')})`)
    }`,
  ];
  for (const a of e.authorizations) out.push('', renderAuthorization(a, s));
  if (e.unknowns.length) {
    out.push('', s('bold', 'Unknown:'));
    for (const u of e.unknowns) {
      out.push(`  ${u.path}${u.couldExplain.length ? ` could explain ${u.couldExplain.join(', ')}` : ''}`);
      if (u.reason) out.push(`    ${s('dim', `why missing: ${u.reason}`)}`);
    }
  }
  return out.join('\n') + '\n';
}

/** `rules list` as text. */
export function renderRulesText(
  rules: { id: string; code: string; title: string }[],
  opts: TextOptions,
): string {
  const s = makeStyler(opts.colour);
  const w = Math.max(0, ...rules.map((r) => r.id.length));
  const cw = Math.max(0, ...rules.map((r) => r.code.length));
  return (
    rules.map((r) => `${s('bold', pad(r.id, w))}  ${s('cyan', pad(r.code, cw))}  ${r.title}`).join('\n') +
    '\n'
  );
}
