/**
 * The wizard screen's save queue, on fake timers: inputs are saved a moment after typing pauses,
 * one request at a time with the latest value winning, and anything that moves on waits for the
 * save. Entering a step verifies it when the shell says the step is ready.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, checkStep, closeWizard, goToStep, registerApp, setInput } from "../ipc";
import type { InputIssue, WizardStep, WizardView } from "../ipc";
import { sampleView } from "../test/wizard";
import { WizardScreen } from "./WizardScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    setInput: vi.fn(),
    setSecret: vi.fn(),
    goToStep: vi.fn(),
    checkStep: vi.fn(),
    closeWizard: vi.fn().mockResolvedValue(undefined),
    switchDemo: vi.fn(),
    registerApp: vi.fn(),
    demoScenarios: vi.fn().mockResolvedValue([]),
  };
});

const setInputMock = vi.mocked(setInput);
const goToStepMock = vi.mocked(goToStep);
const checkStepMock = vi.mocked(checkStep);

/** A promise settled by hand, so a test decides when the shell answers. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The sample view on `step`, with that step's readiness as the shell would say it. */
function onStep(step: WizardStep, ready: boolean, overrides: Partial<WizardView> = {}): WizardView {
  const base = sampleView(overrides);
  return {
    ...base,
    step,
    steps: base.steps.map((s) => (s.step === step ? { ...s, readiness: { ready, missing: ready ? [] : ["tenant"] } } : s)),
  };
}

function renderWizard(view: WizardView, onClose: (failure?: unknown) => void = () => undefined) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <WizardScreen initial={view} onClose={onClose} />
    </FluentProvider>,
  );
}

function type(field: string, value: string) {
  fireEvent.change(screen.getByTestId(`input-${field}`), { target: { value } });
}

