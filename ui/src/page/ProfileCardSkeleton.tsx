/** @jsxImportSource preact */
/**
 * A profile card's skeleton while the profiles load: the real card's parts (profileCards.ts),
 * as still lines.
 */

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
