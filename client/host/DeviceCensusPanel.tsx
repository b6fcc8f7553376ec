/**
 * The host's Devices panel: the class capability map (rooms per backend, SIMD, threads, isolation)
 * and who is slow, from the device census in each room's latest run report (client/host/census.ts).
 */
import { useMemo } from "preact/hooks";
import { classCensus, SLOW_FACTOR } from "./census.js";
import type { RunHistory } from "./progress.js";

export function DeviceCensusPanel({
  histories,
  names,
}: {
  histories: ReadonlyMap<string, RunHistory>;
  names: ReadonlyMap<string, string>;
}) {
  const census = useMemo(() => classCensus(histories, names), [histories, names]);
  return (
    <section class="device-census" aria-label="Devices">
      <h2>Devices</h2>
      {census.groups.length === 0 ? (
        <p>No room has run code yet.</p>
      ) : (
        <ul class="capabilities">
          {census.groups.map((g) => (
            <li key={g.label}>
              {g.count} × {g.label}
            </li>
          ))}
          {census.unknown > 0 && <li>{census.unknown} × not reported yet</li>}
        </ul>
      )}
      {census.medianMsPerStep !== undefined && (
        <p>
          Training speed: median {census.medianMsPerStep} ms per step
          {census.slow.length > 0 ? `; ${SLOW_FACTOR}× slower or more:` : "; nobody far behind."}
        </p>
      )}
      {census.slow.length > 0 && (
        <ul class="slow-rooms">
          {census.slow.map((s) => (
            <li key={s.participantId}>
              {s.name}: {s.msPerStep} ms per step ({s.times}×)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
