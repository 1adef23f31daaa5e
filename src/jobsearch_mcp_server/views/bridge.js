// The view's half of the MCP Apps protocol (JSON-RPC 2.0 over postMessage with the host window), and
// what both views share: theme, language, DOM building without innerHTML, tool calls with their errors.
"use strict";
const view = (() => {
  const PROTOCOL_VERSION = "2026-01-26";
  const pending = new Map();
  const listeners = {};
  let nextId = 1;
  let context = {};
  let capabilities = {};
  let language = null;

  function post(message) {
    // The host's origin is not known to a sandboxed frame (it has an opaque origin), hence "*"; replies are
    // accepted only from window.parent (see the listener).
    window.parent.postMessage({ jsonrpc: "2.0", ...message }, "*");
  }

  function request(method, params) {
    const id = nextId++;
    post({ id, method, params });
    const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    markBusy();
    return answer;
  }

  // aria-busy while a request waits for the host: assistive technology (and tests) know the view is not
  // settled. A reply's follow-up work runs before the next task, so "not busy" means drawn.
  function markBusy() {
    if (document.body) document.body.setAttribute("aria-busy", pending.size > 0 ? "true" : "false");
  }

  function notify(method, params) {
    post({ method, params: params || {} });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      markBusy();
      if (message.error) waiting.reject(new Error(message.error.message || "the host refused the request"));
      else waiting.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      // Requests from the host: ping and teardown need no work from a view that keeps no state elsewhere.
      if (message.method === "ping" || message.method === "ui/resource-teardown") post({ id: message.id, result: {} });
      else post({ id: message.id, error: { code: -32601, message: `${message.method} is not handled by this view` } });
      return;
    }
    if (message.method === "ui/notifications/host-context-changed") applyContext(message.params || {});
    (listeners[message.method] || []).forEach((listener) => listener(message.params || {}));
  });

  function applyContext(update) {
    context = { ...context, ...update };
    const root = document.documentElement;
    if (context.theme === "dark" || context.theme === "light") root.dataset.theme = context.theme;
    const variables = (context.styles && context.styles.variables) || {};
    for (const [name, value] of Object.entries(variables)) {
      if (name.startsWith("--") && typeof value === "string") root.style.setProperty(name, value);
    }
    if (typeof context.locale === "string") setLanguage(context.locale.toLowerCase().startsWith("zh") ? "zh" : "en");
  }

  function setLanguage(code) {
    if (code === language) return;
    language = code;
    document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
    (listeners.language || []).forEach((listener) => listener(code));
  }

  function on(method, listener) {
    (listeners[method] = listeners[method] || []).push(listener);
  }

  async function start(appName) {
    new ResizeObserver(() => {
      const box = document.documentElement.getBoundingClientRect();
      notify("ui/notifications/size-changed", { width: Math.ceil(box.width), height: Math.ceil(box.height) });
    }).observe(document.documentElement);
    const result = await request("ui/initialize", {
      protocolVersion: PROTOCOL_VERSION,
      appInfo: { name: appName, version: "1" },
      appCapabilities: {},
    });
    capabilities = (result && result.hostCapabilities) || {};
    applyContext((result && result.hostContext) || {});
    notify("ui/notifications/initialized");
  }

  // A tool call through the host; resolves to {ok, data, text}: data is the structured content, text the
  // result's text (the tool's error message when ok is false).
  async function callTool(name, args) {
    try {
      const result = await request("tools/call", { name, arguments: args });
      const text = ((result && result.content) || [])
        .filter((block) => block.type === "text")
        .map((block) => block.text)
        .join("\n");
      return { ok: !result.isError, data: result.structuredContent || null, text };
    } catch (error) {
      return { ok: false, data: null, text: error.message };
    }
  }

  function openLink(url) {
    return request("ui/open-link", { url });
  }

  // A resource of the server as JSON, when the host proxies resources/read (serverResources); else null.
  async function readJson(uri) {
    if (!capabilities.serverResources) return null;
    try {
      const result = await request("resources/read", { uri });
      return JSON.parse(result.contents[0].text);
    } catch (error) {
      return null;
    }
  }

  // An element with text children only: job text is hostile, so data never goes through innerHTML.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // The labels' language without a host locale: the data's own script (Chinese job titles or reasons),
  // else the browser's. (A Chinese resume switches them to Chinese too: see the Matches view.)
  function guessLanguage(texts) {
    if (language !== null && typeof context.locale === "string") return;
    const sample = texts.filter(Boolean).join(" ");
    const han = (sample.match(/[\u4e00-\u9fff]/g) || []).length;
    const latin = (sample.match(/[A-Za-z]/g) || []).length;
    if (sample) setLanguage(han * 3 > latin ? "zh" : "en");
    else setLanguage((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
  }

  return {
    start, on, callTool, openLink, readJson, el, guessLanguage, setLanguage,
    get language() { return language || "en"; },
  };
})();
