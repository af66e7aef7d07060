/** The Fluent icons the page draws (their glyphs come from @fluentui/react-icons' icon font at build time). */
export const PAGE_ICONS = [
  "ShieldKeyholeRegular",
  "AlertRegular",
  "StethoscopeRegular",
  "PlugConnectedRegular",
  "CheckmarkCircleFilled",
  "ClockRegular",
  "TaskListLtrRegular",
  "ArrowRightRegular",
  "BeakerRegular",
  "ArrowClockwiseRegular",
  "DocumentArrowUpRegular",
  "FolderOpenRegular",
  "ErrorCircleFilled",
  "WarningFilled",
  "InfoFilled",
] as const;

export type IconName = (typeof PAGE_ICONS)[number];
