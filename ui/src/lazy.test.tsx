/** Parts loaded on first use: they render once their chunk resolves, and at once when preloaded. */
import { describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Deferred, preloadable, whenIdle } from "./lazy";

/** A part whose chunk arrives when the test says. */
function controlledPart() {
  let arrive: () => void = () => {};
  const load = vi.fn(
    () =>
      new Promise<{ Part: (props: { name: string }) => React.JSX.Element }>((resolve) => {
        arrive = () => resolve({ Part: ({ name }) => <p data-testid="part">Hello {name}</p> });
      }),
  );
  const part = preloadable(load, (m) => m.Part);
  return { part, load, arrive: () => arrive() };
}

describe("preloadable", () => {
  it("shows the placeholder until the chunk resolves, then the part", async () => {
    const { part, load, arrive } = controlledPart();
    render(
      <Deferred placeholder={<div data-testid="placeholder" />}>
        <part.Component name="admin" />
      </Deferred>,
    );
    expect(screen.getByTestId("placeholder")).toBeInTheDocument();
    expect(screen.queryByTestId("part")).not.toBeInTheDocument();

    arrive();
    expect(await screen.findByTestId("part")).toHaveTextContent("Hello admin");
    expect(screen.queryByTestId("placeholder")).not.toBeInTheDocument();
    expect(part.loaded()).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("renders a preloaded part at once, without its placeholder", async () => {
    const { part, load, arrive } = controlledPart();
    const preloading = part.preload();
    void part.preload();
    arrive();
    await act(() => preloading);
    render(
      <Deferred placeholder={<div data-testid="placeholder" />}>
        <part.Component name="again" />
      </Deferred>,
    );
    expect(screen.getByTestId("part")).toHaveTextContent("Hello again");
    expect(screen.queryByTestId("placeholder")).not.toBeInTheDocument();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("tries a failed load again on the next preload", async () => {
    const load = vi
      .fn<() => Promise<{ Part: () => React.JSX.Element }>>()
      .mockRejectedValueOnce(new Error("chunk missing"))
      .mockResolvedValueOnce({ Part: () => <p>ok</p> });
    const part = preloadable(load, (m) => m.Part);
    await expect(part.preload()).rejects.toThrow("chunk missing");
    await part.preload();
    expect(part.loaded()).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe("Deferred", () => {
  it("says when a part cannot load, and Try again loads it afresh", async () => {
    const load = vi
      .fn<() => Promise<{ Part: () => React.JSX.Element }>>()
      .mockRejectedValueOnce(new Error("Importing a module script failed."))
      .mockResolvedValueOnce({ Part: () => <p data-testid="part">here</p> });
    const part = preloadable(load, (m) => m.Part);
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <Deferred placeholder={<div data-testid="placeholder" />} testId="part-error">
        <part.Component />
      </Deferred>,
    );
    const bar = await screen.findByTestId("part-error");
    expect(bar).toHaveTextContent("Importing a module script failed.");
    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("part")).toHaveTextContent("here");
    expect(screen.queryByTestId("part-error")).not.toBeInTheDocument();
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe("whenIdle", () => {
  it("runs the task once, and not at all when cancelled", () => {
    vi.useFakeTimers();
    try {
      const task = vi.fn();
      whenIdle(task);
      const cancelled = vi.fn();
      whenIdle(cancelled)();
      vi.advanceTimersByTime(5000);
      expect(task).toHaveBeenCalledTimes(1);
      expect(cancelled).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
