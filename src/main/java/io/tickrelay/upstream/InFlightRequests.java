package io.tickrelay.upstream;

import java.util.Iterator;
import java.util.LinkedList;
import java.util.Objects;

/**
 * Subscription requests sent and not yet answered, oldest first: an answer with an id settles that
 * request, one without settles the oldest (the provider answers in order). Guarded by the
 * connection's lock.
 */
final class InFlightRequests {

  private final LinkedList<SubscriptionRequest> requests = new LinkedList<>();

  void sent(SubscriptionRequest request) {
    requests.add(request);
  }

  /** Removes and returns the request an answer with {@code id} refers to, or null if none. */
  SubscriptionRequest answered(Object id) {
    if (id == null) {
      return requests.poll();
    }
    for (Iterator<SubscriptionRequest> it = requests.iterator(); it.hasNext(); ) {
      SubscriptionRequest request = it.next();
      if (Objects.equals(id, request.id())) {
        it.remove();
        return request;
      }
    }
    return null;
  }

  boolean isEmpty() {
    return requests.isEmpty();
  }

  void clear() {
    requests.clear();
  }
}
