/**
 * Runs one {@link RunRequest} inside a worker: a fresh QuickJS runtime and context, the bridge,
 * the prelude, the attendee's module, then the check modules, all under the run's limits, with
 * every event handed to `send` as it happens and exactly one `done` event at the end.
 *
 * The engine is host-agnostic: the Node and browser workers only differ in how they obtain the
 * compiled QuickJS module and how they post messages.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import type { RunError, RunEvent, RunLimits, RunRequest } from "../events.js";
import type { HostLibrary } from "../kernel/types.js";
import { GuestBridge, type BridgeRun } from "./bridge.js";
import { guestError, limitError, RunLimitError } from "./errors.js";
import { resolveLimits } from "./limits.js";
import {
  ImportDenied,
  loadTypeStripper,
  ModuleGraph,
  needsTypeStripping,
  type StripTypes,
  type UserModule,
} from "./modules.js";
import { LOCKDOWN_MODULE, LOCKDOWN_SOURCE, newGuestError } from "./lockdown.js";
import { OutputBudget } from "./output.js";
import { CONSOLE_SINK, PRELUDE_SOURCE } from "./prelude.js";
import { QuickJSInstances } from "./quickjs.js";
import { TensorTable } from "./tensors.js";

/** Largest module source accepted, in characters. */
export const MAX_SOURCE_CHARS = 1024 * 1024;
/** Memory kept back from QuickJS's own limit for the host's allocations inside the instance. */
const HOST_RESERVE_BYTES = 8 * 1024 * 1024;
/** Promise jobs executed per slice, between checks of the module's state. */
const JOB_SLICE = 1000;

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "t"> : never) : never;

export interface EngineOptions {
  library: HostLibrary;
  /** The compiled QuickJS WebAssembly module (compiled once per worker). */
  wasm: WebAssembly.Module;
  /** The largest QuickJS stack this worker's own stack can hold safely. */
  maxStackBytes: number;
}

/** A guest failure that ends the run with this error. */
class RunFailure extends Error {
  constructor(readonly error: RunError) {
    super(error.message);
  }
}

/** What the worker needs to know about the run that just ended, before it reports `done`. */
export interface RunAftermath {
  /** Tensors the run created: a run that made none left nothing in the tensor backend. */
  tensorsCreated: number;
  /** The scratch operation that failed inside the tensor backend, if one did. */
  failedKernel: string | undefined;
}

export class Engine {
  private readonly instances: QuickJSInstances;
  private stripTypes: StripTypes | undefined;
  /** Set when a run's execution ends, before its `done` event is sent. */
  aftermath: RunAftermath = { tensorsCreated: 0, failedKernel: undefined };

  private constructor(private readonly options: EngineOptions) {
    this.instances = new QuickJSInstances(options.wasm);
  }

  /** Initialises the library (once per worker) and warms up a QuickJS instance. */
  static async create(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    await Promise.all([
      options.library.init?.(),
      engine.instances.acquire(resolveLimits(undefined).memoryBytes),
    ]);
    return engine;
  }

  async run(request: RunRequest, send: (event: RunEvent) => void, stop?: Int32Array): Promise<void> {
    this.aftermath = { tensorsCreated: 0, failedKernel: undefined };
    const start = performance.now();
    const t = () => Math.round((performance.now() - start) * 10) / 10;
    let error: RunError | undefined;
    try {
      await this.execute(request, start, (e) => send({ ...e, t: t() } as RunEvent), stop);
    } catch (err) {
      error =
        err instanceof RunFailure
          ? err.error
          : { kind: "internal", message: "The sandbox failed unexpectedly." };
    }
    const durationMs = Math.round((performance.now() - start) * 10) / 10;
    send(
      error
        ? { type: "done", status: "error", error, durationMs, t: t() }
        : { type: "done", status: "ok", durationMs, t: t() },
    );
  }

