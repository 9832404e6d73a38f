package io.tickrelay.distribution;

import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ControlRate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.protocol.WireFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fan-out's small parts: journal, rate cap, flood guard, limits, encode-once cache. */
class StreamPartsTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void theJournalReplaysWhatItHoldsAndNothingPartial() {
    Journal journal = new Journal(3);
    for (int i = 1; i <= 5; i++) {
      journal.append(ClientHubTest.trade("AAPL", i, i));
    }
    assertEquals(5, journal.head());
    assertEquals(3, journal.oldest());
    assertEquals(List.of(4L, 5L), journal.after(3).orElseThrow().stream().map(Streamed::seq).toList());
    assertTrue(journal.after(5).orElseThrow().isEmpty());
    assertTrue(journal.after(1).isEmpty(), "seq 2 is gone: no partial replay");
    assertTrue(journal.after(6).isEmpty(), "ahead of the stream");
  }

  @Test
  void theRateCapHoldsTheLatestAndReleasesItWhenItsSlotFrees() {
    RateCap cap = new RateCap(2); // one per 500 ms per symbol
    Streamed q1 = new Streamed(1, ClientHubTest.quote("AMD", 1));
    Streamed q2 = new Streamed(2, ClientHubTest.quote("AMD", 2));
    Streamed q3 = new Streamed(3, ClientHubTest.quote("AMD", 3));
    Streamed other = new Streamed(4, ClientHubTest.quote("INTC", 1));
    assertTrue(cap.admit(q1, 0));
    assertFalse(cap.admit(q2, SECOND / 10));
    assertFalse(cap.admit(q3, SECOND / 5));
    assertTrue(cap.admit(other, SECOND / 5), "each symbol has its own slot");
    assertEquals(SECOND / 2, cap.nextDueNanos());
    assertTrue(cap.release(SECOND / 4).isEmpty());
    assertEquals(List.of(q3), cap.release(SECOND / 2), "only the latest, q2 was conflated");
    assertEquals(-1, cap.nextDueNanos());
  }

  @Test
  void theFloodGuardRefusesOnceAnswersThenClosesAPersistentFlooder() {
    ControlRate rate = new ControlRate(new ControlRate.Limits(10, 3, 5), 0);
    for (int i = 0; i < 3; i++) {
      assertEquals(ControlRate.Verdict.ALLOW, rate.admit(0));
    }
    assertEquals(ControlRate.Verdict.REFUSE_AND_ANSWER, rate.admit(0));
    assertEquals(ControlRate.Verdict.REFUSE_SILENTLY, rate.admit(0));
    assertEquals(ControlRate.Verdict.ALLOW, rate.admit(SECOND / 10), "a token per 100 ms");
    for (int i = 0; i < 5; i++) {
      rate.admit(SECOND / 10);
    }
    assertEquals(ControlRate.Verdict.CLOSE, rate.admit(SECOND / 10));
  }

  @Test
  void aFloodThatGetsARefilledTokenNowAndThenIsClosedToo() {
    // 10/s allowed, 10 messages every 100 ms sent: one in ten gets the refilled token, so the
    // refusals never run 5 in a row; before, such a flood was held at the rate and never closed
    ControlRate rate = new ControlRate(new ControlRate.Limits(10, 3, 50), 0);
    ControlRate.Verdict last = null;
    int answered = 0;
    for (long tick = 0; tick < 100 && last != ControlRate.Verdict.CLOSE; tick++) {
      for (int i = 0; i < 10 && last != ControlRate.Verdict.CLOSE; i++) {
        last = rate.admit(tick * SECOND / 10);
        answered += last == ControlRate.Verdict.REFUSE_AND_ANSWER ? 1 : 0;
      }
    }
    assertEquals(ControlRate.Verdict.CLOSE, last, "closed within 10 s of flooding");
    assertTrue(answered <= 7, "one 429 per run of refusals, not one per message: " + answered);
  }

  @Test
  void aClientThatKeepsToItsRateAfterABurstIsNotClosed() {
    ControlRate rate = new ControlRate(new ControlRate.Limits(10, 3, 5), 0);
    for (int round = 0; round < 20; round++) {
      long start = round * SECOND; // a second apart: the bucket is full again each time
      for (int i = 0; i < 3; i++) {
        assertEquals(ControlRate.Verdict.ALLOW, rate.admit(start));
      }
      for (int i = 0; i < 4; i++) {
        assertTrue(rate.admit(start) != ControlRate.Verdict.CLOSE, "round " + round);
      }
    }
  }

  @Test
  void limitsPerCredentialOverTheDefaults() {
    Entitlements.Limits defaults = new Entitlements.Limits(10, 100);
    Entitlements entitlements = Entitlements.parse("bot:1:30, desk:*:*", defaults);
    assertEquals(new Entitlements.Limits(1, 30), entitlements.of("bot"));
    assertEquals(new Entitlements.Limits(Integer.MAX_VALUE, Integer.MAX_VALUE), entitlements.of("desk"));
    assertEquals(defaults, entitlements.of("anyone"));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> Entitlements.parse("bot:x:1", defaults));
    assertFalse(bad.getMessage().contains("x:"), "names the entry, not its text");
    assertThrows(IllegalArgumentException.class, () -> Entitlements.parse("a:1:1,a:2:2", defaults));
  }

  @Test
  void anEventIsEncodedOncePerFormatAndVariant() {
    Streamed s = new Streamed(42, ClientHubTest.trade("AAPL", 1, 1));
    assertSame(s.bytes(WireFormat.JSON, false), s.bytes(WireFormat.JSON, false));
    assertSame(s.bytes(WireFormat.MSGPACK, true), s.bytes(WireFormat.MSGPACK, true));
    String withSeq = new String(s.bytes(WireFormat.JSON, true), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(withSeq.startsWith("{\"T\":\"t\"") && withSeq.endsWith(",\"x-seq\":42}"), withSeq);
    assertEquals(null, s.key(), "trades are never conflated");
    assertTrue(new Streamed(1, ClientHubTest.quote("A", 1)).key()
        .equals(new Streamed(2, ClientHubTest.quote("A", 2)).key()));
  }

  @Test
  void theTestFeedOffersOnlyTradesQuotesAndBars() {
    StreamPath test = StreamPath.stocks("test").orElseThrow();
    StreamPath sip = StreamPath.stocks("sip").orElseThrow();
    assertTrue(test.offers(Interest.of(Channel.BARS, "FAKEPACA")));
    assertFalse(test.offers(Interest.of(Channel.LULDS, "FAKEPACA")));
    assertTrue(sip.offers(Interest.of(Channel.LULDS, "AAPL")));
    assertFalse(sip.offers(Interest.of(Channel.ORDERBOOKS, "AAPL")), "crypto channel on stocks");
    assertTrue(StreamPath.stocks("v1").isEmpty());
  }

  @Test
  void cryptoPathsOfferCryptoChannelsPerLocation() {
    StreamPath us = StreamPath.crypto("us").orElseThrow();
    assertEquals(Streams.crypto("us"), us.stream());
    assertTrue(us.offers(Interest.of(Channel.ORDERBOOKS, "BTC/USD")));
    assertFalse(us.offers(Interest.of(Channel.STATUSES, "BTC/USD")));
    StreamPath binance = StreamPath.crypto("binance").orElseThrow();
    assertEquals(Streams.crypto("binance"), binance.stream());
    assertTrue(binance.offers(Interest.of(Channel.BARS, "BTC/USDT")));
    assertFalse(binance.offers(Interest.of(Channel.ORDERBOOKS, "BTC/USDT")), "no books on Binance");
    assertTrue(StreamPath.crypto("mars").isEmpty());
  }

  @Test
  void entitlementsFollowThePathFamily() {
    Credential stocksOnly = Credential.withPlainSecret("a", "s", Set.of("iex"));
    Credential cryptoUs = Credential.withPlainSecret("b", "s", Set.of("crypto/us"));
    Credential allCrypto = Credential.withPlainSecret("c", "s", Set.of("crypto"));
    Credential signals = Credential.withPlainSecret("d", "s", Set.of("channels/signals"));
    Credential marketData = Credential.withPlainSecret("e", "s", Set.of("*"));
    Credential everyChannel = Credential.withPlainSecret("f", "s", Set.of("channels"));
    StreamPath us = StreamPath.crypto("us").orElseThrow();
    StreamPath binance = StreamPath.crypto("binance").orElseThrow();
    StreamPath channels = StreamPath.channels();
    assertFalse(us.admits(stocksOnly));
    assertTrue(us.admits(cryptoUs));
    assertFalse(binance.admits(cryptoUs));
    assertTrue(binance.admits(allCrypto));
    assertFalse(channels.admits(stocksOnly));
    assertTrue(channels.admits(signals));
    assertTrue(channels.entitles(signals, Interest.of(Channel.PUBLISHED, "signals")));
    assertFalse(channels.entitles(signals, Interest.of(Channel.PUBLISHED, "signals", "fills")));
    assertFalse(channels.entitles(signals, Interest.of(Channel.PUBLISHED, "*")));
    // * is market data only: published channels are always named
    assertTrue(us.admits(marketData));
    assertFalse(channels.admits(marketData));
    assertFalse(channels.entitles(marketData, Interest.of(Channel.PUBLISHED, "signals")));
    assertTrue(channels.entitles(everyChannel, Interest.of(Channel.PUBLISHED, "*")));
  }
}
