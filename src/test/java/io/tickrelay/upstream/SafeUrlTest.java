package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SafeUrlTest {

  @Test
  void userInfoQueryAndFragmentAreDropped() {
    assertEquals("wss://stream.example.com:8443/v2/sip",
        SafeUrl.of(URI.create("wss://key:s3cret@stream.example.com:8443/v2/sip?token=abc#frag")));
    assertEquals("ws://localhost/v2/iex", SafeUrl.of("ws://localhost/v2/iex?apikey=zzz"));
  }

  @Test
  void aPlainUrlIsKeptAndGarbageIsWithheld() {
    assertEquals("wss://stream.data.alpaca.markets/v2/iex", SafeUrl.of("wss://stream.data.alpaca.markets/v2/iex"));
    assertEquals("(unparseable URL withheld)", SafeUrl.of("ws://bad host/?secret=1"));
  }
}
