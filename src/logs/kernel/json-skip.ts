// The JSON splitter's kernel (json-skip.wat) behind a small API: walks an element's bytes to where it closes; null where WebAssembly SIMD is unavailable.

import { JSON_SKIP_WASM_BASE64 } from './json-skip-wasm.js';

/** Where {@link JsonSkipKernel.skip} stopped, and the splitter state there. */
export interface SkipResult {
  /** Just after the closing `}` or `]` (depth back at the target), or the end of the bytes. */
  end: number;
  depth: number;
  /** Inside a string at `end` (only when the element did not close). */
  inStr: boolean;
  /** Right after a backslash inside a string at `end`. */
  esc: boolean;
  /** Newlines outside strings in the bytes walked. */
  lines: number;
}

/** The kernel's exports (json-skip.wat). */
interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  depth: { value: number };
  str: { value: number };
  lines: { readonly value: number };
  skip(from: number, to: number, target: number): number;
}

/** The part of the WebAssembly API used here (the Node 20 type definitions do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 64 * 1024;

/** One instance per thread: the bytes of the chunk being split are copied into its memory ({@link load}). */
export class JsonSkipKernel {
  private mem: Uint8Array;

  constructor(private readonly k: KernelExports) {
    this.mem = new Uint8Array(k.memory.buffer);
  }

  /** Copies `chunk` in: what {@link skip} walks, until the next load. */
  load(chunk: Uint8Array): void {
    const need = Math.ceil(chunk.length / PAGE) - this.k.memory.buffer.byteLength / PAGE;
    if (need > 0) {
      this.k.memory.grow(need);
      this.mem = new Uint8Array(this.k.memory.buffer);
    }
    this.mem.set(chunk);
  }

  /** Walks bytes `[from, to)` of the loaded chunk from `depth` (outside strings) until the depth falls back to `target`. */
  skip(from: number, to: number, depth: number, target: number): SkipResult {
    const { k } = this;
    k.depth.value = depth;
    k.str.value = 0;
    const end = k.skip(from, to, target);
    const str = k.str.value;
    return { end, depth: k.depth.value, inStr: str !== 0, esc: str === 2, lines: k.lines.value };
  }
}

let kernel: JsonSkipKernel | null | undefined;

/**
 * The kernel, made once per thread; null without WebAssembly SIMD (`--jitless`, old runtimes) or
 * with `S3DOCTOR_TRIAGE_KERNEL=js` (the splitter then walks the bytes in JavaScript: same results).
 */
export function jsonSkipKernel(): JsonSkipKernel | null {
  if (kernel === undefined) {
    try {
      const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      if (!api || process.env['S3DOCTOR_TRIAGE_KERNEL'] === 'js') throw new Error('no kernel');
      const mod = new api.Module(Buffer.from(JSON_SKIP_WASM_BASE64, 'base64'));
      kernel = new JsonSkipKernel(new api.Instance(mod, {}).exports as KernelExports);
    } catch {
      kernel = null;
    }
  }
  return kernel;
}
