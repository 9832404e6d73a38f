package io.tickrelay.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every configuration key of the gateway in one place. In simulator mode ({@link GatewayMode}: asked
 * for, or nothing configured at all) the upstream is the embedded simulator and a {@code demo:demo:*}
 * client credential exists.
 */
@ApplicationScoped
public class GatewayConfig {

  static final String ALPACA_STREAM_URL = "wss://stream.data.alpaca.markets";
  static final String SIMULATOR_CLIENTS = "demo:demo:*+trade_updates+channels+wildcard";
  static final String ALPACA_TRADING_STREAM_URL = "wss://paper-api.alpaca.markets/stream";
  static final String SIMULATOR_PUBLISHERS = "demo-publisher:demo:*";

  /** {@code simulator} or {@code live}; unset: simulator only when nothing is configured. */
  @Inject
  @ConfigProperty(name = "tickrelay.mode")
  Optional<String> mode;

  @Inject
  @ConfigProperty(name = "apca.api.key.id")
  Optional<String> apiKeyId;

  @Inject
  @ConfigProperty(name = "apca.api.secret.key")
  Optional<String> apiSecretKey;

  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.stream.url")
  Optional<String> streamUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.feeds", defaultValue = "sip,iex")
  List<String> feeds;

  /** Alpaca crypto locations to serve on {@code /v1beta3/crypto/{loc}}; {@code none} for none. */
  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.crypto.locations", defaultValue = "us")
  String cryptoLocations;

  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.trading-stream.url")
  Optional<String> tradingStreamUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.trade-updates")
  Optional<Boolean> tradeUpdates;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.trade-updates-interval", defaultValue = "PT5S")
  Duration simulatorTradeUpdatesInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.clients")
  Optional<String> clients;

  @Inject
  @ConfigProperty(name = "http.port", defaultValue = "9080")
  int httpPort;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.auth-timeout", defaultValue = "PT10S")
  Duration upstreamAuthTimeout;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.backoff-initial", defaultValue = "PT1S")
  Duration backoffInitial;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.backoff-max", defaultValue = "PT60S")
  Duration backoffMax;

  /** A session live this long counts as healthy: its first reconnect goes at once. */
  @Inject
  @ConfigProperty(name = "tickrelay.upstream.healthy-after", defaultValue = "PT30S")
  Duration healthyAfter;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.quick-reconnect-jitter", defaultValue = "PT0.1S")
  Duration quickReconnectJitter;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.connection-limit-wait", defaultValue = "PT30S")
  Duration connectionLimitWait;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.throttled-floor", defaultValue = "PT15S")
  Duration throttledFloor;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.ping-interval", defaultValue = "PT10S")
  Duration pingInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.pong-timeout", defaultValue = "PT5S")
  Duration pongTimeout;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.silence-window", defaultValue = "PT60S")
  Duration silenceWindow;

  /** always, market-hours or off; default: always against the simulator, market-hours otherwise. */
  @Inject
  @ConfigProperty(name = "tickrelay.upstream.silence-check")
  Optional<String> silenceCheck;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.reprobe-interval", defaultValue = "PT15M")
  Duration reprobeInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.escalate-after", defaultValue = "3")
  int escalateAfter;

  @Inject
  @ConfigProperty(name = "tickrelay.upstream.keep-warm", defaultValue = "true")
  boolean upstreamKeepWarm;

  @Inject
  @ConfigProperty(name = "tickrelay.readiness.streams", defaultValue = "stocks")
  String readinessStreams;

  @Inject
  @ConfigProperty(name = "tickrelay.client.auth-timeout", defaultValue = "PT10S")
  Duration clientAuthTimeout;

  @Inject
  @ConfigProperty(name = "tickrelay.client.outbox-frames", defaultValue = "1024")
  int clientOutboxFrames;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.enabled")
  Optional<Boolean> simulatorEnabled;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.url")
  Optional<String> simulatorUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.key", defaultValue = "simulator")
  String simulatorKey;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.secret", defaultValue = "simulator")
  String simulatorSecret;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.feeds", defaultValue = "*")
  String simulatorFeeds;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.trades-per-second", defaultValue = "4")
  double simulatorTradesPerSecond;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.bar-interval", defaultValue = "PT1M")
  Duration simulatorBarInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.connections-per-key", defaultValue = "1")
  int simulatorConnectionsPerKey;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.admin.enabled", defaultValue = "false")
  boolean simulatorAdminEnabled;

