package io.tickrelay.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), sent in full ({@code EVAL}) only when Redis
 * answers {@code NOSCRIPT}: after a restart without persistence the script cache is empty
 * (https://redis.io/docs/latest/develop/interactive/programmability/eval-intro/#script-cache). A
 * script runs atomically: no other command runs between its reads and writes (same page).
 */
final class Script {

  private final String source;
  private final String sha;
  private final ScriptOutputType output;

  Script(String source, ScriptOutputType output) {
    this.source = source;
    this.sha = sha1(source);
    this.output = output;
  }

  <T> CompletionStage<T> run(RedisScriptingAsyncCommands<String, String> redis, String[] keys,
      String... args) {
    return call(redis, keys, args);
  }

  /** On a binary connection ({@link RedisEngine#data()}): arguments and bulk replies are bytes. */
  <T> CompletionStage<T> run(RedisScriptingAsyncCommands<String, byte[]> redis, String[] keys,
      byte[]... args) {
    return call(redis, keys, args);
  }

  private <V, T> CompletionStage<T> call(RedisScriptingAsyncCommands<String, V> redis,
      String[] keys, V[] args) {
    CompletionStage<T> bySha = redis.evalsha(sha, output, keys, args);
    return bySha.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (cause(failure) instanceof RedisNoScriptException) {
        return redis.<T>eval(source, output, keys, args);
      }
      return CompletableFuture.<T>failedFuture(cause(failure));
    }).thenCompose(stage -> stage);
  }

  private static Throwable cause(Throwable failure) {
    return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  private static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JRE", e);
    }
  }
}
