// Alpaca's official JavaScript SDK pointed at Tickrelay: only the stream URL and the credentials
// differ from an application that talks to Alpaca directly. The SDK speaks msgpack (its default).
// Usage: node stream.mjs <ws-url> <key> <secret> <trade symbol> <quote symbol> <count>
// Prints one JSON line per event received, then "done" once <count> trades and quotes have come.
import { Alpaca } from "@alpacahq/alpaca-trade-api";

const [url, keyId, secret, tradeSymbol, quoteSymbol, countArg] = process.argv.slice(2);
const wanted = Number(countArg ?? "3");
const alpaca = new Alpaca({ keyId, secret });
const stream = alpaca.marketData.stockStream({ feed: "iex", url, maxReconnectAttempts: 0 });

let trades = 0;
let quotes = 0;
const finish = (code, line) => {
  console.log(line);
  stream.disconnect();
  process.exit(code);
};
setTimeout(() => finish(2, JSON.stringify({ error: "timeout", trades, quotes })), 20000).unref();

stream.onError((message) => console.log(JSON.stringify({ error: String(message) })));
stream.onConnect(() => {
  console.log(JSON.stringify({ event: "connected" }));
  stream.subscribeForTrades([tradeSymbol]);
  stream.subscribeForQuotes([quoteSymbol]);
});
stream.onTrade((trade) => {
  trades++;
  console.log(JSON.stringify({ event: "trade", symbol: trade.symbol, price: trade.price,
    size: trade.size, id: trade.id, timestampRaw: trade.timestampRaw }));
  if (trades >= wanted && quotes >= wanted) finish(0, "done");
});
stream.onQuote((quote) => {
  quotes++;
  console.log(JSON.stringify({ event: "quote", symbol: quote.symbol, bidPrice: quote.bidPrice,
    askPrice: quote.askPrice, timestampRaw: quote.timestampRaw }));
  if (trades >= wanted && quotes >= wanted) finish(0, "done");
});
stream.connect();
const auth = await stream.whenAuthenticated();
console.log(JSON.stringify({ event: "auth", authenticated: auth.authenticated, status: auth.status,
  code: auth.code ?? null }));
if (!auth.authenticated) finish(3, "auth failed");
