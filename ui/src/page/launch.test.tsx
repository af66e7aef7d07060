/** @jsxImportSource preact */
/**
 * The launch needs no React: the page shows the start screen, its cards in, without loading the
 * Fluent screens' host. Its own file, so that no other test has loaded the host first.
 */
import { beforeEach, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/preact";
import { listProfiles, reminderAlerts, resumeWizard } from "../ipc";
import { sampleProfiles } from "../test/profiles";
import { loadedHost } from "./hosted";
import { Page, firstScreen } from "./Page";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, listProfiles: vi.fn(), resumeWizard: vi.fn(), reminderAlerts: vi.fn() };
});

beforeEach(() => {
  vi.mocked(listProfiles).mockResolvedValue(sampleProfiles);
  vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: null });
  vi.mocked(reminderAlerts).mockResolvedValue([]);
});

it("shows the start screen with its cards without loading the React host", async () => {
  render(<Page first={await firstScreen()} />);
  expect(screen.getByTestId("start-screen")).toBeInTheDocument();
  expect(screen.getAllByRole("radio")).toHaveLength(sampleProfiles.length);
  // Choosing a card is still the page's own work.
  fireEvent.click(screen.getByTestId("profile-card-axero-outlook-calendar"));
  expect(await screen.findByTestId("start-panel")).toBeInTheDocument();
  expect(loadedHost()).toBeUndefined();
});