  // client distribution
  @Inject
  @ConfigProperty(name = "tickrelay.client.max-connections", defaultValue = "10000")
  int clientMaxConnections;

  @Inject
  @ConfigProperty(name = "tickrelay.client.connections-per-credential", defaultValue = "100")
  int clientConnectionsPerCredential;

  @Inject
  @ConfigProperty(name = "tickrelay.client.symbols-per-connection", defaultValue = "10000")
  int clientSymbolsPerConnection;

  @Inject
  @ConfigProperty(name = "tickrelay.client.limits")
  Optional<String> clientLimits;

  @Inject
  @ConfigProperty(name = "tickrelay.client.outbox-messages")
  Optional<Integer> clientOutboxMessages;

  @Inject
  @ConfigProperty(name = "tickrelay.client.slow-after", defaultValue = "PT30S")
  Duration clientSlowAfter;

  @Inject
  @ConfigProperty(name = "tickrelay.client.slow-close-grace", defaultValue = "PT5S")
  Duration clientSlowCloseGrace;

  // admission (admission/Admission): failed authentications throttled, unauthenticated sockets capped
  @Inject
  @ConfigProperty(name = "tickrelay.client.auth-failures-per-key", defaultValue = "10")
  int clientAuthFailuresPerKey;

  @Inject
  @ConfigProperty(name = "tickrelay.client.auth-failures-per-address", defaultValue = "100")
  int clientAuthFailuresPerAddress;

  @Inject
  @ConfigProperty(name = "tickrelay.client.auth-failures-per-key-total", defaultValue = "100")
  int clientAuthFailuresPerKeyTotal;

  @Inject
  @ConfigProperty(name = "tickrelay.client.auth-failure-window", defaultValue = "PT1M")
  Duration clientAuthFailureWindow;

  @Inject
  @ConfigProperty(name = "tickrelay.client.unauthenticated-per-address", defaultValue = "100")
  int clientUnauthenticatedPerAddress;

  @Inject
  @ConfigProperty(name = "tickrelay.client.max-frame-bytes", defaultValue = "65536")
  int clientMaxFrameBytes;

  // bytes waiting per client, control frames included, before 407 (delivery/ClientOutbox)
  @Inject
  @ConfigProperty(name = "tickrelay.client.max-pending-bytes", defaultValue = "8388608")
  long clientMaxPendingBytes;

  @Inject
  @ConfigProperty(name = "tickrelay.client.journal-size", defaultValue = "10000")
  int clientJournalSize;

  // upstream subscriptions kept after their last client left (distribution/Fanout)
  @Inject
  @ConfigProperty(name = "tickrelay.upstream.linger", defaultValue = "PT60S")
  Duration upstreamLinger;

  @Inject
  @ConfigProperty(name = "tickrelay.client.control-per-second", defaultValue = "10")
  double clientControlPerSecond;

  @Inject
  @ConfigProperty(name = "tickrelay.client.control-burst", defaultValue = "50")
  int clientControlBurst;

  @Inject
  @ConfigProperty(name = "tickrelay.client.control-refusals-before-close", defaultValue = "200")
  int clientControlRefusalsBeforeClose;

  @Inject
  @ConfigProperty(name = "tickrelay.client.max-message-bytes", defaultValue = "262144")
  int clientMaxMessageBytes;

  @Inject
  @ConfigProperty(name = "tickrelay.client.fanout-queue", defaultValue = "65536")
  int clientFanoutQueue;

  @Inject
  @ConfigProperty(name = "tickrelay.client.batch-window", defaultValue = "PT0S")
  Duration clientBatchWindow;

  // blocking writes from the gateway's own writer thread (delivery/DirectWriter)
  @Inject
  @ConfigProperty(name = "tickrelay.client.direct-writes", defaultValue = "true")
  boolean clientDirectWrites;

  @Inject
  @ConfigProperty(name = "tickrelay.client.write-block-after", defaultValue = "PT0.05S")
  Duration clientWriteBlockAfter;

  @Inject
  @ConfigProperty(name = "tickrelay.client.max-blocked-writes", defaultValue = "16")
  int clientMaxBlockedWrites;

