/**
 * The join page (`/join/<CODE>`): the code prefilled from the link, a name, Join. A browser that
 * already holds a valid seat for the code goes straight back to its room and workspace. When the
 * name was taken the server seats the attendee under a suffixed one ("Ada (2)"); the page says so
 * before going on to the room.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, joinErrorMessage } from "./api.js";
import { forgetSeat, markSeatFresh, saveSeat, seatForCode } from "./common/seat.js";
import { navigate } from "./navigate.js";
import { MAX_NAME_LENGTH } from "../contract/api.js";

/** Join codes are typed by people: ignore case, spaces and dashes. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, "");
}

export function JoinPage({ code: initialCode, expired }: { code: string; expired: boolean }) {
  const [code, setCode] = useState(normaliseCode(initialCode));
  const [name, setName] = useState("");
  const [message, setMessage] = useState<string | null>(
    expired ? "Your seat in this session has expired. Join again to continue." : null,
  );
  const [busy, setBusy] = useState(false);
  /** Seated under another name than typed: the room to go on to, and the two names. */
  const [renamed, setRenamed] = useState<{ sessionId: string; typed: string; seated: string } | null>(null);
  const [checking, setChecking] = useState(() =>
    Boolean(initialCode && seatForCode(localStorage, normaliseCode(initialCode))),
  );

  // Fetch the room while the attendee types their name: joining then opens the editor at once.
  useEffect(() => void import("./room/Room.js").catch(() => undefined), []);

  useEffect(() => {
    if (!checking) return;
    const seat = seatForCode(localStorage, normaliseCode(initialCode))!;
    setName(seat.name);
    api.me(seat.sessionId, seat.token).then(
      () => navigate(`/room/${encodeURIComponent(seat.sessionId)}`, { replace: true }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status !== 0) forgetSeat(localStorage, seat.sessionId);
        setChecking(false);
        setMessage("Your earlier seat has expired. Join again to continue.");
      },
    );
  }, [checking, initialCode]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const joinCode = normaliseCode(code);
    const trimmed = name.trim();
    if (!joinCode) return setMessage("Enter the code the host gave you.");
    if (!trimmed) return setMessage("Enter your name.");
    setBusy(true);
    setMessage(null);
    try {
      const seat = await api.join(joinCode, trimmed);
      saveSeat(localStorage, { ...seat, joinCode });
      markSeatFresh(seat.sessionId);
      if (seat.name !== trimmed) {
        setRenamed({ sessionId: seat.sessionId, typed: trimmed, seated: seat.name });
        return;
      }
      navigate(`/room/${encodeURIComponent(seat.sessionId)}`);
    } catch (error) {
      setMessage(joinErrorMessage(error));
      setBusy(false);
    }
  };

  if (renamed)
    return (
      <main class="page narrow">
        <h1>Join a Scratchroom session</h1>
        <p role="status" class="renamed">
          Someone here is already called “{renamed.typed}”, so you joined as <strong>{renamed.seated}</strong>
          .
        </p>
        <button
          type="button"
          class="primary"
          autoFocus
          onClick={() => navigate(`/room/${encodeURIComponent(renamed.sessionId)}`)}
        >
          Continue to the room
        </button>
      </main>
    );
  if (checking)
    return (
      <main class="page narrow">
        <p role="status">Taking you back to your seat…</p>
      </main>
    );
  return (
    <main class="page narrow">
      <h1>Join a Scratchroom session</h1>
      <form class="join-form" onSubmit={submit} noValidate>
        <label>
          Code
          <input
            name="code"
            value={code}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={16}
            onInput={(e) => setCode(e.currentTarget.value)}
            required
          />
        </label>
        <label>
          Name
          <input
            name="name"
            value={name}
            autoComplete="nickname"
            maxLength={MAX_NAME_LENGTH}
            onInput={(e) => setName(e.currentTarget.value)}
            autoFocus={Boolean(code)}
            required
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Join
        </button>
        {message && (
          <p class="form-message" role="alert">
            {message}
          </p>
        )}
      </form>
    </main>
  );
}
