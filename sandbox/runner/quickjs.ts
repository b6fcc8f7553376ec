/**
 * QuickJS for one worker: the WebAssembly module is compiled once; an instance (with its own
 * capped `WebAssembly.Memory`) is reused from run to run and replaced only when a run asks for a
 * different memory cap or when a run may have damaged it (a wasm trap, a host stack overflow
 * inside wasm). Every run still gets a fresh QuickJS runtime and context.
 *
 * The capped memory is what really bounds a run: QuickJS's own memory limit counts only its
 * allocator, while the Memory's `maximum` bounds everything the instance can ever touch.
 */
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";

// The package's types describe its CommonJS build, where the variant is `exports.default`; the
// ESM build (what Node and Vite load) exports it as the default. Accept either.
const variant: QuickJSSyncVariant =
  (releaseSync as unknown as { default?: QuickJSSyncVariant }).default ??
  (releaseSync as unknown as QuickJSSyncVariant);

const PAGE = 65536;
/** What the emscripten build needs at start-up (its INITIAL_MEMORY). */
const INITIAL_BYTES = 16 * 1024 * 1024;

export class QuickJSInstances {
  private current: { module: QuickJSWASMModule; memoryBytes: number } | undefined;

  constructor(private readonly wasm: WebAssembly.Module) {}

  /** An instance whose memory is capped at `memoryBytes` (rounded down to whole pages). */
  async acquire(memoryBytes: number): Promise<QuickJSWASMModule> {
    const pages = Math.max(INITIAL_BYTES / PAGE, Math.floor(memoryBytes / PAGE));
    if (this.current && this.current.memoryBytes === pages * PAGE) return this.current.module;
    this.current = undefined;
    const memory = new WebAssembly.Memory({ initial: INITIAL_BYTES / PAGE, maximum: pages });
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(variant, { wasmModule: this.wasm, wasmMemory: memory, log: () => {} }),
    );
    this.current = { module, memoryBytes: pages * PAGE };
    return module;
  }

  /** Drops the current instance; the next run gets a new one. */
  discard(): void {
    this.current = undefined;
  }
}
