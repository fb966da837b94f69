// The designer page: palette, canvas, saved flows, customer instances and runs.
"use strict";

(function () {
  const { el, renderForm, outputPaths } = window.QBForms;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);

  const state = {
    catalog: null,
    flows: [],
    flowId: null,
    flow: { trigger: null, steps: [] },
    instances: [],
    report: null,
    forms: new Map(),
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

  const actionOf = (key) => state.catalog.actions.find((a) => a.key === key);
  const triggerOf = (key) => state.catalog.triggers.find((t) => t.key === key);

  // --- palette ----------------------------------------------------------------------------

  function paletteItem(kind, entry) {
    const add = () => (kind === "trigger" ? setTrigger(entry ? entry.key : null) : addStep(entry.key));
    const label = entry ? entry.label : "Manual start";
    const item = el("li", { class: "palette-item", draggable: "true", "data-kind": kind,
      "data-key": entry ? entry.key : "", title: entry ? entry.description : "Run the flow by hand" },
      el("img", { src: state.catalog.icon, alt: "", class: "icon" }),
      el("span", { class: "palette-text" },
        el("strong", {}, label),
        el("small", {}, entry ? entry.description : "Start the flow with the Run button"),
        entry && entry.destructive ? el("em", { class: "danger" }, "destructive") : null),
      el("button", { type: "button", class: "add", "aria-label": `Add ${label}`, onclick: add }, "+"));
    item.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", `${kind}:${entry ? entry.key : ""}`);
      event.dataTransfer.effectAllowed = "copy";
    });
    return item;
  }

  function drawPalette() {
    const triggers = $("palette-triggers");
    triggers.replaceChildren(paletteItem("trigger", null),
      ...state.catalog.triggers.map((t) => paletteItem("trigger", t)));
    $("palette-actions").replaceChildren(...state.catalog.actions.map((a) => paletteItem("action", a)));
  }

  // --- the flow on the canvas ---------------------------------------------------------------

  function newStepId() {
    const used = new Set(state.flow.steps.map((s) => s.id));
    let n = 1;
    while (used.has(`s${n}`)) n++;
    return `s${n}`;
  }

  function addStep(key, position) {
    const step = { id: newStepId(), action: key, inputs: {} };
    const at = position === undefined ? state.flow.steps.length : position;
    state.flow.steps.splice(at, 0, step);
    drawCanvas();
  }

  function setTrigger(key) {
    state.flow.trigger = key ? { key, inputs: {} } : null;
    drawCanvas();
  }

  function moveStep(from, to) {
    if (to < 0 || to >= state.flow.steps.length || from === to) return;
    const [step] = state.flow.steps.splice(from, 1);
    state.flow.steps.splice(to, 0, step);
    drawCanvas();
  }

  function removeStep(index) {
    state.flow.steps.splice(index, 1);
    drawCanvas();
  }

  // What earlier steps (and the trigger) offer to map into the step at `index`.
  function mappingsBefore(index) {
    const paths = [];
    if (state.flow.trigger) {
      const trigger = triggerOf(state.flow.trigger.key);
      if (trigger) paths.push(...outputPaths(trigger, "trigger", `Trigger · ${trigger.label}`));
    }
    state.flow.steps.slice(0, index).forEach((step, n) => {
      const action = actionOf(step.action);
      if (action) paths.push(...outputPaths(action, `steps.${step.id}`, `${n + 1} · ${action.label}`));
    });
    return paths;
  }

  function pickListOf(input) {
    return state.catalog.pick_lists.find((p) => p.key === input.options.pick_list);
  }

  function searchable(input) {
    const pickList = pickListOf(input);
    return Boolean(pickList && pickList.inputs.some((i) => i.key === "search"));
  }

  // Pick-list answers by request: a redrawn canvas (every step's form again) asks once, not per
  // step per redraw; the ⟳ of a list asks again (`fresh`).
  const optionAnswers = new Map();

  function loadOptionsFor(values) {
    return async (input, page, search, fresh) => {
      const instanceId = selectedInstance();
      const instance = state.instances.find((i) => i.id === instanceId);
      if (!instance || !instance.connected) return { error: "Connect a customer instance to load this list." };
      const pickList = pickListOf(input);
      const accepts = new Set(((pickList && pickList.inputs) || []).map((i) => i.key));
      const inputs = {};
      for (const dep of input.options.depends_on || []) {
        if (values[dep] !== undefined && !String(values[dep]).includes("{{")) inputs[dep] = values[dep];
      }
      if (accepts.has("page")) inputs.page = page;
      if (accepts.has("search") && search) inputs.search = search;
      const body = { instance_id: instanceId, pick_list: input.options.pick_list, inputs };
      const key = JSON.stringify(body);
      if (fresh || !optionAnswers.has(key)) optionAnswers.set(key, api("POST", "/api/pick_list", body));
      const answer = await optionAnswers.get(key);
      if (!answer.ok) {
        optionAnswers.delete(key);
        return { error: (answer.data.error && answer.data.error.message) || answer.data.error };
      }
      return answer.data;
    };
  }

  function resultView(outcome) {
    if (!outcome) return el("div", { class: "result" });
    if (outcome.status === "skipped") return el("div", { class: "result skipped" }, "Skipped (an earlier step failed)");
    if (outcome.status === "ok") {
      let text = JSON.stringify(outcome.result, null, 2);
      if (text.length > 4000) text = `${text.slice(0, 4000)}\n…`;
      return el("div", { class: "result ok" }, el("strong", {}, "Result"), el("pre", {}, text));
    }
    const error = outcome.error;
    return el("div", { class: "result error" }, el("strong", {}, error.kind), el("p", { class: "error-message" }, error.message));
  }

  function card(kind, entry, holder, index, outcome) {
    const prefix = kind === "trigger" ? "trigger" : holder.id;
    const form = renderForm(entry, holder.inputs, {
      prefix,
      mappings: () => (kind === "trigger" ? [] : mappingsBefore(index)),
      canMap: () => kind !== "trigger" && (index > 0 || Boolean(state.flow.trigger)),
      loadOptions: loadOptionsFor(holder.inputs),
      searchable,
    });
    if (outcome && outcome.status === "error" && outcome.error.errors) form.showErrors(outcome.error.errors);
    const tools = kind === "trigger"
      ? [el("button", { type: "button", class: "small", "aria-label": "Remove trigger", onclick: () => setTrigger(null) }, "✕")]
      : [
        el("button", { type: "button", class: "small", "aria-label": "Move up", onclick: () => moveStep(index, index - 1) }, "↑"),
        el("button", { type: "button", class: "small", "aria-label": "Move down", onclick: () => moveStep(index, index + 1) }, "↓"),
        el("button", { type: "button", class: "small", "aria-label": "Remove step", onclick: () => removeStep(index) }, "✕"),
      ];
    const title = kind === "trigger" ? `Trigger · ${entry.label}` : `${index + 1} · ${entry.label}`;
    const node = el(kind === "trigger" ? "div" : "li", { class: `card ${kind}`, "data-step": prefix, "data-action": entry.key },
      el("div", { class: "card-head", draggable: kind === "trigger" ? null : "true" },
        el("img", { src: state.catalog.icon, alt: "", class: "icon" }),
        el("h3", {}, title), entry.destructive ? el("em", { class: "danger" }, "destructive") : null,
        el("span", { class: "tools" }, ...tools)),
      el("p", { class: "description" }, entry.description || ""),
      el("div", { class: "card-body" }, form, resultView(outcome)));
    if (kind !== "trigger") {
      node.querySelector(".card-head").addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", `move:${index}`);
        event.dataTransfer.effectAllowed = "move";
      });
    }
    return node;
  }

  function outcomeOf(id) {
    if (!state.report) return null;
    if (id === "trigger") return state.report.trigger;
    return state.report.steps.find((s) => s.id === id) || null;
  }

  function drawCanvas() {
    const slot = $("trigger-slot");
    const trigger = state.flow.trigger && triggerOf(state.flow.trigger.key);
    slot.replaceChildren(trigger
      ? card("trigger", trigger, state.flow.trigger, -1, outcomeOf("trigger"))
      : el("div", { class: "manual" }, "▶ Manual start — drop a trigger here to start on changes instead"));
    $("steps").replaceChildren(...state.flow.steps.map((step, n) =>
      card("action", actionOf(step.action) || { label: step.action, inputs: [] }, step, n, outcomeOf(step.id))));
    $("drop-hint").textContent = state.flow.steps.length
      ? "Drop another action here, or press + in the palette"
      : "Drag an action here (or press + on it in the palette) to add the first step";
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

  // --- flows ------------------------------------------------------------------------------

  async function loadFlows() {
    state.flows = (await api("GET", "/api/flows")).data;
    const select = $("flow-select");
    select.replaceChildren(el("option", { value: "" }, "New flow"),
      ...state.flows.map((f) => el("option", { value: String(f.id) }, f.name)));
    select.value = state.flowId ? String(state.flowId) : "";
  }

  function openFlow(id) {
    const flow = state.flows.find((f) => f.id === id);
    state.flowId = flow ? flow.id : null;
    state.flow = flow ? flow.definition : { trigger: null, steps: [] };
    $("flow-name").value = flow ? flow.name : "";
    state.report = null;
    sessionStorage.setItem("flowId", state.flowId ? String(state.flowId) : "");
    $("flow-select").value = state.flowId ? String(state.flowId) : "";
    drawCanvas();
  }

  async function saveFlow() {
    const name = $("flow-name").value.trim() || "Untitled flow";
    $("flow-name").value = name;
    const body = { name, definition: state.flow };
    const answer = state.flowId
      ? await api("PUT", `/api/flows/${state.flowId}`, body)
      : await api("POST", "/api/flows", body);
    if (!answer.ok) { status(answer.data.error, "bad"); return false; }
    state.flowId = answer.data.id;
    sessionStorage.setItem("flowId", String(state.flowId));
    await loadFlows();
    status(`Saved “${name}”.`, "good");
    return true;
  }

  async function runFlow() {
    const instanceId = selectedInstance();
    if (!instanceId) { status("Choose or add a customer instance first.", "bad"); return; }
    if (!(await saveFlow())) return;
    status("Running…");
    const answer = await api("POST", `/api/flows/${state.flowId}/run`, { instance_id: instanceId });
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    state.report = answer.data;
    drawCanvas();
    const outcomes = [answer.data.trigger, ...answer.data.steps].filter(Boolean);
    const failed = outcomes.find((o) => o.status === "error");
    status(failed ? "The run stopped at an error (shown beside its step)." : "Run finished: every step succeeded.", failed ? "bad" : "good");
  }

  // --- customer instances -----------------------------------------------------------------

  function selectedInstance() {
    const value = $("instance-select").value;
    return value ? Number(value) : null;
  }

  function showInstanceStatus() {
    const instance = state.instances.find((i) => i.id === selectedInstance());
    $("instance-status").textContent = instance ? (instance.connected ? "connected" : "not connected") : "";
    $("instance-status").className = instance && instance.connected ? "good" : "bad";
    $("connect-instance").disabled = !instance;
    $("test-instance").disabled = !(instance && instance.connected);
    localStorage.setItem("instanceId", instance ? String(instance.id) : "");
  }

  async function loadInstances(selectId) {
    state.instances = (await api("GET", "/api/instances")).data;
    const select = $("instance-select");
    select.replaceChildren(el("option", { value: "" }, "—"),
      ...state.instances.map((i) => el("option", { value: String(i.id) }, `${i.name}${i.connected ? " ✓" : ""}`)));
    const wanted = selectId || Number(localStorage.getItem("instanceId")) || (state.instances[0] && state.instances[0].id);
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
    const instanceId = selectedInstance();
    if (!instanceId) return;
    if (state.flow.steps.length || state.flow.trigger) await saveFlow(); // the page is left for sign-in
    const answer = await api("POST", `/api/instances/${instanceId}/connect`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    window.location.assign(answer.data.authorize_url);
  }

  // The manifest's test action: a cheap call that proves the instance's connection works.
  async function testInstance() {
    const instanceId = selectedInstance();
    if (!instanceId) return;
    const answer = await api("POST", `/api/instances/${instanceId}/test`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    if (!answer.data.ok) { status(`The connection failed: ${answer.data.error.message}`, "bad"); return; }
    const user = answer.data.result.user;
    const who = user ? ` (acting as ${user.first_name} ${user.last_name})` : "";
    status(`The connection works${who}.`, "good");
  }

  async function deleteFlow() {
    if (!state.flowId || !window.confirm(`Delete the flow “${$("flow-name").value}”?`)) return;
    const answer = await api("DELETE", `/api/flows/${state.flowId}`);
    if (!answer.ok) { status(answer.data.error, "bad"); return; }
    state.flowId = null;
    await loadFlows();
    openFlow(null);
    status("Flow deleted.", "good");
  }

  // --- start ------------------------------------------------------------------------------

  async function start() {
    state.catalog = (await api("GET", "/api/catalog")).data;
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
    openFlow(Number(sessionStorage.getItem("flowId")) || null);
    $("flow-select").addEventListener("change", (e) => openFlow(Number(e.target.value) || null));
    $("new-flow").addEventListener("click", () => openFlow(null));
    $("save-flow").addEventListener("click", saveFlow);
    $("run-flow").addEventListener("click", runFlow);
    $("add-instance").addEventListener("click", addInstance);
    $("connect-instance").addEventListener("click", connectInstance);
    $("test-instance").addEventListener("click", testInstance);
    $("delete-flow").addEventListener("click", deleteFlow);
    $("instance-select").addEventListener("change", () => { showInstanceStatus(); drawCanvas(); });
    document.body.dataset.ready = "true";
  }

  start();
})();
