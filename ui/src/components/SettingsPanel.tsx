/**
 * The desktop settings: keep the app in the tray when its window closes (so reminders keep being
 * checked) and start it at login. Both are off until turned on; the shell saves and applies them.
 */
import { useId } from "react";
import { Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { getSettings, saveSettings } from "../ipc";
import type { DesktopSettings } from "../ipc";
import { useAction } from "../hooks/useAction";
import { useLoaded } from "../hooks/useLoaded";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  title: { margin: 0 },
});

export function SettingsPanel() {
  const styles = useStyles();
  const headingId = useId();
  const loaded = useLoaded(getSettings, []);
  const settings = loaded.value;
  const change = useAction(async (next: DesktopSettings) => loaded.set(await saveSettings(next)), { failure: loaded.failure });
  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="settings-panel">
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        Settings
      </Subtitle2>
      {settings && (
        <>
          <Switch
            checked={settings.keep_in_tray ?? false}
            onChange={(_, d) => void change.run({ ...settings, keep_in_tray: d.checked })}
            label="Keep running in the tray when the window is closed (reminders keep being checked)"
            data-testid="setting-tray"
          />
          <Switch
            checked={settings.start_at_login ?? false}
            onChange={(_, d) => void change.run({ ...settings, start_at_login: d.checked })}
            label="Start Entra Setup Wizard when I log in"
            data-testid="setting-autostart"
          />
        </>
      )}
      <FailureBar notice={loaded.failure.notice} testId="settings-error" />
    </section>
  );
}
