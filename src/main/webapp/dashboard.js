// Tickrelay dashboard: polls the status API and streams the user's symbols over the gateway's own
// Alpaca-protocol WebSocket. Plain browser JavaScript, no build step, no third-party code.
"use strict";

const STATUS_URL = "api/v1/ws/status";
const STATUS_EVERY_MS = 1500;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const DEFAULT_SYMBOLS = ["AAPL", "MSFT", "NVDA"];
// Alpaca symbols: letters first, then letters, digits, dots, dashes or a slash (crypto pairs)
const SYMBOL_PATTERN = /^[A-Z][A-Z0-9./-]{0,19}$/;
// errors after which reconnecting cannot help until the user changes the credential or feed
const FATAL_CODES = new Set([402, 409]);
// errors that leave the socket open but useless: close it and reconnect with backoff
const RETRY_CODES = new Set([404, 406]);
// the credential lives for this browser tab only (sessionStorage), never in localStorage or a URL
const CREDENTIAL_KEY = "tickrelay.credential";
const SYMBOLS_KEY = "tickrelay.symbols";
const FEED_KEY = "tickrelay.feed";

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : String(child ?? ""));
  }
  return node;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const rate = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

function formatBytes(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? integer.format(value) : value.toFixed(1)) + " " + units[unit];
}

function formatPrice(price) {
  if (price === undefined || price === null) return "–";
  return price.toLocaleString("en-US", { minimumFractionDigits: price < 1 ? 4 : 2, maximumFractionDigits: price < 1 ? 4 : 2 });
}

function formatAge(millis) {
  if (millis === undefined || millis === null) return "–";
  if (millis < 1000) return millis + " ms";
  if (millis < 120000) return (millis / 1000).toFixed(1) + " s";
  return Math.round(millis / 60000) + " min";
}

