// The mapping picker: an earlier step's fields with a sample value beside each, built when opened.
"use strict";

(function () {
  const { el } = window.QBForms;
  const MAX_DEPTH = 6;
  const MAX_ROWS = 800;
  const MAX_INDEX = 20; // list items offered by number; "each" covers the rest

  // How a path step reads: a list index as "first" / "item 3", "*" as "each".
  function partLabel(part) {
    if (part === "*") return "each";
    if (/^\d+$/.test(part)) return Number(part) === 0 ? "first" : `item ${Number(part) + 1}`;
    return part;
  }

  function sampleText(value) {
    if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? "" : "s"}]`;
    if (value !== null && typeof value === "object") return "{…}";
    const text = JSON.stringify(value);
    return text === undefined ? "" : text.length > 40 ? `${text.slice(0, 39)}…` : text;
  }

  // source: {title, note, ref, value}; choose(ref) is called with the picked path.
  function open(anchor, sources, choose) {
    closeOpen();
    const search = el("input", { type: "search", class: "picker-search", placeholder: "Search fields or values…",
      "aria-label": "Search fields and sample values" });
    const list = el("ul", { class: "picker-tree", role: "tree" });
    let rows = 0;

    function leaf(ref, labels, value) {
      rows += 1;
      const text = `${labels.join(" › ")} ${sampleText(value)}`.toLowerCase();
      return el("li", { "data-text": text, role: "treeitem" },
        el("button", { type: "button", class: "picker-field", "data-ref": ref, onclick: () => pick(ref) },
          el("span", { class: "path" }, labels[labels.length - 1]),
          el("span", { class: "sample" }, sampleText(value))));
    }

    function branch(ref, labels, value, depth) {
      const item = leaf(ref, labels, value);
      if (depth >= MAX_DEPTH || rows > MAX_ROWS) return item;
      const children = el("ul", { role: "group" });
      item.append(children);
      if (Array.isArray(value)) {
        if (!value.length) return item;
        const index = el("select", { class: "picker-index", "aria-label": `Which item of ${labels.join(" › ")}` },
          ...value.slice(0, MAX_INDEX).map((_, n) => el("option", { value: String(n) }, partLabel(String(n)))),
          el("option", { value: "*" }, "each"));
        const draw = () => {
          const part = index.value;
          const shown = value[part === "*" ? 0 : Number(part)];
          children.replaceChildren(...grow(`${ref}.${part}`, [...labels, partLabel(part)], shown, depth + 1));
        };
        index.addEventListener("change", () => { draw(); filter(); });
        item.querySelector(".picker-field").after(index);
        draw();
      } else {
        children.append(...grow(ref, labels, value, depth + 1, true));
      }
      return item;
    }

    // The rows under a value: one per field of an object, or the item of a list.
    function grow(ref, labels, value, depth, inside) {
      if (inside && value !== null && typeof value === "object" && !Array.isArray(value)) {
        return Object.entries(value).slice(0, 80).map(([key, child]) =>
          node(`${ref}.${key}`, [...labels, key], child, depth));
      }
      return [node(ref, labels, value, depth)];
    }

    function node(ref, labels, value, depth) {
      return value !== null && typeof value === "object" ? branch(ref, labels, value, depth) : leaf(ref, labels, value);
    }

    for (const source of sources) {
      const fields = source.value && typeof source.value === "object"
        ? grow(source.ref, [source.title], source.value, 0, true) : [];
      list.append(el("li", { class: "picker-source", role: "treeitem", "data-text": "" },
        el("strong", {}, source.title), el("small", {}, ` · ${source.note}`),
        el("ul", { role: "group" }, ...(fields.length ? fields : [el("li", { class: "picker-empty", "data-text": "" }, "No fields to offer")]))));
    }

    // A row stays when it, or anything under it, matches the search.
    function filter() {
      const wanted = search.value.trim().toLowerCase();
      const visit = (item) => {
        const below = [...item.querySelectorAll(":scope > ul > li")].map(visit).some(Boolean);
        const own = !wanted || (item.dataset.text || "").includes(wanted);
        item.hidden = !(own || below);
        return own || below;
      };
      [...list.children].forEach(visit);
      for (const source of list.children) source.hidden = false;
    }
    search.addEventListener("input", filter);

    const dialog = el("div", { class: "picker", role: "dialog", "aria-label": "Map a value from an earlier step" },
      el("div", { class: "picker-head" }, search,
        el("button", { type: "button", class: "small", "aria-label": "Close", onclick: () => close(true) }, "✕")),
      sources.length ? list : el("p", { class: "picker-empty" }, "No earlier step or trigger to map from."));
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.stopPropagation(); close(true); }
    });

    function pick(ref) {
      close(false);
      choose(ref);
    }

    function close(refocus) {
      dialog.remove();
      document.removeEventListener("mousedown", outside, true);
      current = null;
      if (refocus && anchor.isConnected) anchor.focus();
    }

    function outside(event) {
      if (!dialog.contains(event.target) && event.target !== anchor) close(false);
    }

    anchor.closest(".field").append(dialog);
    document.addEventListener("mousedown", outside, true);
    current = close;
    search.focus();
    return dialog;
  }

  let current = null;

  function closeOpen() {
    if (current) current(false);
  }

  window.QBPicker = { open, close: closeOpen, partLabel };
})();
