package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spreading demand over connections of a small cap: fill first, never move, refill holes. */
class DemandSplitTest {

  private final DemandSplit split = new DemandSplit(2);

  @Test
  void fillsTheFirstConnectionThenOpensAnother() {
    List<DemandSplit.Delta> deltas = split.apply(Interest.of(Channel.TRADES, "A", "B", "C"), Interest.none());
    assertEquals(List.of(
        new DemandSplit.Delta(0, Interest.of(Channel.TRADES, "A", "B"), Interest.none()),
        new DemandSplit.Delta(1, Interest.of(Channel.TRADES, "C"), Interest.none())), deltas);
    assertEquals(2, split.shardCount());
  }

  @Test
  void pastTheLastAllowedConnectionNewPairsAreRefusedAndNothingMoves() {
    DemandSplit bounded = new DemandSplit(2, 2);
    List<DemandSplit.Delta> deltas = bounded.apply(Interest.of(Channel.TRADES, "A", "B", "C", "D", "E", "F"), Interest.none());
    assertEquals(List.of(
        new DemandSplit.Delta(0, Interest.of(Channel.TRADES, "A", "B"), Interest.none()),
        new DemandSplit.Delta(1, Interest.of(Channel.TRADES, "C", "D"), Interest.none())), deltas);
    assertEquals(Interest.of(Channel.TRADES, "E", "F"), bounded.refused());
    assertEquals(2, bounded.shardCount());
    // removing a refused pair changes nothing; a freed place takes the next pair
    assertEquals(List.of(), bounded.apply(Interest.none(), Interest.of(Channel.TRADES, "E")));
    bounded.apply(Interest.none(), Interest.of(Channel.TRADES, "B"));
    assertEquals(List.of(new DemandSplit.Delta(0, Interest.of(Channel.TRADES, "F"), Interest.none())),
        bounded.apply(Interest.of(Channel.TRADES, "F"), Interest.none()));
    assertEquals(Interest.none(), bounded.refused());
  }

  @Test
  void pairsCountAcrossChannelsAndAlreadyHeldPairsAreNotAddedTwice() {
    split.apply(Interest.of(Channel.TRADES, "A").plus(Interest.of(Channel.QUOTES, "A")), Interest.none());
    List<DemandSplit.Delta> again = split.apply(Interest.of(Channel.TRADES, "A"), Interest.none());
    assertEquals(List.of(), again);
    List<DemandSplit.Delta> deltas = split.apply(Interest.of(Channel.BARS, "A"), Interest.none());
    assertEquals(List.of(new DemandSplit.Delta(1, Interest.of(Channel.BARS, "A"), Interest.none())), deltas);
  }

  @Test
  void removalEmptiesAConnectionAndItsSlotIsRefilledFirst() {
    split.apply(Interest.of(Channel.TRADES, "A", "B", "C", "D", "E"), Interest.none());
    List<DemandSplit.Delta> removed = split.apply(Interest.none(), Interest.of(Channel.TRADES, "C", "D"));
    assertEquals(List.of(new DemandSplit.Delta(1, Interest.none(), Interest.of(Channel.TRADES, "C", "D"))), removed);
    assertEquals(0, split.sizeOf(1));
    assertEquals(Interest.of(Channel.TRADES, "E"), split.demandOf(2), "E stays where it is");
    List<DemandSplit.Delta> added = split.apply(Interest.of(Channel.TRADES, "F", "G", "H"), Interest.none());
    assertEquals(List.of(
        new DemandSplit.Delta(1, Interest.of(Channel.TRADES, "F", "G"), Interest.none()),
        new DemandSplit.Delta(2, Interest.of(Channel.TRADES, "H"), Interest.none())), added);
  }

  @Test
  void aRemovalAndAnAdditionInOneChangeMayShareTheFreedRoom() {
    split.apply(Interest.of(Channel.TRADES, "A", "B"), Interest.none());
    List<DemandSplit.Delta> deltas = split.apply(Interest.of(Channel.TRADES, "C"), Interest.of(Channel.TRADES, "A"));
    assertEquals(List.of(new DemandSplit.Delta(0, Interest.of(Channel.TRADES, "C"), Interest.of(Channel.TRADES, "A"))), deltas);
  }

  @Test
  void unlimitedCapKeepsOneConnectionAndACapBelowOneIsRefused() {
    DemandSplit unlimited = new DemandSplit(Integer.MAX_VALUE);
    unlimited.apply(Interest.of(Channel.TRADES, "A", "B", "C", "D", "E", "F", Interest.WILDCARD), Interest.none());
    assertEquals(1, unlimited.shardCount());
    assertThrows(IllegalArgumentException.class, () -> new DemandSplit(0));
  }
}
