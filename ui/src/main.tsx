/** Mounts the app into index.html's #root, on the first screen decided before it renders. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, firstScreen } from "./App";
import "./index.css";

const root = document.getElementById("root");
if (!root) {
  throw new Error("index.html has no #root element to mount the app into");
}
// The first screen's reads start now, beside React's own start; the first render waits for
// them (at most FIRST_SCREEN_WAIT_MS) so that it is already the screen's final layout instead
// of a loading state repainted a moment later.
const FIRST_SCREEN_WAIT_MS = 300;
const decided = firstScreen();
const waited = new Promise<undefined>((resolve) => window.setTimeout(() => resolve(undefined), FIRST_SCREEN_WAIT_MS));
void Promise.race([decided, waited]).then((first) => {
  createRoot(root).render(
    <StrictMode>
      <App first={first} />
    </StrictMode>,
  );
});
