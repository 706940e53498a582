// The read buffer of a triage range scan and the search over it for ` 400 `/` 403 `: the WebAssembly kernel, or plain JavaScript.

import { STATUS_SCAN_WASM_BASE64 } from './status-scan-wasm.js';

/**
 * A buffer to read an access log into, and a search over it for the places a denial's status can
 * be. Every S3 denial has HTTP status 400 or 403, so a line holding neither ` 400 ` nor ` 403 ` is
 * not one; lines with a match are parsed, the rest are only counted.
 */
export interface StatusScanner {
  /** `wasm`: the SIMD kernel of status-scan.wat; `js`: `Buffer.indexOf`, where WebAssembly is unavailable. */
  readonly kind: 'wasm' | 'js';
  /** The read buffer. Fetch it again after {@link reserve}: growing may move it. */
  readonly buffer: Buffer;
  /** Grows {@link buffer} to at least `bytes`, keeping its contents. */
  reserve(bytes: number): void;
  /**
   * Calls `hit(pos, newlinesBefore)`, in order, for every `pos` in `[from, to - 5]` where
   * `buffer[pos..pos+4]` is ` 400 ` or ` 403 `; `newlinesBefore` counts newlines in `[from, pos)`.
   * Returns the newlines in `[from, to)`.
   */
  scan(from: number, to: number, hit: (pos: number, newlinesBefore: number) => void): number;
}

/** Which scanner {@link createStatusScanner} makes: `S3DOCTOR_TRIAGE_KERNEL=js` forces plain JavaScript. */
export type ScannerChoice = 'auto' | 'wasm' | 'js';

/** The kernel's exports (status-scan.wat). */
interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  lines: { readonly value: number };
  resume: { readonly value: number };
  scan(from: number, to: number, out: number, cap: number): number;
}

/** The part of the WebAssembly API used here (the Node 20 type definitions do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
/** A compiled WebAssembly module. */
type WasmModule = object;
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Matches the kernel reports per call; more are fetched by calling again from where it stopped. */
const CAP = 8192;
/** Where the read buffer starts in the kernel's memory: after the (pos, newlines) pairs. */
const IN = 64 * 1024;
const PAGE = 64 * 1024;

let compiled: WasmModule | null | undefined;

/** The kernel, compiled once per thread; `null` when this runtime cannot (no WebAssembly or SIMD, `--jitless`). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      if (!wasmApi) throw new Error('no WebAssembly');
      compiled = new wasmApi.Module(Buffer.from(STATUS_SCAN_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

class WasmStatusScanner implements StatusScanner {
  readonly kind = 'wasm';
  buffer: Buffer;
  private pairs: Uint32Array;
  private readonly k: KernelExports;

  constructor(module: WasmModule, bytes: number) {
    this.k = new wasmApi!.Instance(module, {}).exports as unknown as KernelExports;
    this.grow(bytes);
    this.buffer = Buffer.from(this.k.memory.buffer, IN, bytes);
    this.pairs = new Uint32Array(this.k.memory.buffer, 0, 2 * CAP);
  }

  private grow(bytes: number): void {
    const need = Math.ceil((IN + bytes) / PAGE) - this.k.memory.buffer.byteLength / PAGE;
    if (need > 0) this.k.memory.grow(need);
  }

  reserve(bytes: number): void {
    if (bytes <= this.buffer.length) return;
    this.grow(bytes);
    this.buffer = Buffer.from(this.k.memory.buffer, IN, bytes);
    this.pairs = new Uint32Array(this.k.memory.buffer, 0, 2 * CAP);
  }

  scan(from: number, to: number, hit: (pos: number, newlinesBefore: number) => void): number {
    const { k, pairs } = this;
    let lines = 0;
    let at = from;
    for (;;) {
      const n = k.scan(IN + at, IN + to, 0, CAP);
      for (let i = 0; i < n; i++) hit(pairs[2 * i]! - IN, lines + pairs[2 * i + 1]!);
      lines += k.lines.value;
      at = k.resume.value - IN;
      if (n < CAP || at >= to) return lines;
    }
  }
}

const P40 = Buffer.from(' 40');

class JsStatusScanner implements StatusScanner {
  readonly kind = 'js';
  buffer: Buffer;

  constructor(bytes: number) {
    this.buffer = Buffer.allocUnsafe(bytes);
  }

  reserve(bytes: number): void {
    if (bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(bytes);
    this.buffer.copy(bigger);
    this.buffer = bigger;
  }

  scan(from: number, to: number, hit: (pos: number, newlinesBefore: number) => void): number {
    const b = this.buffer.subarray(0, to);
    let lines = 0;
    let counted = from; // newlines in [from, counted) are in `lines`
    const countTo = (end: number): void => {
      for (let q = b.indexOf(10, counted); q >= 0 && q < end; q = b.indexOf(10, q + 1)) lines++;
      counted = end;
    };
    for (let p = b.indexOf(P40, from); p >= 0 && p + 5 <= to; p = b.indexOf(P40, p + 1)) {
      const c = b[p + 3];
      if ((c === 48 || c === 51) && b[p + 4] === 32) {
        countTo(p);
        hit(p, lines);
      }
    }
    countTo(to);
    return lines;
  }
}

/**
 * A scanner with a read buffer of `bytes`: the WebAssembly kernel where the runtime has it, else
 * plain JavaScript (same results, slower). `choice` defaults to `S3DOCTOR_TRIAGE_KERNEL` or `auto`.
 */
export function createStatusScanner(
  bytes: number,
  choice: ScannerChoice = (process.env['S3DOCTOR_TRIAGE_KERNEL'] as ScannerChoice | undefined) ?? 'auto',
): StatusScanner {
  if (choice !== 'js') {
    const m = kernelModule();
    if (m) return new WasmStatusScanner(m, bytes);
    if (choice === 'wasm')
      throw new Error('The WebAssembly scan kernel cannot run here (WebAssembly SIMD is unavailable).');
  }
  return new JsStatusScanner(bytes);
}
