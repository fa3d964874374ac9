import { expect, type Page } from "@playwright/test";

export const PHONE = { width: 390, height: 844 };

/**
 * What sticks out past the viewport's right edge at this width: the page scrolling sideways, or an element
 * whose box leaves the viewport or whose content is cut off by `overflow: hidden` — except inside a box
 * meant to scroll sideways (a code snippet) and screen-reader-only text.
 */
export async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > vw + 1)
      found.push(`page scrolls to ${document.documentElement.scrollWidth}px`);
    for (const el of document.querySelectorAll<HTMLElement>("body *")) {
      const style = getComputedStyle(el);
      if (el.classList.contains("sr-only") || style.display === "none") continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      let scroller = false;
      for (let a = el.parentElement; a && !scroller; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        scroller = ox === "auto" || ox === "scroll";
      }
      if (scroller) continue;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} “${(el.textContent ?? "").trim().slice(0, 30)}”`;
      if (r.right > vw + 1) found.push(`${name} ends at ${Math.round(r.right)}px`);
      else if (
        ["hidden", "clip"].includes(style.overflowX) &&
        style.textOverflow !== "ellipsis" &&
        el.scrollWidth > el.clientWidth + 1
      )
        found.push(`${name} cuts off ${el.scrollWidth - el.clientWidth}px`);
    }
    return found.slice(0, 10);
  });
}

export async function expectNoHorizontalOverflow(page: Page, what: string) {
  expect(await horizontalOverflow(page), `${what} at ${page.viewportSize()?.width}px`).toEqual([]);
}
