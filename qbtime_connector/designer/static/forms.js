// The form renderer: one step's inputs as a form, built only from the manifest's input entries.
"use strict";

(function () {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function given(value) {
    return value !== undefined && value !== null && value !== "" &&
      !(Array.isArray(value) && value.length === 0);
  }

  function choicesOf(input) {
    if (Array.isArray(input.choices)) return input.choices;
    return (input.allowed || []).map((v) => ({ value: v, label: String(v) }));
  }

  function choiceLabel(input, value) {
    const found = choicesOf(input).find((c) => String(c.value) === String(value));
    return found ? found.label : String(value);
  }

  function defaultText(input) {
    const values = Array.isArray(input.default) ? input.default : [input.default];
    return values.map((v) => choiceLabel(input, v)).join(", ");
  }

  function emptyOption(input, text) {
    const fallback = given(input.default) ? `Default: ${defaultText(input)}` : "—";
    return el("option", { value: "" }, text || fallback);
  }

  function placeholderOf(input) {
    if (input.placeholder) return input.placeholder;
    if (given(input.default)) return `Default: ${defaultText(input)}`;
    if (given(input.example)) return `e.g. ${typeof input.example === "string" ? input.example : JSON.stringify(input.example)}`;
    return "";
  }

  // --- controls ---------------------------------------------------------------------------

  function selectControl(input, value, id, change) {
    const select = el("select", { id, name: input.key, onchange: () => change(select.value) },
      emptyOption(input));
    for (const choice of choicesOf(input)) {
      select.append(el("option", { value: String(choice.value) }, choice.label));
    }
    if (given(value)) keepOption(select, String(value));
    return select;
  }

  function keepOption(select, value) {
    if (![...select.options].some((o) => o.value === value)) {
      select.append(el("option", { value }, value));
    }
    select.value = value;
  }

  function booleanControl(input, value, id, change) {
    const withChoices = Object.assign({}, input, {
      choices: [{ value: "true", label: "Yes" }, { value: "false", label: "No" }],
    });
    return selectControl(withChoices, given(value) ? String(value) : "", id, change);
  }

  function pickListControl(input, value, id, change, ctx) {
    const select = el("select", { id, name: input.key, "data-pick-list": input.options.pick_list,
      onchange: () => change(select.value) });
    const note = el("span", { class: "pick-note" });
    const more = el("button", { type: "button", class: "small", hidden: true }, "More…");
    const search = ctx.searchable(input)
      ? el("input", { type: "search", class: "pick-search", placeholder: "Search…", "aria-label": `Search ${input.label}` })
      : null;
    let page = 1;
    async function load(append, fresh) {
      page = append ? page + 1 : 1;
      const current = select.value || (given(value) ? String(value) : "");
      select.dataset.loaded = "";
      if (!append) select.replaceChildren(emptyOption(input, "Loading…"));
      select.disabled = true;
      const answer = await ctx.loadOptions(input, page, search ? search.value.trim() : "", fresh);
      select.disabled = false;
      if (!append) select.replaceChildren(emptyOption(input, answer.error ? "—" : "Choose…"));
      note.textContent = answer.error || "";
      for (const option of answer.options || []) {
        select.append(el("option", { value: String(option.key) }, option.label));
      }
      more.hidden = !answer.more;
      if (current) keepOption(select, current);
      select.dataset.loaded = String(page);
    }
    more.addEventListener("click", () => load(true));
    let typing = null;
    if (search) {
      search.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => load(false), 300); });
    }
    select.reload = () => { value = ""; return load(false); };
    load(false);
    const refresh = el("button", { type: "button", class: "small", title: "Reload the list",
      "aria-label": `Reload ${input.label}`, onclick: () => load(false, true) }, "⟳");
    return el("span", { class: "pick" }, select, refresh, search, more, note);
  }

  function keyValueControl(input, value, id, change) {
    const rows = el("div", { class: "kv", id });
    let pairs = Array.isArray(value) ? value.map((p) => ({ key: p.key, value: p.value }))
      : Object.entries(value || {}).map(([k, v]) => ({ key: k, value: v }));
    function emit() {
      change(pairs.filter((p) => p.key !== ""));
    }
    function draw() {
      rows.replaceChildren();
      pairs.forEach((pair, n) => {
        const key = el("input", { placeholder: "key", value: pair.key, "aria-label": `${input.label} key ${n + 1}`,
          oninput: () => { pair.key = key.value; emit(); } });
        const val = el("input", { placeholder: "value", value: pair.value ?? "", "aria-label": `${input.label} value ${n + 1}`,
          oninput: () => { pair.value = val.value; emit(); } });
        const drop = el("button", { type: "button", class: "small", "aria-label": "Remove pair",
          onclick: () => { pairs.splice(n, 1); draw(); emit(); } }, "✕");
        rows.append(el("div", { class: "kv-row" }, key, val, drop));
      });
      rows.append(el("button", { type: "button", class: "small",
        onclick: () => { pairs.push({ key: "", value: "" }); draw(); } }, "+ pair"));
    }
    draw();
    return rows;
  }

  function textControl(input, value, id, change) {
    const attrs = { id, name: input.key, placeholder: placeholderOf(input) };
    const text = given(value) ? (typeof value === "string" ? value : JSON.stringify(value)) : "";
    if (input.type === "record_list" || input.type === "json") {
      const area = el("textarea", Object.assign(attrs, { rows: 4, oninput: () => change(area.value) }));
      area.value = text;
      return area;
    }
    const box = el("input", Object.assign(attrs, { type: "text", value: text,
      inputmode: input.type === "integer" ? "numeric" : null, oninput: () => change(box.value) }));
    return box;
  }

  // Several of the choices (a choice_list): checkboxes; none ticked means "not given".
  function checkboxesControl(input, value, id, change) {
    const picked = new Set((Array.isArray(value) ? value : given(value) ? String(value).split(",") : []).map(String));
    const box = el("div", { class: "checks", id, role: "group" });
    for (const choice of choicesOf(input)) {
      const tick = el("input", { type: "checkbox", value: String(choice.value), checked: picked.has(String(choice.value)),
        onchange: () => change([...box.querySelectorAll("input:checked")].map((t) => t.value)) });
      box.append(el("label", { class: "check" }, tick, ` ${choice.label}`));
    }
    return box;
  }

  function control(input, value, id, change, ctx) {
    if (input.options && input.options.pick_list) return pickListControl(input, value, id, change, ctx);
    if (input.type === "choice_list") return checkboxesControl(input, value, id, change);
    if (choicesOf(input).length) return selectControl(input, value, id, change);
    if (input.type === "boolean") return booleanControl(input, value, id, change);
    if (input.type === "key_value_list") return keyValueControl(input, value, id, change);
    return textControl(input, value, id, change);
  }

  // --- mapping from earlier steps ---------------------------------------------------------

  function mapper(input, id, ctx, setMapped) {
    const canMap = ctx.canMap ? ctx.canMap() : ctx.mappings().length > 0;
    if (!canMap || input.type === "key_value_list" || input.type === "choice_list") return null;
    const menu = el("select", { class: "map-menu", "aria-label": `Map ${input.label} from an earlier step`,
      onchange: () => { if (menu.value) setMapped(`{{${menu.value}}}`); menu.value = ""; } },
      el("option", { value: "" }, "Map…"));
    // The earlier steps' fields are listed when the menu is first used, not for every field of
    // every step at each redraw: a long flow of large results has tens of thousands.
    const fill = () => {
      if (menu.dataset.filled) return;
      menu.dataset.filled = "true";
      for (const path of ctx.mappings()) menu.append(el("option", { value: path.ref }, path.label));
    };
    menu.addEventListener("focus", fill);
    menu.addEventListener("mousedown", fill);
    return menu;
  }

  // --- visibility -------------------------------------------------------------------------

  function currentValue(inputs, values, key) {
    if (given(values[key])) return values[key];
    const input = inputs.find((i) => i.key === key);
    return input ? input.default : undefined;
  }

  function isVisible(input, inputs, values) {
    const when = input.visible_when;
    if (!when) return true;
    return Object.entries(when).every(([key, wanted]) => {
      const actual = currentValue(inputs, values, key);
      const options = Array.isArray(wanted) ? wanted : [wanted];
      return options.some((w) => String(w) === String(actual));
    });
  }

  function rulesText(rules, inputs) {
    const label = (path) => {
      const [key, ...rest] = path.split(".");
      const input = inputs.find((i) => i.key === key);
      return [input ? input.label : key, ...rest].join(" › ");
    };
    return (rules || []).map((rule) => {
      const [kind, args] = Object.entries(rule)[0] || [];
      if (kind === "end_after_start" && args) return `${label(args.end)} must be after ${label(args.start)}.`;
      if (!Array.isArray(args)) return null;
      const names = args.map(label).join(", ");
      if (kind === "one_of_required") return `One of ${names} is required.`;
      if (kind === "at_least_one_of") return `At least one of ${names} is required.`;
      return `${kind.replaceAll("_", " ")}: ${names}`;
    }).filter(Boolean);
  }

  // --- the form ---------------------------------------------------------------------------

  // entry: a manifest action or trigger; values: the step's inputs (changed in place);
  // ctx: {prefix, loadOptions(input, page, search, fresh) -> Promise<{options, more, error}>,
  //       searchable(input) -> bool, mappings(), canMap() -> whether anything comes before}.
  function renderForm(entry, values, ctx) {
    const form = el("div", { class: "form" });
    const fields = new Map();
    const inputs = entry.inputs || [];

    function refresh(changedKey) {
      for (const input of inputs) {
        const field = fields.get(input.key);
        field.hidden = !isVisible(input, inputs, values);
        const deps = (input.options && input.options.depends_on) || [];
        if (changedKey && deps.includes(changedKey)) {
          delete values[input.key];
          const select = field.querySelector("select[data-pick-list]");
          if (select) select.reload();
        }
      }
    }

    function field(input) {
      const id = `${ctx.prefix}-${input.key}`;
      const change = (value) => {
        if (given(value)) values[input.key] = value; else delete values[input.key];
        field.querySelector(".field-error").textContent = "";
        field.classList.remove("invalid");
        refresh(input.key);
        if (ctx.changed) ctx.changed();
      };
      const widget = control(input, values[input.key], id, change, ctx);
      const setMapped = (ref) => {
        const target = widget.matches("select, input, textarea") ? widget : widget.querySelector("select");
        if (target.tagName === "SELECT") keepOption(target, ref); else target.value = ref;
        change(ref);
      };
      const field = el("div", { class: "field", "data-input": input.key },
        el("label", { for: id }, input.label,
          input.required ? el("span", { class: "required", title: "required" }, " *") : null),
        el("div", { class: "control" }, widget, mapper(input, id, ctx, setMapped)),
        input.comments ? el("p", { class: "help" }, input.comments) : null,
        el("p", { class: "field-error", "data-error-for": input.key, role: "alert" }));
      fields.set(input.key, field);
      return field;
    }

    for (const note of rulesText(entry.rules, inputs)) form.append(el("p", { class: "rule" }, note));
    const groups = new Map();
    const advanced = el("details", { class: "advanced" }, el("summary", {}, "Advanced"));
    for (const input of inputs) {
      let parent = form;
      if (input.advanced) parent = advanced;
      if (input.group) {
        const name = `${input.advanced ? "a:" : ""}${input.group}`;
        if (!groups.has(name)) {
          const set = el("fieldset", {}, el("legend", {}, input.group));
          groups.set(name, set);
          parent.append(set);
        }
        parent = groups.get(name);
      }
      parent.append(field(input));
    }
    if (advanced.children.length > 1) form.append(advanced);
    refresh(null);

    form.showErrors = (errors) => {
      for (const error of errors) {
        const target = fields.get(error.input);
        if (!target) continue;
        target.hidden = false;
        target.classList.add("invalid");
        const details = target.closest("details");
        if (details) details.open = true;
        target.querySelector(".field-error").textContent = error.message;
      }
    };
    form.clearErrors = () => {
      for (const target of fields.values()) {
        target.classList.remove("invalid");
        target.querySelector(".field-error").textContent = "";
      }
    };
    return form;
  }

  // --- what a result offers for mapping ---------------------------------------------------

  function resolveRef(root, schema) {
    let node = schema;
    for (let hops = 0; node && node.$ref && hops < 10; hops++) {
      if (!node.$ref.startsWith("#/")) return {};
      node = node.$ref.slice(2).split("/").reduce((at, part) => (at ? at[part] : undefined), root);
    }
    if (node && !node.properties && !node.items) {
      const branch = (node.anyOf || node.oneOf || node.allOf || []).find((b) => b.properties || b.items || b.$ref);
      if (branch) return resolveRef(root, branch);
    }
    return node || {};
  }

  function schemaPaths(root, schema, ref, label, out, depth) {
    const node = resolveRef(root, schema);
    if (depth > 6 || out.length > 400) return;
    if (node.properties) {
      for (const [key, child] of Object.entries(node.properties)) {
        out.push({ ref: `${ref}.${key}`, label: `${label} › ${key}` });
        schemaPaths(root, child, `${ref}.${key}`, `${label} › ${key}`, out, depth + 1);
      }
    } else if (node.items && !Array.isArray(node.items)) {
      out.push({ ref: `${ref}.0`, label: `${label} › first` });
      schemaPaths(root, node.items, `${ref}.0`, `${label} › first`, out, depth + 1);
    }
  }

  function examplePaths(value, ref, label, out, depth) {
    if (depth > 6 || out.length > 400 || value === null || typeof value !== "object") return;
    const entries = Array.isArray(value) ? (value.length ? [["0", value[0]]] : []) : Object.entries(value);
    for (const [key, child] of entries) {
      const name = Array.isArray(value) ? "first" : key;
      out.push({ ref: `${ref}.${key}`, label: `${label} › ${name}` });
      examplePaths(child, `${ref}.${key}`, `${label} › ${name}`, out, depth + 1);
    }
  }

  // The fields an action's result offers, from its output schema (else its example result).
  function outputPaths(entry, ref, label) {
    const out = [];
    if (entry.output) schemaPaths(entry.output, entry.output, ref, label, out, 0);
    else if (entry.example) examplePaths(entry.example, ref, label, out, 0);
    return out;
  }

  window.QBForms = { el, renderForm, outputPaths, given };
})();
