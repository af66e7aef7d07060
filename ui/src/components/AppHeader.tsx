/** The banner at the top of every screen: the product name and what it is for. */
import { Body1, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { ShieldKeyholeRegular } from "@fluentui/react-icons";

const useStyles = makeStyles({
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  icon: {
    flexShrink: 0,
    fontSize: "40px",
    color: tokens.colorBrandForeground1,
  },
  text: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
  title: {
    margin: 0,
  },
  tagline: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
  },
});

export function AppHeader() {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <ShieldKeyholeRegular className={styles.icon} aria-hidden />
      <div className={styles.text}>
        <Title2 as="h1" className={styles.title}>
          Entra Setup Wizard
        </Title2>
        <Body1 as="p" className={styles.tagline}>
          Registers and configures the Microsoft Entra ID app an integration needs, and verifies
          every step live against Microsoft.
        </Body1>
      </div>
    </header>
  );
}
