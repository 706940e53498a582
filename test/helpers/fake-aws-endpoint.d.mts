// Types for the fake AWS endpoint test helper (test/helpers/fake-aws-endpoint.mjs).
export declare function startFakeAws(
  world: unknown,
  opts?: { port?: number; latencyMs?: number },
): Promise<unknown>;
