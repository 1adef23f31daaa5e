// The host side of the MCP Apps protocol (ext-apps spec 2026-01-26) for jobsearch-mcp's own views.
// A view runs in an iframe sandboxed without same-origin; it talks JSON-RPC over postMessage with this
// page only. The page answers ui/initialize with the host context, sends the tool's input and result,
// and forwards the view's tools/call and resources/read to the local bridge (/api/call, /api/read), which
// calls only allow-listed tools and reads only allow-listed resources.
"use strict";

const PROTOCOL_VERSION = "2026-01-26";
const HOST_INFO = { name: "jobsearch-mcp ui", version: "1" };
const HOST_CAPABILITIES = { openLinks: {}, serverTools: {}, serverResources: {}, logging: {} };
const TEARDOWN_WAIT_MS = 1000; // a view that does not answer the teardown is removed anyway

const LABELS = {
  en: {
    matches: "Matches", tracker: "Tracker", latest: "Best matches for {name}", run: "Run {name}",
    board: "Application board", none: "No saved searches yet (save_search or jobsearch-mcp save-search).",
    noResume: "No resume yet (parse_resume or jobsearch-mcp parse-resume).", loading: "Calling {tool}…",
    done: "{tool} answered.", failed: "{tool} failed: {message}", noView: "{tool} has no view; its result:",
    hint: "Choose a saved search, the matches for your latest resume, or the tracker.",
  },
  zh: {
    matches: "匹配", tracker: "求职进度", latest: "{name} 的最佳匹配", run: "运行 {name}", board: "申请看板",
    none: "还没有保存的搜索（save_search 或 jobsearch-mcp save-search）。",
    noResume: "还没有简历（parse_resume 或 jobsearch-mcp parse-resume）。", loading: "正在调用 {tool}…",
    done: "{tool} 已返回。", failed: "{tool} 失败：{message}", noView: "{tool} 没有视图；结果：",
    hint: "选择一个保存的搜索、最新简历的匹配，或求职进度。",
  },
};
const LANGUAGE = navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";

function label(key, values = {}) {
  return LABELS[LANGUAGE][key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function setStatus(text, isError = false) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// ---- the local bridge ----

async function bridge(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
  });
  if (!response.ok) {
    const text = await response.text();
    let reason = text;
    try {
      reason = JSON.parse(text).error ?? text;
    } catch {
      // not JSON: the text itself says why
    }
    throw new Error(`${path}: HTTP ${response.status}: ${reason}`);
  }
  return response.json();
}

function failure(message) {
  return { content: [{ type: "text", text: message }], isError: true };
}

// A tool's result as the view expects it: a failure of the bridge itself is the tool's isError content.
async function callTool(name, args) {
  try {
    return await bridge("/api/call", { name, arguments: args ?? {} });
  } catch (error) {
    return failure(`${name}: ${error.message}`);
  }
}

function resultText(result) {
  const texts = (result.content ?? []).filter((block) => block.type === "text");
  return texts.map((block) => block.text).join("\n");
}

// ---- host context ----

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

function themeStyles() {
  const css = getComputedStyle(document.documentElement);
  const value = (name) => css.getPropertyValue(name).trim();
  return {
    variables: {
      "--color-background-primary": value("--bg"),
      "--color-background-secondary": value("--bg2"),
      "--color-text-primary": value("--fg"),
      "--color-text-secondary": value("--fg2"),
      "--color-border-primary": value("--border"),
      "--color-ring-primary": value("--accent"),
      "--color-text-danger": value("--danger"),
      "--font-sans": value("font-family"),
    },
  };
}

function hostContext(tool) {
  const main = document.getElementById("stage");
  return {
    toolInfo: { tool },
    theme: darkScheme.matches ? "dark" : "light",
    styles: themeStyles(),
    displayMode: "inline",
    availableDisplayModes: ["inline"],
    containerDimensions: { maxHeight: Math.max(window.innerHeight - 80, 300), width: main.clientWidth },
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    userAgent: `${HOST_INFO.name}/${HOST_INFO.version}`,
    platform: "web",
    deviceCapabilities: {
      touch: navigator.maxTouchPoints > 0,
      hover: window.matchMedia("(hover: hover)").matches,
    },
  };
}

