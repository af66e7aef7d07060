/** A small table under its column headings; its rows are the children. */
import type { ReactNode } from "react";
import { Table, TableBody, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";

export interface HeadedTableProps {
  /** What the table holds, for screen readers. */
  label: string;
  testId: string;
  headings: string[];
  /** The rows (`TableRow`s). */
  children: ReactNode;
}

export function HeadedTable({ label, testId, headings, children }: HeadedTableProps) {
  return (
    <Table aria-label={label} size="small" data-testid={testId}>
      <TableHeader>
        <TableRow>
          {headings.map((heading) => (
            <TableHeaderCell key={heading}>{heading}</TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>{children}</TableBody>
    </Table>
  );
}
