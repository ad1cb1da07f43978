package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.geotools.api.data.DataStore;
import org.locationtech.jts.geom.Envelope;
import org.smartcity.core.CityArea;
import org.smartcity.core.Metric;
import org.smartcity.core.WindowRevision;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;
import org.smartcity.core.indicators.IndicatorConfig;
import org.smartcity.core.indicators.IndicatorRow;
import org.smartcity.core.indicators.Period;
import org.smartcity.core.indicators.PeriodKind;
import org.smartcity.core.indicators.Sdg1162;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.HistoryPartitions;
import org.smartcity.store.HistoryQueries;
import org.smartcity.store.HistoryQuery;
import org.smartcity.store.StoredAggregate;

/**
 * {@value #ID}: SDG 11.6.2 per district and for the city, per local day, month and year (DESIGN,
 * "Indicators"), also served whole as CSV at {@value #CSV_PATH}.
 *
 * <h2>Where the rows come from</h2>
 *
 * They are computed on request ({@link Sdg1162}) from the history store's {@code 1h} district
 * aggregates, each at its newest revision, over the periods the request touches, so a day's row
 * changes the moment the job has written its last hour (at local midnight, once the watermark
 * passes it) and again whenever late readings correct an hour (the job re-emits it with a higher
 * revision, which the history returns instead): DESIGN's update rule. Months and years follow from
 * the same hours. A row is provisional until its period's end plus the job's allowed lateness has
 * passed.
 *
 * <p>Decoding a year of hours from Parquet takes about 2 s, so the hours read from a FileSystem
 * history are kept per partition with the partition's file list ({@link HistoryPartitions}), and a
 * partition is read again whenever its list differs: the store never changes a file, so any write
 * into a partition (the last hour of a day, a late correction, a backfill of an old day, a
 * compaction) changes its list, and a kept partition can never be stale. The hours kept are the
 * PM2.5 and PM10 district hours, about 10 MB per year of 14 districts; other stores are read whole
 * on every request.
 *
 * <p>{@code datetime} selects the periods that intersect it; {@code bbox} the zones whose outline's
 * box intersects it.
 */
final class IndicatorCollection implements CollectionProvider<IndicatorRow> {
    static final String ID = "indicators";

    /** The whole indicator as CSV, the same rows and columns as {@code f=csv}, without paging. */
    static final String CSV_PATH = "/api/indicators/" + Sdg1162.ID + ".csv";

    static final Queryable INDICATOR =
            new Queryable("indicator", "Only this indicator.", Queryable.enumeration(Sdg1162.ID));
    static final Queryable METRIC =
            new Queryable(
                    "metric",
                    "Only this pollutant.",
                    Queryable.enumeration(
                            Sdg1162.METRICS.stream().map(Metric::id).toArray(String[]::new)));
    static final Queryable ZONE_KIND =
            new Queryable(
                    "zone_kind",
                    "Only districts or only the city.",
                    Queryable.enumeration(ZoneKind.DISTRICT.id(), ZoneKind.CITY.id()));
    static final Queryable PERIOD_KIND =
            new Queryable(
                    "period_kind",
                    "Only local days, months or years.",
                    Queryable.enumeration("day", "month", "year"));

    private static final List<Queryable> QUERYABLES =
            List.of(INDICATOR, METRIC, ZONE_KIND, Queryable.ZONE_ID, PERIOD_KIND);

    /** The CSV columns; {@code geometry} is the zone's outline as WKT. */
    static final List<String> CSV_HEADER =
            List.of(
                    "id",
                    "indicator",
                    "metric",
                    "zone_kind",
                    "zone_id",
                    "zone_name",
                    "period",
                    "period_kind",
                    "period_start",
                    "period_end",
                    "value",
                    "unit",
                    "valid",
                    "complete",
                    "standard",
                    "observed",
                    "required",
                    "sensors",
                    "population",
                    "population_with_data",
                    "population_share_with_data",
                    "population_above_who",
                    "population_above_national",
                    "provisional",
                    "geometry");

