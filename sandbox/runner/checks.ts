/**
 * The host's ledger of one run's check results (check integrity: docs/sandbox.md, "Threat model").
 *
 * A check result is accepted only from the check modules' private instance of the library's check
 * module: every call carries the run's secret check token, which only that instance can import
 * (modules.ts), so attendee code (even when a check calls into it) cannot report, forge or end a
 * check. Results cross as primitives (a string name, a boolean, optional strings): nothing is
 * stringified or read from a guest object, so no guest code runs on the way. A check is begun
 * and ended once; one its module began and never ended (a promise that never settles, a
 * thenable that never calls back) fails when the module has finished, so attendee code cannot
 * make a check vanish. Whether a check is hidden comes from the host's own record of which
 * module began it, never from the guest.
 */
import type { CheckResult } from "../events.js";
import { EMIT_CAPS } from "./emitted.js";
import { GuestError, RunLimitError } from "./errors.js";

/**
 * Kernels only the checks may call (through `checkKernel`, with the token): tfjs's own results
 * and gradients, which would hand an attempt the answer to a "write the gradient" task.
 */
export const CHECK_ONLY_KERNELS: ReadonlySet<string> = new Set(["oracleForward", "oracleGrads"]);

type Primitive = string | number | boolean | undefined;

interface OpenCheck {
  name: string;
  module: string;
  hidden: boolean;
}

/** The message of a check whose module finished while it was still waiting. */
export const UNFINISHED =
  "the check never finished: something it waited for (a promise or a then()) never settled";

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

export class CheckLedger {
  private readonly open = new Map<number, OpenCheck>();
  private started = 0;

  constructor(
    private readonly token: string,
    private readonly deliver: (check: CheckResult) => void,
  ) {}

  /** Starts a check of the module being evaluated; returns its id. */
  begin(token: Primitive, name: Primitive, module: { id: string; hidden: boolean } | undefined): number {
    this.authorise(token);
    if (!module) throw new GuestError("a check can only start while a check module runs", "Error");
    if (typeof name !== "string" || name.length === 0) {
      throw new GuestError("check: the name must be a non-empty string");
    }
    if (++this.started > EMIT_CAPS.checksPerRun) {
      throw new RunLimitError("output", "Output limit exceeded: too many checks.");
    }
    const id = this.started;
    this.open.set(id, { name: cut(name, EMIT_CAPS.nameLength), module: module.id, hidden: module.hidden });
    return id;
  }

  /** Ends check `id` with its outcome. */
  end(token: Primitive, id: Primitive, passed: Primitive, message: Primitive, hint: Primitive): void {
    this.authorise(token);
    const check = typeof id === "number" ? this.open.get(id) : undefined;
    if (!check || typeof passed !== "boolean") throw new GuestError("check: no such open check");
    this.open.delete(id as number);
    const result: CheckResult = { name: check.name, passed };
    if (!passed && typeof message === "string") result.message = cut(message, EMIT_CAPS.textLength);
    if (!passed && typeof hint === "string") result.hint = cut(hint, EMIT_CAPS.textLength);
    if (check.hidden) result.hidden = true;
    this.deliver(result);
  }

  /** Fails every check module `id` began and did not end. */
  failOpen(module: string): void {
    for (const [id, check] of [...this.open]) {
      if (check.module !== module) continue;
      this.open.delete(id);
      this.deliver({
        name: check.name,
        passed: false,
        message: UNFINISHED,
        ...(check.hidden ? { hidden: true } : {}),
      });
    }
  }

  /** Throws unless `token` is the run's check token. */
  authorise(token: Primitive): void {
    if (this.token === "" || token !== this.token) {
      throw new GuestError("only a task's check modules can report checks or ask the tfjs oracle", "Error");
    }
  }
}
