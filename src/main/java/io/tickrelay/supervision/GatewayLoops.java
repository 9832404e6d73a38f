package io.tickrelay.supervision;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Every supervised loop of the gateway, for liveness: DOWN when one of them died. */
@ApplicationScoped
public class GatewayLoops {

  private final List<Supplier<List<LoopHealth>>> sources = new CopyOnWriteArrayList<>();

  public void register(LoopRunner loop) {
    sources.add(() -> List.of(loop.health()));
  }

  /** A group of loops whose members change (writer threads replaced after a blocked write). */
  public void register(Supplier<List<LoopHealth>> group) {
    sources.add(group);
  }

  public List<LoopHealth> all() {
    return sources.stream().flatMap(s -> s.get().stream()).toList();
  }

  public List<LoopHealth> dead() {
    return all().stream().filter(h -> !h.alive()).toList();
  }
}