// RFC 3339 with nanoseconds: Date.parse wants at most milliseconds
function parseTimestamp(text) {
  if (typeof text !== "string") return null;
  const millis = Date.parse(text.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(millis) ? null : new Date(millis);
}

function formatTime(date) {
  if (!date) return "–";
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function since(iso) {
  const date = parseTimestamp(iso);
  if (!date) return "–";
  return formatTime(date).slice(0, 8) + " (" + formatAge(Date.now() - date.getTime()) + " ago)";
}

// ---------------------------------------------------------------- status panel

const status = {
  mode: null,
  previous: null, // the last snapshot, for rates
  onFirstMode: [],
};

function stateClass(state, healthy) {
  if (healthy || state === "CONNECTED") return "badge badge-good";
  if (state === "ERROR" || state === "STOPPED" || state === "DISCONNECTED") return "badge badge-bad";
  return "badge badge-warn";
}

function perSecond(current, previous, seconds) {
  if (previous === undefined || seconds <= 0) return null;
  return Math.max(0, (current - previous) / seconds);
}

function upstreamCard(upstream, inPerSecond) {
  const feed = upstream.feed
    ? el("span", { class: "feed", "data-field": "feed" }, upstream.feed)
    : el("span", { class: "muted", "data-field": "feed" }, "none yet");
  const rows = [
    ["Provider", upstream.provider],
    ["Feed in use", feed],
    ["Why", el("span", { "data-field": "feedReason" }, upstream.feedReason || "–")],
    ["Preference", (upstream.feeds || []).join(" → ") + (upstream.fallback ? "  (fallback)" : "")],
    ["Tier", upstream.tier],
    ["Healthy", el("span", { "data-field": "healthy", class: upstream.healthy ? "up" : "down" }, upstream.healthy ? "yes" : "no")],
    ["Since", since(upstream.since)],
    ["Messages in", el("span", { "data-field": "messagesIn" }, integer.format(upstream.messagesIn)
      + (inPerSecond === null ? "" : "  (" + rate.format(inPerSecond) + " / s)"))],
    ["Bytes in", formatBytes(upstream.bytesIn)],
    ["Last message", formatAge(upstream.lastMessageAgeMillis) + (upstream.lastMessageAgeMillis == null ? "" : " ago")],
    ["Ping round trip", upstream.pingRoundTripMillis == null ? "–" : upstream.pingRoundTripMillis + " ms"],
    ["Reconnects", integer.format(upstream.reconnects)],
  ];
  const list = el("dl");
  for (const [label, value] of rows) {
    list.append(el("div", {}, el("dt", {}, label), el("dd", {}, value ?? "–")));
  }
  const card = el("article", { class: "card", "data-connection": upstream.connection },
    el("div", { class: "card-head" },
      el("span", { class: "card-title" }, upstream.connection),
      el("span", { class: stateClass(upstream.state, upstream.healthy), "data-field": "state", "data-state": upstream.state },
        upstream.state)),
    list,
    el("p", { class: "url", title: "upstream URL (secrets removed)" }, upstream.url || ""));
  if (upstream.reason && !upstream.healthy) {
    card.append(el("p", { class: "small muted" }, upstream.reason));
  }
  const error = upstream.lastError;
  if (error) {
    card.append(el("div", { class: "last-error small", "data-field": "lastError" },
      // code 0: no Alpaca error code (a transport failure, a stall, an undocumented error)
      el("strong", {}, (error.code ? `Last error ${error.code}: ` : "Last error: ") + error.message),
      " · ", since(error.at),
      el("br"), error.meaning || "", error.remedy ? el("br") : "", error.remedy ? "Remedy: " + error.remedy : ""));
  }
  return card;
}

function renderStatus(snapshot) {
  const previous = status.previous;
  const now = parseTimestamp(snapshot.generatedAt)?.getTime() ?? Date.now();
  const seconds = previous ? (now - previous.at) / 1000 : 0;

  const mode = $("mode");
  mode.textContent = snapshot.mode === "simulator" ? "simulator" : "live: " + snapshot.mode;
  mode.dataset.mode = snapshot.mode;
  mode.className = snapshot.mode === "simulator" ? "badge badge-warn" : "badge badge-good";
  $("status-updated").textContent = "status " + formatTime(new Date(now)).slice(0, 8);
  $("status-error").hidden = true;
  document.body.classList.remove("status-stale");

  const cards = $("upstreams");
  const inRates = {};
  let totalIn = 0;
  let totalInRate = null;
  cards.replaceChildren();
  for (const upstream of snapshot.upstreams || []) {
    const perConnection = perSecond(upstream.messagesIn, previous?.messagesIn[upstream.connection], seconds);
    inRates[upstream.connection] = upstream.messagesIn;
    totalIn += upstream.messagesIn;
    if (perConnection !== null) totalInRate = (totalInRate ?? 0) + perConnection;
    cards.append(upstreamCard(upstream, perConnection));
  }
  if (!cards.children.length) {
    cards.append(el("p", { class: "muted" }, "No upstream connection yet: it opens once a client subscribes."));
  }

  const clients = snapshot.clients || {};
  $("clients-connected").textContent = integer.format(clients.connected ?? 0);
  $("clients-cap").textContent = integer.format(clients.cap ?? 0);
  $("clients-authenticated").textContent = integer.format(clients.authenticated ?? 0);
  $("clients-sent").textContent = integer.format(clients.messagesSent ?? 0);
  $("clients-conflated").textContent = integer.format(clients.conflated ?? 0) + " · " + integer.format(clients.dropped ?? 0);
  $("clients-closures").textContent = integer.format(clients.slowClientDisconnects ?? 0) + " · " + integer.format(clients.floodClosures ?? 0);
  const feeds = Object.entries(clients.perFeed || {}).map(([feed, count]) => `${feed}: ${count}`);
  $("clients-per-feed").textContent = feeds.length ? feeds.join(" · ") : "none";
  const sentRate = perSecond(clients.messagesSent ?? 0, previous?.messagesSent, seconds);
  $("rate-sent").textContent = sentRate === null ? "…" : rate.format(sentRate);
  $("rate-in").textContent = totalInRate === null ? "…" : rate.format(totalInRate);

  status.previous = { at: now, messagesSent: clients.messagesSent ?? 0, messagesIn: inRates, totalIn };
  if (status.mode === null) {
    status.mode = snapshot.mode;
    status.onFirstMode.forEach((callback) => callback(snapshot.mode));
  }
}

async function pollStatus() {
  try {
    const response = await fetch(STATUS_URL, { cache: "no-store", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    renderStatus(await response.json());
  } catch (failure) {
    const badge = $("status-error");
    badge.hidden = false;
    badge.textContent = "status unavailable (" + failure.message + ")";
    document.body.classList.add("status-stale"); // the figures shown are no longer current
  } finally {
    setTimeout(pollStatus, STATUS_EVERY_MS);
  }
}

// ---------------------------------------------------------------- symbols table

const rows = new Map(); // symbol -> { row, first, last, trades }

function saveSymbols() {
  localStorage.setItem(SYMBOLS_KEY, JSON.stringify([...rows.keys()]));
}

function loadSymbols() {
  try {
    const saved = JSON.parse(localStorage.getItem(SYMBOLS_KEY));
    if (Array.isArray(saved) && saved.every((s) => SYMBOL_PATTERN.test(s))) return saved;
  } catch (ignored) {
    // a damaged entry falls back to the defaults
  }
  return DEFAULT_SYMBOLS;
}

function cell(field, className) {
  return el("td", { "data-field": field, class: className }, "–");
}

function showEmptyTable() {
  const body = $("symbols").tBodies[0];
  if (rows.size === 0 && !body.querySelector(".empty")) {
    body.append(el("tr", { class: "empty" }, el("td", { colspan: 9 }, "No symbols: add one above.")));
  }
}

function addRow(symbol) {
  if (rows.has(symbol)) return false;
  const remove = el("button", { type: "button", class: "remove", "data-action": "remove", title: "Remove " + symbol }, "×");
  const row = el("tr", { "data-symbol": symbol, "data-updates": "0" },
    el("td", { class: "symbol" }, symbol),
    cell("price", "num price"), cell("change", "num"), cell("changePct", "num"),
    cell("bid", "num"), cell("ask", "num"), cell("trades", "num"), cell("time", "time"),
    el("td", { class: "num" }, remove));
  remove.addEventListener("click", () => removeSymbol(symbol));
  const body = $("symbols").tBodies[0];
  body.querySelector(".empty")?.remove();
  body.append(row);
  rows.set(symbol, { row, first: null, last: null, trades: 0 });
  return true;
}

function removeSymbol(symbol) {
  const entry = rows.get(symbol);
  if (!entry) return;
  entry.row.remove();
  rows.delete(symbol);
  saveSymbols();
  showEmptyTable();
  stream.unsubscribe([symbol]);
}

function field(row, name) {
  return row.querySelector(`[data-field="${name}"]`);
}

function onTrade(trade) {
  const entry = rows.get(trade.S);
  if (!entry || typeof trade.p !== "number") return;
  const previous = entry.last;
  entry.first ??= trade.p;
  entry.last = trade.p;
  entry.trades++;
  const row = entry.row;
  const change = trade.p - entry.first;
  const direction = change > 0 ? "up" : change < 0 ? "down" : "";
  const sign = change > 0 ? "+" : "";
  field(row, "price").textContent = formatPrice(trade.p);
  const changeCell = field(row, "change");
  changeCell.textContent = sign + change.toFixed(2);
  changeCell.className = "num " + direction;
  const percentCell = field(row, "changePct");
  percentCell.textContent = sign + ((change / entry.first) * 100).toFixed(2) + " %";
  percentCell.className = "num " + direction;
  field(row, "trades").textContent = integer.format(entry.trades);
  field(row, "time").textContent = formatTime(parseTimestamp(trade.t) ?? new Date());
  row.dataset.price = String(trade.p);
  row.dataset.updates = String(entry.trades);
  if (previous !== null && previous !== trade.p) {
    row.classList.remove("flash-up", "flash-down");
    void row.offsetWidth; // restart the animation
    row.classList.add(trade.p > previous ? "flash-up" : "flash-down");
  }
}

function onQuote(quote) {
  const entry = rows.get(quote.S);
  if (!entry) return;
  if (typeof quote.bp === "number") field(entry.row, "bid").textContent = formatPrice(quote.bp);
  if (typeof quote.ap === "number") field(entry.row, "ask").textContent = formatPrice(quote.ap);
}

// ---------------------------------------------------------------- the stream

const stream = {
  socket: null,
  authenticated: false,
  wanted: false, // the user asked to be connected
  attempt: 0,
  retryTimer: null,
  fatal: null,
  received: 0,
  credential: null,
  feed: "iex",

  setState(state, text) {
    const badge = $("stream-state");
    badge.dataset.state = state;
    badge.textContent = text;
    badge.className = "badge " + ({ live: "badge-good", error: "badge-bad", closed: "badge-bad" }[state] || "badge-warn");
    const connected = state !== "idle" && state !== "error";
    $("disconnect").disabled = !this.wanted;
    $("connect").textContent = connected ? "Reconnect" : "Connect";
  },

  showError(text) {
    const box = $("stream-error");
    box.textContent = text;
    box.hidden = !text;
  },

  connect(credential, feed) {
    this.close();
    this.credential = credential;
    this.feed = feed;
    this.wanted = true;
    this.attempt = 0;
    this.fatal = null;
    this.showError("");
    this.open();
  },

  open() {
    clearTimeout(this.retryTimer);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${scheme}//${location.host}/v2/${encodeURIComponent(this.feed)}`;
    this.setState("connecting", "connecting to /v2/" + this.feed);
    this.authenticated = false;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (event) => {
      if (socket === this.socket) this.onFrame(event.data);
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.onClose(event);
    };
  },

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  },

  subscribe(symbols) {
    if (this.authenticated && symbols.length) this.send({ action: "subscribe", trades: symbols, quotes: symbols });
  },

  unsubscribe(symbols) {
    if (this.authenticated && symbols.length) this.send({ action: "unsubscribe", trades: symbols, quotes: symbols });
  },

  onFrame(data) {
    let messages;
    try {
      messages = JSON.parse(data);
    } catch (malformed) {
      this.showError("The gateway sent a frame that is not JSON.");
      return;
    }
    for (const message of Array.isArray(messages) ? messages : [messages]) {
      this.received++;
      this.onMessage(message);
    }
  },

  onMessage(message) {
    switch (message.T) {
      case "t": onTrade(message); break;
      case "q": onQuote(message); break;
      case "success":
        if (message.msg === "connected") {
          this.setState("authenticating", "authenticating");
          this.send({ action: "auth", key: this.credential.key, secret: this.credential.secret });
        } else if (message.msg === "authenticated") {
          this.authenticated = true;
          this.attempt = 0;
          this.showError("");
          this.setState("live", "live on /v2/" + this.feed);
          // gateway extensions (docs/PROTOCOL.md): the latest values at once, and the upstream feed
          this.send({ action: "x-options", lastValue: true, feedNotices: true });
          this.subscribe([...rows.keys()]);
        }
        break;
      case "error": this.onError(message); break;
      case "x-feed":
        $("stream-feed").textContent = "upstream feed " + String(message.feed).toUpperCase()
          + (message.reason ? " · " + message.reason : "");
        break;
      default: break; // subscription, x-options and unknown types need no action here
    }
  },

  onError(error) {
    this.showError(`Error ${error.code}: ${error.msg}`);
    if (FATAL_CODES.has(error.code)) {
      this.fatal = error;
      this.wanted = false;
      this.setState("error", `error ${error.code}`);
      this.socket?.close(1000, "client gives up");
    } else if (RETRY_CODES.has(error.code)) {
      this.socket?.close(1000, "client retries later");
    }
  },

  onClose(event) {
    this.socket = null;
    this.authenticated = false;
    if (this.fatal) {
      this.setState("error", `error ${this.fatal.code}: ${this.fatal.msg}`);
      return;
    }
    if (!this.wanted) {
      this.setState("idle", "not connected");
      return;
    }
    // exponential backoff with jitter, so many open dashboards do not reconnect in step
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * base / 2);
    this.attempt++;
    const reason = event.reason ? ` (${event.code} ${event.reason})` : ` (${event.code})`;
    this.setState("closed", `disconnected${reason}, retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => this.open(), delay);
  },

  close() {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    this.authenticated = false;
    socket?.close(1000, "closed by the user");
    this.setState("idle", "not connected");
  },
};

function showStreamRate() {
  let last = stream.received;
  setInterval(() => {
    const now = stream.received;
    $("stream-rate").textContent = stream.authenticated ? rate.format(now - last) + " msg / s on this page" : "";
    last = now;
  }, 1000);
}

// ---------------------------------------------------------------- wiring

function storedCredential() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(CREDENTIAL_KEY));
    return saved && saved.key && saved.secret ? saved : null;
  } catch (ignored) {
    return null;
  }
}

function connectFromForm() {
  const credential = { key: $("credential-key").value.trim(), secret: $("credential-secret").value };
  if (!credential.key || !credential.secret) {
    stream.showError("Enter a key and a secret issued by the gateway.");
    return;
  }
  const feed = $("feed").value;
  sessionStorage.setItem(CREDENTIAL_KEY, JSON.stringify(credential));
  localStorage.setItem(FEED_KEY, feed);
  stream.connect(credential, feed);
}

function wire() {
  for (const symbol of loadSymbols()) addRow(symbol);
  showEmptyTable();
  const feed = localStorage.getItem(FEED_KEY);
  if (feed && [...$("feed").options].some((o) => o.value === feed)) $("feed").value = feed;

  $("credential-form").addEventListener("submit", (event) => {
    event.preventDefault();
    connectFromForm();
  });
  $("disconnect").addEventListener("click", () => stream.close());
  $("feed").addEventListener("change", () => {
    if (stream.wanted) connectFromForm();
  });
  $("symbol-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("symbol-input");
    const symbol = input.value.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(symbol)) {
      $("symbol-hint").textContent = `"${symbol}" is not a symbol (letters first, then letters, digits, . / -).`;
      return;
    }
    $("symbol-hint").textContent = "";
    input.value = "";
    if (addRow(symbol)) {
      saveSymbols();
      stream.subscribe([symbol]);
    }
  });

  const saved = storedCredential();
  if (saved) {
    $("credential-key").value = saved.key;
    $("credential-secret").value = saved.secret;
  }
  status.onFirstMode.push((mode) => {
    if (mode === "simulator" && !saved) {
      // the simulator's demo credential is public (README); a real gateway's are never prefilled
      $("credential-key").value = "demo";
      $("credential-secret").value = "demo";
      $("credential-hint").textContent = "Simulator mode: the demo credential is filled in.";
    } else if (!saved) {
      $("credential-hint").textContent = "Use a credential from TICKRELAY_CLIENTS.";
    }
    if ($("credential-key").value && $("credential-secret").value) connectFromForm();
  });

  stream.setState("idle", "not connected");
  showStreamRate();
  pollStatus();
}

document.addEventListener("DOMContentLoaded", wire);
