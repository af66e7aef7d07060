/** @jsxImportSource preact */
/**
 * One integration profile on the start screen: what it sets up, what the admin will need, how
 * long it takes and how many checks it runs. The card is a radio button in the profile list's
 * radio group: focusable, and selected by click, Space or Enter.
 */
import { useId } from "preact/hooks";
import type { Ref } from "preact";
import type { ProfileKind, ProfileSummary } from "../ipc";
import { Icon } from "./Icon";

/** How each kind of profile is described to the admin. */
const KIND_LABELS: Record<ProfileKind, string> = {
  delegated_web: "Users sign in (delegated)",
  app_only: "Runs as the app (application permissions)",
  vendor_consent: "Approves a vendor's app",
  custom: "Custom",
};

export interface ProfileCardProps {
  profile: ProfileSummary;
  selected: boolean;
  /** 0 for the one card of the group that Tab reaches, -1 for the others (roving tab stop). */
  tabIndex: 0 | -1;
  onSelect: (profile: ProfileSummary) => void;
  /** Arrow-key navigation between cards is handled by the list. */
  onKeyDown?: (event: KeyboardEvent) => void;
  cardRef?: Ref<HTMLDivElement>;
}

export function ProfileCard({ profile, selected, tabIndex, onSelect, onKeyDown, cardRef }: ProfileCardProps) {
  const titleId = useId();
  const detailsId = useId();
  const handleKeyDown = (event: KeyboardEvent) => {
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      onSelect(profile);
      return;
    }
    onKeyDown?.(event);
  };
  return (
    <div
      ref={cardRef}
      role="radio"
      aria-checked={selected}
      aria-labelledby={titleId}
      aria-describedby={detailsId}
      tabIndex={tabIndex}
      data-testid={`profile-card-${profile.id}`}
      data-selected={selected}
      class={selected ? "card profile-card selected" : "card profile-card"}
      onClick={() => onSelect(profile)}
      onKeyDown={handleKeyDown}
    >
      <div class="card-header">
        <Icon name="PlugConnectedRegular" class="card-image" />
        <div class="card-heading">
          <h3 id={titleId} class="subtitle2">
            {profile.title}
          </h3>
          <span class="card-description">
            <span class="caption1">{profile.product}</span>
            {profile.source.type === "user" && <span class="badge">Your own profile</span>}
          </span>
        </div>
        {selected && <Icon name="CheckmarkCircleFilled" class="card-selected-mark" />}
      </div>
      <div id={detailsId} class="card-details">
        <p class="body1">{profile.summary}</p>
        <dl class="needs">
          <dt>Admin roles</dt>
          <dd>
            <NeedList items={profile.admin_roles} />
          </dd>
          <dt>Licences</dt>
          <dd>
            <NeedList items={profile.licences} />
          </dd>
          <dt>Access</dt>
          <dd>{KIND_LABELS[profile.kind]}</dd>
        </dl>
        <div class="card-footer">
          <span class="fact">
            <Icon name="ClockRegular" />
            About {profile.estimated_minutes} minutes
          </span>
          <span class="fact">
            <Icon name="TaskListLtrRegular" />
            {profile.checks.length} {profile.checks.length === 1 ? "check" : "checks"}
          </span>
        </div>
      </div>
    </div>
  );
}

/** Roles or licences as a plain list: their names are often whole phrases. */
function NeedList({ items }: { items: string[] }) {
  if (items.length === 0) return <span>None in particular</span>;
  if (items.length === 1) return <span>{items[0]}</span>;
  return (
    <ul class="need-list">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

/** A card's skeleton while the profiles load: the real card's parts, as still lines. */
export function ProfileCardSkeleton() {
  return (
    <div class="card profile-card" aria-hidden="true" data-testid="profile-skeleton">
      <div class="card-header">
        <span class="bone" style="width: 32px; height: 32px" />
        <div class="card-heading">
          <span class="bone" style="height: var(--lineHeightBase400); width: 60%" />
          <span class="bone" style="height: var(--lineHeightBase200); width: 40%" />
        </div>
      </div>
      <div class="card-details">
        <span class="bone" style="height: var(--lineHeightBase300)" />
        <span class="bone" style="height: var(--lineHeightBase300); width: 80%" />
        <span class="bone" style="height: var(--lineHeightBase300); width: 70%" />
        <span class="bone" style="height: var(--lineHeightBase300); width: 70%" />
        <span class="bone" style="height: var(--lineHeightBase300); width: 50%" />
      </div>
    </div>
  );
}
