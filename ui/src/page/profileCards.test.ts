/** The cards' elements: every text from a profile (the admin's own profiles included) is text, never markup. */
import { describe, expect, it } from "vitest";
import { axeroCalendar, vendorConsent } from "../test/profiles";
import { buildCard, markCard } from "./profileCards";

describe("profile cards", () => {
  it("shows a profile's words as they are, even when they look like markup", () => {
    const hostile = {
      ...vendorConsent,
      title: '<img src=x onerror="window.hit=1">Vendor',
      summary: "<b>bold</b> & more",
      admin_roles: ["<i>role</i>"],
    };
    const card = buildCard(hostile, "t");
    expect(card.querySelector("img, b, i")).toBeNull();
    expect(card.querySelector("h3")?.textContent).toBe(hostile.title);
    expect(card.querySelector("p")?.textContent).toBe("<b>bold</b> & more");
    expect(card.textContent).toContain("<i>role</i>");
  });

  it("names the card by its title and describes it by its details, with ids unique to the prefix", () => {
    const card = buildCard(axeroCalendar, "list-3");
    expect(card.getAttribute("aria-labelledby")).toBe("list-3-title");
    expect(card.querySelector("#list-3-title")?.textContent).toBe(axeroCalendar.title);
    expect(card.getAttribute("aria-describedby")).toBe("list-3-details");
    expect(card.dataset.testid).toBe(`profile-card-${axeroCalendar.id}`);
    expect(card.querySelector(".badge")).toBeNull();
  });

  it("marks the selection and the group's one tab stop", () => {
    const card = buildCard(axeroCalendar, "x");
    markCard(card, false, true);
    expect(card).toHaveAttribute("aria-checked", "false");
    expect(card.tabIndex).toBe(0);
    expect(card.querySelector<HTMLElement>(".card-selected-mark")?.hidden).toBe(true);
    markCard(card, true, false);
    expect(card).toHaveAttribute("aria-checked", "true");
    expect(card).toHaveAttribute("data-selected", "true");
    expect(card.classList.contains("selected")).toBe(true);
    expect(card.tabIndex).toBe(-1);
    expect(card.querySelector<HTMLElement>(".card-selected-mark")?.hidden).toBe(false);
  });
});