  private async execute(
    request: RunRequest,
    start: number,
    emit: (event: EventBody) => void,
    stop: Int32Array | undefined,
  ): Promise<void> {
    const limits = resolveLimits(request.limits, this.options.maxStackBytes);
    if (typeof request.source !== "string" || request.source.length > MAX_SOURCE_CHARS) {
      throw new RunFailure({ kind: "internal", message: "The program is missing or too large." });
    }
    for (const check of request.checks ?? []) {
      if (typeof check.source !== "string" || check.source.length > MAX_SOURCE_CHARS) {
        throw new RunFailure({ kind: "internal", message: "A check module is missing or too large." });
      }
    }
    let graph: ModuleGraph;
    try {
      if (needsTypeStripping(request)) this.stripTypes ??= await loadTypeStripper();
      graph = new ModuleGraph(this.options.library, request, this.stripTypes, checkToken());
    } catch (err) {
      throw new RunFailure(typeScriptError(err, request.filename ?? "main.ts"));
    }
    const qjs = await this.instances.acquire(limits.memoryBytes);
    const run = new Run(this.options.library, graph, limits, request.seed, start, emit, stop);
    let damaged = false;
    try {
      run.open(qjs.newRuntime());
      run.lockdown();
      run.evaluate(graph.attendee);
      for (const check of graph.checks) run.evaluate(check);
    } catch (err) {
      if (err instanceof RunFailure) throw err;
      // An exception from QuickJS itself (not the guest): a V8 stack overflow inside wasm, a
      // trap. The instance may be inconsistent, so it is thrown away.
      damaged = true;
      throw new RunFailure(crashError(err));
    } finally {
      damaged = run.close() || damaged || run.poisoned;
      if (damaged || run.error?.limit === "memory") this.instances.discard();
      this.aftermath = { tensorsCreated: run.tensors.created, failedKernel: run.failedKernel };
    }
    if (run.error) throw new RunFailure(run.hiddenError ? { ...run.error, inHiddenCheck: true } : run.error);
  }
}

/** A fresh secret for one run: only the check modules' instance of the check library learns it. */
function checkToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function typeScriptError(err: unknown, module: string): RunError {
  const message = err instanceof Error ? err.message : String(err);
  const m = /\((\d+):(\d+)\)/.exec(message);
  const error: RunError = { kind: "syntax", message: `SyntaxError: ${message.slice(0, 500)}`, module };
  if (m) {
    error.line = Number(m[1]);
    error.column = Number(m[2]);
  }
  return error;
}

function crashError(err: unknown): RunError {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return limitError("stack");
  if (err instanceof Error && /memory|OOM|enlarge/i.test(err.message)) return limitError("memory");
  if (process.env.SANDBOX_DEBUG) console.error("sandbox crash", err);
  return { kind: "internal", message: "The sandbox crashed; the next run gets a fresh one." };
}

/** The state of one run inside its QuickJS context. */
class Run implements BridgeRun {
  ctx!: QuickJSContext;
  private rt!: QuickJSRuntime;
  private bridge: GuestBridge | undefined;
  readonly tensors: TensorTable;
  readonly maxDataBytes: number;
  private readonly output: OutputBudget;
  private readonly deadline: number;
  private jobs = 0;
  /** The error that ends the run, decided by the host (a limit, a stop). */
  private fatal: RunError | undefined;
  /** The first guest error, when nothing fatal happened. */
  private failure: RunError | undefined;
  poisoned = false;
  /** Whether the run's error arose while a hidden check module ran. */
  hiddenError = false;
  currentCheck: { id: string; hidden: boolean } | undefined;

  constructor(
    readonly library: HostLibrary,
    readonly graph: ModuleGraph,
    private readonly limits: RunLimits,
    readonly seed: number | undefined,
    start: number,
    private readonly emit: (event: EventBody) => void,
    private readonly stop: Int32Array | undefined,
  ) {
    this.tensors = new TensorTable(limits.tensorCount, limits.tensorBytes, library.heapBytes?.bind(library));
    this.maxDataBytes = limits.tensorBytes;
    this.output = new OutputBudget(limits.outputBytes);
    this.deadline = start + limits.timeoutMs;
    if (seed !== undefined && (typeof seed !== "number" || !Number.isFinite(seed))) this.seed = undefined;
  }

  get error(): RunError | undefined {
    return this.fatal ?? this.failure;
  }

