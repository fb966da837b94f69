// The designer page: palette, canvas, undo, saved flows, customer instances, tests and runs.
"use strict";

(function () {
  const { el, renderForm, given, wholeRef } = window.QBForms;
  const { partLabel } = window.QBPicker;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  // The page's and the catalog's fingerprint: the catalog's answers under it are kept a year.
  const version = document.querySelector('meta[name="version"]').content;
  const $ = (id) => document.getElementById(id);
  const WRITES = new Set(["POST", "PUT", "DELETE", "ANY"]);
  const LONG_RESULT = 20000; // characters shown before "Show all"
  const UNDO_DEPTH = 100;

  const state = {
    catalog: null, // the catalog's index: every action's and trigger's name and group
    entries: new Map(), // "actions:key" / "triggers:key" -> the whole entry, loaded when used
    flows: [],
    flowId: null,
    flow: { trigger: null, steps: [], next_step: 1 },
    saved: "", // the flow as last saved or opened: what "unsaved changes" compares with
    instances: [],
    last: { trigger: null, steps: {} }, // each step's last good result: what later steps map from
    outcomes: new Map(), // id -> {outcome, kind: "test" | "run", at}: what each card shows
    previews: new Map(), // id -> the outcome of "Preview request"
    forms: new Map(),
    undo: [],
    redo: [],
    editKey: null, // the field being typed in: one undo step per field edit
  };

  async function api(method, path, body) {
    const answer = await fetch(path, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok && !data.error) data.error = `HTTP ${answer.status}`;
    return { ok: answer.ok, status: answer.status, data };
  }

  function status(text, kind) {
    const node = $("flow-status");
    node.textContent = text;
    node.className = kind || "";
  }

  // An action or trigger: its whole entry once loaded (inputs, rules, example), else its name.
  const entryOf = (kind, key) => state.entries.get(`${kind}:${key}`) || state.catalog[kind].find((e) => e.key === key);
  const actionOf = (key) => entryOf("actions", key);
  const triggerOf = (key) => entryOf("triggers", key);
  const loading = new Map(); // "kind:key" -> the request for its whole entry
  const unavailable = new Set(); // "kind:key" whose entry could not be loaded: drawn by name

  // Load the whole entries of these keys (those the catalog lists), once each.
  function need(kind, keys) {
    return Promise.all(keys.filter((key) => state.catalog[kind].some((e) => e.key === key)).map((key) => {
      const name = `${kind}:${key}`;
      if (!loading.has(name)) {
        const failed = () => {
          unavailable.add(name);
          loading.delete(name); // asked again when next needed
        };
        loading.set(name, api("GET", `/api/catalog/${kind}/${encodeURIComponent(key)}?v=${version}`).then((answer) => {
          if (answer.ok) { state.entries.set(name, answer.data); unavailable.delete(name); return; }
          failed();
        }, failed)); // a fetch that never got an answer (the designer restarting): the same

      }
      return loading.get(name);
    }));
  }

  // The keys a flow uses, by kind.
  const usedBy = (flow) => ({ actions: flow.steps.map((s) => s.action), triggers: flow.trigger ? [flow.trigger.key] : [] });
  const needFlow = (flow) => Promise.all(Object.entries(usedBy(flow)).map(([kind, keys]) => need(kind, keys)));

  // Changes that need an entry loaded first happen one after another, in the order asked.
  let queue = Promise.resolve();
  function inTurn(work) {
    queue = queue.then(work).catch((error) => status(String(error), "bad"));
    return queue;
  }
  const stepIndex = (id) => state.flow.steps.findIndex((s) => s.id === id);
  const clock = (seconds) => new Date(seconds * 1000).toLocaleTimeString();

  // --- palette: grouped by the manifest's categories, searched by label ------------------

  function paletteItem(kind, entry) {
    const add = () => (kind === "trigger" ? setTrigger(entry ? entry.key : null) : addStep(entry.key));
    const label = entry ? entry.label : "Manual start";
    const item = el("li", { class: "palette-item", draggable: "true", tabindex: "0", "data-kind": kind,
      "data-key": entry ? entry.key : "", "data-label": label.toLowerCase(),
      "aria-label": `${label}: press Enter to add`, title: entry ? entry.description : "Run the flow by hand" },
      el("img", { src: state.catalog.icon, alt: "", class: "icon" }),
      el("strong", {}, label),
      el("small", {}, entry ? entry.description : "Start the flow with the Run button"),
      entry && entry.destructive ? el("em", { class: "danger" }, "destructive") : null,
      el("button", { type: "button", class: "add", tabindex: "-1", "aria-label": `Add ${label}`, onclick: add }, "+"));
    item.addEventListener("click", (event) => { if (!event.target.closest("button")) add(); });
    item.addEventListener("keydown", (event) => {
      if (event.target === item && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        add();
      }
    });
    item.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", `${kind}:${entry ? entry.key : ""}`);
      event.dataTransfer.effectAllowed = "copy";
    });
    return item;
  }

  function categories() {
    const declared = state.catalog.categories || [];
    const used = state.catalog.actions.map((a) => a.category || "Other");
    return [...new Set([...declared.filter((c) => used.includes(c)), ...used])];
  }

  const inCategory = (category) => state.catalog.actions.filter((a) => (a.category || "Other") === category);

  // Each group is a closed <details>; its items are built when it is first opened (by the
  // builder or by a search that matches them), so a palette of a hundred actions stays light.
  function drawPalette() {
    $("palette-triggers").replaceChildren(paletteItem("trigger", null),
      ...state.catalog.triggers.map((t) => paletteItem("trigger", t)));
    $("palette-actions").replaceChildren(...categories().map((category) => {
      const group = el("details", { class: "palette-group", "data-category": category },
        el("summary", {}, category, el("small", { class: "count" }, ` ${inCategory(category).length}`)));
      group.addEventListener("toggle", () => { if (group.open) fillGroup(group); });
      return group;
    }));
  }

  function fillGroup(group) {
    if (group.querySelector("ul")) return;
    group.append(el("ul", {}, ...inCategory(group.dataset.category).map((a) => paletteItem("action", a))));
  }

  // A search opens the groups it matches (the builder's own choice comes back when cleared).
  function filterPalette() {
    const wanted = $("palette-search").value.trim().toLowerCase();
    let shown = 0;
    for (const group of $("palette-actions").children) {
      const matches = inCategory(group.dataset.category).filter((a) => a.label.toLowerCase().includes(wanted)).length;
      if (wanted && !("wasOpen" in group.dataset)) group.dataset.wasOpen = group.open ? "yes" : "";
      if (wanted && matches) {
        fillGroup(group);
        group.open = true;
      } else if (!wanted && "wasOpen" in group.dataset) {
        group.open = group.dataset.wasOpen === "yes";
        delete group.dataset.wasOpen;
      }
      for (const item of group.querySelectorAll(".palette-item")) {
        item.hidden = Boolean(wanted) && !item.dataset.label.includes(wanted);
      }
      group.hidden = matches === 0;
      shown += matches;
    }
    $("palette-empty").hidden = shown > 0;
  }

  // --- undo, redo and unsaved changes ----------------------------------------------------

  // The flow as text; pick-list labels that hold nothing are left out.
  function canonical(flow) {
    return JSON.stringify(flow, (key, value) => {
      if (key !== "labels" || !value || typeof value !== "object") return value;
      const kept = Object.entries(value).filter(([, v]) => v && Object.keys(v).length);
      return kept.length ? Object.fromEntries(kept) : undefined;
    });
  }

  const snapshot = () => canonical({ name: $("flow-name").value, flow: state.flow });
  const dirty = () => snapshot() !== state.saved;

  function showUndo() {
    $("undo").disabled = !state.undo.length;
    $("redo").disabled = !state.redo.length;
    document.body.dataset.dirty = dirty() ? "true" : "false";
  }

  // Call before changing the flow; an edit of the field being typed in adds no new step.
  function remember(editKey) {
    if (editKey && editKey === state.editKey) return;
    state.undo.push(canonical(state.flow));
    if (state.undo.length > UNDO_DEPTH) state.undo.shift();
    state.redo = [];
    state.editKey = editKey || null;
  }

  function restore(from, to) {
    if (!from.length) return;
    to.push(canonical(state.flow));
    const next = JSON.parse(from.pop());
    // Step ids are never given out twice, whatever is undone.
    next.next_step = Math.max(next.next_step || 1, state.flow.next_step || 1);
    state.flow = next;
    state.editKey = null;
    const focused = document.activeElement && document.activeElement.id;
    drawCanvas();
    if (focused && $(focused)) $(focused).focus();
  }

  const undo = () => restore(state.undo, state.redo);
  const redo = () => restore(state.redo, state.undo);

  function confirmDiscard() {
    return !dirty() || window.confirm(`Discard the unsaved changes to “${$("flow-name").value || "this flow"}”?`);
  }

  // --- the flow on the canvas ------------------------------------------------------------

  function newStepId() {
    const used = state.flow.steps.map((s) => Number(String(s.id).slice(1))).filter(Number.isFinite);
    const n = Math.max(state.flow.next_step || 1, ...used.map((u) => u + 1));
    state.flow.next_step = n + 1;
    return `s${n}`;
  }

  // Adds once the action's whole entry is here (adds asked in a row land in that order).
  function addStep(key, position) {
    return inTurn(async () => {
      await need("actions", [key]);
      remember();
      const step = { id: newStepId(), action: key, inputs: {} };
      const at = position === undefined ? state.flow.steps.length : Math.min(position, state.flow.steps.length);
      state.flow.steps.splice(at, 0, step);
      drawCanvas();
      status(`Added ${actionOf(key).label} as step ${at + 1}.`, "good");
    });
  }

  function setTrigger(key) {
    return inTurn(async () => {
      if (key) await need("triggers", [key]);
      remember();
      state.flow.trigger = key ? { key, inputs: {} } : null;
      drawCanvas();
    });
  }

  function focusTool(index, label) {
    const card = $("steps").children[index];
    const button = card && card.querySelector(`.tools [aria-label="${label}"]`);
    if (button) button.focus();
    return Boolean(button);
  }

  function moveStep(from, to, label) {
    if (to < 0 || to >= state.flow.steps.length || from === to) return;
    remember();
    const [step] = state.flow.steps.splice(from, 1);
    state.flow.steps.splice(to, 0, step);
    drawCanvas();
    if (label) focusTool(to, label);
  }

  function removeStep(index) {
    remember();
    const [gone] = state.flow.steps.splice(index, 1);
    state.outcomes.delete(gone.id);
    state.previews.delete(gone.id);
    drawCanvas();
    if (!focusTool(index, "Remove step") && !focusTool(index - 1, "Remove step")) $("drop-hint").focus();
  }

  // What the trigger and earlier steps offer to map from: their last result, else an example.
  function sourcesBefore(index) {
    const sources = [];
    if (state.flow.trigger) {
      const trigger = triggerOf(state.flow.trigger.key);
      const last = state.last.trigger;
      if (trigger) {
        sources.push({ title: `Trigger · ${trigger.label}`, ref: "trigger",
          note: last ? `sample from its last ${last.source}, ${clock(last.at)}` : "example (press Test for samples)",
          value: last ? last.result : trigger.example });
      }
    }
    state.flow.steps.slice(0, index).forEach((step, n) => {
      const action = actionOf(step.action);
      const last = state.last.steps[step.id];
      if (action) {
        sources.push({ title: `Step ${n + 1} · ${action.label}`, ref: `steps.${step.id}`,
          note: last ? `from its last ${last.source}, ${clock(last.at)}` : "example (press Test for real values)",
          value: last ? last.result : action.example });
      }
    });
    return sources;
  }

  const titleCase = (text) => text.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());

  // A mapped path as the builder reads it ("Step 1 · Users › first › id"), and what is wrong.
  function describeRef(path, index, input) {
    const parts = path.split(".");
    let head;
    let problem = "";
    let rest;
    let title;
    const map = `map ${input.label} from another value.`;
    if (parts[0] === "trigger") {
      head = "Trigger";
      rest = parts.slice(1);
      title = "The trigger";
      if (!state.flow.trigger) problem = `This flow has no trigger any more: ${map}`;
    } else {
      const id = parts[1];
      const at = stepIndex(id);
      rest = parts.slice(2);
      head = at >= 0 ? `Step ${at + 1}` : `Removed step ${id}`;
      title = at >= 0 ? `Step ${at + 1}: ${(actionOf(state.flow.steps[at].action) || {}).label}` : "A removed step";
      if (at < 0) problem = `Step ${id} was removed: ${map}`;
      else if (at >= index) problem = `Step ${id} runs after this one: ${map}`;
    }
    const shown = rest.map((part, n) => (n === 0 ? titleCase(part) : partLabel(part)));
    return { text: [head, shown.join(" › ")].filter(Boolean).join(" · "), title: `${title} — {{${path}}}`, problem };
  }

  // Every input mapped from a step that is gone or runs later: the run does not start.
  function danglingProblems() {
    const found = [];
    state.flow.steps.forEach((step, index) => {
      const action = actionOf(step.action) || {};
      for (const input of action.inputs || []) {
        const path = wholeRef(step.inputs[input.key]);
        const problem = path && describeRef(path, index, input).problem;
        if (problem) found.push({ step: step.id, input: input.key, message: problem });
      }
    });
    return found;
  }

  // --- pick lists --------------------------------------------------------------------------

  const pickCache = new Map(); // answers per instance, list, inputs and page: a redraw asks once

  // The inputs a pick list accepts (its search, its page, the inputs it depends on).
  function accepted(input) {
    const pickList = state.catalog.pick_lists.find((p) => p.key === input.options.pick_list);
    return new Set(pickList ? pickList.accepts : []);
  }

  const searchable = (input) => accepted(input).has("search");

  function loadOptionsFor(values) {
    return async (input, page, search, fresh) => {
      const instance = selectedInstance();
      if (!instance || instance.status === "not connected") return { error: "Connect a customer instance to load this list." };
      if (instance.status === "needs reconnecting") return { error: "Reconnect this instance to load this list." };
      const accepts = accepted(input);
      const inputs = {};
      for (const dep of input.options.depends_on || []) {
        if (given(values[dep]) && !String(values[dep]).includes("{{")) inputs[dep] = values[dep];
      }
      if (accepts.has("page")) inputs.page = page;
      if (accepts.has("search") && search) inputs.search = search;
      const key = JSON.stringify([instance.id, input.options.pick_list, inputs]);
      if (fresh || !pickCache.has(key)) {
        pickCache.set(key, api("POST", "/api/pick_list", { instance_id: instance.id, pick_list: input.options.pick_list, inputs }));
      }
      const answer = await pickCache.get(key);
      if (!answer.ok) {
        pickCache.delete(key);
        failed(answer.data.error);
        return { error: (answer.data.error && answer.data.error.message) || answer.data.error };
      }
      return answer.data;
    };
  }

  // --- results -----------------------------------------------------------------------------

  function resultBox(title, value) {
    const full = JSON.stringify(value, null, 2) || "";
    const pre = el("pre", { tabindex: "0", role: "region", "aria-label": title },
      full.length > LONG_RESULT ? `${full.slice(0, LONG_RESULT)}\n…` : full);
    const tools = [];
    if (full.length > LONG_RESULT) {
      tools.push(el("button", { type: "button", class: "small", onclick: (event) => {
        pre.textContent = full;
        event.currentTarget.remove();
      } }, `Show all (${full.length.toLocaleString()} characters)`));
    }
    if (full.split("\n").length > 16) {
      const grow = el("button", { type: "button", class: "small", "aria-expanded": "false", onclick: () => {
        const open = pre.classList.toggle("full");
        grow.textContent = open ? "Show less" : "Expand";
        grow.setAttribute("aria-expanded", String(open));
      } }, "Expand");
      tools.push(grow);
    }
    return [pre, tools.length ? el("div", { class: "result-tools" }, ...tools) : null];
  }

  function outcomeView(outcome, caption, title) {
    if (outcome.status === "skipped") return el("div", { class: "result skipped" }, "Skipped (an earlier step failed)");
    if (outcome.status === "ok") {
      return el("div", { class: "result ok" }, el("strong", {}, "Result"), el("small", {}, ` · ${caption}`),
        ...resultBox(`${title}: result`, outcome.result));
    }
    const error = outcome.error;
    return el("div", { class: "result error" }, el("strong", {}, error.kind), el("small", {}, ` · ${caption}`),
      el("p", { class: "error-message" }, error.message),
      error.items ? resultBox(`${title}: items`, error.items) : null);
  }

  function previewView(outcome, title) {
    if (outcome.status !== "ok") {
      return el("div", { class: "preview error" }, el("strong", {}, "Preview request"),
        el("p", { class: "error-message" }, outcome.error.message));
    }
    const { requests, notes } = outcome.result;
    return el("div", { class: "preview" },
      el("strong", {}, "Preview request"), el("small", {}, " · nothing was sent"),
      ...requests.map((r, n) => {
        const query = new URLSearchParams(Object.entries(r.query || {})).toString();
        return el("div", { class: "request" },
          el("code", { class: "request-line" }, `${r.method} ${r.path}${query ? `?${query}` : ""}`),
          r.body === null || r.body === undefined ? null : resultBox(`${title}: request ${n + 1} body`, r.body)[0]);
      }),
      notes.length ? el("ul", { class: "notes" }, ...notes.map((note) => el("li", {}, note))) : null);
  }

  function resultsView(id, title) {
    const parts = [];
    const preview = state.previews.get(id);
    if (preview) parts.push(previewView(preview, title));
    const shown = state.outcomes.get(id);
    const last = id === "trigger" ? state.last.trigger : state.last.steps[id];
    if (shown) {
      const caption = `${shown.kind === "test" ? "tested" : "run"} at ${clock(shown.at)}`;
      parts.push(outcomeView(shown.outcome, caption, title));
    } else if (last) {
      parts.push(outcomeView({ status: "ok", result: last.result }, `last ${last.source}, ${clock(last.at)}`, title));
    }
    return el("div", { class: "results", "data-results-for": id }, ...parts);
  }

  function refreshResults(id) {
    const card = document.querySelector(`[data-step="${CSS.escape(id)}"]`);
    if (!card) return;
    const title = card.querySelector("h3").textContent;
    card.querySelector(".results").replaceWith(resultsView(id, title));
    const form = state.forms.get(id);
    const shown = state.outcomes.get(id);
    if (form) form.clearErrors();
    if (form && shown && shown.outcome.status === "error" && shown.outcome.error.errors) {
      form.showErrors(shown.outcome.error.errors);
    }
  }

  // --- cards ---------------------------------------------------------------------------------

  function card(kind, entry, holder, index) {
    const prefix = kind === "trigger" ? "trigger" : holder.id;
    const form = renderForm(entry, holder.inputs, {
      prefix,
      labels: (key) => {
        holder.labels = holder.labels || {};
        holder.labels[key] = holder.labels[key] || {};
        return holder.labels[key];
      },
      canMap: kind !== "trigger",
      describeRef: (path, input) => describeRef(path, index, input),
      openPicker: (input, anchor, choose) => window.QBPicker.open(anchor, sourcesBefore(index), choose),
      loadOptions: loadOptionsFor(holder.inputs),
      searchable,
      beforeChange: (key) => remember(`${prefix}.${key}`),
      changed: () => showUndo(),
    });
    state.forms.set(prefix, form);
    const title = kind === "trigger" ? `Trigger · ${entry.label}` : `${index + 1} · ${entry.label}`;
    const number = kind === "trigger" ? "trigger" : `step ${index + 1}`;
    const tools = [el("button", { type: "button", class: "small test", "aria-label": `Test ${number}`,
      title: kind === "trigger" ? "Show recent records (the trigger's state is not moved)" : "Run this step alone",
      onclick: () => (kind === "trigger" ? testTrigger() : testStep(holder.id)) }, "Test")];
    if (kind !== "trigger" && WRITES.has(entry.method)) {
      tools.push(el("button", { type: "button", class: "small", "aria-label": `Preview the request of step ${index + 1}`,
        onclick: () => previewStep(holder.id) }, "Preview request"));
    }
    if (kind === "trigger") {
      tools.push(el("button", { type: "button", class: "small", "aria-label": "Remove trigger", onclick: () => setTrigger(null) }, "✕"));
    } else {
      tools.push(
        el("button", { type: "button", class: "small", "aria-label": "Move up", onclick: () => moveStep(index, index - 1, "Move up") }, "↑"),
        el("button", { type: "button", class: "small", "aria-label": "Move down", onclick: () => moveStep(index, index + 1, "Move down") }, "↓"),
        el("button", { type: "button", class: "small", "aria-label": "Remove step", onclick: () => removeStep(index) }, "✕"));
    }
    const node = el(kind === "trigger" ? "div" : "li", { class: `card ${kind}`, "data-step": prefix, "data-action": entry.key },
      el("div", { class: "card-head", draggable: kind === "trigger" ? null : "true" },
        el("img", { src: state.catalog.icon, alt: "", class: "icon" }),
        el("h3", {}, title), entry.destructive ? el("em", { class: "danger" }, "destructive") : null,
        el("span", { class: "tools" }, ...tools)),
      el("p", { class: "description" }, entry.description || ""),
      el("div", { class: "card-body" }, form, resultsView(prefix, title)));
    const shown = state.outcomes.get(prefix);
    if (shown && shown.outcome.status === "error" && shown.outcome.error.errors) form.showErrors(shown.outcome.error.errors);
    if (kind !== "trigger") {
      node.querySelector(".card-head").addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", `move:${index}`);
        event.dataTransfer.effectAllowed = "move";
      });
    }
    return node;
  }

  function drawCanvas() {
    // Whatever the flow uses is loaded before it is drawn (a flow opened, a step added).
    const missing = (kind, key) => entryOf(kind, key) && !state.entries.has(`${kind}:${key}`) && !unavailable.has(`${kind}:${key}`);
    if (Object.entries(usedBy(state.flow)).some(([kind, keys]) => keys.some((key) => missing(kind, key)))) {
      needFlow(state.flow).then(drawCanvas);
      return;
    }
    window.QBPicker.close();
    state.forms.clear();
    const slot = $("trigger-slot");
    const trigger = state.flow.trigger && triggerOf(state.flow.trigger.key);
    slot.replaceChildren(trigger
      ? card("trigger", trigger, state.flow.trigger, -1)
      : el("div", { class: "manual" }, "▶ Manual start — drop a trigger here to start on changes instead"));
    $("steps").replaceChildren(...state.flow.steps.map((step, n) =>
      card("action", actionOf(step.action) || { label: step.action, inputs: [] }, step, n)));
    $("drop-hint").textContent = state.flow.steps.length
      ? "Drop another action here, or press Enter on one in the palette"
      : "Drag an action here (or press Enter on it in the palette) to add the first step";
    showUndo();
  }

  // Drops: palette items add (at the card they land on), step headers move.
  function dropIndex(event) {
    const target = event.target.closest && event.target.closest("#steps > li.card");
    if (!target) return state.flow.steps.length;
    return [...$("steps").children].indexOf(target);
  }

  function onDrop(event) {
    event.preventDefault();
    document.body.classList.remove("dragging");
    const [kind, key] = (event.dataTransfer.getData("text/plain") || "").split(":");
    if (kind === "trigger") return setTrigger(key || null);
    if (kind === "action" && actionOf(key)) return addStep(key, dropIndex(event));
    if (kind === "move") return moveStep(Number(key), Math.min(dropIndex(event), state.flow.steps.length - 1));
    return undefined;
  }

  function wireCanvas() {
    const canvas = $("canvas");
    canvas.addEventListener("dragover", (event) => { event.preventDefault(); document.body.classList.add("dragging"); });
    canvas.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
    canvas.addEventListener("drop", onDrop);
  }

  // --- flows ---------------------------------------------------------------------------------

  async function loadFlows() {
    state.flows = (await api("GET", "/api/flows")).data;
    const select = $("flow-select");
    select.replaceChildren(el("option", { value: "" }, "New flow"),
      ...state.flows.map((f) => el("option", { value: String(f.id) }, f.name)));
    select.value = state.flowId ? String(state.flowId) : "";
  }

  async function openFlow(id) {
    const flow = state.flows.find((f) => f.id === id);
    state.flowId = flow ? flow.id : null;
    state.flow = flow ? JSON.parse(JSON.stringify(flow.definition)) : { trigger: null, steps: [], next_step: 1 };
    state.flow.steps = state.flow.steps || [];
    $("flow-name").value = flow ? flow.name : "";
    state.saved = snapshot();
    state.undo = [];
    state.redo = [];
    state.editKey = null;
    state.outcomes.clear();
    state.previews.clear();
    state.last = { trigger: null, steps: {} };
    sessionStorage.setItem("flowId", state.flowId ? String(state.flowId) : "");
    $("flow-select").value = state.flowId ? String(state.flowId) : "";
    const loaded = needFlow(state.flow);
    if (state.flowId) {
      const kept = (await api("GET", `/api/flows/${state.flowId}/results`)).data;
      if (kept && kept.steps) state.last = kept;
    }
    await loaded;
    drawCanvas();
    await loadRuns();
  }

  async function saveFlow(quiet) {
    const name = $("flow-name").value.trim() || "Untitled flow";
    $("flow-name").value = name;
    const body = { name, definition: JSON.parse(canonical(state.flow)) };
    const answer = state.flowId
      ? await api("PUT", `/api/flows/${state.flowId}`, body)
      : await api("POST", "/api/flows", body);
    if (!answer.ok) { status(answer.data.error, "bad"); return false; }
    state.flowId = answer.data.id;
    state.saved = snapshot();
    sessionStorage.setItem("flowId", String(state.flowId));
    await loadFlows();
    showUndo();
    if (!quiet) status(`Saved “${name}”.`, "good");
    return true;
  }

  function connectedInstance() {
    const instance = selectedInstance();
    if (!instance) { status("Choose or add a customer instance first.", "bad"); return null; }
    if (instance.status === "not connected") { status(`Connect “${instance.name}” first.`, "bad"); return null; }
    return instance;
  }

  // A failed call may mean a dead token: check every instance again, so the page says so.
  function failed(error) {
    if (error && (error.kind === "AuthError" || /connect/i.test(String(error.message || error)))) loadInstances();
  }

  async function testStep(id) {
    const instance = connectedInstance();
    if (!instance || !(await saveFlow(true))) return;
    const n = stepIndex(id) + 1;
    status(`Testing step ${n}…`);
    const answer = await api("POST", `/api/flows/${state.flowId}/steps/${id}/test`, { instance_id: instance.id });
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    const at = Date.now() / 1000;
    state.outcomes.set(id, { outcome: answer.data, kind: "test", at });
    if (answer.data.status === "ok") state.last.steps[id] = { result: answer.data.result, at, source: "test" };
    refreshResults(id);
    if (answer.data.status === "ok") status(`Step ${n} tested alone: its result is beside it.`, "good");
    else {
      status(`Step ${n} failed: ${answer.data.error.message}`, "bad");
      failed(answer.data.error);
    }
  }

  async function previewStep(id) {
    if (!(await saveFlow(true))) return;
    const n = stepIndex(id) + 1;
    const answer = await api("POST", `/api/flows/${state.flowId}/steps/${id}/preview`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    state.previews.set(id, answer.data);
    if (answer.data.status === "error" && answer.data.error.errors) {
      state.outcomes.set(id, { outcome: answer.data, kind: "test", at: Date.now() / 1000 });
    }
    refreshResults(id);
    status(answer.data.status === "ok" ? `Step ${n}'s request is shown beside it; nothing was sent.`
      : `Step ${n} cannot be sent: ${answer.data.error.message}`, answer.data.status === "ok" ? "good" : "bad");
  }

  async function testTrigger() {
    const instance = connectedInstance();
    if (!instance || !(await saveFlow(true))) return;
    status("Reading recent records…");
    const answer = await api("POST", `/api/flows/${state.flowId}/trigger/test`, { instance_id: instance.id });
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    const at = Date.now() / 1000;
    state.outcomes.set("trigger", { outcome: answer.data, kind: "test", at });
    if (answer.data.status === "ok") {
      state.last.trigger = { result: answer.data.result, at, source: "test" };
      const count = answer.data.result.records.length;
      status(`The trigger found ${count} recent record${count === 1 ? "" : "s"} to map from; its saved state did not move.`, "good");
    } else {
      status(`The trigger failed: ${answer.data.error.message}`, "bad");
      failed(answer.data.error);
    }
    refreshResults("trigger");
  }

  async function runFlow() {
    const instance = connectedInstance();
    if (!instance) return;
    const problems = danglingProblems();
    if (problems.length) {
      status(problems[0].message, "bad");
      const field = document.querySelector(`[data-step="${CSS.escape(problems[0].step)}"] .field[data-input="${problems[0].input}"] .chip`);
      if (field) field.focus();
      return;
    }
    if (!(await saveFlow(true))) return;
    status("Running…");
    const answer = await api("POST", `/api/flows/${state.flowId}/run`, { instance_id: instance.id });
    if (!answer.ok) { status(answer.data.error, "bad"); failed(answer.data.error); return; }
    const report = answer.data;
    const at = Date.now() / 1000;
    const outcomes = [];
    if (report.trigger) {
      state.outcomes.set("trigger", { outcome: report.trigger, kind: "run", at });
      if (report.trigger.status === "ok" && report.trigger.result.records.length) {
        state.last.trigger = { result: { records: report.trigger.result.records }, at, source: "run" };
      }
      outcomes.push(report.trigger);
    }
    for (const step of report.steps) {
      state.outcomes.set(step.id, { outcome: step, kind: "run", at });
      if (step.status === "ok") state.last.steps[step.id] = { result: step.result, at, source: "run" };
      outcomes.push(step);
    }
    state.previews.clear();
    for (const id of ["trigger", ...state.flow.steps.map((s) => s.id)]) refreshResults(id);
    const failure = outcomes.find((o) => o.status === "error");
    status(failure ? "The run stopped at an error (shown beside its step)." : "Run finished: every step succeeded.", failure ? "bad" : "good");
    if (failure) failed(failure.error);
    await loadRuns();
  }

  // --- the run history -----------------------------------------------------------------------

  function runDetails(run) {
    const body = el("div", { class: "run-steps" });
    const details = el("details", { class: `run ${run.outcome}` },
      el("summary", {}, `${new Date(run.started * 1000).toLocaleString()} · ${run.instance} · ${run.outcome}`), body);
    // The steps' results are built when the run is opened: a long history stays light.
    details.addEventListener("toggle", () => {
      if (!details.open || body.childElementCount) return;
      const report = run.report;
      const label = (id) => {
        const at = stepIndex(id);
        return at >= 0 ? `Step ${at + 1} · ${(actionOf(state.flow.steps[at].action) || {}).label}` : `Step ${id} (since removed)`;
      };
      if (report.trigger) body.append(el("h4", {}, "Trigger"), outcomeView(report.trigger, "in this run", "Trigger"));
      for (const step of report.steps) {
        body.append(el("h4", {}, label(step.id)), outcomeView(step, "in this run", label(step.id)));
      }
    });
    return el("li", { "data-run": String(run.id) }, details);
  }

  async function loadRuns() {
    const runs = state.flowId ? (await api("GET", `/api/flows/${state.flowId}/runs`)).data : [];
    $("runs").replaceChildren(...(Array.isArray(runs) ? runs : []).map(runDetails));
    $("runs-empty").hidden = $("runs").childElementCount > 0;
  }

  // --- customer instances ------------------------------------------------------------------

  function selectedInstance() {
    const value = Number($("instance-select").value);
    return state.instances.find((i) => i.id === value) || null;
  }

  function showInstanceStatus() {
    const instance = selectedInstance();
    const node = $("instance-status");
    node.textContent = instance ? instance.status : "";
    node.title = instance && instance.message ? instance.message : "";
    node.className = instance && instance.status === "connected" ? "good" : "bad";
    $("connect-instance").disabled = !instance;
    $("connect-instance").textContent = instance && instance.status === "needs reconnecting" ? "Reconnect" : "Connect";
    $("test-instance").disabled = !(instance && instance.status !== "not connected");
    $("delete-instance").disabled = !instance;
    localStorage.setItem("instanceId", instance ? String(instance.id) : "");
  }

  let checking = null;

  // Every instance with the truth about its connection (checked on the server by its test action).
  async function loadInstances(selectId) {
    checking = checking || api("GET", "/api/instances").finally(() => { checking = null; });
    const previous = $("instance-select").value;
    state.instances = (await checking).data;
    const select = $("instance-select");
    select.replaceChildren(el("option", { value: "" }, "—"),
      ...state.instances.map((i) => el("option", { value: String(i.id) }, `${i.name} · ${i.status}`)));
    const wanted = selectId || Number(previous) || Number(localStorage.getItem("instanceId")) || (state.instances[0] && state.instances[0].id);
    if (state.instances.some((i) => i.id === wanted)) select.value = String(wanted);
    showInstanceStatus();
  }

  async function addInstance() {
    const name = $("new-instance-name").value.trim();
    const answer = await api("POST", "/api/instances", { name });
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    $("new-instance-name").value = "";
    await loadInstances(answer.data.id);
    status(`Added instance “${name}”: connect it next.`, "good");
  }

  async function connectInstance() {
    const instance = selectedInstance();
    if (!instance) return;
    if (state.flow.steps.length || state.flow.trigger) await saveFlow(true); // the page is left for sign-in
    const answer = await api("POST", `/api/instances/${instance.id}/connect`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    leaving = true;
    window.location.assign(answer.data.authorize_url);
  }

  // The manifest's test action: a cheap call that proves the instance's connection works.
  async function testInstance() {
    const instance = selectedInstance();
    if (!instance) return;
    const answer = await api("POST", `/api/instances/${instance.id}/test`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    if (!answer.data.ok) {
      status(`The connection failed: ${answer.data.error.message}`, "bad");
      failed(answer.data.error);
      return;
    }
    const user = answer.data.result.user;
    const who = user ? ` (acting as ${user.first_name} ${user.last_name})` : "";
    status(`The connection works${who}.`, "good");
    if (instance.status !== "connected") loadInstances();
  }

  // The instance and its token go; its runs stay in the flows' histories, under its name.
  async function deleteInstance() {
    const instance = selectedInstance();
    if (!instance || !window.confirm(`Delete the customer instance “${instance.name}” and forget its token?`)) return;
    const answer = await api("DELETE", `/api/instances/${instance.id}`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    $("instance-select").value = "";
    localStorage.removeItem("instanceId");
    await loadInstances();
    drawCanvas();
    status(`Deleted instance “${instance.name}”.`, "good");
  }

  async function deleteFlow() {
    if (!state.flowId || !window.confirm(`Delete the flow “${$("flow-name").value}”?`)) return;
    const answer = await api("DELETE", `/api/flows/${state.flowId}`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    state.flowId = null;
    await loadFlows();
    await openFlow(null);
    status("Flow deleted.", "good");
  }

  // --- start ---------------------------------------------------------------------------------

  let leaving = false; // the page is left on purpose (sign-in): no "unsaved changes" question

  function onKeys(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (event.target.closest && event.target.closest(".picker, #palette-search, #new-instance-name, .pick-search")) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
    else if ((key === "z" && event.shiftKey) || key === "y") { event.preventDefault(); redo(); }
  }

  async function start() {
    state.catalog = (await api("GET", `/api/catalog/index?v=${version}`)).data;
    drawPalette();
    wireCanvas();
    const params = new URLSearchParams(window.location.search);
    const connected = Number(params.get("connected")) || null;
    await loadInstances(connected);
    if (connected) {
      history.replaceState(null, "", "/");
      status("Instance connected.", "good");
    }
    await loadFlows();
    await openFlow(Number(sessionStorage.getItem("flowId")) || null);
    $("palette-search").addEventListener("input", filterPalette);
    $("flow-select").addEventListener("change", async (event) => {
      if (!confirmDiscard()) { event.target.value = state.flowId ? String(state.flowId) : ""; return; }
      await openFlow(Number(event.target.value) || null);
    });
    $("new-flow").addEventListener("click", async () => { if (confirmDiscard()) await openFlow(null); });
    $("flow-name").addEventListener("input", showUndo);
    $("save-flow").addEventListener("click", () => saveFlow(false));
    $("run-flow").addEventListener("click", runFlow);
    $("undo").addEventListener("click", undo);
    $("redo").addEventListener("click", redo);
    $("add-instance").addEventListener("click", addInstance);
    $("connect-instance").addEventListener("click", connectInstance);
    $("test-instance").addEventListener("click", testInstance);
    $("delete-instance").addEventListener("click", deleteInstance);
    $("delete-flow").addEventListener("click", deleteFlow);
    $("instance-select").addEventListener("change", () => { showInstanceStatus(); drawCanvas(); });
    document.addEventListener("keydown", onKeys);
    window.addEventListener("beforeunload", (event) => {
      if (leaving || !dirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
    document.body.dataset.ready = "true";
  }

  start();
})();
