package io.tickrelay.upstream;

import java.time.Instant;

/** A connection moved from one state to another, with the reason (never a secret). */
public record UpstreamStateChanged(
    String connection,
    String provider,
    String stream,
    UpstreamState from,
    UpstreamState to,
    Instant at,
    String reason) {}
