# Production image: the WAR on the official Open Liberty image, features installed at build time.
# Build: docker build -t tickrelay .   Run: docker run -p 9080:9080 -e APCA_API_KEY_ID=... -e APCA_API_SECRET_KEY=... tickrelay
# LIBERTY_TAG picks the runtime image. ICR keeps the latest Liberty release and the last two
# quarterly ones (x.0.0.3/.6/.9/.12) only, so a tag pinned to 26.0.0.5 (the release the tests run
# on, pom.xml) would vanish; pin a quarterly tag for reproducible builds, e.g.
# --build-arg LIBERTY_TAG=26.0.0.6-kernel-slim-java17-openj9-ubi
# (Java 17 openj9 images are UBI 8 standard, which has the curl the HEALTHCHECK uses.)
ARG LIBERTY_TAG=kernel-slim-java17-openj9-ubi

# --- build stage: compile and package the WAR (tests run in CI, not in the image build) ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn .mvn
COPY pom.xml .
RUN mvn -q dependency:go-offline -DexcludeGroupIds=io.openliberty || true
COPY src src
COPY server-config server-config
# -DskipLibertyPackage: the runnable target/tickrelay.jar (README "Run nodes from the jar") is not
# needed here and would pull the 374 MB Liberty runtime zip into the build stage
RUN mvn -q package -Dmaven.test.skip=true -DskipLibertyPackage

# --- runtime stage ---
FROM icr.io/appcafe/open-liberty:${LIBERTY_TAG}
# server.xml first, then features.sh installs exactly the features it lists (cached layer)
COPY --chown=1001:0 server-config/server.xml /config/server.xml
COPY --chown=1001:0 server-config/jvm.options /config/jvm.options
COPY --chown=1001:0 server-config/server.env /config/server.env
RUN features.sh
# dropins: no <webApplication> needed; WEB-INF/ibm-web-ext.xml puts it at context root /
COPY --chown=1001:0 --from=build /src/target/tickrelay.war /config/dropins/tickrelay.war
# configure.sh pre-warms the shared class cache and applies the image's defaults
RUN configure.sh
# the image already runs as the unprivileged user 1001; say so explicitly
USER 1001
ENV HTTP_PORT=9080
EXPOSE 9080
# liveness only: an upstream outage must not get the container restarted (readiness is /health/ready);
# over HTTPS when plain HTTP is off (HTTP_PORT=-1, README "TLS"), -k for a self-signed key on localhost
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:${HTTP_PORT}/health/live \
   || curl -fsSk https://localhost:${HTTPS_PORT}/health/live || exit 1
