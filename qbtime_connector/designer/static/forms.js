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

  // A value that is one mapped reference, "{{steps.s1.users.0.id}}": its path, else null.
  function wholeRef(value) {
    const found = typeof value === "string" && /^\s*\{\{\s*([^{}\s]+)\s*\}\}\s*$/.exec(value);
    return found ? found[1] : null;
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

  // --- plain controls ---------------------------------------------------------------------

  function keepOption(select, value, label) {
    let option = [...select.options].find((o) => o.value === value);
    if (!option) {
      option = el("option", { value }, label || value);
      select.append(option);
    } else if (label && option.textContent === value) {
      option.textContent = label;
    }
    select.value = value;
  }

  function selectControl(input, value, id, change) {
    const select = el("select", { id, name: input.key, onchange: () => change(select.value) },
      emptyOption(input));
    for (const choice of choicesOf(input)) {
      select.append(el("option", { value: String(choice.value) }, choice.label));
    }
    if (given(value)) keepOption(select, String(value));
    return select;
  }

  function booleanControl(input, value, id, change) {
    const withChoices = Object.assign({}, input, {
      choices: [{ value: "true", label: "Yes" }, { value: "false", label: "No" }],
    });
    return selectControl(withChoices, given(value) ? String(value) : "", id, change);
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

  // --- dates: the text the API takes, with a picker that writes it -----------------------

  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)([+-]\d{2}:\d{2}|Z)$/;
  const OFFSETS = ["-12:00", "-11:00", "-10:00", "-09:30", "-09:00", "-08:00", "-07:00", "-06:00",
    "-05:00", "-04:00", "-03:30", "-03:00", "-02:00", "-01:00", "+00:00", "+01:00", "+02:00",
    "+03:00", "+03:30", "+04:00", "+04:30", "+05:00", "+05:30", "+05:45", "+06:00", "+06:30",
    "+07:00", "+08:00", "+08:45", "+09:00", "+09:30", "+10:00", "+10:30", "+11:00", "+12:00",
    "+12:45", "+13:00", "+14:00"];

  // The browser's UTC offset at a local date-time, as the API writes it ("-07:00").
  function localOffset(local) {
    const minutes = -new Date(local || Date.now()).getTimezoneOffset();
    const sign = minutes < 0 ? "-" : "+";
    const abs = Math.abs(minutes);
    return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  }

  function dateControl(input, value, id, change) {
    const box = textControl(input, value, id, change);
    const picker = el("input", { type: "date", class: "date-picker", "aria-label": `Pick ${input.label}` });
    const sync = () => { picker.value = DATE.test(box.value.trim()) ? box.value.trim() : ""; };
    picker.addEventListener("change", () => {
      if (!picker.value) return;
      box.value = picker.value;
      change(box.value);
    });
    box.addEventListener("input", sync);
    sync();
    return el("span", { class: "when" }, box, picker);
  }

  function datetimeControl(input, value, id, change) {
    const box = textControl(input, value, id, change);
    const picker = el("input", { type: "datetime-local", step: "1", class: "date-picker",
      "aria-label": `Pick ${input.label} (date and time)` });
    const offset = el("select", { class: "offset", "aria-label": `${input.label}: UTC offset` });
    // The ~40 offsets are added when the menu is first used: a closed menu needs one.
    const fill = () => {
      if (offset.options.length > 1) return;
      const current = offset.value;
      offset.replaceChildren(...OFFSETS.map((o) => el("option", { value: o }, `UTC${o}`)));
      keepOption(offset, current, `UTC${current}`);
    };
    offset.addEventListener("focus", fill);
    offset.addEventListener("mousedown", fill);
    const setOffset = (text) => keepOption(offset, text, `UTC${text}`);
    const sync = () => {
      const found = DATETIME.exec(box.value.trim());
      picker.value = found ? found[1] : "";
      setOffset(found ? (found[2] === "Z" ? "+00:00" : found[2]) : localOffset());
    };
    const write = () => {
      if (!picker.value) return;
      const seconds = picker.value.length === 16 ? `${picker.value}:00` : picker.value;
      box.value = `${seconds}${offset.value || localOffset(picker.value)}`;
      change(box.value);
    };
    picker.addEventListener("change", write);
    offset.addEventListener("change", write);
    box.addEventListener("input", sync);
    sync();
    return el("span", { class: "when" }, box, picker, offset);
  }

  // --- pick lists -------------------------------------------------------------------------

  const MAX_SEARCH_PAGES = 5; // pages of a search read in one go while they match nothing

  function idsOf(value) {
    if (!given(value)) return [];
    const list = Array.isArray(value) ? value : String(value).split(",");
    return list.map((v) => String(v).trim()).filter(Boolean);
  }

  // A drop-down fed by a pick list. `many`: an ID list, several picked (shown as tags).
  function pickListControl(input, value, id, change, ctx, many) {
    const labels = ctx.labels(input.key);
    let picked = many ? idsOf(value) : [];
    const select = el("select", { id, name: input.key, "data-pick-list": input.options.pick_list });
    const note = el("span", { class: "pick-note", role: "status" });
    const more = el("button", { type: "button", class: "small", hidden: true }, "More…");
    const search = ctx.searchable(input)
      ? el("input", { type: "search", class: "pick-search", placeholder: "Search…", "aria-label": `Search ${input.label}` })
      : null;
    const tags = many ? el("span", { class: "tags" }) : null;
    let page = 1;
    let current = !many && given(value) ? String(value) : "";

    function drawTags() {
      tags.replaceChildren(...picked.map((key, n) => el("span", { class: "tag" }, labels[key] || key,
        el("button", { type: "button", class: "small", "aria-label": `Remove ${labels[key] || key}`,
          onclick: () => {
            picked = picked.filter((k) => k !== key);
            delete labels[key];
            drawTags();
            change(picked.join(","));
            const next = tags.querySelectorAll("button")[Math.min(n, picked.length - 1)];
            (next || select).focus();
          } }, "✕"))));
    }

    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      if (!select.value) { if (!many) { current = ""; change(""); } return; }
      if (many) {
        if (!picked.includes(select.value)) picked.push(select.value);
        labels[select.value] = option.textContent;
        select.value = "";
        drawTags();
        change(picked.join(","));
        return;
      }
      current = select.value;
      for (const key of Object.keys(labels)) delete labels[key];
      labels[current] = option.textContent;
      change(current);
    });

    async function load(append, fresh) {
      page = append ? page + 1 : 1;
      const term = search ? search.value.trim() : "";
      select.dataset.loaded = "";
      if (!append) select.replaceChildren(emptyOption(input, "Loading…"));
      select.disabled = true;
      let answer = await ctx.loadOptions(input, page, term, fresh);
      // A search answered page by page: go on while pages match nothing but more follow.
      for (let n = 1; term && !answer.error && answer.more && !(answer.options || []).length && n < MAX_SEARCH_PAGES; n++) {
        page += 1;
        answer = await ctx.loadOptions(input, page, term, fresh);
      }
      select.disabled = false;
      const empty = many ? "Add…" : (answer.error ? "—" : "Choose…");
      if (!append) select.replaceChildren(emptyOption(input, empty));
      for (const option of answer.options || []) {
        select.append(el("option", { value: String(option.key) }, option.label));
      }
      const found = select.options.length > 1;
      note.textContent = answer.error
        || (!found && !answer.more ? (term ? `No matches for “${term}”` : "Nothing to choose from") : "");
      more.hidden = !answer.more;
      if (!many && current) keepOption(select, current, labels[current]);
      if (many) select.value = "";
      select.dataset.loaded = String(page);
    }
    more.addEventListener("click", () => load(true));
    let typing = null;
    if (search) {
      search.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => load(false), 300); });
    }
    select.reload = () => {
      current = "";
      picked = [];
      for (const key of Object.keys(labels)) delete labels[key];
      if (tags) drawTags();
      return load(false);
    };
    if (tags) drawTags();
    load(false);
    const refresh = el("button", { type: "button", class: "small", title: "Reload the list",
      "aria-label": `Reload ${input.label}`, onclick: () => load(false, true) }, "⟳");
    return el("span", { class: "pick" }, tags, select, refresh, search, more, note);
  }

  // --- key/value pairs: a value that is JSON is sent as such, unless "as text" is ticked ---

  function parsesAsJson(text) {
    if (typeof text !== "string" || wholeRef(text) || text.trim() === "") return false;
    try { JSON.parse(text); return true; } catch (error) { return false; }
  }

  function pairsOf(value) {
    const list = Array.isArray(value) ? value.map((p) => [p.key, p.value])
      : Object.entries(value || {});
    return list.map(([key, v]) => typeof v === "string"
      ? { key, text: v, asText: parsesAsJson(v) } // stored as text although it parses: ticked
      : { key, text: JSON.stringify(v), asText: false });
  }

  function pairValue(pair) {
    return parsesAsJson(pair.text) && !pair.asText ? JSON.parse(pair.text) : pair.text;
  }

  function keyValueControl(input, value, id, change) {
    const rows = el("div", { class: "kv", id });
    const pairs = pairsOf(value);
    function emit() {
      change(pairs.filter((p) => p.key !== "").map((p) => ({ key: p.key, value: pairValue(p) })));
    }
    function draw(focus) {
      rows.replaceChildren();
      pairs.forEach((pair, n) => {
        const key = el("input", { placeholder: "key", value: pair.key, "aria-label": `${input.label} key ${n + 1}`,
          oninput: () => { pair.key = key.value; emit(); } });
        const tick = el("input", { type: "checkbox", checked: pair.asText,
          onchange: () => { pair.asText = tick.checked; emit(); } });
        const asText = el("label", { class: "as-text", title: "Send the value as text even if it is JSON",
          hidden: !parsesAsJson(pair.text) }, tick, " as text");
        const val = el("input", { placeholder: "value (text or JSON)", value: pair.text ?? "",
          "aria-label": `${input.label} value ${n + 1}`,
          oninput: () => { pair.text = val.value; asText.hidden = !parsesAsJson(val.value); emit(); } });
        const drop = el("button", { type: "button", class: "small", "aria-label": `Remove pair ${n + 1}`,
          onclick: () => { pairs.splice(n, 1); draw(["drop", Math.min(n, pairs.length - 1)]); emit(); } }, "✕");
        rows.append(el("div", { class: "kv-row" }, key, val, asText, drop));
      });
      const add = el("button", { type: "button", class: "small add-pair",
        onclick: () => { pairs.push({ key: "", text: "", asText: false }); draw(["key", pairs.length - 1]); } }, "+ pair");
      rows.append(add);
      // Keep the keyboard where the builder is: on the new key, or the next remove button.
      if (!focus) return;
      const [what, n] = focus;
      const row = rows.querySelectorAll(".kv-row")[n];
      const target = row && (what === "key" ? row.querySelector("input") : row.querySelector("button"));
      (target || add).focus();
    }
    draw();
    return rows;
  }

  // Several of the choices (a choice_list): checkboxes; none ticked means "not given".
  function checkboxesControl(input, value, id, change) {
    const picked = new Set((Array.isArray(value) ? value : given(value) ? String(value).split(",") : []).map(String));
    const box = el("div", { class: "checks", id, role: "group", "aria-label": input.label });
    for (const choice of choicesOf(input)) {
      const tick = el("input", { type: "checkbox", value: String(choice.value), checked: picked.has(String(choice.value)),
        onchange: () => change([...box.querySelectorAll("input:checked")].map((t) => t.value)) });
      box.append(el("label", { class: "check" }, tick, el("span", {}, choice.label)));
    }
    return box;
  }

  function control(input, value, id, change, ctx) {
    if (input.options && input.options.pick_list) {
      return pickListControl(input, value, id, change, ctx, input.type === "id_list");
    }
    if (input.type === "choice_list") return checkboxesControl(input, value, id, change);
    if (choicesOf(input).length) return selectControl(input, value, id, change);
    if (input.type === "boolean") return booleanControl(input, value, id, change);
    if (input.type === "key_value_list") return keyValueControl(input, value, id, change);
    if (input.type === "date") return dateControl(input, value, id, change);
    if (input.type === "datetime") return datetimeControl(input, value, id, change);
    return textControl(input, value, id, change);
  }

  function mappable(input) {
    return !["key_value_list", "choice_list"].includes(input.type);
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
  // ctx: {prefix, labels(key) -> {value: label} kept with the step,
  //       loadOptions(input, page, search, fresh) -> Promise<{options, more, error}>,
  //       searchable(input) -> bool, canMap -> bool, describeRef(path, input) -> {text, title, problem},
  //       openPicker(input, anchor, choose(path)), beforeChange(key), changed(key)}.
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
      const box = el("div", { class: "control" });
      const error = el("p", { class: "field-error", "data-error-for": input.key, role: "alert" });
      const node = el("div", { class: "field", "data-input": input.key },
        el("label", { for: id }, input.label,
          input.required ? el("span", { class: "required", title: "required" }, " *") : null),
        box,
        input.comments ? el("p", { class: "help" }, input.comments) : null,
        error);

      function set(value) {
        if (ctx.beforeChange) ctx.beforeChange(input.key);
        if (given(value)) values[input.key] = value; else delete values[input.key];
        error.textContent = "";
        node.classList.remove("invalid");
        refresh(input.key);
        if (ctx.changed) ctx.changed(input.key);
      }

      function openPicker(anchor) {
        ctx.openPicker(input, anchor, (path) => {
          set(`{{${path}}}`);
          draw();
          box.querySelector(".chip").focus();
        });
      }

      // The value as a chip when it is mapped from an earlier step, else its control.
      function draw() {
        const path = wholeRef(values[input.key]);
        const canMap = ctx.canMap && mappable(input);
        const mapButton = canMap
          ? el("button", { type: "button", class: "small map-button", "aria-haspopup": "dialog",
            "aria-label": `Map ${input.label} from an earlier step`, title: "Map a value from an earlier step",
            onclick: (event) => openPicker(event.currentTarget) }, "Map…")
          : null;
        if (path && canMap) {
          const shown = ctx.describeRef(path, input);
          const chip = el("button", { type: "button", class: "chip", id, title: shown.title,
            "aria-label": `${input.label}: mapped from ${shown.text}; press to change`,
            onclick: () => openPicker(chip) }, shown.text);
          const clear = el("button", { type: "button", class: "small", "aria-label": `Clear the mapping of ${input.label}`,
            onclick: () => { set(""); draw(); box.querySelector(`#${CSS.escape(id)}`).focus(); } }, "✕");
          box.replaceChildren(chip, clear);
          if (shown.problem) {
            node.classList.add("invalid", "dangling");
            error.textContent = shown.problem;
          }
          return;
        }
        node.classList.remove("dangling");
        box.replaceChildren(control(input, values[input.key], id, set, ctx), mapButton);
      }

      draw();
      fields.set(input.key, node);
      return node;
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
    if (advanced.querySelector(".dangling")) advanced.open = true;
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
        if (target.classList.contains("dangling")) continue;
        target.classList.remove("invalid");
        target.querySelector(".field-error").textContent = "";
      }
    };
    return form;
  }

  window.QBForms = { el, renderForm, given, wholeRef };
})();
