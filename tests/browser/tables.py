"""Is every table of a page readable? Measured in the browser, for any page (#20 crawls
every page of every role with it).

At a wide width (1280 px) every column is inside the viewport without scrolling, except in a
data grid (`paliers-table--grid`, the caseload's 17 columns), which scrolls as below. At a
narrow one (360 px) a table either fits — cells wrapped or stacked rows — or scrolls inside
a region that takes the keyboard focus, is named by its caption and shows its edges
(core/tables.py, paliers.css); the page itself never scrolls sideways. At both, no word is
wider than its cell (broken in the middle, or spilling over the next column)."""

MEASURE = """(scrollAllowed) => {
    const width = document.documentElement.clientWidth;
    const canvas = document.createElement("canvas").getContext("2d");
    const problems = [];
    const name = (table) => {
        const caption = table.querySelector("caption");
        const text = caption && caption.textContent.trim().replace(/\\s+/g, " ").slice(0, 80);
        return text || "(tableau sans légende)";
    };
    const longestWord = (cell) => {
        const style = getComputedStyle(cell);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        let longest = 0, word = "";
        // Spaces and hyphens are where a line may break: « 2025-2026 » on two lines is still read.
        // Words shown: not those only read out (fr-sr-only: a sortable column's full title).
        const shownText = cell.cloneNode(true);
        shownText.querySelectorAll(".fr-sr-only").forEach((hidden) => hidden.remove());
        for (const w of shownText.textContent.split(/[\\s\\-‐]+/)) {
            const measured = canvas.measureText(w).width;
            if (measured > longest) { longest = measured; word = w; }
        }
        return [longest, word];
    };
    if (document.documentElement.scrollWidth > width + 1) {
        problems.push(`la page défile en largeur (${document.documentElement.scrollWidth} px pour ${width})`);
    }
    for (const table of document.querySelectorAll("table")) {
        if (!table.getClientRects().length) continue;  // hidden (a closed details, a tab)
        const label = name(table);
        const region = table.closest(".fr-table__container");
        const overflow = region ? region.scrollWidth - region.clientWidth : 0;
        // Cells on screen: not the head row a stacked table keeps for screen readers only (1 px).
        const wide = (element) => !element || element.getBoundingClientRect().width > 2;
        const shown = (c) => wide(c) && wide(c.closest("thead"));
        const cells = [...table.querySelectorAll("th, td")].filter(shown);
        const outside = cells.filter((c) => c.getBoundingClientRect().right > width + 1);
        if (overflow > 1 || outside.length) {
            // A data grid (core/tables.py) may scroll at any width: the region's rules below hold.
            if (!scrollAllowed && !table.closest(".paliers-table--grid")) {
                const headers = [...table.querySelectorAll("thead th")]
                    .filter((c) => c.getBoundingClientRect().right > width + 1)
                    .map((c) => c.innerText.trim());
                const which = headers.join(", ") || `${outside.length} cellules`;
                problems.push(`« ${label} » : colonnes hors de la vue (${which})`);
            } else if (!region) {
                problems.push(`« ${label} » : déborde sans région défilante`);
            } else {
                const labelledBy = region.getAttribute("aria-labelledby");
                const caption = labelledBy && document.getElementById(labelledBy);
                if (region.tabIndex !== 0) {
                    problems.push(`« ${label} » : région défilante hors de portée du clavier`);
                }
                if (region.getAttribute("role") !== "region" || !caption || !caption.textContent.trim()) {
                    problems.push(`« ${label} » : région défilante sans nom (légende)`);
                }
                if (!getComputedStyle(region).backgroundImage.includes("gradient")) {
                    problems.push(`« ${label} » : rien ne montre que le tableau défile`);
                }
            }
        }
        for (const cell of cells) {
            const style = getComputedStyle(cell);
            const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const [longest, word] = longestWord(cell);
            if (longest > room + 2) {
                const sizes = `${Math.round(longest)} px pour ${Math.round(room)}`;
                problems.push(`« ${label} » : « ${word.slice(0, 40)} » plus large que sa cellule (${sizes})`);
                break;
            }
        }
    }
    return problems;
}"""

WIDE, NARROW = 1280, 360


def table_problems(page, *, scroll_allowed):
    """What makes a table of the loaded page unreadable at the current width (French)."""
    return page.evaluate(MEASURE, scroll_allowed)


def unreadable_tables(page, path, widths=(WIDE, NARROW), height=900):
    """Load `path` (relative to the page's origin, or a full address) at each width and
    measure every table: {width: [problems]} for the widths that have some."""
    found = {}
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        problems = table_problems(page, scroll_allowed=width < WIDE)
        if problems:
            found[width] = problems
    return found


def page_has_table(page):
    return page.evaluate("() => document.querySelectorAll('table').length > 0")
