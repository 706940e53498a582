// Renders `s3doctor test` outcomes: text (with the deciding trace of each failure), JSON, Markdown, SARIF and GitHub annotations.

import type { PolicyTestOutcome } from '../../policy-test/index.js';
import { workflowCommand } from './github.js';
import { renderSarif, sarifLocation, type SarifOptions, type SarifResult } from './sarif.js';
import { makeStyler } from './style.js';
import { renderEvaluationText } from './text.js';

/** Counts of a run. */
export interface PolicyTestSummary {
  total: number;
  passed: number;
  failed: number;
  undetermined: number;
}

/** Counts the outcomes. */
export function summarise(outcomes: PolicyTestOutcome[]): PolicyTestSummary {
  const n = (s: PolicyTestOutcome['status']): number => outcomes.filter((o) => o.status === s).length;
  return { total: outcomes.length, passed: n('pass'), failed: n('fail'), undetermined: n('undetermined') };
}

/** Why a test did not pass, in one sentence. */
export function failureReason(o: PolicyTestOutcome): string {
  const e = o.evaluation;
  if (o.status === 'undetermined') {
    const unknown = e.unknowns.map((u) => u.path).join(', ');
    return `expected ${o.test.expect}, but unknown evidence leaves it open: possible ${e.possibleDecisions.join(', ')}${unknown ? `; unknown: ${unknown}` : ''}`;
  }
  return `expected ${o.test.expect}, got ${e.decision}${e.certain ? '' : ` (possible: ${e.possibleDecisions.join(', ')})`}`;
}

function where(file: string, o: PolicyTestOutcome): string {
  return o.test.line !== undefined ? `${file}:${o.test.line}` : `${file} tests[${o.test.index}]`;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** Text: one line per test, the trace under each failure, and the counts. */
export function renderPolicyTestsText(file: string, outcomes: PolicyTestOutcome[], colour: boolean): string {
  const s = makeStyler(colour);
  const out: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'pass') {
      out.push(`${s('green', 'PASS')}  ${o.test.name} (${o.test.expect})`);
      continue;
    }
    const tag = o.status === 'fail' ? s(['bold', 'red'], 'FAIL') : s(['bold', 'yellow'], 'OPEN');
    out.push(`${tag}  ${o.test.name} (${where(file, o)})`);
    out.push(`      ${o.test.label}`);
    out.push(`      ${failureReason(o)}`);
    out.push(indent(renderEvaluationText(o.evaluation, { colour }), '      '));
  }
  const sum = summarise(outcomes);
  out.push(
    `${sum.total} tests: ${sum.passed} passed, ${sum.failed} failed${sum.undetermined ? `, ${sum.undetermined} undetermined (unknown evidence)` : ''}`,
  );
  return out.join('\n') + '\n';
}

/** JSON: `{ schemaVersion, file, summary, tests: [...] }`; the full evaluation of every test that did not pass. */
export function renderPolicyTestsJson(file: string, outcomes: PolicyTestOutcome[]): string {
  return (
    JSON.stringify(
      {
        schemaVersion: 1,
        file,
        summary: summarise(outcomes),
        tests: outcomes.map((o) => ({
          name: o.test.name,
          index: o.test.index,
          ...(o.test.line !== undefined ? { line: o.test.line } : {}),
          request: o.test.label,
          expect: o.test.expect,
          status: o.status,
          decision: o.evaluation.decision,
          possibleDecisions: o.evaluation.possibleDecisions,
          unknowns: o.evaluation.unknowns,
          ...(o.status === 'pass' ? {} : { reason: failureReason(o), evaluation: o.evaluation }),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** Markdown: a table of the tests and the trace of each failure. */
export function renderPolicyTestsMarkdown(file: string, outcomes: PolicyTestOutcome[]): string {
  const sum = summarise(outcomes);
  const out = [
    `# s3doctor test ${mdCell(file)}`,
    '',
    `${sum.total} tests: ${sum.passed} passed, ${sum.failed} failed, ${sum.undetermined} undetermined.`,
    '',
    '| Test | Expect | Decision | Status |',
    '|---|---|---|---|',
    ...outcomes.map(
      (o) =>
        `| ${mdCell(o.test.name)} | ${o.test.expect} | ${o.evaluation.decision}${o.evaluation.certain ? '' : ' (open)'} | ${o.status} |`,
    ),
  ];
  for (const o of outcomes.filter((x) => x.status !== 'pass')) {
    out.push('', `## ${mdCell(o.test.name)}`, '', mdCell(failureReason(o)), '', '```text');
    out.push(renderEvaluationText(o.evaluation, { colour: false }).replace(/```/g, "'''").trimEnd(), '```');
  }
  return out.join('\n') + '\n';
}

function sarifResult(file: string, o: PolicyTestOutcome): SarifResult {
  return {
    ruleId: 'policy-test/failed',
    level: o.status === 'fail' ? 'error' : 'warning',
    message: { text: `Policy test "${o.test.name}" (${o.test.label}): ${failureReason(o)}.` },
    locations: [sarifLocation(file, o.test.line)],
    properties: {
      test: o.test.name,
      expect: o.test.expect,
      decision: o.evaluation.decision,
      possibleDecisions: o.evaluation.possibleDecisions,
      status: o.status,
    },
  };
}

/** SARIF: one result per test that did not pass. */
export function renderPolicyTestsSarif(
  file: string,
  outcomes: PolicyTestOutcome[],
  opts: SarifOptions,
): string {
  return renderSarif(
    outcomes.filter((o) => o.status !== 'pass').map((o) => sarifResult(file, o)),
    opts,
  );
}

/** GitHub annotations: an error per failed test (a warning when undetermined), on the test's line. */
export function renderPolicyTestsGithub(file: string, outcomes: PolicyTestOutcome[]): string {
  let out = '';
  for (const o of outcomes) {
    if (o.status === 'pass') continue;
    out += workflowCommand(
      o.status === 'fail' ? 'error' : 'warning',
      {
        file,
        ...(o.test.line !== undefined ? { line: o.test.line } : {}),
        title: `policy test: ${o.test.name}`,
      },
      `${o.test.label}: ${failureReason(o)}\n${renderEvaluationText(o.evaluation, { colour: false })}`,
    );
  }
  const sum = summarise(outcomes);
  out += workflowCommand(
    'notice',
    { title: 's3doctor test' },
    `${sum.total} tests: ${sum.passed} passed, ${sum.failed} failed, ${sum.undetermined} undetermined`,
  );
  return out;
}
