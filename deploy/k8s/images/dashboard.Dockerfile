# The dashboard's image: the module's jar and its runtime dependencies in /app/lib. The main
# class (org.smartcity.dashboard.DashboardMain) and the JVM options are in the Kubernetes
# manifest's command.
# Build from the repository root, after the steps in deploy/k8s/README.md:
#   docker build -f deploy/k8s/images/dashboard.Dockerfile -t smartcity/dashboard:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin smartcity

# The GeoMesa HBase data store and the HBase client, for store.history=geomesa:hbase.catalog=...
# (collected by images/geomesa-hbase/pom.xml). Not its opentelemetry-api and -context: the
# dashboard has newer ones, and one version of each must be on the class path.
COPY deploy/k8s/images/geomesa-hbase/target/lib/geomesa-hbase-*.jar \
     deploy/k8s/images/geomesa-hbase/target/lib/hbase-shaded-client-*.jar \
     deploy/k8s/images/geomesa-hbase/target/lib/protobuf-java-*.jar \
     deploy/k8s/images/geomesa-hbase/target/lib/opentelemetry-semconv-*.jar \
     deploy/k8s/images/geomesa-hbase/target/lib/jakarta.activation-api-*.jar /app/lib/
COPY dashboard/target/lib/ /app/lib/
COPY dashboard/target/dashboard-0.1.0-SNAPSHOT.jar /app/lib/
USER 10001
WORKDIR /app
CMD ["java", "-cp", "/app/lib/*", "org.smartcity.dashboard.DashboardMain", "--help"]