  // Binance spot market streams (io.tickrelay.binance)
  @Inject
  @ConfigProperty(name = "tickrelay.binance.enabled")
  Optional<Boolean> binanceEnabled;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.stream-url")
  Optional<String> binanceStreamUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.max-session-age", defaultValue = "PT23H50M")
  Duration binanceMaxSessionAge;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.quote-assets", defaultValue = "USDT,USDC,FDUSD,BTC,ETH,BNB,EUR,TRY")
  List<String> binanceQuoteAssets;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.control-per-second", defaultValue = "3")
  int binanceControlPerSecond;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.streams-per-connection", defaultValue = "1024")
  int binanceStreamsPerConnection;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.max-connections", defaultValue = "5")
  int binanceMaxConnections;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.listing-refresh", defaultValue = "PT1H")
  Duration binanceListingRefresh;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.binance.ping-interval", defaultValue = "PT20S")
  Duration simulatorBinancePingInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.binance.pong-timeout", defaultValue = "PT1M")
  Duration simulatorBinancePongTimeout;

  @Inject
  @ConfigProperty(name = "tickrelay.simulator.binance.max-connection-age", defaultValue = "PT24H")
  Duration simulatorBinanceMaxConnectionAge;

  /** Browser origins allowed to open client WebSockets besides the gateway's own; {@code *} = any. */
  @Inject
  @ConfigProperty(name = "tickrelay.allowed-origins", defaultValue = "none")
  String allowedOrigins;

  /** {@code key:secret} or {@code key:sha256:HEX}; when set, required for status. */
  @Inject
  @ConfigProperty(name = "tickrelay.operator.credential")
  Optional<String> operatorCredential;

  // publish API

  @Inject
  @ConfigProperty(name = "tickrelay.publishers")
  Optional<String> publishers;

  @Inject
  @ConfigProperty(name = "tickrelay.publish.max-bytes", defaultValue = "65536")
  int publishMaxBytes;

  @Inject
  @ConfigProperty(name = "tickrelay.publish.per-second", defaultValue = "1000")
  double publishPerSecond;

  // backfill after an outage (io.tickrelay.backfill and the providers' history sources)
  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.data.url")
  Optional<String> alpacaDataUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.alpaca.data.requests-per-minute", defaultValue = "200")
  int alpacaDataRequestsPerMinute;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.rest.url")
  Optional<String> binanceRestUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.binance.rest.weight-per-minute", defaultValue = "1200")
  int binanceRestWeightPerMinute;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.enabled", defaultValue = "true")
  boolean backfillEnabled;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.deadline", defaultValue = "PT30S")
  Duration backfillDeadline;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.max-pages", defaultValue = "50")
  int backfillMaxPages;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.max-events", defaultValue = "100000")
  int backfillMaxEvents;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.request-timeout", defaultValue = "PT10S")
  Duration backfillRequestTimeout;

  @Inject
  @ConfigProperty(name = "tickrelay.backfill.retries", defaultValue = "3")
  int backfillRetries;

  /** {@code TICKRELAY_ALLOWED_ORIGINS}: {@code none} (the default) lists none. */
  public String allowedOrigins() {
    return allowedOrigins.trim().equalsIgnoreCase("none") ? "" : allowedOrigins;
  }

  /** The operator credential status requires, if any ({@code TICKRELAY_OPERATOR_CREDENTIAL}). */
  public Optional<Credentials> operatorCredential() {
    return operatorCredential.map(spec -> Credentials.parse(spec.trim() + ":operator"));
  }

  /** Present environment variables, empty ones included (a seam for tests). */
  java.util.function.Predicate<String> environment = name -> System.getenv(name) != null;

  private volatile GatewayMode gatewayMode;

  /** Simulator or live, and why ({@link GatewayMode}); decided once. */
  public GatewayMode mode() {
    GatewayMode decided = gatewayMode;
    if (decided == null) {
      List<String> configured = new java.util.ArrayList<>();
      apiKeyId.ifPresent(v -> configured.add("APCA_API_KEY_ID"));
      apiSecretKey.ifPresent(v -> configured.add("APCA_API_SECRET_KEY"));
      clients.ifPresent(v -> configured.add("TICKRELAY_CLIENTS"));
      publishers.ifPresent(v -> configured.add("TICKRELAY_PUBLISHERS"));
      binanceStreamUrl.ifPresent(v -> configured.add("TICKRELAY_BINANCE_STREAM_URL"));
      binanceEnabled.filter(Boolean::booleanValue).ifPresent(v -> configured.add("TICKRELAY_BINANCE_ENABLED"));
      decided = GatewayMode.decide(new GatewayMode.Inputs(mode, configured, environment));
      gatewayMode = decided;
    }
    return decided;
  }

