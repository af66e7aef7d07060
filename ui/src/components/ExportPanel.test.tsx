import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, checkExportForm, exportBundle } from "../ipc";
import type { ExportDraft, ExportInputError } from "../ipc";
import { ExportPanel } from "./ExportPanel";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, exportBundle: vi.fn(), chooseSavePath: vi.fn(), checkExportForm: vi.fn() };
});

const exportMock = vi.mocked(exportBundle);
const checkMock = vi.mocked(checkExportForm);

/** The shell's answer for a draft: what the core would say of a path and recipients. */
function shellRules(draft: ExportDraft): Promise<ExportInputError[]> {
  const issues: ExportInputError[] = [];
  if (draft.path !== "" && !draft.path.endsWith(".zip")) {
    issues.push({ field: "path", problem: "a bundle is a .zip file: end the name with .zip" });
  }
  if (draft.recipients.includes("ssh-rsa")) {
    issues.push({ field: "recipients", problem: "'ssh-rsa' is not an age recipient" });
  }
  if ((draft.secret_expires ?? "") !== "" && !/^\d{4}-\d{2}-\d{2}/.test(draft.secret_expires ?? "")) {
    issues.push({ field: "secret_expires", problem: `'${draft.secret_expires}' is not a date such as 2027-03-01` });
  }
  return Promise.resolve(issues);
}

function renderPanel(expiryKnown = true) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <ExportPanel expiryKnown={expiryKnown} />
    </FluentProvider>,
  );
}

beforeEach(() => {
  exportMock.mockReset();
  checkMock.mockReset();
  checkMock.mockImplementation(shellRules);
});

describe("ExportPanel", () => {
  it("shows the shell's word on the recipients as they are typed, and waits", async () => {
    renderPanel();
    await userEvent.type(screen.getByTestId("export-path"), "/b.zip");
    await userEvent.click(screen.getByLabelText("Encrypt it to age recipients"));
    await userEvent.type(screen.getByTestId("export-recipients"), "ssh-rsa");
    expect(await screen.findByText(/'ssh-rsa' is not an age recipient/)).toBeInTheDocument();
    expect(screen.getByTestId("export-button")).toBeDisabled();
    expect(checkMock).toHaveBeenLastCalledWith({ path: "/b.zip", recipients: "ssh-rsa", passphrase_given: false, secret_expires: "" });
  });

  it("exports to the typed path and lists what was written", async () => {
    exportMock.mockResolvedValue({
      path: "/home/admin/bundle.zip",
      entries: ["bundle.json", "settings.txt", "REPORT.html", "secret-rotation.ics"],
      storage: "keyring",
      certificate: null,
      reminder: { tenant: "t", client_id: "c", key_id: "k", expires: "2027-01-01T00:00:00Z", name: "Axero", source: "bundle export" },
      reminder_problem: null,
    });
    renderPanel();
    await userEvent.type(screen.getByTestId("export-path"), "/home/admin/bundle.zip");
    await userEvent.click(screen.getByTestId("export-button"));
    expect(exportMock).toHaveBeenCalledWith({ path: "/home/admin/bundle.zip", recipients: "", passphrase: null, secret_expires: "" });
    const done = await screen.findByTestId("export-done");
    expect(done).toHaveTextContent("secret-rotation.ics");
    expect(done).toHaveTextContent("OS keychain");
    expect(screen.getByTestId("export-reminder")).toBeInTheDocument();
  });

  it("sends a passphrase from a masked field once and clears it", async () => {
    exportMock.mockResolvedValue({ path: "/b.zip", entries: ["secret.age"], storage: "age", certificate: null, reminder: null, reminder_problem: null });
    renderPanel();
    await userEvent.type(screen.getByTestId("export-path"), "/b.zip");
    await userEvent.click(screen.getByLabelText("Encrypt it with a passphrase"));
    const field = screen.getByTestId("export-passphrase");
    expect(field).toHaveAttribute("type", "password");
    await userEvent.type(field, "correct horse");
    await userEvent.click(screen.getByTestId("export-button"));
    expect(exportMock).toHaveBeenCalledWith({ path: "/b.zip", recipients: "", passphrase: "correct horse", secret_expires: "" });
    await screen.findByTestId("export-done");
    expect(screen.getByTestId("export-passphrase")).toHaveValue("");
  });

  it("names the path field when the name is not a .zip, and waits", async () => {
    renderPanel();
    await userEvent.type(screen.getByTestId("export-path"), "/home/admin/bundle.txt");
    expect(await screen.findByText(/a bundle is a .zip file/)).toBeInTheDocument();
    expect(screen.getByTestId("export-button")).toBeDisabled();
    expect(exportMock).not.toHaveBeenCalled();
  });

  it("a failed export shows its title and the shell's message, and exports the form as it is on Try again", async () => {
    exportMock
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "/media/usb/b.zip: read-only file system"))
      .mockResolvedValueOnce({ path: "/home/admin/b.zip", entries: ["bundle.json"], storage: "none", certificate: null, reminder: null, reminder_problem: null });
    renderPanel();
    await userEvent.type(screen.getByTestId("export-path"), "/media/usb/b.zip");
    await userEvent.click(screen.getByTestId("export-button"));
    const bar = await screen.findByTestId("export-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("/media/usb/b.zip: read-only file system");

    await userEvent.clear(screen.getByTestId("export-path"));
    await userEvent.type(screen.getByTestId("export-path"), "/home/admin/b.zip");
    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(exportMock).toHaveBeenLastCalledWith({ path: "/home/admin/b.zip", recipients: "", passphrase: null, secret_expires: "" });
    expect(await screen.findByTestId("export-done")).toBeInTheDocument();
    expect(screen.queryByTestId("export-error")).not.toBeInTheDocument();
  });

  it("says when the form could not be checked as typed", async () => {
    checkMock.mockRejectedValue(new IpcFailure("ipc_failed", "The app's back end could not check the export form: gone"));
    renderPanel();
    const bar = await screen.findByTestId("export-check-error");
    expect(bar).toHaveTextContent("The app could not do that");
    expect(bar).toHaveTextContent("could not check the export form: gone");
  });

  it("asks for the expiry when nobody could read it, checks it, and says when no reminder was made", async () => {
    exportMock.mockResolvedValue({
      path: "/b.zip",
      entries: ["bundle.json"],
      storage: "none",
      certificate: null,
      reminder: null,
      reminder_problem: "No reminder and no calendar file were made: the secret's expiry is not known.",
    });
    renderPanel(false);
    await userEvent.type(screen.getByTestId("export-path"), "/b.zip");
    await userEvent.type(screen.getByTestId("export-secret-expires"), "soon");
    expect(await screen.findByText(/'soon' is not a date/)).toBeInTheDocument();
    expect(screen.getByTestId("export-button")).toBeDisabled();
    await userEvent.clear(screen.getByTestId("export-secret-expires"));
    await userEvent.click(screen.getByTestId("export-button"));
    expect(exportMock).toHaveBeenLastCalledWith({ path: "/b.zip", recipients: "", passphrase: null, secret_expires: "" });
    expect(await screen.findByTestId("export-reminder-problem")).toHaveTextContent("No reminder and no calendar file were made");
  });

  it("does not ask for the expiry when it is known", () => {
    renderPanel(true);
    expect(screen.queryByTestId("export-secret-expires")).not.toBeInTheDocument();
  });
});
