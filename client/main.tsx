/**
 * The Scratchroom browser client: start page, join page, attendee room and host dashboard, chosen
 * by the path (see route.ts).
 */
import { render } from "preact";
import "katex/dist/katex.min.css";
import "./styles.css";
import { routeFor } from "./route.js";
import { StartPage } from "./host/StartPage.js";
import { JoinPage } from "./JoinPage.js";
import { Room } from "./room/Room.js";
import { Dashboard } from "./host/Dashboard.js";

function App() {
  const route = routeFor(window.location.pathname, window.location.search);
  switch (route.page) {
    case "start":
      return <StartPage />;
    case "join":
      return <JoinPage code={route.code} expired={route.expired} />;
    case "room":
      return <Room sessionId={route.sessionId} />;
    case "host":
      return <Dashboard sessionId={route.sessionId} />;
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

render(<App />, document.getElementById("app")!);
