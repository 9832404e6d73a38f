package io.tickrelay.config;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Parses credential lists of the form {@code key:secret:feed+feed,...}; a secret may be given as
 * {@code sha256:HEX} so that plain secrets need not sit in configuration. Errors name the entry's
 * position, never its secret.
 */
public final class Credentials {

  /**
   * Checked in place of a key that does not exist, so that an unknown key costs the same hashing
   * and comparison as a known one with a wrong secret: the answer's timing does not tell which key
   * ids exist (reliability review L9). Its secret is random and never matches in practice; the
   * answer is "no" whatever it says.
   */
  private static final Credential UNKNOWN = Credential.withPlainSecret(
      "", java.util.UUID.randomUUID().toString(), Set.of(Credential.ALL_FEEDS));

  private final Map<String, Credential> byKey;
  /** Secret comparisons made, known keys or not (a test seam for the unknown-key path). */
  final LongAdder comparisons = new LongAdder();

  private Credentials(Map<String, Credential> byKey) {
    this.byKey = byKey;
  }

  public static Credentials parse(String spec) {
    Map<String, Credential> byKey = new LinkedHashMap<>();
    String[] entries = spec.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entry.isEmpty()) {
        continue;
      }
      Credential credential = parseEntry(entry, i + 1);
      if (byKey.put(credential.key(), credential) != null) {
        throw new IllegalArgumentException("credential entry " + (i + 1) + " repeats a key");
      }
    }
    return new Credentials(Map.copyOf(byKey));
  }

  private static Credential parseEntry(String entry, int position) {
    String[] parts = entry.split(":", -1);
    boolean hashed = parts.length == 4 && parts[1].equals("sha256");
    if (!(parts.length == 3 || hashed) || parts[0].isBlank()) {
      throw new IllegalArgumentException(
          "credential entry " + position + " is not key:secret:feeds or key:sha256:HEX:feeds");
    }
    String feedList = parts[parts.length - 1];
    Set<String> feeds = new HashSet<>(Arrays.asList(feedList.split("\\+")));
    feeds.remove("");
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("credential entry " + position + " lists no feed");
    }
    if (!hashed) {
      return Credential.withPlainSecret(parts[0], parts[1], feeds);
    }
    try {
      byte[] digest = Credential.hex(parts[2]);
      if (digest.length != 32) {
        throw new IllegalArgumentException("credential entry " + position + ": sha256 needs 64 hex digits");
      }
      return new Credential(parts[0], digest, feeds);
    } catch (IllegalArgumentException notHex) {
      throw new IllegalArgumentException("credential entry " + position + ": sha256 needs 64 hex digits");
    }
  }

  /**
   * The credential for {@code key} if {@code secret} is its secret. An unknown key's secret is
   * hashed and compared all the same, against {@link #UNKNOWN}.
   */
  public Optional<Credential> authenticate(String key, String secret) {
    Credential credential = byKey.get(key);
    boolean known = credential != null;
    boolean matches = (known ? credential : UNKNOWN).secretMatches(secret);
    comparisons.increment();
    return known && matches ? Optional.of(credential) : Optional.empty();
  }

  /** Every grant some credential lists (no keys, no secrets), to check against a grammar. */
  public Set<String> grants() {
    Set<String> all = new java.util.TreeSet<>();
    byKey.values().forEach(c -> all.addAll(c.feeds()));
    return all;
  }

  public int size() {
    return byKey.size();
  }
}