/** Let the promise callbacks queued so far run (fake timers do not hold them back). */
async function settle() {
  await act(async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  setInputMock.mockReset();
  goToStepMock.mockReset();
  checkStepMock.mockReset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("WizardScreen save queue", () => {
  it("saves once, with the last value, a quarter second after typing pauses", async () => {
    setInputMock.mockImplementation(async (_field, value) => onStep("tenant", false, { inputs: { ...sampleView().inputs, tenant: value } }));
    renderWizard(onStep("tenant", false));

    type("tenant", "c");
    act(() => void vi.advanceTimersByTime(200));
    type("tenant", "co");
    act(() => void vi.advanceTimersByTime(200));
    type("tenant", "contoso.com");
    act(() => void vi.advanceTimersByTime(249));
    expect(setInputMock).not.toHaveBeenCalled();

    act(() => void vi.advanceTimersByTime(1));
    await settle();
    expect(setInputMock).toHaveBeenCalledTimes(1);
    expect(setInputMock).toHaveBeenCalledWith("tenant", "contoso.com");
  });

  it("sends one save at a time, and an older answer never replaces newer typing", async () => {
    const first = deferred<WizardView>();
    const second = deferred<WizardView>();
    setInputMock.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    renderWizard(onStep("tenant", false));

    type("tenant", "contoso");
    act(() => void vi.advanceTimersByTime(250));
    await settle();
    expect(setInputMock).toHaveBeenCalledTimes(1);

    type("tenant", "contoso.com");
    act(() => void vi.advanceTimersByTime(250));
    await settle();
    // The second save waits for the first answer.
    expect(setInputMock).toHaveBeenCalledTimes(1);

    // The first answer arrives while newer typing is pending: its view (here, an issue of the
    // older value) is not shown.
    const stale: InputIssue = { field: "tenant", cause: "tenant_not_found", severity: "error", message: "about contoso" };
    first.resolve(onStep("tenant", false, { issues: [stale] }));
    await settle();
    expect(setInputMock).toHaveBeenCalledTimes(2);
    expect(setInputMock).toHaveBeenLastCalledWith("tenant", "contoso.com");
    expect(screen.queryByTestId("issues-tenant")).not.toBeInTheDocument();

    // The answer to the latest value is shown.
    const current: InputIssue = { ...stale, message: "about contoso.com" };
    second.resolve(onStep("tenant", false, { issues: [current] }));
    await settle();
    expect(screen.getByTestId("issues-tenant")).toHaveTextContent("about contoso.com");
  });

  it("moving on saves first, without waiting for the pause", async () => {
    const order: string[] = [];
    setInputMock.mockImplementation(async (field, value) => {
      order.push(`save ${field}=${value}`);
      return onStep("tenant", false, { inputs: { ...sampleView().inputs, tenant: value } });
    });
    goToStepMock.mockImplementation(async (target) => {
      order.push(`go ${target}`);
      return onStep(target, false);
    });
    renderWizard(onStep("tenant", false));

    type("tenant", "contoso.com");
    fireEvent.click(screen.getByTestId("continue-button"));
    await settle();

    expect(order).toEqual(["save tenant=contoso.com", "go sign_in"]);
    // The pending timer was cancelled: nothing is saved twice.
    act(() => void vi.advanceTimersByTime(1000));
    await settle();
    expect(setInputMock).toHaveBeenCalledTimes(1);
  });

  it("verifies a step on entry only when the shell says it is ready", async () => {
    checkStepMock.mockImplementation(async (step) => onStep(step, true));
    renderWizard(onStep("tenant", false));
    await settle();
    expect(checkStepMock).not.toHaveBeenCalled();

    goToStepMock.mockResolvedValue(onStep("registration", true));
    fireEvent.click(screen.getByTestId("continue-button"));
    await settle();
    expect(checkStepMock).toHaveBeenCalledTimes(1);
    expect(checkStepMock.mock.calls[0]?.[0]).toBe("registration");
  });
});

describe("WizardScreen failures", () => {
  it("a check that could not reach Microsoft shows its title and message, and Try again checks again", async () => {
    checkStepMock
      .mockRejectedValueOnce(new IpcFailure("unavailable", "login.microsoftonline.com did not answer (timeout)."))
      .mockImplementationOnce(async (step) => onStep(step, true));
    renderWizard(onStep("tenant", true));
    await settle();
    const bar = screen.getByTestId("wizard-error");
    expect(bar).toHaveTextContent("Microsoft could not be reached");
    expect(bar).toHaveTextContent("login.microsoftonline.com did not answer (timeout).");

    fireEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    await settle();
    expect(checkStepMock).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("wizard-error")).not.toBeInTheDocument();
  });

  it("an answer for a setup that ended meanwhile is shown as nothing", async () => {
    checkStepMock.mockRejectedValue(new IpcFailure("session_ended", "The setup this was started in was closed or replaced."));
    renderWizard(onStep("tenant", true));
    await settle();
    expect(checkStepMock).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("wizard-error")).not.toBeInTheDocument();
  });

  it("a step's failure that needs the administrator offers the wizard's sign-in step", async () => {
    vi.mocked(registerApp).mockRejectedValue(new IpcFailure("not_signed_in", "Creating the registration needs the administrator's sign-in."));
    goToStepMock.mockResolvedValue(onStep("sign_in", false));
    renderWizard(onStep("registration", false, { admin: "admin@contoso.com" }));
    fireEvent.click(screen.getByTestId("create-registration"));
    await settle();
    const bar = screen.getByTestId("create-registration-error");
    expect(bar).toHaveTextContent("Sign in as administrator first");
    fireEvent.click(within(bar).getByRole("button", { name: "Sign in" }));
    await settle();
    expect(goToStepMock).toHaveBeenCalledWith("sign_in");
    expect(screen.getByTestId("wizard-screen")).toHaveAttribute("data-step", "sign_in");
  });

  it("a save that failed is kept and saved again on Try again", async () => {
    setInputMock
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "wizard.json: disk full"))
      .mockImplementationOnce(async (_field, value) => onStep("tenant", false, { inputs: { ...sampleView().inputs, tenant: value } }));
    renderWizard(onStep("tenant", false));
    type("tenant", "contoso.com");
    act(() => void vi.advanceTimersByTime(250));
    await settle();
    const bar = screen.getByTestId("wizard-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("wizard.json: disk full");

    fireEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    await settle();
    expect(setInputMock).toHaveBeenCalledTimes(2);
    expect(setInputMock).toHaveBeenLastCalledWith("tenant", "contoso.com");
    expect(screen.queryByTestId("wizard-error")).not.toBeInTheDocument();
  });

  it("Start over leaves; a failure to forget the progress goes with it, none under way is nothing", async () => {
    const onClose = vi.fn();
    vi.mocked(closeWizard).mockRejectedValueOnce(new IpcFailure("no_wizard", "No setup is under way."));
    const { unmount } = renderWizard(onStep("tenant", false), onClose);
    fireEvent.click(screen.getByTestId("close-wizard"));
    await settle();
    expect(onClose).toHaveBeenCalledWith(undefined);
    unmount();

    const refused = new IpcFailure("storage_unavailable", "wizard.json: read-only");
    vi.mocked(closeWizard).mockRejectedValueOnce(refused);
    renderWizard(onStep("tenant", false), onClose);
    fireEvent.click(screen.getByTestId("close-wizard"));
    await settle();
    expect(onClose).toHaveBeenLastCalledWith(refused);
  });
});
