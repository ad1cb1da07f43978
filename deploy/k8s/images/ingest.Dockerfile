# The MQTT -> Kafka bridge's image: the module's jar and its runtime dependencies in /app/lib. The
# main class (org.smartcity.ingest.IngestMain) and the JVM options are in the Kubernetes
# manifest's command.
# Build from the repository root, after the steps in deploy/k8s/README.md:
#   docker build -f deploy/k8s/images/ingest.Dockerfile -t smartcity/ingest:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin smartcity
COPY ingest/target/lib/ /app/lib/
COPY ingest/target/ingest-0.1.0-SNAPSHOT.jar /app/lib/
USER 10001
WORKDIR /app
CMD ["java", "-cp", "/app/lib/*", "org.smartcity.ingest.IngestMain", "--help"]
