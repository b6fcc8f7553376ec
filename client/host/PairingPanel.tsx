/**
 * The host's pairing panel: auto-pair everyone unpaired (at random, or fastest with slowest on the
 * current task), pair two participants by hand, swap or end each pair, an optional swap reminder,
 * and the pair plan typed or pasted as a name list before the session (with who is still missing).
 * Pairs come from the session doc; the plan is fetched again on `participant` and `pairs` events.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, type PlannedPair } from "../api.js";
import { pairOf, type Pair } from "../../contract/session-doc.js";
import { useSessionEvents } from "./session-events.js";
import { useHostSession } from "./host-session.js";

export interface PairingPanelProps {
  /** Participants by id (the session doc's roster). */
  roster: Map<string, { name: string }>;
  pairs: Map<string, Pair>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function PairingPanel({ roster, pairs }: PairingPanelProps) {
  const { sessionId, hostKey } = useHostSession();
  const [notice, setNotice] = useState<string | null>(null);
  const [swapMinutes, setSwapMinutes] = useState("");
  const [first, setFirst] = useState("");
  const [second, setSecond] = useState("");
  const [planText, setPlanText] = useState("");
  const [plan, setPlan] = useState<PlannedPair[]>([]);

  const refreshPlan = useCallback(
    () =>
      void api.pairPlan(sessionId, hostKey).then(
        ({ pairs }) => setPlan(pairs),
        () => undefined,
      ),
    [sessionId, hostKey],
  );
  useEffect(refreshPlan, [refreshPlan]);
  useSessionEvents(sessionId, hostKey, ["participant", "pairs"], refreshPlan);

  const name = (id: string) => roster.get(id)?.name ?? "(unknown)";
  const swapEvery = Number.parseInt(swapMinutes, 10) > 0 ? Number.parseInt(swapMinutes, 10) : null;
  const unpaired = [...roster.entries()]
    .filter(([id]) => !pairOf(pairs, id))
    .sort((a, b) => a[1].name.localeCompare(b[1].name, undefined, { sensitivity: "base" }));

  const auto = (mode: "random" | "mixed") =>
    api.autoPair(sessionId, hostKey, mode, swapEvery).then(
      (result) => {
        const made = `${result.pairs.length} ${result.pairs.length === 1 ? "pair" : "pairs"} made`;
        setNotice(result.solo ? `${made}; ${result.solo.name} stays solo.` : `${made}.`);
      },
      (error: unknown) => setNotice(message(error)),
    );
  const pairChosen = () => {
    if (!first || !second) return;
    api.pair(sessionId, hostKey, [first, second], swapEvery).then(
      (pair) => {
        setNotice(`${pair.names[0]} and ${pair.names[1]} are paired.`);
        setFirst("");
        setSecond("");
      },
      (error: unknown) => setNotice(message(error)),
    );
  };
  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => setNotice(done),
      (error: unknown) => setNotice(message(error)),
    );
  const savePlan = () =>
    api.setPairPlan(sessionId, hostKey, planText).then(
      ({ pairs }) => {
        setPlan(pairs);
        setNotice("Pair plan saved.");
      },
      (error: unknown) => setNotice(message(error)),
    );

  return (
    <section class="pairing-panel" aria-label="Pairing">
      <h2>Pairing</h2>
      <label class="inline">
        Remind pairs to swap every
        <input
          type="number"
          min={1}
          max={240}
          placeholder="off"
          value={swapMinutes}
          onInput={(e) => setSwapMinutes(e.currentTarget.value)}
        />
        min
      </label>
      <div class="pair-actions">
        <button type="button" onClick={() => void auto("random")}>
          Auto-pair at random
        </button>
        <button type="button" onClick={() => void auto("mixed")}>
          Auto-pair fast with slow
        </button>
      </div>
      <fieldset class="manual-pair">
        <legend>Pair two participants</legend>
        <select aria-label="First partner" value={first} onChange={(e) => setFirst(e.currentTarget.value)}>
          <option value="">(choose)</option>
          {unpaired.map(([id, p]) => (
            <option key={id} value={id}>
              {p.name}
            </option>
          ))}
        </select>
        <select aria-label="Second partner" value={second} onChange={(e) => setSecond(e.currentTarget.value)}>
          <option value="">(choose)</option>
          {unpaired
            .filter(([id]) => id !== first)
            .map(([id, p]) => (
              <option key={id} value={id}>
                {p.name}
              </option>
            ))}
        </select>
        <button type="button" onClick={pairChosen} disabled={!first || !second || first === second}>
          Pair
        </button>
      </fieldset>
      {notice && <p role="status">{notice}</p>}
      <h3>Pairs ({pairs.size})</h3>
      {pairs.size === 0 && <p class="muted">Nobody is paired.</p>}
      <ul class="pair-list">
        {[...pairs.values()].map((pair) => {
          const [a, b] = pair.members.map(name) as [string, string];
          return (
            <li key={pair.workspaceId} data-pair={pair.workspaceId}>
              <span class="pair-names">
                {name(pair.driver)} <span class="muted">drives,</span>{" "}
                {pair.driver === pair.members[0] ? b : a} <span class="muted">navigates</span>
              </span>{" "}
              <button
                type="button"
                aria-label={`Swap roles of ${a} and ${b}`}
                onClick={() =>
                  void act(api.swapRoles(sessionId, hostKey, pair.workspaceId), "Roles swapped.")
                }
              >
                Swap
              </button>
              <button
                type="button"
                aria-label={`Unpair ${a} and ${b}`}
                onClick={() =>
                  void act(
                    api.unpair(sessionId, hostKey, pair.workspaceId),
                    `${a} and ${b} are unpaired; each keeps a copy of the code.`,
                  )
                }
              >
                Unpair
              </button>
            </li>
          );
        })}
      </ul>
      <h3>Pair plan</h3>
      <label>
        Pairs to make as people join: one pair per line, names separated by a comma, "&amp;", a tab or "and"
        <textarea
          rows={4}
          value={planText}
          placeholder={"Ada, Grace\nAlan & Édouard"}
          onInput={(e) => setPlanText(e.currentTarget.value)}
        />
      </label>
      <button type="button" onClick={() => void savePlan()}>
        Save plan
      </button>
      {plan.length > 0 && (
        <ul class="pair-plan">
          {plan.map((p) => (
            <li key={p.names.join("\u0000")} data-plan-status={p.status}>
              {p.names[0]} &amp; {p.names[1]}:{" "}
              {p.status === "paired"
                ? "paired"
                : p.status === "taken"
                  ? "both here, but one is paired with someone else"
                  : `waiting for ${p.missing.join(" and ")}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