  open(rt: QuickJSRuntime): void {
    this.rt = rt;
    rt.setMemoryLimit(Math.max(16 * 1024 * 1024, this.limits.memoryBytes - HOST_RESERVE_BYTES));
    rt.setMaxStackSize(this.limits.stackBytes);
    rt.setInterruptHandler(() => this.shouldInterrupt());
    rt.setModuleLoader(
      (id) => {
        try {
          return this.graph.load(id);
        } catch (err) {
          return { error: err instanceof Error ? err : new Error("module not found") };
        }
      },
      (base, requested) => {
        try {
          return this.graph.resolve(base, requested);
        } catch (err) {
          return { error: err instanceof ImportDenied ? err : new Error("module not found") };
        }
      },
    );
    const ctx = rt.newContext();
    this.ctx = ctx;
    this.bridge = new GuestBridge(this);
    this.bridge.install();
    const sink = ctx.newFunction(CONSOLE_SINK, (level, text) => this.consoleLine(level, text));
    ctx.setProp(ctx.global, CONSOLE_SINK, sink);
    sink.dispose();
    ctx.unwrapResult(ctx.evalCode(PRELUDE_SOURCE, "<prelude>")).dispose();
  }

  /**
   * Freezes the realm's intrinsics and the library's exports before attendee code runs. A failure
   * here is the sandbox's own (a limit aside), never the attendee's.
   */
  lockdown(): void {
    const { ctx } = this;
    ctx.unwrapResult(ctx.evalCode(LOCKDOWN_SOURCE, "<lockdown>")).dispose();
    this.evaluate({ id: LOCKDOWN_MODULE, source: this.graph.load(LOCKDOWN_MODULE) });
    if (this.failure) {
      // The library's own error (never attendee text: no attendee code has run yet).
      this.failure = {
        kind: "internal",
        message: `The sandbox could not prepare the run: ${this.failure.message.slice(0, 300)}`,
      };
    }
  }

  private consoleLine(
    level: QuickJSHandle | undefined,
    text: QuickJSHandle | undefined,
  ): QuickJSHandle | { error: QuickJSHandle } | void {
    const { ctx } = this;
    if (!level || !text || ctx.typeof(level) !== "string" || ctx.typeof(text) !== "string") return;
    const name = ctx.getString(level);
    if (name !== "log" && name !== "info" && name !== "warn" && name !== "error") return;
    const line = ctx.getString(text);
    try {
      this.checkDeadline();
      this.deliver({ type: "console", level: name, text: line }, utf8Length(line));
    } catch (err) {
      if (!(err instanceof RunLimitError)) throw err;
      this.fail(err);
      return { error: newGuestError(ctx, "InternalError", err.message) };
    }
  }

  deliver(event: EventBody, bytes: number): void {
    if (event.type === "console") this.output.charge(bytes);
    else this.output.tick();
    this.emit(event);
  }

  checkDeadline(): void {
    if (this.fatal) throw new RunLimitError(this.fatal.limit ?? "time", this.fatal.message);
    if (this.stop && Atomics.load(this.stop, 0) !== 0) {
      this.fatal = { kind: "runtime", message: "Run stopped." };
      throw new RunLimitError("time", this.fatal.message);
    }
    if (performance.now() > this.deadline) throw new RunLimitError("time", limitError("time").message);
  }

  fail(error: RunLimitError): void {
    this.fatal ??= limitError(error.limit, error.message);
  }

  poison(): void {
    this.poisoned = true;
  }

  /** The scratch operation that failed inside the tensor backend, if any. */
  failedKernel: string | undefined;

  kernelFailed(op: string): void {
    this.failedKernel ??= op;
    this.fatal ??= {
      kind: "internal",
      message: `${op} failed inside the tensor backend; the run was stopped and the backend replaced.`,
    };
  }

  private shouldInterrupt(): boolean {
    if (this.fatal) return true;
    if (this.stop && Atomics.load(this.stop, 0) !== 0) {
      this.fatal = { kind: "runtime", message: "Run stopped." };
      return true;
    }
    if (performance.now() > this.deadline) {
      this.fatal = limitError("time");
      return true;
    }
    return false;
  }

  /** Evaluates one user module and everything it awaits; records the first failure. */
  evaluate(module: UserModule): void {
    if (this.error) return;
    try {
      this.evaluateModule(module);
    } finally {
      if (module.check?.hidden === true && this.error) this.hiddenError = true;
    }
  }

