/**
 * The profile cards' elements, built by cloning one template and filling in its text: the list
 * is the start screen's biggest part (hundreds of elements), and building it this way runs a
 * few calls per card instead of the renderer's several per element, so the launch runs little
 * script and the JavaScript engine has nothing hot to optimise. Every text is set as text,
 * never as markup. The card is a radio button in the list's radio group (see ProfileList).
 */
import type { ProfileKind, ProfileSummary } from "../ipc";

/** How each kind of profile is described to the admin. */
const KIND_LABELS: Record<ProfileKind, string> = {
  delegated_web: "Users sign in (delegated)",
  app_only: "Runs as the app (application permissions)",
  vendor_consent: "Approves a vendor's app",
  custom: "Custom",
};

/** One card's markup, without any text of its own (a constant, never built from data). */
const CARD_MARKUP = `<div role="radio" class="card profile-card">
<div class="card-header">
<span class="icon icon-PlugConnectedRegular card-image" aria-hidden="true"></span>
<div class="card-heading"><h3 class="subtitle2"></h3><span class="card-description"><span class="caption1"></span><span class="badge">Your own profile</span></span></div>
<span class="icon icon-CheckmarkCircleFilled card-selected-mark" aria-hidden="true"></span>
</div>
<div class="card-details">
<p class="body1"></p>
<dl class="needs"><dt>Admin roles</dt><dd></dd><dt>Licences</dt><dd></dd><dt>Access</dt><dd></dd></dl>
<div class="card-footer">
<span class="fact"><span class="icon icon-ClockRegular" aria-hidden="true"></span><span></span></span>
<span class="fact"><span class="icon icon-TaskListLtrRegular" aria-hidden="true"></span><span></span></span>
</div>
</div>
</div>`;

let template: HTMLTemplateElement | undefined;

function cardTemplate(): HTMLElement {
  if (!template) {
    template = document.createElement("template");
    template.innerHTML = CARD_MARKUP.replaceAll("\n", "");
  }
  return template.content.firstElementChild as HTMLElement;
}

/** Roles or licences as a plain list: their names are often whole phrases. */
function fillNeeds(place: HTMLElement, items: string[]): void {
  if (items.length <= 1) {
    const only = document.createElement("span");
    only.textContent = items[0] ?? "None in particular";
    place.append(only);
    return;
  }
  const list = document.createElement("ul");
  list.className = "need-list";
  for (let index = 0; index < items.length; index++) {
    const entry = document.createElement("li");
    entry.textContent = items[index] ?? "";
    list.append(entry);
  }
  place.append(list);
}

/**
 * A profile's card; `idPrefix` keeps its title's and details' ids unique in the page. Its parts
 * are found with the engine's own queries and indexes rather than a helper or destructuring:
 * run once per card, those would be the launch's hottest script.
 */
export function buildCard(profile: ProfileSummary, idPrefix: string): HTMLDivElement {
  const card = document.importNode(cardTemplate(), true) as HTMLDivElement;
  const titleId = `${idPrefix}-title`;
  const detailsId = `${idPrefix}-details`;
  card.dataset.testid = `profile-card-${profile.id}`;
  card.setAttribute("aria-labelledby", titleId);
  card.setAttribute("aria-describedby", detailsId);
  const title = card.querySelector("h3") as HTMLElement;
  title.id = titleId;
  title.textContent = profile.title;
  (card.querySelector(".caption1") as HTMLElement).textContent = profile.product;
  if (profile.source.type !== "user") card.querySelector(".badge")?.remove();
  (card.querySelector(".card-details") as HTMLElement).id = detailsId;
  (card.querySelector("p") as HTMLElement).textContent = profile.summary;
  const needs = card.querySelectorAll<HTMLElement>("dd");
  fillNeeds(needs[0] as HTMLElement, profile.admin_roles);
  fillNeeds(needs[1] as HTMLElement, profile.licences);
  (needs[2] as HTMLElement).textContent = KIND_LABELS[profile.kind];
  const facts = card.querySelectorAll<HTMLElement>(".fact > span:last-child");
  (facts[0] as HTMLElement).textContent = `About ${profile.estimated_minutes} minutes`;
  const count = profile.checks.length;
  (facts[1] as HTMLElement).textContent = `${count} ${count === 1 ? "check" : "checks"}`;
  return card;
}

/** Show a card as selected or not, and whether Tab reaches it (the group's one tab stop). */
export function markCard(card: HTMLElement, selected: boolean, tabStop: boolean): void {
  card.setAttribute("aria-checked", String(selected));
  card.dataset.selected = String(selected);
  card.classList.toggle("selected", selected);
  card.tabIndex = tabStop ? 0 : -1;
  (card.querySelector(".card-selected-mark") as HTMLElement).hidden = !selected;
}
