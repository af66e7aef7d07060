/** The failure bar and `useFailure`: what is shown, and each button doing what it says. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, copyText, openLogFolder } from "../ipc";
import { FailureOffersContext, useFailure } from "../hooks/useFailure";
import type { ScreenOffers } from "../hooks/useFailure";
import { FailureBar } from "./FailureBar";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, copyText: vi.fn(), openLogFolder: vi.fn() };
});

/** A place on screen that fails with `failure` when asked, offering `retry`. */
function Failing({ failure, retry, besideForm }: { failure: unknown; retry?: () => void; besideForm?: boolean }) {
  const shown = useFailure();
  return (
    <>
      <button onClick={() => shown.show(failure, retry)}>fail</button>
      <FailureBar notice={shown.notice} testId="the-error" besideForm={besideForm} />
    </>
  );
}

async function renderFailing(failure: unknown, options: { retry?: () => void; offers?: ScreenOffers; besideForm?: boolean } = {}) {
  render(
    <FluentProvider theme={webLightTheme}>
      <FailureOffersContext.Provider value={options.offers ?? {}}>
        <Failing failure={failure} retry={options.retry} besideForm={options.besideForm} />
      </FailureOffersContext.Provider>
    </FluentProvider>,
  );
  await userEvent.click(screen.getByRole("button", { name: "fail" }));
  return screen.queryByTestId("the-error");
}

beforeEach(() => {
  vi.mocked(copyText).mockReset().mockResolvedValue();
  vi.mocked(openLogFolder).mockReset().mockResolvedValue();
});

describe("FailureBar", () => {
  it("shows the code's title and the shell's message", async () => {
    const bar = await renderFailing(new IpcFailure("unavailable", "graph.microsoft.com did not answer (timeout)."));
    expect(bar).toHaveTextContent("Microsoft could not be reached");
    expect(bar).toHaveTextContent("graph.microsoft.com did not answer (timeout).");
    expect(bar).toHaveAttribute("data-code", "unavailable");
  });

  it("shows nothing for a setup that ended meanwhile", async () => {
    expect(await renderFailing(new IpcFailure("session_ended", "closed"), { retry: vi.fn() })).toBeNull();
  });

  it("Try again takes the failure away and runs what failed", async () => {
    const retry = vi.fn();
    const bar = await renderFailing(new IpcFailure("unavailable", "no answer"), { retry });
    await userEvent.click(within(bar!).getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("the-error")).not.toBeInTheDocument();
  });

  it("Sign in and Back to the start screen come from the screen around", async () => {
    const offers = { signIn: vi.fn(), startOver: vi.fn() };
    const bar = await renderFailing(new IpcFailure("not_signed_in", "The scan needs the administrator's sign-in."), { offers });
    await userEvent.click(within(bar!).getByRole("button", { name: "Sign in" }));
    expect(offers.signIn).toHaveBeenCalledTimes(1);
    expect(offers.startOver).not.toHaveBeenCalled();
    expect(screen.queryByTestId("the-error")).not.toBeInTheDocument();
  });

  it("no setup under way offers the start screen", async () => {
    const offers = { startOver: vi.fn() };
    const bar = await renderFailing(new IpcFailure("no_wizard", "No setup is under way."), { offers });
    await userEvent.click(within(bar!).getByRole("button", { name: "Back to the start screen" }));
    expect(offers.startOver).toHaveBeenCalledTimes(1);
  });

  it("copies the details and opens the log folder, and says when that fails too", async () => {
    const bar = await renderFailing(new IpcFailure("storage_unavailable", "wizard.json: permission denied"));
    await userEvent.click(within(bar!).getByRole("button", { name: "Copy the details" }));
    expect(copyText).toHaveBeenCalledWith(expect.stringContaining("wizard.json: permission denied"));
    expect(within(bar!).getByRole("button", { name: "Copied" })).toBeInTheDocument();

    vi.mocked(openLogFolder).mockRejectedValue(new IpcFailure("storage_unavailable", "log folder: cannot open /logs"));
    await userEvent.click(within(bar!).getByRole("button", { name: "Open the log folder" }));
    expect(openLogFolder).toHaveBeenCalledTimes(1);
    expect(await within(bar!).findByRole("status")).toHaveTextContent("Open the log folder did not work: log folder: cannot open /logs");
  });

  it("beside a form, a refused input's message stands alone; other failures keep their title", async () => {
    const bar = await renderFailing(new IpcFailure("invalid_input", "client_id: 'x' is not a GUID"), { besideForm: true });
    expect(bar?.textContent).toBe("client_id: 'x' is not a GUID");
  });

  it("beside a form, a failure that is not about the input keeps its title", async () => {
    const bar = await renderFailing(new IpcFailure("storage_unavailable", "reminders.json: read-only"), { besideForm: true });
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
  });
});
