package io.tickrelay.protocol;

import static io.tickrelay.protocol.ClientFrames.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: random bytes and mutated valid frames, fed to both client decoders (and the server
 * decoders, which read the upstream), may fail only with {@link ProtocolException}.
 */
class ClientDecodingFuzzTest {

  private static final int ROUNDS = 3000;

  private final Random random = new Random(20240611L);
  private final List<WireCodec> codecs =
      List.of(WireFormat.JSON.codec(), WireFormat.MSGPACK.codec());
  private int rejected;
  private int decoded;

  private List<byte[]> seeds() {
    Interest interest =
        Interest.of(
            Map.of(Channel.TRADES, List.of("AAPL", "*"), Channel.QUOTES, List.of("BTC/USD")));
    Object goSdk =
        obj("action", "subscribe", "trades", List.of("AAPL"), "news", List.of(), "bars", null);
    List<byte[]> seeds = new ArrayList<>();
    for (WireCodec codec : codecs) {
      seeds.add(codec.auth("PKTEST", "secret"));
      seeds.add(codec.subscriptionRequest(true, interest));
      seeds.add(codec.subscriptionRequest(false, interest));
      seeds.add(codec.subscription(interest));
      seeds.add(codec.frame(List.of(codec.event(JsonCodecTest.QUOTE))));
      seeds.add(ClientFrames.encode(codec.format(), goSdk));
    }
    return seeds;
  }

  private byte[] mutate(byte[] seed) {
    byte[] bytes = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && bytes.length > 0; e++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes = Arrays.copyOf(bytes, at); // truncate
        case 3 -> { // insert a random byte
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
        default -> { // delete one byte
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
      }
    }
    return bytes;
  }

  private void feed(byte[] input) {
    for (WireCodec codec : codecs) {
      try {
        codec.decodeClient(input);
        decoded++;
      } catch (ProtocolException expected) {
        rejected++;
      } catch (Throwable t) {
        fail(codec.format() + " decodeClient threw " + t + " for " + describe(input), t);
      }
      try {
        codec.decodeServer(input);
      } catch (ProtocolException expected) {
        // fine: the connection logs and drops the frame
      } catch (Throwable t) {
        fail(codec.format() + " decodeServer threw " + t + " for " + describe(input), t);
      }
    }
  }

  private static String describe(byte[] input) {
    return HexFormat.of().formatHex(input)
        + " / "
        + new String(input, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
  }

  @Test
  void randomBytesOnlyEverGiveProtocolException() {
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input = new byte[random.nextInt(48)];
      random.nextBytes(input);
      feed(input);
    }
    assertEquals(2 * ROUNDS, rejected + decoded);
  }

  @Test
  void mutatedValidFramesOnlyEverGiveProtocolException() {
    List<byte[]> seeds = seeds();
    for (int i = 0; i < ROUNDS; i++) {
      feed(mutate(seeds.get(random.nextInt(seeds.size()))));
    }
    assertEquals(2 * ROUNDS, rejected + decoded);
    // the mutations must exercise both outcomes, or the test proves nothing
    assertTrue(rejected > ROUNDS / 2, "rejected " + rejected);
    assertTrue(decoded > 0, "decoded " + decoded);
  }

  @Test
  void mutatedJsonTextOnlyEverGivesProtocolException() {
    // character-level edits keep the input mostly JSON, reaching deeper into the parser
    String[] alphabet = {
      "{", "}", "[", "]", ",", ":", "\"", "null", "1e-2147483649", "-0", "\\u0000"
    };
    String seed = ClientFrames.json(obj("action", "subscribe", "trades", List.of("AAPL", "*")));
    for (int i = 0; i < ROUNDS; i++) {
      StringBuilder text = new StringBuilder(seed);
      for (int e = 0; e < 1 + random.nextInt(3); e++) {
        int at = random.nextInt(text.length() + 1);
        if (random.nextBoolean() && at < text.length()) {
          text.deleteCharAt(at);
        } else {
          text.insert(at, alphabet[random.nextInt(alphabet.length)]);
        }
      }
      feed(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(2 * ROUNDS, rejected + decoded);
  }
}
