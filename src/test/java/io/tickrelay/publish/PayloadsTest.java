package io.tickrelay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a publish request body may contain, and that a bad one is refused whole with a reason. */
class PayloadsTest {

  private static List<String> events(String body) throws PublishRefused {
    return Payloads.events(body.getBytes(StandardCharsets.UTF_8));
  }

  private static PublishRefused refused(String body) {
    return assertThrows(PublishRefused.class, () -> events(body));
  }

  @Test
  void anObjectIsOneEventWrittenCompactly() throws PublishRefused {
    assertEquals(List.of("{\"side\":\"buy\",\"qty\":3,\"legs\":[1,2.5]}"),
        events(" {\"side\" : \"buy\",\n \"qty\": 3, \"legs\": [1, 2.5]} "));
  }

  @Test
  void anArrayIsItsObjectsInOrder() throws PublishRefused {
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"),
        events("[{\"n\":1},{\"n\":2},{\"n\":3}]"));
  }

  @Test
  void unicodeAndBigNumbersSurviveUnchanged() throws PublishRefused {
    String payload = "{\"note\":\"K\u00e4ufer \u4e70 \uD83D\uDE80\","
        + "\"big\":123456789012345678901234567890,\"exact\":0.1000000000000000000001}";
    assertEquals(List.of(payload), events(payload));
  }

  @Test
  void controlCharactersComeOutEscaped() throws PublishRefused {
    String written = events("{\"s\":\"a\\u0001b\\n\"}").get(0);
    assertTrue(written.equals("{\"s\":\"a\\u0001b\\n\"}"), written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{'a':1}",
      "{\"a\":NaN}", "[{\"a\":1},]", "{\"a\":1,\"a\":2}", "[{\"a\":[1,", "[{}"})
  void malformedJsonAndRepeatedKeysAre400(String body) {
    PublishRefused refusal = refused(body);
    assertEquals(400, refusal.status());
    assertEquals("body is not well-formed JSON", refusal.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "1", "\"signal\"", "null", "true", "[[{\"a\":1}]]"})
  void onlyObjectsOrANonEmptyArrayOfThem(String body) {
    assertEquals(400, refused(body).status());
  }

  @Test
  void oneBadElementRefusesTheWholeArray() {
    PublishRefused refusal = refused("[{\"n\":1},{\"n\":2},3]");
    assertEquals("every element of the array must be a JSON object", refusal.getMessage());
  }

  @Test
  void nestingIsLimited() throws PublishRefused {
    String fits = "{\"a\":".repeat(Payloads.MAX_DEPTH - 1) + "[1]" + "}".repeat(Payloads.MAX_DEPTH - 1);
    assertEquals(1, events(fits).size());
    String deeper = "{\"a\":".repeat(Payloads.MAX_DEPTH) + "[1]" + "}".repeat(Payloads.MAX_DEPTH);
    assertEquals("payload nested deeper than 32", refused(deeper).getMessage());
    String farDeeper = "[".repeat(5000) + "]".repeat(5000);
    assertEquals(400, refused(farDeeper).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"s\":\"\\ud800\"}", "{\"s\":\"a\\udc00b\"}", "{\"\\ud83d\":1}",
      "{\"s\":[\"\\ude80\\ud83d\"]}"})
  void unpairedSurrogatesAre400(String body) {
    assertTrue(refused(body).getMessage().startsWith("string with an unpaired surrogate"), body);
  }

  @Test
  void escapedSurrogatePairsAreFine() throws PublishRefused {
    assertEquals(List.of("{\"s\":\"\uD83D\uDE80\"}"), events("{\"s\":\"\\ud83d\\ude80\"}"));
  }

  @Test
  void invalidUtf8Is400() {
    byte[] latin1 = "{\"s\":\"K\u00e4ufer\"}".getBytes(StandardCharsets.ISO_8859_1);
    PublishRefused refusal = assertThrows(PublishRefused.class, () -> Payloads.events(latin1));
    assertEquals("body is not UTF-8", refusal.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"signals", "executions", "portfolio.updates", "desk-1_eu", "0",
      "a23456789012345678901234567890123456789012345678901234567890abcd"})
  void channelNamesThatAreAccepted(String channel) throws PublishRefused {
    Payloads.checkChannel(channel);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Signals", "-signals", ".x", "sig nals", "sig/nals", "*", "sig\u00e4",
      "a23456789012345678901234567890123456789012345678901234567890abcde"})
  void channelNamesThatAre400(String channel) {
    PublishRefused refusal = assertThrows(PublishRefused.class, () -> Payloads.checkChannel(channel));
    assertEquals(400, refusal.status());
  }
}
