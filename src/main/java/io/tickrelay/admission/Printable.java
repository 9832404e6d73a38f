package io.tickrelay.admission;

/** Client-supplied strings made safe for a log line: cut to 40 characters, printable ASCII only. */
public final class Printable {

  private Printable() {}

  public static String of(String untrusted) {
    if (untrusted == null) {
      return "null";
    }
    String cut = untrusted.length() > 40 ? untrusted.substring(0, 40) + "..." : untrusted;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
