// Alpaca's official JavaScript SDK's trading stream pointed at Tickrelay: only the stream URL and
// the credentials differ from an application that talks to wss://paper-api.alpaca.markets/stream.
// Usage: node trading.mjs <ws-url> <key> <secret> <admin-url> <symbol>
// Once the gateway acknowledges the listen and listens on its simulator, asks that simulator
// (through its test switch <admin-url>) for a fill of <symbol>; prints one JSON line per event,
// and "done" on that fill.
import { Alpaca } from "@alpacahq/alpaca-trade-api";

const [url, keyId, secret, adminUrl, symbol] = process.argv.slice(2);
const alpaca = new Alpaca({ keyId, secret, paper: true });
const updates = alpaca.trading.stream({ url, maxReconnectAttempts: 0 });

const finish = (code, line) => {
  console.log(line);
  updates.disconnect();
  process.exit(code);
};
setTimeout(() => finish(2, JSON.stringify({ error: "timeout" })), 20000).unref();

updates.onError((message) => console.log(JSON.stringify({ error: String(message) })));
updates.on("subscription", async (streams) => {
  console.log(JSON.stringify({ event: "listening", streams }));
  // the gateway listens upstream once its first client listens: let that reach the simulator
  while (!(await (await fetch(adminUrl)).text()).includes('"listening":1')) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const response = await fetch(`${adminUrl}?action=fill&symbol=${symbol}&qty=3&price=101.5`,
    { method: "POST" });
  console.log(JSON.stringify({ event: "fill requested", status: response.status }));
});
updates.onTradeUpdate((update) => {
  console.log(JSON.stringify({ event: "trade_update", type: update.event, symbol: update.order.symbol,
    qty: update.qty, price: update.price, positionQty: update.positionQty,
    timestamp: update.timestamp?.toISOString() ?? null }));
  if (update.event === "fill" && update.order.symbol === symbol) finish(0, "done");
});
updates.onConnect(() => updates.subscribeTradeUpdates());
updates.connect();
const auth = await updates.whenAuthenticated();
console.log(JSON.stringify({ event: "auth", authenticated: auth.authenticated, status: auth.status }));
if (!auth.authenticated) finish(3, "auth failed");