    /** RFC 3339 with the local offset, e.g. {@code 2026-12-04T00:00:00+08:00}. */
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private final DataStore store;
    private final Zoning zoning;
    private final CityArea area;
    private final Sdg1162 indicator;
    private final Clock clock;
    private final Map<String, ObjectNode> geometries = new HashMap<>();

    /** What the indicators are computed from: every district's hourly aggregates. */
    private static final HistoryQuery HOURS =
            HistoryQuery.all()
                    .zoneKind(ZoneKind.DISTRICT)
                    .windowLength(ZoneAggregate.windowLabel(Duration.ofHours(1).toMillis()));

    /** A partition's PM hours at their newest revision, and the files they were read from. */
    private record KeptPartition(Set<String> files, List<StoredAggregate> hours) {}

    /** By {@link HistoryPartitions.Partition#key()}; replaced when the partition's files change. */
    private final Map<String, KeptPartition> partitions = new ConcurrentHashMap<>();

    private final Map<String, Envelope> envelopes = new HashMap<>();

    private final AtomicLong partitionReads = new AtomicLong();

    /**
     * @param store the history store
     * @param coverageUnit the job's shortest window length, which hourly coverage counts
     */
    IndicatorCollection(
            DataStore store,
            Zoning zoning,
            CityArea area,
            ZoneId timeZone,
            IndicatorConfig config,
            Duration coverageUnit,
            Clock clock) {
        this.store = store;
        this.zoning = zoning;
        this.area = area;
        this.clock = clock;
        List<Zone> districts = List.copyOf(zoning.districts());
        this.indicator =
                new Sdg1162(
                        timeZone,
                        config.standard(),
                        coverageUnit,
                        config.allowedLateness(),
                        zoning.city(),
                        districts,
                        zoning::population);
        List<Zone> zones = new ArrayList<>(districts);
        zones.add(zoning.city());
        for (Zone z : zones) {
            var g = zoning.geometry(z.kind(), z.id());
            geometries.put(key(z.kind(), z.id()), Json.geometry(g));
            envelopes.put(key(z.kind(), z.id()), g.getEnvelopeInternal());
        }
    }

    private static String key(ZoneKind kind, String id) {
        return kind.id() + "|" + id;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "SDG 11.6.2: PM2.5 and PM10 per district and city";
    }

    @Override
    public String description() {
        return "Mean PM2.5 and PM10 per district and population-weighted for the city, per local"
                + " day, month and year, with the data-validity rules of "
                + indicator.standard().label()
                + " ("
                + indicator.standard().rules()
                + "). A district without valid data has value null and valid false. datetime"
                + " selects the periods it intersects.";
    }

    @Override
    public CityArea extent() {
        return area;
    }

    @Override
    public List<Queryable> queryables() {
        return QUERYABLES;
    }

    /** The filters of a request, parsed. */
    private record Filter(
            Metric metric,
            ZoneKind zoneKind,
            String zoneId,
            Set<PeriodKind> kinds,
            Params.Interval datetime,
            Params.BBox bbox) {}

    private static Filter filter(Params p, Params.BBox bbox, Params.Interval datetime) {
        p.choice(INDICATOR.name(), v -> Optional.of(v).filter(Sdg1162.ID::equals), Sdg1162.ID);
        Metric metric = p.metric();
        if (metric != null && !Sdg1162.METRICS.contains(metric)) {
            throw HttpErrors.invalidParameter(
                    "metric", "expected pm25 or pm10, got '" + Params.echo(p.get("metric")) + "'");
        }
        ZoneKind kind = p.zoneKind();
        if (kind == ZoneKind.H3) {
            throw HttpErrors.invalidParameter("zone_kind", "expected district or city, got 'h3'");
        }
        String zoneId = p.zoneId();
        PeriodKind periodKind =
                p.choice(PERIOD_KIND.name(), PeriodKind::byId, "day, month or year");
        Set<PeriodKind> kinds =
                periodKind == null ? EnumSet.allOf(PeriodKind.class) : EnumSet.of(periodKind);
        return new Filter(metric, kind, zoneId, kinds, datetime, bbox);
    }

