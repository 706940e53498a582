// What the s3doctor binary (main.ts) runs: turns on Node's module compile cache, then runs cli.ts. The build
// (scripts/bundle-cli.mjs) bundles it as dist/src/cli/main.js.

import module from 'node:module';

// Node 22.1+ keeps the V8 code of the modules it compiles in its default cache folder under the OS temp dir
// (NODE_COMPILE_CACHE names another, NODE_DISABLE_COMPILE_CACHE=1 turns it off): a later start skips most of the
// compile work. Node 20 has no such function; it then compiles every start, as before. Called before cli.ts
// loads so that its modules are cached too.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main } = await import('./cli.js');
await main(process.argv);
