/** @jsxImportSource preact */
/**
 * The profiles to choose from, as a radio group of cards: Tab reaches the group once (the
 * selected card, or the first), the arrow keys, Home and End move between cards and select
 * them, Space and Enter select the focused card, a click selects the card clicked. The cards'
 * elements come from profileCards.ts (cloned, not rendered one by one); this keeps them in step
 * with the profiles and the selection. The launch is over when its cards are in the page (the
 * `first-screen` mark `make bench` reads).
 */
import { useId, useLayoutEffect, useRef } from "preact/hooks";
import type { ProfileSummary } from "../ipc";
import { markFirstScreen } from "../firstScreen";
import { ProfileCardSkeleton } from "./ProfileCardSkeleton";
import { buildCard, markCard } from "./profileCards";

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
  const list = useRef<HTMLDivElement>(null);
  const cards = useRef<HTMLDivElement[]>([]);
  const idPrefix = useId();
  const selectedIndex = profiles.findIndex((profile) => profile.id === selectedId);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;

  // The cards are in the page before it paints: the launch is over.
  useLayoutEffect(() => {
    cards.current = profiles.map((profile, index) => buildCard(profile, `${idPrefix}-${index}`));
    list.current?.replaceChildren(...cards.current);
    if (profiles.length > 0) markFirstScreen();
  }, [profiles]);
  useLayoutEffect(() => {
    cards.current.forEach((card, index) => markCard(card, index === selectedIndex, index === tabStop));
  }, [profiles, selectedIndex, tabStop]);

  /** The index of the card an event happened in, if any. */
  const cardOf = (event: Event): number => {
    const card = (event.target as Element | null)?.closest?.("[role='radio']");
    return card ? cards.current.indexOf(card as HTMLDivElement) : -1;
  };

  const moveTo = (index: number) => {
    const count = profiles.length;
    const wrapped = ((index % count) + count) % count;
    const target = profiles[wrapped];
    if (!target) return;
    onSelect(target);
    cards.current[wrapped]?.focus();
  };

  const handleKeyDown = (event: KeyboardEvent) => {
    const index = cardOf(event);
    if (index < 0) return;
    switch (event.key) {
      case " ":
      case "Enter": {
        const profile = profiles[index];
        if (profile) onSelect(profile);
        break;
      }
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

  const handleClick = (event: MouseEvent) => {
    const profile = profiles[cardOf(event)];
    if (profile) onSelect(profile);
  };

  return (
    <div
      ref={list}
      role="radiogroup"
      aria-labelledby={labelledBy}
      data-testid="profile-list"
      class="profile-list"
      onClick={handleClick}
      onKeyDown={handleKeyDown}
      onPointerEnter={onIntent}
      onFocusIn={onIntent}
    />
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