  /** The embedded simulator stands in for Alpaca and the demo credentials exist. */
  public boolean simulatorMode() {
    return mode().simulator();
  }

  /** Live mode without an Alpaca key: nothing to authenticate upstream with (never the demo key). */
  public boolean alpacaKeyMissing() {
    return !simulatorMode() && apiKeyId.isEmpty();
  }

  public boolean simulatorEnabled() {
    return simulatorEnabled.orElse(simulatorMode());
  }

  /** Base URL of the Alpaca stream host; {@code /v2/{feed}} is appended. */
  public URI alpacaStreamUrl() {
    String base = streamUrl.orElseGet(() -> simulatorMode() ? simulatorUrl() : ALPACA_STREAM_URL);
    return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
  }

  /** The account's trading stream (trade updates); the embedded simulator's in simulator mode. */
  public URI alpacaTradingStreamUrl() {
    return URI.create(tradingStreamUrl.orElseGet(
        () -> simulatorMode() ? simulatorUrl() + "/trading/stream" : ALPACA_TRADING_STREAM_URL));
  }

  /** Hold the trading stream: by default with APCA keys, and in simulator mode when it runs. */
  public boolean alpacaTradeUpdates() {
    return tradeUpdates.orElse(simulatorMode() ? simulatorEnabled() : true);
  }

  public Duration simulatorTradeUpdatesInterval() {
    return simulatorTradeUpdatesInterval;
  }

  public String simulatorUrl() {
    return simulatorUrl.orElse("ws://localhost:" + httpPort + "/simulator");
  }

  public String upstreamKeyId() {
    return apiKeyId.orElse(simulatorMode() ? simulatorKey : "");
  }

  public String upstreamSecret() {
    return simulatorMode() ? simulatorSecret : apiSecretKey.orElse("");
  }

  public List<String> feeds() {
    return List.copyOf(feeds);
  }