  private evaluateModule(module: UserModule): void {
    const { ctx } = this;
    this.currentCheck = module.check ? { id: module.id, hidden: module.check.hidden === true } : undefined;
    try {
      const result = ctx.evalCode(module.source, module.id, { type: "module" });
      if (result.error) {
        this.recordGuestError(result.error, module);
        return;
      }
      const promise = result.value;
      try {
        this.settle(promise, module);
      } finally {
        promise.dispose();
      }
      // Every job has run: a check of this module still open now can never end.
      if (module.check && !this.error) this.bridge?.failOpenChecks(module.id);
    } finally {
      this.currentCheck = undefined;
    }
  }

  /** Drives the job queue until the module's promise settles, within the job budget. */
  private settle(promise: QuickJSHandle, module: UserModule): void {
    const { ctx, rt } = this;
    for (;;) {
      if (this.fatal) return;
      const state = ctx.getPromiseState(promise);
      if (state.type === "rejected") {
        this.recordGuestError(state.error, module);
        return;
      }
      if (state.type === "fulfilled") {
        // For a module without top-level await, QuickJS hands back the value itself.
        if (!state.notAPromise && state.value !== promise) state.value.dispose();
        // Let promises the module left behind finish too (their output belongs to this run).
        if (!rt.hasPendingJob()) return;
      } else if (!rt.hasPendingJob()) {
        this.failure = {
          kind: "runtime",
          message: "The module is waiting for a promise that can never settle.",
          module: module.id,
        };
        return;
      }
      const budget = this.limits.maxPendingJobs - this.jobs;
      if (budget <= 0) {
        this.fatal = limitError(
          "jobs",
          `Promise job limit exceeded: more than ${this.limits.maxPendingJobs} promise jobs.`,
        );
        return;
      }
      const executed = rt.executePendingJobs(Math.min(budget, JOB_SLICE));
      if (executed.error) {
        this.recordGuestError(executed.error, module);
        return;
      }
      this.jobs += executed.value;
      if (state.type === "fulfilled" && executed.value === 0) return;
    }
  }

  private recordGuestError(handle: QuickJSHandle, module: UserModule): void {
    let dumped: unknown;
    try {
      dumped = this.ctx.dump(handle);
    } catch {
      dumped = undefined;
    } finally {
      handle.dispose();
    }
    if (this.failure) return;
    if (this.fatal) {
      // Say where a limit struck inside the attendee's code. Not for time: QuickJS reports an
      // interrupted loop at the last line it compiled debug info for, which misleads.
      const where = guestError(dumped, this.graph.userIds);
      const located = where.line !== undefined && this.graph.userIds.has(where.module ?? "");
      if (
        this.fatal.kind === "limit" &&
        this.fatal.limit !== "time" &&
        this.fatal.line === undefined &&
        located
      ) {
        this.fatal = { ...this.fatal, module: where.module, line: where.line, column: where.column };
      }
      return;
    }
    // QuickJS throws `null` when it cannot even allocate the error object.
    if (dumped === null && this.nearMemoryLimit()) {
      this.fatal = limitError("memory");
      return;
    }
    const error = guestError(dumped, this.graph.userIds);
    const denied = this.graph.denied.find((spec) => error.message.includes(`"${spec}"`));
    if (denied !== undefined || /^SyntaxError: Could not find export/.test(error.message)) {
      error.kind = "import";
      error.module ??= module.id;
    }
    if (error.kind === "limit") this.fatal = error;
    else this.failure = { ...error, module: error.module ?? module.id };
  }

  /** Whether the guest heap is (nearly) full, judged by QuickJS's own accounting. */
  private nearMemoryLimit(): boolean {
    try {
      const handle = this.rt.computeMemoryUsage();
      let usage: { malloc_size?: unknown } | null;
      try {
        usage = this.ctx.dump(handle) as { malloc_size?: unknown } | null;
      } finally {
        handle.dispose();
      }
      const used = typeof usage?.malloc_size === "number" ? usage.malloc_size : 0;
      return used > 0.8 * (this.limits.memoryBytes - HOST_RESERVE_BYTES);
    } catch {
      return true;
    }
  }

  /** Frees everything; returns true when QuickJS could not be torn down cleanly. */
  close(): boolean {
    this.tensors.clear();
    if (!this.rt) return false;
    try {
      this.bridge?.dispose();
      this.ctx?.dispose();
      this.rt.dispose();
      return false;
    } catch {
      return true;
    }
  }
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 2 : 3;
  }
  return bytes;
}