// ---- one view: the iframe and its JSON-RPC session ----

class ViewSession {
  constructor(tool, args, uri) {
    this.tool = tool;
    this.args = args;
    this.result = callTool(tool.name, args); // runs while the view loads
    this.pending = new Map();
    this.nextId = 1;
    this.initialized = false;
    this.frame = document.createElement("iframe");
    this.frame.title = tool.title || tool.name;
    this.frame.dataset.tool = tool.name;
    // scripts only: no same-origin (the view cannot read this page or its cookie), no forms, no popups,
    // no top navigation; links open through ui/open-link
    this.frame.setAttribute("sandbox", "allow-scripts");
    this.frame.setAttribute("referrerpolicy", "no-referrer");
    this.frame.src = `/view?uri=${encodeURIComponent(uri)}`;
  }

  post(message) {
    // the view's origin is opaque ("null"): "*" is the only target; messages in are checked by source
    this.frame.contentWindow?.postMessage({ jsonrpc: "2.0", ...message }, "*");
  }

  notify(method, params) {
    this.post({ method, params });
  }

  request(method, params) {
    const id = `host-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ id, method, params });
    });
  }

  async receive(message) {
    if (message.method !== undefined && message.id !== undefined) {
      try {
        this.post({ id: message.id, result: await this.answer(message.method, message.params ?? {}) });
      } catch (error) {
        this.post({ id: message.id, error: { code: error.code ?? -32603, message: error.message } });
      }
    } else if (message.method !== undefined) {
      this.notice(message.method, message.params ?? {});
    } else if (this.pending.has(message.id)) {
      const { resolve, reject } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
    }
  }

  async answer(method, params) {
    switch (method) {
      case "ui/initialize":
        return {
          protocolVersion: PROTOCOL_VERSION,
          hostInfo: HOST_INFO,
          hostCapabilities: HOST_CAPABILITIES,
          hostContext: hostContext(this.tool),
        };
      case "ping":
        return {};
      case "tools/call":
        return callTool(params.name, params.arguments);
      case "resources/read":
        return bridge("/api/read", { uri: params.uri }).catch((error) => {
          throw Object.assign(new Error(error.message), { code: -32002 }); // resource not found
        });
      case "ui/open-link":
        return openLink(params.url);
      case "ui/request-display-mode":
        return { mode: "inline" };
      default:
        throw Object.assign(new Error(`${method} is not supported by this host`), { code: -32601 });
    }
  }

  notice(method, params) {
    switch (method) {
      case "ui/notifications/initialized":
        if (this.initialized) return;
        this.initialized = true;
        this.notify("ui/notifications/tool-input", { arguments: this.args });
        this.result.then((result) => {
          if (this.frame.isConnected) this.notify("ui/notifications/tool-result", result);
        });
        return;
      case "ui/notifications/size-changed":
        if (Number.isFinite(params.height)) this.frame.style.height = `${Math.ceil(params.height)}px`;
        return;
      case "notifications/message":
        console.info(`view ${this.tool.name} [${params.level}]`, params.data);
        return;
      case "ui/notifications/request-teardown":
        if (current === this) closeView();
        return;
    }
  }

  async teardown() {
    const timeout = new Promise((resolve) => setTimeout(resolve, TEARDOWN_WAIT_MS));
    if (this.initialized) {
      await Promise.race([this.request("ui/resource-teardown", {}).catch(() => {}), timeout]);
    }
    this.frame.remove();
    sessions.delete(this);
  }
}

function openLink(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return { isError: true };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { isError: true };
  window.open(parsed.href, "_blank", "noopener,noreferrer");
  return {};
}

// ---- the page: navigation and the current view ----

const tools = new Map();
const sessions = new Set(); // the current view, and those still answering their teardown
let current = null;

window.addEventListener("message", (event) => {
  const message = event.data;
  if (!message || typeof message !== "object" || message.jsonrpc !== "2.0") return;
  for (const session of sessions) {
    if (event.source === session.frame.contentWindow) session.receive(message);
  }
});

darkScheme.addEventListener("change", () => {
  current?.notify("ui/notifications/host-context-changed", { theme: darkScheme.matches ? "dark" : "light",
                                                              styles: themeStyles() });
});

function viewUri(tool) {
  const uri = tool._meta?.ui?.resourceUri ?? tool._meta?.["ui/resourceUri"];
  return typeof uri === "string" && uri.startsWith("ui://") ? uri : null;
}

async function closeView() {
  const closing = current;
  current = null;
  if (closing) await closing.teardown();
}

function markCurrent(button) {
  for (const other of document.querySelectorAll("nav button")) other.removeAttribute("aria-current");
  button?.setAttribute("aria-current", "true");
}

async function openView(name, args, button) {
  const tool = tools.get(name);
  if (!tool) {
    setStatus(label("failed", { tool: name, message: "not offered by the server" }), true);
    return;
  }
  await closeView();
  markCurrent(button);
  const stage = document.getElementById("stage");
  stage.replaceChildren();
  setStatus(label("loading", { tool: name }));
  const uri = viewUri(tool);
  if (uri === null) {
    // a tool without a view degrades to its text, as in a host without MCP Apps
    const result = await callTool(name, args);
    const heading = document.createElement("p");
    heading.textContent = label("noView", { tool: name });
    const text = document.createElement("pre");
    text.textContent = resultText(result);
    stage.replaceChildren(heading, text);
    report(name, result);
    return;
  }
  const session = new ViewSession(tool, args, uri);
  current = session;
  sessions.add(session);
  stage.append(session.frame);
  const result = await session.result;
  if (current === session) report(name, result);
}

function report(name, result) {
  if (result.isError) setStatus(label("failed", { tool: name, message: resultText(result) }), true);
  else setStatus(label("done", { tool: name }));
}

function navButton(text, onClick) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = text;
  button.addEventListener("click", () => onClick(button));
  item.append(button);
  return item;
}

function emptyNote(text) {
  const item = document.createElement("li");
  item.className = "empty";
  item.textContent = text;
  return item;
}

async function buildNavigation() {
  const listing = await bridge("/api/tools", {});
  for (const tool of listing.tools) tools.set(tool.name, tool);
  const matches = document.getElementById("matches-nav");
  const tracker = document.getElementById("tracker-nav");
  const [searches, resumes] = await Promise.all([
    callTool("list_saved_searches", {}),
    callTool("list_resumes", {}),
  ]);
  const items = [];
  const latest = (resumes.structuredContent?.resumes ?? []).at(-1); // stored oldest first
  if (latest) {
    const name = latest.name || latest.headline || latest.resume_id;
    const args = { resume_id: latest.resume_id };
    items.push(navButton(label("latest", { name }), (button) => openView("match_jobs", args, button)));
  } else {
    items.push(emptyNote(label("noResume")));
  }
  const saved = searches.structuredContent?.saved_searches ?? [];
  for (const search of saved) {
    const args = { name: search.name };
    items.push(navButton(label("run", args), (button) => openView("run_saved_search", args, button)));
  }
  if (saved.length === 0) items.push(emptyNote(label("none")));
  matches.replaceChildren(...items);
  tracker.replaceChildren(navButton(label("board"), (b) => openView("list_applications", {}, b)));
  if (searches.isError) {
    setStatus(label("failed", { tool: "list_saved_searches", message: resultText(searches) }), true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.lang = LANGUAGE;
  for (const element of document.querySelectorAll("[data-label]")) {
    element.textContent = label(element.dataset.label);
  }
  buildNavigation().catch((error) => setStatus(error.message, true));
});
