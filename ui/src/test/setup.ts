/** Vitest setup: DOM matchers, and a clean DOM (React's roots and the Preact page's) and Tauri mock between tests. */
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { cleanup as cleanupPage } from "@testing-library/preact";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  cleanupPage();
});

// jsdom has no ResizeObserver; Fluent's MessageBar observes its own size to choose a layout.
if (typeof globalThis.ResizeObserver === "undefined") {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

// jsdom does no layout: `offsetParent` is always null and <body> measures 0 × 0, which Tabster
// (Fluent's focus manager, which decides where Tab goes) reads as "nothing is visible", so Tab
// would leave the page. Report the parent for displayed elements and a window-sized body, as a
// browser would.
Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get(this: HTMLElement) {
    for (let element: HTMLElement | null = this; element; element = element.parentElement) {
      if (element.hidden || getComputedStyle(element).display === "none") {
        return null;
      }
    }
    return this.parentElement;
  },
});

document.body.getBoundingClientRect = () =>
  ({ x: 0, y: 0, top: 0, left: 0, right: 1024, bottom: 768, width: 1024, height: 768, toJSON: () => ({}) }) as DOMRect;
