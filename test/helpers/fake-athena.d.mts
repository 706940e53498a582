// Types of the fake Athena endpoint helper.
export function startFakeAthena(opts: {
  rows: (string | null)[][];
  pageSize?: number;
  runningPolls?: number;
  finalState?: string;
  reason?: string;
}): Promise<{
  url: string;
  calls: { target: string; input: Record<string, unknown> }[];
  close(): Promise<void>;
}>;
