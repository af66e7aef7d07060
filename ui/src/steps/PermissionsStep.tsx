/**
 * Permissions and admin consent: a table of each permission the integration needs, its type,
 * whether it is configured and consented, and a fix for each gap; users' requests for admin
 * consent that wait for a reviewer; the scopes and the admin-consent link to copy.
 */
import { Body1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import { registerApp } from "../ipc";
import { CopyField } from "../components/CopyField";
import { ConsentRequests } from "./ConsentRequests";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  table: { tableLayout: "auto" },
  name: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: "nowrap" },
  yes: { color: tokens.colorPaletteGreenForeground1 },
  no: { color: tokens.colorPaletteRedForeground1 },
  unknown: { color: tokens.colorNeutralForeground3 },
});

function Answer({ value }: { value: boolean | null }) {
  const styles = useStyles();
  if (value === null) return <span className={styles.unknown}>Unknown</span>;
  return value ? <span className={styles.yes}>Yes</span> : <span className={styles.no}>No</span>;
}

export function PermissionsStep({ view, onView, recheck }: StepProps) {
  const styles = useStyles();
  const vendor = view.kind === "vendor_consent";
  const canFix = Boolean(view.admin && view.inputs.client_id) && !vendor;
  const consentChecked = view.steps.some((s) => s.checks.includes("admin_consent"));
  return (
    <div className={styles.group}>
      {view.permissions.length > 0 && (
        <Table aria-label="Permissions the integration needs" data-testid="permissions-table" size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Permission</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Configured</TableHeaderCell>
              {consentChecked && <TableHeaderCell>Consented</TableHeaderCell>}
              <TableHeaderCell>Fix</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.permissions.map((row) => {
              const gap = row.configured === false || (consentChecked && row.consented === false);
              return (
                <TableRow key={`${row.kind}-${row.name}`} data-testid={`permission-${row.name}`}>
                  <TableCell className={styles.name}>{row.name}</TableCell>
                  <TableCell>{row.kind === "delegated" ? "Delegated" : "Application"}</TableCell>
                  <TableCell>
                    <Answer value={row.configured} />
                  </TableCell>
                  {consentChecked && (
                    <TableCell>
                      <Answer value={row.consented} />
                    </TableCell>
                  )}
                  <TableCell>
                    {gap && canFix ? (
                      <RepairButton
                        appearance="secondary"
                        label={row.configured === false ? "Add and consent" : "Grant consent"}
                        testId={`fix-${row.name}`}
                        ariaLabel={`${row.configured === false ? "Add and consent" : "Grant consent"} for ${row.name}`}
                        action={() => registerApp(null)}
                        onView={onView}
                        after={recheck}
                      />
                    ) : gap ? (
                      "Sign in to fix"
                    ) : (
                      "—"
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {view.permissions.length === 0 && <Body1>The vendor's app asks for its own permissions; the checks below show what it holds.</Body1>}
      {view.consent_requests && <ConsentRequests pending={view.consent_requests} />}
      {view.scopes && <CopyField label="Delegated permissions (scopes)" value={view.scopes} />}
      {view.admin_consent_link && <CopyField label="Admin-consent link" value={view.admin_consent_link} testId="admin-consent-link" />}
    </div>
  );
}