  /**
   * The Alpaca crypto locations with an upstream ({@code us}, {@code us-1}, {@code eu-1}), in
   * configured order; empty for {@code none}. MicroProfile Config reads an empty value as unset
   * (hence the default), so {@code none} is the reliable way to switch crypto off.
   */
  public List<String> alpacaCryptoLocations() {
    List<String> locations = new java.util.ArrayList<>();
    for (String location : cryptoLocations.split(",")) {
      String trimmed = location.trim();
      if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("none") && !locations.contains(trimmed)) {
        locations.add(trimmed);
      }
    }
    return List.copyOf(locations);
  }

  /** Gateway-issued client credentials; {@code demo:demo} with every grant only in simulator mode. */
  public Credentials clientCredentials() {
    return Credentials.parse(clients.orElse(simulatorMode() ? SIMULATOR_CLIENTS : ""));
  }

  public Duration upstreamAuthTimeout() {
    return upstreamAuthTimeout;
  }

  public Duration backoffInitial() {
    return backoffInitial;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  public Duration healthyAfter() {
    return healthyAfter;
  }

  public Duration quickReconnectJitter() {
    return quickReconnectJitter;
  }

  public Duration connectionLimitWait() {
    return connectionLimitWait;
  }

  public Duration throttledFloor() {
    return throttledFloor;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration pongTimeout() {
    return pongTimeout;
  }

  public Duration silenceWindow() {
    return silenceWindow;
  }

  /** {@code always}, {@code market-hours} or {@code off}. */
  public String silenceCheck() {
    return silenceCheck.orElse(simulatorMode() ? "always" : "market-hours");
  }

  public Duration reprobeInterval() {
    return reprobeInterval;
  }

  public int escalateAfter() {
    return escalateAfter;
  }

  /** The streams whose upstream connections must all be live for readiness; {@code *} = all. */
  public java.util.Set<String> readinessStreams() {
    return java.util.Arrays.stream(readinessStreams.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public boolean upstreamKeepWarm() {
    return upstreamKeepWarm;
  }

  public Duration clientAuthTimeout() {
    return clientAuthTimeout;
  }

  public int clientOutboxFrames() {
    return clientOutboxFrames;
  }

  public Credential simulatorAccount() {
    return Credential.withPlainSecret(
        simulatorKey, simulatorSecret, java.util.Set.of(simulatorFeeds.split("\\+")));
  }

  public double simulatorTradesPerSecond() {
    return simulatorTradesPerSecond;
  }

  public Duration simulatorBarInterval() {
    return simulatorBarInterval;
  }

  public boolean simulatorAdminEnabled() {
    return simulatorAdminEnabled;
  }

  public int simulatorConnectionsPerKey() {
    return simulatorConnectionsPerKey;
  }

  // client distribution

  /** Client connections the gateway holds at once, authenticated or not; beyond it 406. */
  public int clientMaxConnections() {
    return clientMaxConnections;
  }

  /** Default connections one client credential may hold at once; beyond it 406. */
  public int clientConnectionsPerCredential() {
    return clientConnectionsPerCredential;
  }

  /** Default distinct symbols one connection may subscribe; beyond it 405. */
  public int clientSymbolsPerConnection() {
    return clientSymbolsPerConnection;
  }

  /** Per-credential overrides, {@code key:connections:symbols,...} ({@code *} = unlimited). */
  public String clientLimits() {
    return clientLimits.orElse("");
  }

  /** Messages a client may have waiting, after conflation, before 407; 16 frames' worth each. */
  public int clientOutboxMessages() {
    return clientOutboxMessages.orElse(16 * clientOutboxFrames);
  }

  public Duration clientSlowAfter() {
    return clientSlowAfter;
  }

  public Duration clientSlowCloseGrace() {
    return clientSlowCloseGrace;
  }

  public long clientMaxPendingBytes() {
    return clientMaxPendingBytes;
  }

  /**
   * Failed authentications of one key from one address per window before its attempts from there
   * are refused unheard.
   */
  public int clientAuthFailuresPerKey() {
    return clientAuthFailuresPerKey;
  }

  /** Failed authentications from one remote address per window before it is refused unheard. */
  public int clientAuthFailuresPerAddress() {
    return clientAuthFailuresPerAddress;
  }

  /**
   * Failed authentications of one key from every address together per window before the key is
   * refused unheard from the addresses that failed with it (never from one that did not).
   */
  public int clientAuthFailuresPerKeyTotal() {
    return clientAuthFailuresPerKeyTotal;
  }

  public Duration clientAuthFailureWindow() {
    return clientAuthFailureWindow;
  }

  /** Sockets one remote address may hold before they authenticate; beyond it 406 and close. */
  public int clientUnauthenticatedPerAddress() {
    return clientUnauthenticatedPerAddress;
  }

  public int clientMaxFrameBytes() {
    return clientMaxFrameBytes;
  }

  public int clientJournalSize() {
    return clientJournalSize;
  }

  public Duration upstreamLinger() {
    return upstreamLinger;
  }

  public double clientControlPerSecond() {
    return clientControlPerSecond;
  }

  public int clientControlBurst() {
    return clientControlBurst;
  }

  public int clientControlRefusalsBeforeClose() {
    return clientControlRefusalsBeforeClose;
  }

  public int clientMaxMessageBytes() {
    return clientMaxMessageBytes;
  }

  public int clientFanoutQueue() {
    return clientFanoutQueue;
  }

  public Duration clientBatchWindow() {
    return clientBatchWindow;
  }

  public boolean clientDirectWrites() {
    return clientDirectWrites;
  }

  public Duration clientWriteBlockAfter() {
    return clientWriteBlockAfter;
  }

  public int clientMaxBlockedWrites() {
    return clientMaxBlockedWrites;
  }

  // Binance spot market streams

  static final String BINANCE_STREAM_URL = "wss://stream.binance.com:9443";

  /** Whether the gateway holds a Binance upstream for {@code crypto/binance}; on with the simulator. */
  public boolean binanceEnabled() {
    return binanceEnabled.orElse(simulatorMode());
  }

  /** Base URL of the Binance stream host; {@code /stream} is appended. */
  public URI binanceStreamUrl() {
    String base = binanceStreamUrl.orElseGet(
        () -> simulatorMode() ? simulatorUrl() + "/binance" : BINANCE_STREAM_URL);
    return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
  }

  /** Age at which a Binance connection is replaced, before Binance's own 24 h cut-off. */
  public Duration binanceMaxSessionAge() {
    return binanceMaxSessionAge;
  }

  /** Quote assets that split a Binance symbol ({@code BTCUSDT} into BTC/USDT), longest match. */
  public List<String> binanceQuoteAssets() {
    return List.copyOf(binanceQuoteAssets);
  }

  /** Control messages per second per Binance connection (Binance allows 5, pings and pongs included). */
  public int binanceControlPerSecond() {
    return binanceControlPerSecond;
  }

  public int binanceStreamsPerConnection() {
    return binanceStreamsPerConnection;
  }

  /**
   * Most Binance connections the gateway opens for client demand; a subscribe that would need
   * another is refused (405). Binance allows an IP 300 connection attempts per 5 minutes.
   */
  public int binanceMaxConnections() {
    return Math.max(1, binanceMaxConnections);
  }

  /** How often Binance's symbol list ({@code GET /api/v3/exchangeInfo}) is fetched again. */
  public Duration binanceListingRefresh() {
    return binanceListingRefresh.isNegative() || binanceListingRefresh.isZero()
        ? Duration.ofHours(1) : binanceListingRefresh;
  }

  public Duration simulatorBinancePingInterval() {
    return simulatorBinancePingInterval;
  }

  public Duration simulatorBinancePongTimeout() {
    return simulatorBinancePongTimeout;
  }

  public Duration simulatorBinanceMaxConnectionAge() {
    return simulatorBinanceMaxConnectionAge;
  }

  // publish API

  /**
   * Internal producers allowed to publish, {@code key:secret:channel+channel} ({@code *} = any
   * channel); nobody by default, {@code demo-publisher:demo:*} in simulator mode.
   */
  public Credentials publisherCredentials() {
    return Credentials.parse(publishers.orElse(simulatorMode() ? SIMULATOR_PUBLISHERS : ""));
  }

  /** Largest request body the publish API reads; beyond it 413. */
  public int publishMaxBytes() {
    return publishMaxBytes;
  }

  /** Events one publisher may publish per second (a token bucket holding one second's worth). */
  public double publishPerSecond() {
    return publishPerSecond;
  }

  // backfill

  static final String ALPACA_DATA_URL = "https://data.alpaca.markets";
  static final String BINANCE_REST_URL = "https://api.binance.com";

  /** Alpaca's market-data REST API; the embedded simulator's {@code /data} in simulator mode. */
  public URI alpacaDataUrl() {
    return trimmed(alpacaDataUrl.orElseGet(
        () -> simulatorMode() ? simulatorHttpUrl() + "/data" : ALPACA_DATA_URL));
  }

  public int alpacaDataRequestsPerMinute() {
    return alpacaDataRequestsPerMinute;
  }

  /** Binance's spot REST API; the embedded Binance simulator in simulator mode. */
  public URI binanceRestUrl() {
    return trimmed(binanceRestUrl.orElseGet(
        () -> simulatorMode() ? simulatorHttpUrl() + "/binance" : BINANCE_REST_URL));
  }

  /** Request weight per minute the Binance backfill may spend (Binance allows an IP 6000). */
  public int binanceRestWeightPerMinute() {
    return binanceRestWeightPerMinute;
  }

  public boolean backfillEnabled() {
    return backfillEnabled;
  }

  /** Time one backfill may take, all its requests and waits included. */
  public Duration backfillDeadline() {
    return backfillDeadline;
  }

  public int backfillMaxPages() {
    return backfillMaxPages;
  }

  public int backfillMaxEvents() {
    return backfillMaxEvents;
  }

  public Duration backfillRequestTimeout() {
    return backfillRequestTimeout;
  }

  public int backfillRetries() {
    return backfillRetries;
  }

  /** The simulator's base URL as HTTP: {@code ws://host/simulator} becomes {@code http://host/simulator}. */
  private String simulatorHttpUrl() {
    return simulatorUrl().replaceFirst("^ws", "http");
  }

  private static URI trimmed(String url) {
    return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }
}
