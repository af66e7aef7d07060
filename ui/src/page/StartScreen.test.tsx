/** @jsxImportSource preact */
/**
 * The start screen: the shell's profiles as cards (what each needs, named by its title), their
 * skeletons while they load, the profiles read at launch used as they are, a failure to list
 * them with Try again, choosing a card by keyboard or pointer and starting it, the open-bundle
 * panel's refusal and the due reminders' banner.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { IpcFailure, listProfiles, openBundle, reminderAlerts } from "../ipc";
import type { ProfileSummary } from "../ipc";
import type { StartView } from "../navigation";
import { axeroCalendar, exchangeConnector, sampleProfiles, vendorConsent } from "../test/profiles";
import { standing } from "../test/reminders";
import { PROFILE_COUNT_KEY, StartScreen } from "./StartScreen";
import type { StartScreenProps } from "./StartScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    listProfiles: vi.fn(),
    reminderAlerts: vi.fn(),
    openBundle: vi.fn(),
    chooseOpenPath: vi.fn(),
    openLogFolder: vi.fn(),
    copyText: vi.fn(),
  };
});

const listProfilesMock = vi.mocked(listProfiles);

/** The screen's callbacks, fresh for each test. */
let props: Omit<StartScreenProps, "view">;

function renderStartScreen(view: StartView = { name: "start" }, overrides: Partial<StartScreenProps> = {}) {
  return render(<StartScreen view={view} {...props} {...overrides} />);
}

async function renderLoaded() {
  listProfilesMock.mockResolvedValue(sampleProfiles);
  renderStartScreen();
  return screen.findByTestId("profile-list");
}

beforeEach(() => {
  window.localStorage.clear();
  vi.resetAllMocks();
  vi.mocked(reminderAlerts).mockResolvedValue([]);
  props = {
    onStart: vi.fn(),
    starting: false,
    failure: null,
    onDismissFailure: vi.fn(),
    notice: null,
    onOpenReminders: vi.fn(),
    onOpened: vi.fn(),
    onWizardIntent: vi.fn(),
    onRemindersIntent: vi.fn(),
  };
});

