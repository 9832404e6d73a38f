package io.tickrelay.supervision;

/**
 * One loop as liveness sees it.
 *
 * @param alive false once an {@code Error} (or an unexpected interrupt) ended it
 * @param errors rounds that failed since start, the fatal one included
 * @param failure why it died; null while alive
 */
public record LoopHealth(String name, boolean alive, long errors, String failure) {}
