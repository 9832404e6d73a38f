package io.tickrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a process's resident memory lies, from {@code /proc/<pid>/smaps}, and what glibc's malloc
 * holds, from {@code malloc_info(3)} called in the process through gdb. Linux and glibc only; for the
 * churn phase's question "RSS grew with a flat heap and flat NMT: which mappings, and is it free
 * memory glibc keeps?".
 */
final class NativeHeap {

  /** glibc's non-main arenas are heaps of HEAP_MAX_SIZE (64 MB on 64-bit), aligned to it (arena.c). */
  static final long ARENA_HEAP_SIZE = 64L << 20;

  private static final Pattern MAPPING =
      Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) (\\S{4}) \\S+ \\S+ (\\d+)\\s*(.*)$");
  private static final Pattern MALLOC_TOTAL = Pattern.compile(
      "^<total type=\"(fast|rest|mmap)\" count=\"\\d+\" size=\"(\\d+)\"/>$|^<system type=\"current\" size=\"(\\d+)\"/>$");

  private NativeHeap() {}

  private record Mapping(long start, long end, String perms, long inode, String path, long rssKb) {
    boolean anonymous() {
      return inode == 0 && path.isEmpty();
    }
  }

  /**
   * Resident KB per kind of mapping: {@code java_heap} (inside {@code javaHeap}, the reserved
   * range), {@code malloc_main} (glibc's main arena, the {@code [heap]} of brk), {@code
   * malloc_arenas} (anonymous 64 MB-aligned arena heaps, {@code arena_heaps} counts them), {@code
   * files} (mapped files: jars, libraries, the CDS archive), {@code other_anon} (the rest:
   * code cache, metaspace, thread stacks, GC structures, malloc's own mmaps of large blocks).
   */
  static Map<String, Long> rssByKind(long pid, long[] javaHeap) throws IOException {
    List<Mapping> maps = read(Path.of("/proc/" + pid + "/smaps"));
    Map<String, Long> kb = new LinkedHashMap<>();
    for (String k : List.of("java_heap", "malloc_main", "malloc_arenas", "arena_heaps", "files", "other_anon")) {
      kb.put(k, 0L);
    }
    boolean[] arena = new boolean[maps.size()];
    for (int i = 0; i < maps.size(); i++) {
      Mapping m = maps.get(i);
      if (!m.anonymous() || !m.perms.startsWith("rw") || m.start % ARENA_HEAP_SIZE != 0) {
        continue;
      }
      long end = m.end;
      int last = i;
      if (i + 1 < maps.size() && maps.get(i + 1).start == m.end && maps.get(i + 1).anonymous()
          && maps.get(i + 1).perms.startsWith("---")) {
        end = maps.get(i + 1).end;
        last = i + 1;
      }
      if (end == m.start + ARENA_HEAP_SIZE && !(javaHeap != null && m.start >= javaHeap[0] && m.start < javaHeap[1])) {
        for (int j = i; j <= last; j++) {
          arena[j] = true;
        }
        kb.merge("arena_heaps", 1L, Long::sum);
      }
    }
    for (int i = 0; i < maps.size(); i++) {
      Mapping m = maps.get(i);
      String kind;
      if (javaHeap != null && m.start >= javaHeap[0] && m.end <= javaHeap[1]) {
        kind = "java_heap";
      } else if (m.path.equals("[heap]")) {
        kind = "malloc_main";
      } else if (arena[i]) {
        kind = "malloc_arenas";
      } else if (m.inode != 0 || m.path.startsWith("/")) {
        kind = "files";
      } else {
        kind = "other_anon";
      }
      kb.merge(kind, m.rssKb, Long::sum);
    }
    return kb;
  }

  private static List<Mapping> read(Path smaps) throws IOException {
    List<Mapping> maps = new ArrayList<>();
    long[] cur = null;
    String perms = null;
    String path = null;
    for (String line : Files.readAllLines(smaps)) {
      Matcher m = MAPPING.matcher(line);
      if (m.matches()) {
        cur = new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
            Long.parseLong(m.group(4))};
        perms = m.group(3);
        path = m.group(5).trim();
      } else if (line.startsWith("Rss:") && cur != null) {
        maps.add(new Mapping(cur[0], cur[1], perms, cur[2], path, Long.parseLong(line.replaceAll("[^0-9]", ""))));
        cur = null;
      }
    }
    return maps;
  }

  /**
   * glibc's totals from {@code malloc_info(0, f)}, called in the process by gdb (attached for a
   * moment, the JVM's own signals passed through): {@code system} (bytes the arenas hold from the
   * OS), {@code free} (bytes in their free lists, fast bins and the rest), {@code mmap} (blocks
   * malloc mapped on their own); empty when gdb is missing or failed. The XML is kept in {@code
   * xml}.
   */
  static Map<String, Long> mallocInfo(long pid, Path xml) throws IOException, InterruptedException {
    Files.deleteIfExists(xml);
    Files.createDirectories(xml.toAbsolutePath().getParent());
    String file = xml.toAbsolutePath().toString();
    List<String> args = new ArrayList<>(List.of("gdb", "-p", Long.toString(pid), "-batch", "-nx"));
    for (String signal : List.of("SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGUSR2", "SIGQUIT")) {
      args.addAll(List.of("-ex", "handle " + signal + " nostop noprint pass"));
    }
    args.addAll(List.of(
        "-ex", "set $f = ((void*(*)(const char*,const char*))fopen)(\"" + file + "\",\"w\")",
        "-ex", "call ((int(*)(int,void*))malloc_info)(0,$f)",
        "-ex", "call ((int(*)(void*))fclose)($f)"));
    Process p;
    try {
      p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException noGdb) {
      return Map.of();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroy();
      return Map.of();
    }
    if (!Files.exists(xml)) {
      return Map.of();
    }
    Map<String, Long> totals = new LinkedHashMap<>();
    long free = 0;
    // the totals over all arenas are the last lines, after the last </heap>
    String text = Files.readString(xml, StandardCharsets.UTF_8);
    int tail = text.lastIndexOf("</heap>");
    for (String line : text.substring(Math.max(tail, 0)).split("\n")) {
      Matcher m = MALLOC_TOTAL.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      if (m.group(3) != null) {
        totals.put("system", Long.parseLong(m.group(3)));
      } else if (m.group(1).equals("mmap")) {
        totals.put("mmap", Long.parseLong(m.group(2)));
      } else {
        free += Long.parseLong(m.group(2));
      }
    }
    totals.put("free", free);
    totals.put("arenas", (long) text.split("<heap nr=", -1).length - 1);
    return totals;
  }

  /** The Java heap's reserved range from {@code jcmd GC.heap_info} ("[0x..., 0x...)"), or null. */
  static long[] javaHeapRange(String heapInfo) {
    Matcher m = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)").matcher(heapInfo);
    return m.find()
        ? new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)}
        : null;
  }
}