describe("StartScreen", () => {
  it("renders one card per profile from the shell, in the shell's order", async () => {
    const list = await renderLoaded();

    expect(screen.getByTestId("start-screen")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Choose the integration to set up" })).toBeInTheDocument();
    const cards = within(list).getAllByRole("radio");
    expect(cards.map((card) => card.dataset.testid)).toEqual(sampleProfiles.map((profile) => `profile-card-${profile.id}`));
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
    expect(card.getByText("Users sign in (delegated)")).toBeInTheDocument();
    expect(card.getByText("About 15 minutes")).toBeInTheDocument();
    expect(card.getByText("10 checks")).toBeInTheDocument();
    expect(card.queryByText("Your own profile")).not.toBeInTheDocument();

    const connector = within(screen.getByTestId("profile-card-exchange-calendar-connector"));
    expect(connector.getByText("None in particular")).toBeInTheDocument();
    expect(connector.getByText("7 checks")).toBeInTheDocument();

    const vendor = within(screen.getByTestId("profile-card-vendor-app-consent"));
    expect(vendor.getByText("1 check")).toBeInTheDocument();
    expect(vendor.getByText("Your own profile")).toBeInTheDocument();
  });

  it("names the group by its heading and each card by its title", async () => {
    await renderLoaded();

    expect(screen.getByRole("radiogroup", { name: "Choose the integration to set up" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: exchangeConnector.title })).toHaveAttribute("aria-checked", "false");
    expect(screen.getByRole("radio", { name: exchangeConnector.title })).toHaveAccessibleDescription(
      expect.stringContaining(exchangeConnector.summary),
    );
  });

  it("holds the list's place with labelled skeleton cards while the profiles load", () => {
    listProfilesMock.mockReturnValue(new Promise(() => {}));
    renderStartScreen();

    const loading = screen.getByTestId("profiles-loading");
    expect(loading).toHaveAttribute("role", "status");
    expect(loading).toHaveTextContent("Loading integrations…");
    expect(loading).toHaveAttribute("aria-busy", "true");
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
    renderStartScreen({ name: "start", profiles: Promise.resolve(sampleProfiles) });
    expect(within(await screen.findByTestId("profile-list")).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    expect(listProfilesMock).not.toHaveBeenCalled();
  });

  it("shows profiles already in from its first render, without skeletons", () => {
    renderStartScreen({ name: "start", ready: sampleProfiles });
    expect(within(screen.getByTestId("profile-list")).getAllByRole("radio")).toHaveLength(sampleProfiles.length);
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
    expect(listProfilesMock).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(PROFILE_COUNT_KEY)).toBe(String(sampleProfiles.length));
  });

  it("says the wizard is about to be needed when a card is pointed at or focused", async () => {
    const list = await renderLoaded();
    fireEvent.pointerEnter(list);
    expect(props.onWizardIntent).toHaveBeenCalledTimes(1);
    act(() => screen.getByTestId("profile-card-axero-outlook-calendar").focus());
    expect(props.onWizardIntent).toHaveBeenCalledTimes(2);
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
    expect(error).toHaveAttribute("role", "alert");
    expect(within(error).getByRole("button", { name: "Open the log folder" })).toBeInTheDocument();

    await userEvent.click(within(error).getByRole("button", { name: "Try again" }));

    expect(await screen.findByTestId("profile-list")).toBeInTheDocument();
    expect(screen.queryByTestId("profiles-error")).not.toBeInTheDocument();
    expect(listProfilesMock).toHaveBeenCalledTimes(2);
  });

  it("says so when there are no profiles, and Retry asks again", async () => {
    listProfilesMock.mockResolvedValueOnce([]).mockResolvedValueOnce(sampleProfiles);
    renderStartScreen();

    const empty = await screen.findByTestId("profiles-empty");
    expect(empty).toHaveTextContent("No integrations are available.");
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
    // No count kept from an empty list: the next launch keeps its default skeletons.
    expect(window.localStorage.getItem(PROFILE_COUNT_KEY)).toBeNull();

    await userEvent.click(within(empty).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("profile-list")).toBeInTheDocument();
    expect(listProfilesMock).toHaveBeenCalledTimes(2);
  });

  it("selects a card with the keyboard alone and offers to start", async () => {
    const user = userEvent.setup();
    await renderLoaded();
    expect(screen.queryByTestId("start-button")).not.toBeInTheDocument();

    // From the open-bundle panel above, Tab reaches the group once, on its first card.
    act(() => screen.getByTestId("open-bundle-demo").focus());
    await user.tab();
    const first = screen.getByTestId("profile-card-axero-outlook-calendar");
    const second = screen.getByTestId("profile-card-exchange-calendar-connector");
    const last = screen.getByTestId("profile-card-vendor-app-consent");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "false");

    await user.keyboard(" ");
    expect(first).toHaveAttribute("aria-checked", "true");
    expect(first).toHaveAttribute("data-selected", "true");

    // Arrow keys move focus and selection; the group stays a single tab stop.
    await user.keyboard("{ArrowDown}");
    expect(second).toHaveFocus();
    expect(second).toHaveAttribute("aria-checked", "true");
    expect(first).toHaveAttribute("aria-checked", "false");
    expect(second).toHaveAttribute("tabindex", "0");
    expect(first).toHaveAttribute("tabindex", "-1");
    expect(last).toHaveAttribute("tabindex", "-1");

    await user.keyboard("{ArrowRight}");
    expect(last).toHaveFocus();
    expect(last).toHaveAttribute("aria-checked", "true");
    await user.keyboard("{ArrowUp}");
    expect(second).toHaveFocus();
    await user.keyboard("{ArrowLeft}");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "true");
    // Before the first is the last, and after the last the first.
    await user.keyboard("{ArrowUp}");
    expect(last).toHaveFocus();
    expect(last).toHaveAttribute("aria-checked", "true");
    await user.keyboard("{Home}");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "true");
    await user.keyboard("{End}");
    expect(last).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(first).toHaveFocus();
    expect(first).toHaveAttribute("aria-checked", "true");

    // Enter selects the focused card too (focus moved without selecting it).
    act(() => second.focus());
    expect(second).toHaveAttribute("aria-checked", "false");
    await user.keyboard("{Enter}");
    expect(second).toHaveAttribute("aria-checked", "true");
    expect(first).toHaveAttribute("aria-checked", "false");
    act(() => first.focus());
    await user.keyboard("{Enter}");
    expect(first).toHaveAttribute("aria-checked", "true");

    // Tab leaves the group for the Start button; Enter on it starts the wizard for that card.
    await user.tab();
    const start = screen.getByTestId("start-button");
    expect(start).toHaveFocus();
    expect(screen.getByTestId("start-panel")).toHaveTextContent(axeroCalendar.title);
    await user.keyboard("{Enter}");
    expect(props.onStart).toHaveBeenCalledWith("axero-outlook-calendar", false);

    // The next tab stop rehearses on the demo tenant.
    await user.tab();
    expect(screen.getByTestId("demo-button")).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(props.onStart).toHaveBeenLastCalledWith("axero-outlook-calendar", true);
    expect(props.onStart).toHaveBeenCalledTimes(2);
  });

  it("selects a card by click and starts the selected one", async () => {
    const user = userEvent.setup();
    await renderLoaded();

    await user.click(screen.getByText(vendorConsent.summary));
    expect(screen.getByTestId("profile-card-vendor-app-consent")).toHaveAttribute("aria-checked", "true");

    await user.click(screen.getByTestId("profile-card-exchange-calendar-connector"));
    expect(screen.getByTestId("profile-card-vendor-app-consent")).toHaveAttribute("aria-checked", "false");
    expect(screen.getByTestId("start-panel")).toHaveTextContent(exchangeConnector.title);
    await user.click(screen.getByRole("button", { name: "Rehearse on a demo tenant" }));
    expect(props.onStart).toHaveBeenCalledWith("exchange-calendar-connector", true);
    await user.click(screen.getByRole("button", { name: "Start" }));
    expect(props.onStart).toHaveBeenLastCalledWith("exchange-calendar-connector", false);
  });

  it("holds the Start buttons while a start is under way", () => {
    renderStartScreen({ name: "start", ready: sampleProfiles }, { starting: true });
    fireEvent.click(screen.getByTestId("profile-card-axero-outlook-calendar"));
    expect(screen.getByTestId("start-button")).toBeDisabled();
    expect(screen.getByTestId("demo-button")).toBeDisabled();
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
      await waitFor(() => expect(scrolled).toEqual([{ block: "nearest", behavior: "auto" }]));

      reduce = false;
      await userEvent.click(screen.getByTestId(`profile-card-${vendorConsent.id}`));
      await waitFor(() => expect(scrolled).toHaveLength(2));
      expect(scrolled[1]).toEqual({ block: "nearest", behavior: "smooth" });
    } finally {
      Element.prototype.scrollIntoView = original;
      window.matchMedia = originalMatchMedia;
    }
  });

  it("open bundle: a refused file, with the shell's reason", async () => {
    vi.mocked(openBundle).mockRejectedValue(new IpcFailure("bundle_refused", "/tmp/x.zip is not an Entra Setup Wizard bundle"));
    renderStartScreen({ name: "start", ready: sampleProfiles });
    expect(screen.getByTestId("open-bundle-button")).toBeDisabled();
    await userEvent.type(screen.getByTestId("open-bundle-path"), "/tmp/x.zip");
    await userEvent.click(screen.getByTestId("open-bundle-button"));
    const bar = await screen.findByTestId("open-bundle-error");
    expect(bar).toHaveTextContent("This file cannot be opened as a bundle");
    expect(bar).toHaveTextContent("/tmp/x.zip is not an Entra Setup Wizard bundle");
    expect(openBundle).toHaveBeenCalledWith("/tmp/x.zip", null);
    expect(props.onOpened).not.toHaveBeenCalled();
  });

  it("due banner: the secrets due, each with when it expires, and a way to the reminders", async () => {
    vi.mocked(reminderAlerts).mockResolvedValue([
      standing(),
      standing({ key_id: "k2", name: null, client_id: "22222222-0000-0000-0000-000000000002", days_left: -2, stage: { state: "expired" }, urgency: "expired" }),
    ]);
    renderStartScreen({ name: "start", ready: sampleProfiles });

    const banner = await screen.findByTestId("due-banner");
    expect(banner).toHaveTextContent("2 client secrets need rotating soon.");
    const items = within(banner).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Payroll sync: expires in 5 days");
    expect(items[1]).toHaveTextContent("22222222-0000-0000-0000-000000000002: expired 2 days ago");

    const open = within(banner).getByRole("button", { name: "Open reminders" });
    fireEvent.pointerEnter(open);
    expect(props.onRemindersIntent).toHaveBeenCalled();
    await userEvent.click(open);
    expect(props.onOpenReminders).toHaveBeenCalledTimes(1);
  });

  it("due banner: the reminders read before the screen showed are there from its first render", () => {
    renderStartScreen({ name: "start", ready: sampleProfiles, due: { ok: true, due: [standing({ urgency: "soon", days_left: 1 })] } });
    const banner = screen.getByTestId("due-banner");
    expect(banner).toHaveTextContent("A client secret needs rotating soon.");
    expect(banner).toHaveTextContent("Payroll sync: expires in 1 day");
    expect(reminderAlerts).not.toHaveBeenCalled();
  });

  it("due banner: reminders that cannot be read are said, not taken for none due, and Try again reads them again", async () => {
    vi.mocked(reminderAlerts)
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "reminders.json is damaged"))
      .mockResolvedValueOnce([standing()]);
    renderStartScreen({ name: "start", ready: sampleProfiles });
    const bar = await screen.findByTestId("due-banner-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("reminders.json is damaged");
    expect(screen.queryByTestId("due-banner")).not.toBeInTheDocument();

    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("due-banner")).toHaveTextContent("Payroll sync");
    expect(screen.queryByTestId("due-banner-error")).not.toBeInTheDocument();
  });

  it("due banner: a failure read before the screen showed is there from its first render", () => {
    renderStartScreen({
      name: "start",
      ready: sampleProfiles,
      due: { ok: false, cause: new IpcFailure("storage_unavailable", "reminders.json is damaged") },
    });
    expect(screen.getByTestId("due-banner-error")).toHaveTextContent("reminders.json is damaged");
  });

  it("has no accessibility violations with its cards, a card selected and the due banner", async () => {
    vi.mocked(reminderAlerts).mockResolvedValue([standing()]);
    const { container } = renderStartScreen({ name: "start", ready: sampleProfiles });
    await screen.findByTestId("due-banner");
    await userEvent.click(screen.getByTestId("profile-card-exchange-calendar-connector"));
    expect(screen.getByTestId("start-panel")).toBeInTheDocument();

    const results = await axe.run(container, { resultTypes: ["violations"] });
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  });
});
