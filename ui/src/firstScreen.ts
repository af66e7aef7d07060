/**
 * The moment the first interactive screen is whole (the start screen with its integrations
 * listed), as a User Timing mark: `make bench` reads it to time the launch from inside the page,
 * without the WebDriver session's cost, and WebKit's inspector shows it on its timeline.
 */

/** The mark's name (a bare Tauri window marks the same name for the comparison). */
export const FIRST_SCREEN_MARK = "first-screen";

/** Mark the first screen as shown; only the first call counts. */
export function markFirstScreen(): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") {
    return;
  }
  if (performance.getEntriesByName(FIRST_SCREEN_MARK, "mark").length === 0) {
    performance.mark(FIRST_SCREEN_MARK);
  }
}
