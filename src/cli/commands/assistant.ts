// Wires the assistant (prompts.ts) to the real modules: logs, evidence, engine, formatters, patches, apply.

import { access } from 'node:fs/promises';
import type { ExitCode } from '../program.js';
import { UsageError } from '../errors.js';
import { canPrompt, processTerminal, stdoutColour } from '../tty.js';
import type { AssistantDeps, AssistantPreset } from '../prompts.js';
import type { IacIndex } from '../../iac/index.js';
import type { Evidence } from '../../model/index.js';

/** The real dependencies of the assistant. */
export async function realAssistantDeps(colour: boolean): Promise<AssistantDeps> {
  const pipeline = await import('../../api/pipeline.js');
  const { describedRecord } = await import('../missing-parts.js');
  const { collectLive } = await import('../evidence-source.js');
  const { renderReportText } = await import('../format/text.js');
  const { renderReportMarkdown } = await import('../format/markdown.js');
  const { expandHome, notice, writeNewFile } = await import('../output.js');
  const patches = await import('../patches.js');
  const apply = await import('../apply.js');
  const { listAwsProfiles } = await import('../aws-profiles.js');
  const { startSpinner } = await import('../progress.js');
  // The --iac folder is read once per folder and state files.
  const indexes = new Map<string, Promise<IacIndex>>();
  const iacIndex = (dir: string, state?: string[]): Promise<IacIndex> => {
    const key = JSON.stringify([dir, state ?? []]);
    let p = indexes.get(key);
    if (!p) {
      p = import('../../iac/index.js').then((m) => m.loadIac(dir, state ? { stateFiles: state } : {}));
      indexes.set(key, p);
    }
    return p;
  };
  // With live evidence, the folder's CloudFormation stacks are read once per folder (as diagnose --iac --live does):
  // they settle generated names, parameters and exports. A refused read is a notice, never fatal.
  const stacksRead = new WeakMap<IacIndex, Promise<void>>();
  const readStacks = (index: IacIndex, ev: { evidence?: Evidence; profile?: string }): Promise<void> => {
    let p = stacksRead.get(index);
    if (!p) {
      p = import('../../iac/index.js')
        .then((m) => m.addLiveStacks(index, ev.evidence, { live: ev.profile ? { profile: ev.profile } : {} }))
        .then((notes) => {
          for (const n of notes) notice(`--iac: ${n}`);
        });
      stacksRead.set(index, p);
    }
    return p;
  };
  return {
    readPasted: async (text) => {
      const s = await startSpinner('Reading the request');
      try {
        return await pipeline.readPasted(text);
      } finally {
        s.stop();
      }
    },
    readFile: async (path) => {
      const s = await startSpinner(`Reading ${path}`);
      try {
        return await pipeline.readRecords([path]);
      } finally {
        s.stop();
      }
    },
    described: (d) => describedRecord(d),
    listProfiles: () => listAwsProfiles(),
    loadSnapshot: async (paths) => {
      const { loadSnapshots } = await import('../../evidence/index.js');
      return loadSnapshots(paths.map(expandHome), {
        onWarning: (w) => process.stderr.write(`s3doctor: warning: ${w}\n`),
      });
    },
    collectLive: async (records, profile) =>
      collectLive(await pipeline.toRequests(records), profile ? { profile } : {}),
    diagnose: async (records, ev, answers, iac) => {
      const index = iac ? await iacIndex(expandHome(iac.dir), iac.state?.map(expandHome)) : undefined;
      if (index && ev.kind === 'live') await readStacks(index, ev);
      return pipeline.diagnoseRecords(
        records,
        ev.evidence ? { evidence: ev.evidence, kind: ev.kind } : { kind: 'none' },
        answers,
        [],
        { mergeFixes: true, ...(index ? { iac: index } : {}) },
      );
    },
    writeIac: async (dir, list) => {
      const { writeIacPatches } = await import('../../iac/index.js');
      const done = await writeIacPatches((await iacIndex(expandHome(dir))).root, list);
      return done.map((w) =>
        w.written ? `Wrote ${w.file} (backup: ${w.backup ?? ''})` : `Did not write ${w.file}: ${w.why ?? ''}`,
      );
    },
    renderText: (report, evidence) => renderReportText(report, { colour, ...(evidence ? { evidence } : {}) }),
    renderMarkdown: (report, evidence) => renderReportMarkdown(report, evidence ? { evidence } : {}),
    writeFile: (path, text, force) => writeNewFile(path, text, force),
    savePatch: async (fix, patch, force) =>
      (await patches.savePatches([{ fix, patch }], { dir: '.', force }))[0]!,
    applicable: (results) => apply.applicablePatches(results),
    patches: (results) => patches.patchFixes(results),
    describeChange: (fix, patch) => apply.describeChange(fix, patch),
    apply: (patch, profile, evidence) =>
      apply.applyPatch(patch, { ...(profile ? { profile } : {}), ...(evidence ? { evidence } : {}) }),
    fileExists: async (path) => {
      try {
        await access(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Runs the assistant on the terminal; exit code as for diagnose. */
export async function runAssistant(opts: { preset?: AssistantPreset } = {}): Promise<ExitCode> {
  const t = processTerminal();
  const { createTerminalAsk, runAssistantFlow } = await import('../prompts.js');
  const { isExplained } = await import('../format/common.js');
  const ask = await createTerminalAsk();
  const deps = await realAssistantDeps(stdoutColour(t));
  ask.say(
    's3doctor: let us find out why S3 denied a request. (Ctrl-C leaves; nothing changes without your confirmation.)',
  );
  const outcome = await runAssistantFlow(ask, deps, opts.preset ?? {});
  return outcome.results.every(isExplained) ? 0 : 1;
}

/** `s3doctor` with no arguments: the assistant on a terminal, else the help and exit 2 (nothing to do). */
export async function runStartAssistant(opts: {
  interactive: boolean;
  help: () => string;
}): Promise<ExitCode> {
  if (canPrompt(processTerminal(), opts.interactive)) return runAssistant();
  process.stderr.write(opts.help());
  throw new UsageError(
    'no command given: use s3doctor diagnose INPUT (or run s3doctor on a terminal for the assistant).',
  );
}
