import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, listProfiles } from "../ipc";
import type { ProfileSummary } from "../ipc";
import { wizardScreen } from "../lazy";
import { axeroCalendar, exchangeConnector, sampleProfiles, vendorConsent } from "../test/profiles";
import { PROFILE_COUNT_KEY, StartScreen } from "./StartScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, listProfiles: vi.fn() };
});

const listProfilesMock = vi.mocked(listProfiles);

const onStart = vi.fn();

function renderStartScreen() {
  return render(
    <FluentProvider theme={webLightTheme}>
      <StartScreen onStart={onStart} />
    </FluentProvider>,
  );
}

async function renderLoaded() {
  listProfilesMock.mockResolvedValue(sampleProfiles);
  renderStartScreen();
  return screen.findByTestId("profile-list");
}

beforeEach(() => {
  window.localStorage.clear();
  listProfilesMock.mockReset();
  onStart.mockReset();
});

describe("StartScreen", () => {
  it("renders one card per profile from the shell", async () => {
    const list = await renderLoaded();

    expect(screen.getByTestId("start-screen")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Choose the integration to set up" })).toBeInTheDocument();
    expect(within(list).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    for (const profile of sampleProfiles) {
      expect(screen.getByTestId(`profile-card-${profile.id}`)).toBeInTheDocument();
    }
    expect(listProfilesMock).toHaveBeenCalledTimes(1);
  });

  it("shows what each integration needs, how long it takes and how many checks it runs", async () => {
    await renderLoaded();

    const card = within(screen.getByTestId("profile-card-axero-outlook-calendar"));
    expect(card.getByRole("heading", { name: axeroCalendar.title })).toBeInTheDocument();
    expect(card.getByText(axeroCalendar.product)).toBeInTheDocument();
    expect(card.getByText(axeroCalendar.summary)).toBeInTheDocument();
    expect(card.getByText("Cloud Application Administrator")).toBeInTheDocument();
    expect(card.getByText("Privileged Role Administrator")).toBeInTheDocument();
    expect(card.getByText("Exchange Online mailbox for each user")).toBeInTheDocument();
    expect(card.getByText("About 15 minutes")).toBeInTheDocument();
    expect(card.getByText("10 checks")).toBeInTheDocument();

    const vendor = within(screen.getByTestId("profile-card-vendor-app-consent"));
    expect(vendor.getByText("1 check")).toBeInTheDocument();
    expect(vendor.getByText("Your own profile")).toBeInTheDocument();
  });

  it("names each card by its title", async () => {
    await renderLoaded();

    expect(screen.getByRole("radiogroup", { name: "Choose the integration to set up" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: exchangeConnector.title })).toHaveAttribute("aria-checked", "false");
  });

  it("holds the list's place with labelled skeleton cards while the profiles load", async () => {
    listProfilesMock.mockReturnValue(new Promise(() => {}));
    renderStartScreen();

    expect(screen.getByRole("status")).toHaveTextContent("Loading integrations…");
    expect(screen.getByTestId("profiles-loading")).toHaveAttribute("aria-busy", "true");
    expect(screen.getAllByTestId("profile-skeleton")).toHaveLength(14);
    // Not cards: nothing to choose yet, and nothing the end-to-end tests take for a profile.
    expect(document.querySelector("[data-testid^='profile-card-']")).toBeNull();
    expect(screen.queryByTestId("profile-list")).not.toBeInTheDocument();
  });

  it("shows as many skeletons as it showed cards last time, then the cards in their place", async () => {
    // A first launch keeps how many cards there were.
    const first = await renderLoaded();
    expect(within(first).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    expect(window.localStorage.getItem(PROFILE_COUNT_KEY)).toBe(String(sampleProfiles.length));
    cleanup();

    // The next launch shows that many skeletons, in the list's grid, until the same number of cards replace them.
    let arrive: (profiles: ProfileSummary[]) => void = () => {};
    listProfilesMock.mockReturnValue(new Promise((resolve) => (arrive = resolve)));
    renderStartScreen();
    const skeletons = screen.getAllByTestId("profile-skeleton");
    expect(skeletons).toHaveLength(sampleProfiles.length);
    const grid = screen.getByTestId("profiles-loading").className;

    await act(async () => arrive(sampleProfiles));
    const list = screen.getByTestId("profile-list");
    expect(within(list).getAllByRole("radio")).toHaveLength(skeletons.length);
    // The same grid as the skeletons': the cards sit where they were.
    expect(list.className).toBe(grid);
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
  });

  it("uses the profiles asked for at launch rather than asking again", async () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <StartScreen onStart={onStart} profiles={Promise.resolve(sampleProfiles)} />
      </FluentProvider>,
    );
    expect(within(await screen.findByTestId("profile-list")).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    expect(listProfilesMock).not.toHaveBeenCalled();
  });

  it("shows profiles already in from its first render, without skeletons", () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <StartScreen onStart={onStart} ready={sampleProfiles} />
      </FluentProvider>,
    );
    expect(within(screen.getByTestId("profile-list")).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
    expect(listProfilesMock).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(PROFILE_COUNT_KEY)).toBe(String(sampleProfiles.length));
  });

  it("preloads the wizard when a card is pointed at or focused", async () => {
    const preload = vi.spyOn(wizardScreen, "preload").mockResolvedValue();
    const list = await renderLoaded();
    fireEvent.pointerEnter(list);
    expect(preload).toHaveBeenCalledTimes(1);
    fireEvent.focus(screen.getByTestId("profile-card-axero-outlook-calendar"));
    expect(preload).toHaveBeenCalledTimes(2);
  });

  it("shows the failure's title and message, and loads again on Try again", async () => {
    listProfilesMock
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "The profile folder cannot be read."))
      .mockResolvedValueOnce(sampleProfiles);
    renderStartScreen();

    const error = await screen.findByTestId("profiles-error");
    expect(error).toHaveTextContent("A file the app keeps could not be read or written");
    expect(error).toHaveTextContent("The profile folder cannot be read.");
    expect(error).toHaveAttribute("data-code", "storage_unavailable");
    expect(within(error).getByRole("button", { name: "Open the log folder" })).toBeInTheDocument();

    await userEvent.click(within(error).getByRole("button", { name: "Try again" }));

    expect(await screen.findByTestId("profile-list")).toBeInTheDocument();
    expect(screen.queryByTestId("profiles-error")).not.toBeInTheDocument();
    expect(listProfilesMock).toHaveBeenCalledTimes(2);
  });

  it("says so when there are no profiles", async () => {
    listProfilesMock.mockResolvedValue([]);
    renderStartScreen();

    expect(await screen.findByTestId("profiles-empty")).toHaveTextContent("No integrations are available.");
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
  });

  it("selects a card with the keyboard alone and offers to start", async () => {
    const user = userEvent.setup();
    await renderLoaded();
    expect(screen.queryByTestId("start-button")).not.toBeInTheDocument();

    // Tab reaches the group once, on its first card.
    await user.tab();
    const first = screen.getByTestId("profile-card-axero-outlook-calendar");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "false");

    await user.keyboard(" ");
    expect(first).toHaveAttribute("aria-checked", "true");

    // Arrow keys move focus and selection; the group stays a single tab stop.
    await user.keyboard("{ArrowDown}");
    const second = screen.getByTestId("profile-card-exchange-calendar-connector");
    expect(second).toHaveFocus();
    expect(second).toHaveAttribute("aria-checked", "true");
    expect(first).toHaveAttribute("aria-checked", "false");
    expect(second).toHaveAttribute("tabindex", "0");
    expect(first).toHaveAttribute("tabindex", "-1");

    await user.keyboard("{End}");
    expect(screen.getByTestId("profile-card-vendor-app-consent")).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "true");

    // Tab leaves the group for the Start button; Enter on it starts the wizard for that card.
    await user.tab();
    const start = screen.getByTestId("start-button");
    expect(start).toHaveFocus();
    expect(screen.getByTestId("start-panel")).toHaveTextContent(axeroCalendar.title);
    await user.keyboard("{Enter}");
    expect(onStart).toHaveBeenCalledWith("axero-outlook-calendar", false);

    // The next tab stop rehearses on the demo tenant.
    await user.tab();
    expect(screen.getByTestId("demo-button")).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(onStart).toHaveBeenLastCalledWith("axero-outlook-calendar", true);
  });

  it("selects a card by click and starts the selected one", async () => {
    const user = userEvent.setup();
    await renderLoaded();

    await user.click(screen.getByText(vendorConsent.summary));
    expect(screen.getByTestId("profile-card-vendor-app-consent")).toHaveAttribute("aria-checked", "true");

    await user.click(screen.getByTestId("profile-card-exchange-calendar-connector"));
    expect(screen.getByTestId("start-panel")).toHaveTextContent(exchangeConnector.title);
    await user.click(screen.getByRole("button", { name: "Rehearse on a demo tenant" }));
    expect(onStart).toHaveBeenCalledWith("exchange-calendar-connector", true);
  });

  it("scrolls the Start buttons into view at once when the system asks for less motion", async () => {
    const scrolled: ScrollIntoViewOptions[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (options?: boolean | ScrollIntoViewOptions) {
      if (typeof options === "object") scrolled.push(options);
    };
    let reduce = true;
    const originalMatchMedia = window.matchMedia;
    window.matchMedia = (query: string) =>
      ({ matches: reduce && query === "(prefers-reduced-motion: reduce)", media: query }) as MediaQueryList;
    try {
      await renderLoaded();
      await userEvent.click(screen.getByTestId("profile-card-axero-outlook-calendar"));
      expect(scrolled).toEqual([{ block: "nearest", behavior: "auto" }]);

      reduce = false;
      await userEvent.click(screen.getByTestId(`profile-card-${vendorConsent.id}`));
      expect(scrolled[scrolled.length - 1]).toEqual({ block: "nearest", behavior: "smooth" });
    } finally {
      Element.prototype.scrollIntoView = original;
      window.matchMedia = originalMatchMedia;
    }
  });
});
