/**
 * Named metric series (loss, accuracy…): each `log` emits a `metric` event the host dashboard and
 * the run report collect.
 *
 * @example metrics.log("loss", loss.item())
 */
import { host } from "scratch/_host";
import { Tensor } from "scratch/tensor";

const steps = new Map();

/** Records `value` (a number or one-element tensor) under `name`; `step` defaults to 0, 1, 2… */
export function log(name, value, step) {
  const v = value instanceof Tensor ? value.item() : Number(value);
  const s = step ?? steps.get(name) ?? 0;
  steps.set(name, s + 1);
  // JSON has no NaN or Infinity: those go by name (sandbox/runner/emitted.ts).
  host.emit("metric", { name: String(name), step: s, value: Number.isFinite(v) ? v : String(v) });
}
