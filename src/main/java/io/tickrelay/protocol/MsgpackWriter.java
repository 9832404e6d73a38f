package io.tickrelay.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Writes msgpack as Alpaca's SDKs expect it: timestamps as the timestamp extension (type -1) with
 * nanoseconds kept (msgpack spec, "Timestamp extension type").
 */
final class MsgpackWriter implements MessageWriter {

  private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();

  @Override
  public void mapHeader(int size) {
    run(() -> packer.packMapHeader(size));
  }

  @Override
  public void endMap() {}

  @Override
  public void arrayHeader(int size) {
    run(() -> packer.packArrayHeader(size));
  }

  @Override
  public void endArray() {}

  @Override
  public void key(String key) {
    string(key);
  }

  @Override
  public void string(String value) {
    run(() -> packer.packString(value));
  }

  @Override
  public void number(double value) {
    run(() -> packer.packDouble(value));
  }

  @Override
  public void integer(long value) {
    run(() -> packer.packLong(value));
  }

  @Override
  public void bool(boolean value) {
    run(() -> packer.packBoolean(value));
  }

  @Override
  public void timestamp(Instant value) {
    run(() -> packer.packTimestamp(value));
  }

  @Override
  public void nil() {
    run(packer::packNil);
  }

  @Override
  public void bigInteger(BigInteger value) {
    if (value.signum() >= 0 && value.bitLength() <= 64) {
      run(() -> packer.packBigInteger(value)); // uint64
    } else {
      run(() -> packer.packDouble(value.doubleValue())); // as close as msgpack gets
    }
  }

  @Override
  public void json(String json) {
    run(() -> JsonToMsgpack.pack(packer, json));
  }

  /** Raw, already encoded msgpack (an element of a data frame). */
  void raw(byte[] msgpack) {
    run(() -> packer.addPayload(msgpack));
  }

  @Override
  public byte[] toBytes() {
    return packer.toByteArray();
  }

  private interface Op {
    void run() throws IOException;
  }

  private static void run(Op op) {
    try {
      op.run();
    } catch (IOException e) {
      // the packer writes to memory; an IOException here would be a msgpack-core bug
      throw new UncheckedIOException(e);
    }
  }
}
