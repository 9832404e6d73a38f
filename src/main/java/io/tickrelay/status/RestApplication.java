package io.tickrelay.status;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST resources live under {@code /api}, clear of the WebSocket paths and the dashboard. */
@ApplicationPath("/api")
public class RestApplication extends Application {}
