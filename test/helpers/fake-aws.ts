// Typed wrapper around test/helpers/fake-aws-endpoint.mjs for the live collector tests: starts the
// fake on 127.0.0.1 and gives the client options that point every SDK client at it.

import { startFakeAws } from './fake-aws-endpoint.mjs';
import type { ClientOptionsByService } from '../../src/evidence/live/index.js';

/** One call the fake answered. */
export interface FakeCall {
  service: string;
  op: string;
  account: string;
  region: string;
}

/** A running fake endpoint. */
export interface FakeAws {
  url: string;
  calls: FakeCall[];
  /** `maxInFlight`: the most requests the fake held at once. */
  stats: { inFlight: number; maxInFlight: number };
  close(): Promise<void>;
  /** Client options for `collectEvidence(..., { clientOptions })`. */
  clientOptions(extra?: Record<string, unknown>): ClientOptionsByService;
  /** `service:op` of every call, sorted (for assertions). */
  ops(): string[];
}

/** The fake's world: see the header of fake-aws-endpoint.mjs. */
export type FakeWorld = Record<string, unknown> & {
  caller: { userId: string; account: string; arn: string };
};

/** Starts the fake; `latencyMs` delays every answer. */
export async function startFake(world: FakeWorld, opts: { latencyMs?: number } = {}): Promise<FakeAws> {
  const fake = (await startFakeAws(world, opts)) as {
    url: string;
    calls: FakeCall[];
    stats: { inFlight: number; maxInFlight: number };
    close(): Promise<void>;
    endpointProvider: () => { url: URL };
  };
  return {
    url: fake.url,
    calls: fake.calls,
    stats: fake.stats,
    close: () => fake.close(),
    ops: () => fake.calls.map((c) => `${c.service}:${c.op}`).sort(),
    clientOptions: (extra = {}) => ({
      all: {
        endpoint: fake.url,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
        maxAttempts: 1,
        ...extra,
      },
      s3: { forcePathStyle: true },
      s3control: { endpointProvider: fake.endpointProvider },
    }),
  };
}
