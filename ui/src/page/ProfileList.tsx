/** @jsxImportSource preact */
/**
 * The profiles to choose from, as a radio group of cards: Tab reaches the group once (the
 * selected card, or the first), the arrow keys, Home and End move between cards and select
 * them, Space and Enter select the focused card. The launch is over when its cards are in the
 * page (the `first-screen` mark `make bench` reads).
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { ProfileSummary } from "../ipc";
import { markFirstScreen } from "../firstScreen";
import { ProfileCard, ProfileCardSkeleton } from "./ProfileCard";

export interface ProfileListProps {
  profiles: ProfileSummary[];
  selectedId: string | undefined;
  onSelect: (profile: ProfileSummary) => void;
  /** The id of the heading that names the group. */
  labelledBy: string;
  /** The admin points at or focuses a card: about to choose one (the wizard can load). */
  onIntent?: () => void;
}

export function ProfileList({ profiles, selectedId, onSelect, labelledBy, onIntent }: ProfileListProps) {
  const cards = useRef(new Map<string, HTMLDivElement>());
  const selectedIndex = profiles.findIndex((profile) => profile.id === selectedId);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;
  // The cards are in the page before it paints: the launch is over.
  useLayoutEffect(() => {
    if (profiles.length > 0) markFirstScreen();
  }, [profiles.length]);

  const moveTo = (index: number) => {
    const count = profiles.length;
    const target = profiles[((index % count) + count) % count];
    if (!target) return;
    onSelect(target);
    cards.current.get(target.id)?.focus();
  };

  const handleKeyDown = (index: number) => (event: KeyboardEvent) => {
    switch (event.key) {
      case "ArrowDown":
      case "ArrowRight":
        moveTo(index + 1);
        break;
      case "ArrowUp":
      case "ArrowLeft":
        moveTo(index - 1);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(profiles.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      role="radiogroup"
      aria-labelledby={labelledBy}
      data-testid="profile-list"
      class="profile-list"
      onPointerEnter={onIntent}
      onFocusIn={onIntent}
    >
      {profiles.map((profile, index) => (
        <ProfileCard
          key={profile.id}
          cardRef={(element: HTMLDivElement | null) => {
            if (element) cards.current.set(profile.id, element);
            else cards.current.delete(profile.id);
          }}
          profile={profile}
          selected={profile.id === selectedId}
          tabIndex={index === tabStop ? 0 : -1}
          onSelect={onSelect}
          onKeyDown={handleKeyDown(index)}
        />
      ))}
    </div>
  );
}

/**
 * The list's place while the profiles load: `count` card skeletons in the same grid, so the
 * cards take their place without moving anything. Said to assistive technology as loading.
 */
export function ProfileListSkeleton({ count, label }: { count: number; label: string }) {
  return (
    <div role="status" aria-busy="true" data-testid="profiles-loading" class="profile-list">
      <span class="visually-hidden">{label}</span>
      {Array.from({ length: count }, (_, index) => (
        <ProfileCardSkeleton key={index} />
      ))}
    </div>
  );
}
