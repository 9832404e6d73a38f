package io.tickrelay.cluster;

import java.time.Instant;

/** Who holds an upstream's lease and since when, by Redis' clock ({@code since} may be null). */
public record Ownership(Holder holder, Instant since) {}
