package io.tickrelay.admission;

import io.tickrelay.config.GatewayConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The CDI shell around the one {@link Admission} every client-facing hub shares, built from
 * configuration on the managed scheduler.
 */
@ApplicationScoped
public class ClientAdmission {

  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private Admission admission;

  @PostConstruct
  void init() {
    admission = new Admission(
        new Admission.Limits(
            config.clientMaxConnections(),
            config.clientAuthTimeout(),
            config.clientAuthFailuresPerKey(),
            config.clientAuthFailuresPerAddress(),
            config.clientAuthFailuresPerKeyTotal(),
            config.clientAuthFailureWindow(),
            config.clientUnauthenticatedPerAddress(),
            config.clientSlowCloseGrace()),
        scheduler,
        System::nanoTime);
  }

  public Admission admission() {
    return admission;
  }
}