    @Override
    public Page<IndicatorRow> query(ItemQuery query) throws IOException {
        return Page.of(rows(filter(query.params(), query.bbox(), query.datetime())), query);
    }

    @Override
    public Optional<IndicatorRow> get(String featureId) throws IOException {
        String[] parts = featureId.split("\\|", -1);
        if (parts.length != 5 || !parts[0].equals(Sdg1162.ID)) {
            return Optional.empty();
        }
        Optional<Metric> metric = Metric.byId(parts[1]);
        Optional<ZoneKind> kind = ZoneKind.byId(parts[2]);
        Optional<Period> period = Period.parse(parts[4]);
        if (metric.isEmpty() || kind.isEmpty() || period.isEmpty()) {
            return Optional.empty();
        }
        ZoneId zone = indicator.timeZone();
        Params.Interval when =
                new Params.Interval(
                        period.get().start(zone).toInstant(),
                        period.get().end(zone).toInstant().minusMillis(1));
        Filter f =
                new Filter(
                        metric.get(),
                        kind.get(),
                        parts[3],
                        EnumSet.of(period.get().kind()),
                        when,
                        null);
        return rows(f).stream().filter(r -> r.id().equals(featureId)).findFirst();
    }

    /** Every row matching {@code f}, in the indicator's order. */
    private List<IndicatorRow> rows(Filter f) throws IOException {
        Instant from = null;
        Instant to = null;
        ZoneId zone = indicator.timeZone();
        // The hours of every period of the requested kinds that the interval touches.
        PeriodKind widest =
                f.kinds().contains(PeriodKind.YEAR)
                        ? PeriodKind.YEAR
                        : f.kinds().contains(PeriodKind.MONTH) ? PeriodKind.MONTH : PeriodKind.DAY;
        if (f.datetime() != null && f.datetime().start() != null) {
            LocalDate first = f.datetime().start().atZone(zone).toLocalDate();
            from = Period.of(widest, first).start(zone).toInstant();
        }
        if (f.datetime() != null && f.datetime().end() != null) {
            LocalDate last = f.datetime().end().atZone(zone).toLocalDate();
            to = Period.of(widest, last).end(zone).toInstant();
        }
        List<ZoneAggregate> hours = hours(from, to, f.metric());
        List<IndicatorRow> out = new ArrayList<>();
        for (IndicatorRow r : indicator.rows(hours, f.kinds(), clock.instant())) {
            if ((f.zoneKind() == null || f.zoneKind() == r.zoneKind())
                    && (f.zoneId() == null || f.zoneId().equals(r.zoneId()))
                    && intersects(r.period(), f.datetime())
                    && intersects(r, f.bbox())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The district hours of PM2.5 and PM10 (or of {@code metric}) starting in {@code [from, to)}.
     */
    private List<ZoneAggregate> hours(Instant from, Instant to, Metric metric) throws IOException {
        HistoryQuery q = HOURS.windowsStarting(from, to);
        if (metric != null) {
            q = q.metric(metric);
        }
        Optional<List<HistoryPartitions.Partition>> partitions =
                HistoryPartitions.touchedBy(store, AggregateSchema.HISTORY_TYPE, q);
        List<ZoneAggregate> hours = new ArrayList<>();
        if (partitions.isEmpty()) {
            for (StoredAggregate s :
                    HistoryQueries.latest(store, AggregateSchema.HISTORY_TYPE, q)) {
                hours.add(s.aggregate());
            }
            return hours;
        }
        evictUnlisted();
        long fromMillis = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        // A window's revisions share its start, so one type keeps them in one partition; only a
        // store read in two types (before and after the per-length layout) can hold a window
        // twice: then the newest wins, as in HistoryQueries.
        boolean severalTypes =
                partitions.get().stream()
                                .map(HistoryPartitions.Partition::typeName)
                                .distinct()
                                .count()
                        > 1;
        // Sdg1162 sums a day's hours in the order given: partitions in name order (time order
        // within a metric for GeoMesa's date schemes) and each partition's hours by window start
        // give every district the order the whole-store read gave, so the same sums.
        List<HistoryPartitions.Partition> ordered = new ArrayList<>(partitions.get());
        ordered.sort(Comparator.comparing(HistoryPartitions.Partition::key));
        Map<String, StoredAggregate> newest = new HashMap<>();
        for (HistoryPartitions.Partition p : ordered) {
            for (StoredAggregate s : kept(p).hours()) {
                ZoneAggregate a = s.aggregate();
                if (a.windowStartMillis() < fromMillis
                        || a.windowStartMillis() >= toMillis
                        || (metric != null && a.metric() != metric)) {
                    continue;
                }
                if (!severalTypes) {
                    hours.add(a);
                } else {
                    newest.merge(
                            s.id(),
                            s,
                            (x, y) ->
                                    WindowRevision.of(y.aggregate())
                                                    .isNewerThan(WindowRevision.of(x.aggregate()))
                                            ? y
                                            : x);
                }
            }
        }
        newest.values().stream()
                .sorted(
                        Comparator.comparingLong(
                                        (StoredAggregate s) -> s.aggregate().windowStartMillis())
                                .thenComparing(StoredAggregate::id))
                .forEach(s -> hours.add(s.aggregate()));
        return hours;
    }

    /**
     * Reads and keeps the hours of this local year and the last, which is what the dashboard's
     * panel and a year's query ask for, so that the first request after a start does not read them
     * (about 1 s for a year of 14 districts). Other stores keep nothing, so this reads nothing from
     * them.
     *
     * @return the partitions kept
     */
    int warmUp() throws IOException {
        ZoneId zone = indicator.timeZone();
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        Instant from = Period.of(PeriodKind.YEAR, today.minusYears(1)).start(zone).toInstant();
        Optional<List<HistoryPartitions.Partition>> touched =
                HistoryPartitions.touchedBy(
                        store, AggregateSchema.HISTORY_TYPE, HOURS.windowsStarting(from, null));
        if (touched.isEmpty()) {
            return 0;
        }
        for (HistoryPartitions.Partition p : touched.get()) {
            kept(p);
        }
        return partitions.size();
    }

    /**
     * Drops the kept partitions the store no longer lists. Why: when compaction moves a finished
     * day of {@value AggregateSchema#HISTORY_TYPE} into the per-length types, that day's partition
     * is unlisted there and no query touches it again, so its hours would stay in memory twice (in
     * it and in the {@code 1h} partition they moved to). Listing the partitions of the two types
     * holding hours is in memory (GeoMesa's metadata), a few hundred names for a year.
     */
    private void evictUnlisted() throws IOException {
        Optional<Set<String>> listed =
                HistoryPartitions.listedKeys(
                        store, AggregateSchema.HISTORY_TYPE, HOURS.windowLength());
        listed.ifPresent(keys -> partitions.keySet().retainAll(keys));
    }

    /** The keys of the partitions kept now: for tests. */
    Set<String> keptPartitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** How many times a partition was read from the store: for tests. */
    long partitionReads() {
        return partitionReads.get();
    }

    /** A partition's hours, read again unless kept with the same files. */
    private KeptPartition kept(HistoryPartitions.Partition p) throws IOException {
        KeptPartition kept = partitions.get(p.key());
        if (kept != null && kept.files().equals(p.files())) {
            return kept;
        }
        partitionReads.incrementAndGet();
        List<StoredAggregate> hours = new ArrayList<>();
        for (StoredAggregate s : HistoryPartitions.latest(store, p, HOURS)) {
            if (Sdg1162.METRICS.contains(s.aggregate().metric())) {
                hours.add(s);
            }
        }
        kept = new KeptPartition(p.files(), List.copyOf(hours));
        partitions.put(p.key(), kept);
        return kept;
    }

    /** Whether the period {@code [start, end)} and the closed interval {@code t} meet. */
    private boolean intersects(Period p, Params.Interval t) {
        return t == null
                || ((t.start() == null
                                || t.start().isBefore(p.end(indicator.timeZone()).toInstant()))
                        && (t.end() == null
                                || !t.end().isBefore(p.start(indicator.timeZone()).toInstant())));
    }

    private boolean intersects(IndicatorRow r, Params.BBox box) {
        return box == null
                || envelopes
                        .get(key(r.zoneKind(), r.zoneId()))
                        .intersects(
                                new Envelope(
                                        box.minLon(), box.maxLon(), box.minLat(), box.maxLat()));
    }

    @Override
    public ObjectNode feature(IndicatorRow r) {
        ObjectNode f = Json.object();
        f.put("type", "Feature");
        f.put("id", r.id());
        f.set("geometry", geometries.get(key(r.zoneKind(), r.zoneId())).deepCopy());
        ObjectNode p = f.putObject("properties");
        List<Object> row = csvRow(r);
        for (int i = 1; i < CSV_HEADER.size() - 1; i++) {
            Object v = row.get(i);
            String name = CSV_HEADER.get(i);
            if (v == null) {
                p.putNull(name);
            } else if (v instanceof Boolean b) {
                p.put(name, b);
            } else if (v instanceof Double d) {
                Json.putNumber(p, name, d);
            } else if (v instanceof Long l) {
                p.put(name, l);
            } else if (v instanceof Integer n) {
                p.put(name, n);
            } else {
                p.put(name, v.toString());
            }
        }
        return f;
    }

    @Override
    public List<String> csvHeader() {
        return CSV_HEADER;
    }

    @Override
    public List<Object> csvRow(IndicatorRow r) {
        ZoneId zone = r.timeZone();
        List<Object> row = new ArrayList<>(CSV_HEADER.size());
        row.add(r.id());
        row.add(r.indicator());
        row.add(r.metric().id());
        row.add(r.zoneKind().id());
        row.add(r.zoneId());
        row.add(r.zoneName());
        row.add(r.period().label());
        row.add(r.period().kind().id());
        row.add(LOCAL_TIME.format(r.period().start(zone)));
        row.add(LOCAL_TIME.format(r.period().end(zone)));
        row.add(r.value());
        row.add(r.metric().unit());
        row.add(r.valid());
        row.add(r.complete());
        row.add(r.standard().label());
        row.add(r.observed());
        row.add(r.required());
        row.add(r.sensors());
        row.add(r.population());
        row.add(r.populationWithData());
        row.add(r.populationShareWithData());
        row.add(r.populationAboveWho());
        row.add(r.populationAboveNational());
        row.add(r.provisional());
        row.add(zoning.wkt(r.zoneKind(), r.zoneId()));
        return row;
    }

    /** {@value #CSV_PATH}: every row the filters select, as CSV. */
    void csv(Context ctx) throws IOException {
        Params p = Params.of(ctx);
        Set<String> allowed = new HashSet<>(Set.of("bbox", "datetime"));
        QUERYABLES.forEach(q -> allowed.add(q.name()));
        p.requireOnly(allowed, CSV_PATH);
        Csv csv = new Csv(CSV_HEADER);
        rows(filter(p, p.bbox(), p.datetime())).forEach(r -> csv.row(csvRow(r)));
        ctx.header("Content-Disposition", "inline; filename=\"" + Sdg1162.ID + ".csv\"");
        HttpService.send(
                ctx, 200, FeaturesApi.CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
