# The dashboard's image: the module's jar and its runtime dependencies in /app/lib; the main class
# (org.smartcity.dashboard.DashboardMain) is named by the Kubernetes manifest's command, which also sets the JVM options.
# Build from the repository root, after the steps in deploy/k8s/README.md:
#   docker build -f deploy/k8s/images/dashboard.Dockerfile -t smartcity/dashboard:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin smartcity

# The GeoMesa HBase data store and the HBase client, for store.history=geomesa:hbase.catalog=...
# (collected by images/geomesa-hbase/pom.xml). The module's own jars are copied last, so a jar
# both have is the version the module was built with.
COPY deploy/k8s/images/geomesa-hbase/target/lib/ /app/lib/
COPY dashboard/target/lib/ /app/lib/
COPY dashboard/target/dashboard-0.1.0-SNAPSHOT.jar /app/lib/
USER 10001
WORKDIR /app
CMD ["java", "-cp", "/app/lib/*", "org.smartcity.dashboard.DashboardMain", "--help"]
