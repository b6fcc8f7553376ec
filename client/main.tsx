import { render } from "preact";

function App() {
  return <main>Scratchroom</main>;
}

render(<App />, document.getElementById("app")!);
