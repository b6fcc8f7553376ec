/**
 * The Scratchroom browser client: start page, join page, attendee room, host dashboard and session
 * summary, chosen by the path (see route.ts). The join page is part of the entry chunk; the others are chunks of
 * their own, so the join page does not wait for the editor and the room does not load the dashboard.
 */
import { render, type ComponentChild } from "preact";
import "./styles.css";
import { routeFor } from "./route.js";
import { onNavigate } from "./navigate.js";
// The join page is the first thing most people open: it comes with the entry chunk, no round trip.
import { JoinPage } from "./JoinPage.js";

async function page(): Promise<ComponentChild> {
  const route = routeFor(window.location.pathname, window.location.search);
  switch (route.page) {
    case "start": {
      const { StartPage } = await import("./host/StartPage.js");
      return <StartPage />;
    }
    case "join":
      return <JoinPage code={route.code} expired={route.expired} />;
    case "room": {
      const { Room } = await import("./room/Room.js");
      return <Room sessionId={route.sessionId} />;
    }
    case "host": {
      const { Dashboard } = await import("./host/Dashboard.js");
      return <Dashboard sessionId={route.sessionId} />;
    }
    case "summary": {
      const { SummaryPage } = await import("./summary/SummaryPage.js");
      return <SummaryPage sessionId={route.sessionId} />;
    }
    case "not-found":
      return (
        <main class="page narrow">
          <h1>Not found</h1>
          <p>
            There is nothing at this address. <a href="/">Start page</a>
          </p>
        </main>
      );
  }
}

const root = document.getElementById("app")!;
let shown = 0;
function show() {
  const attempt = ++shown;
  page().then(
    (content) => {
      if (attempt !== shown) return; // a later navigation won
      render(null, root); // a new page starts from fresh state
      render(content, root);
    },
    (error: unknown) => {
      root.textContent = `Scratchroom could not load this page: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
}
onNavigate(show);
show();
