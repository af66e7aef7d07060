/** @jsxImportSource preact */
/**
 * Mounts the page into index.html's #root, on the first screen decided before it renders. The
 * entry holds only the page (Preact, the start screen and the header): React and Fluent UI load
 * when a Fluent screen is first opened.
 */
import { render } from "preact";
import { Page, firstScreen } from "./page/Page";
import "./index.css";
import "virtual:fluent-theme.css";
import "virtual:fluent-icons.css";
import "./page/page.css";

const root = document.getElementById("root");
if (!root) {
  throw new Error("index.html has no #root element to mount the app into");
}
// The first render waits for the first screen's reads (at most FIRST_SCREEN_WAIT_MS) so that it
// is already the screen's final layout instead of a loading state repainted a moment later;
// reads that take longer are applied when they come.
const FIRST_SCREEN_WAIT_MS = 300;
const decided = firstScreen();
const waited = new Promise<undefined>((resolve) => window.setTimeout(() => resolve(undefined), FIRST_SCREEN_WAIT_MS));
void Promise.race([decided, waited]).then((first) =>
  render(<Page first={first ?? { screen: { name: "start" }, notice: null }} later={first ? undefined : decided} />, root),
);
