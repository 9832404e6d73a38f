package io.tickrelay.upstream;

import io.tickrelay.marketdata.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/** The data events of one upstream frame for one stream, with their identities when the protocol gives any. */
final class FrameBatch {

  final List<MarketEvent> events = new ArrayList<>();
  /** Parallel to {@link #events}; null while no event had an identity (the common, cheap case). */
  List<Object> identities;

  void add(Inbound.Data data) {
    if (data.identity() != null && identities == null) {
      identities = new ArrayList<>();
      events.forEach(e -> identities.add(null));
    }
    events.add(data.event());
    if (identities != null) {
      identities.add(data.identity());
    }
  }
}
