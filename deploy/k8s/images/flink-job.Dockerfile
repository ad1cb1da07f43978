# The aggregation job's image for the Flink Kubernetes Operator (application mode).
# Build from the repository root, after the steps in deploy/k8s/README.md:
#   docker build -f deploy/k8s/images/flink-job.Dockerfile -t smartcity/flink-job:0.1.0-SNAPSHOT .
# Java 17: the job jar carries Hadoop 3.4, which does not run on Java 25.
FROM flink:2.2.1-java17

# The shaded job jar: the job, core, store and sinks (GeoMesa FileSystem, Kafka and Redis stores),
# the Kafka connector. flink-job.yaml runs it as local:///opt/flink/usrlib/<this name>.
COPY --chown=flink:flink stream-jobs/target/stream-jobs-0.1.0-SNAPSHOT-job.jar /opt/flink/usrlib/

# The GeoMesa HBase data store and the HBase client, for store.history=geomesa:hbase.catalog=...
# (collected by images/geomesa-hbase/pom.xml). Jars in usrlib join the job's class path. Only
# jakarta.activation-api overlaps with the job jar, which has the same javax.activation API.
COPY --chown=flink:flink deploy/k8s/images/geomesa-hbase/target/lib/ /opt/flink/usrlib/
