/**
 * The room's pairing line: who the attendee pairs with, whether they drive (type) or navigate
 * (review, suggest), and, when the host set a swap interval, a reminder once it has elapsed.
 */
import { useNow } from "../common/components.js";
import { pairOf, swapDue, type Pair } from "../../contract/session-doc.js";

export interface PairStatusProps {
  participantId: string;
  pairs: Map<string, Pair>;
  /** Display names by participant id (the session doc's roster). */
  names: Map<string, { name: string }>;
}

export function PairStatus({ participantId, pairs, names }: PairStatusProps) {
  const now = useNow(5000);
  const pair = pairOf(pairs, participantId);
  if (!pair) return null;
  const partnerId = pair.members[0] === participantId ? pair.members[1] : pair.members[0];
  const partner = names.get(partnerId)?.name ?? "your partner";
  const driving = pair.driver === participantId;
  return (
    <div class="pair-status" role="status" data-role={driving ? "driver" : "navigator"}>
      <span>
        Pairing with <strong class="partner">{partner}</strong>
      </span>
      <span class={driving ? "badge role-badge driver" : "badge role-badge navigator"}>
        {driving ? "you drive" : "you navigate"}
      </span>
      {swapDue(pair, now) && <strong class="swap-reminder">Time to swap roles</strong>}
    </div>
  );
}
