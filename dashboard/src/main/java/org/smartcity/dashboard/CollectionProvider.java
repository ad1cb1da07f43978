package org.smartcity.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.smartcity.core.CityArea;

/**
 * One OGC API - Features collection, after pygeoapi's providers: what it is (id, title,
 * description, extent), which query parameters it takes beyond the ones every collection has
 * ({@code bbox}, {@code datetime}, {@code limit}, {@code offset}, {@code f}), how to find its items
 * and how one looks as GeoJSON and as CSV. Everything else (landing page, {@code /conformance},
 * {@code /collections}, items, one item, CSV, paging links, the OpenAPI document) is written once
 * in {@link FeaturesApi} and {@link OpenApi}; adding a collection is adding a provider.
 *
 * @param <T> the item type
 */
interface CollectionProvider<T> {

    /** The collection id in paths ({@code /collections/{id}}): stable, URL-safe. */
    String id();

    String title();

    String description();

    /** The collection's spatial extent (CRS84). */
    CityArea extent();

    /** The query parameters this collection takes besides the common ones, in documented order. */
    List<Queryable> queryables();

    /**
     * One page of the items matching {@code query}, sorted in the collection's stable order, and
     * how many match in all.
     *
     * @throws io.javalin.http.HttpResponseException 400 naming a parameter with a bad value
     * @throws IOException when the store does not answer
     */
    Page<T> query(ItemQuery query) throws IOException;

    /** The item with this id, or empty: an id that cannot be one is simply not found. */
    Optional<T> get(String featureId) throws IOException;

    /** The item as a GeoJSON feature (with its {@code id}, without links). */
    ObjectNode feature(T item);

    /** The CSV columns; the last is {@code geometry}, as WKT. */
    List<String> csvHeader();

    /** One CSV row, in {@link #csvHeader()} order. */
    List<Object> csvRow(T item);

    /**
     * A request for items: the common parameters parsed, the collection's own still to be read from
     * {@code params} (each collection parses its queryables itself, so that a bad value is a 400
     * naming it).
     *
     * @param params every parameter of the request, unknown ones already refused
     * @param bbox the box, or null
     * @param datetime the interval, or null
     * @param limit items per page, 1 to {@link Params#MAX_LIMIT}
     * @param offset items to skip
     */
    record ItemQuery(
            Params params, Params.BBox bbox, Params.Interval datetime, int limit, int offset) {}

    /**
     * A page of items.
     *
     * @param items the page, at most {@code limit}
     * @param numberMatched how many items match the query in all
     */
    record Page<T>(List<T> items, long numberMatched) {
        /** The page of {@code matched} that {@code query}'s limit and offset select. */
        static <T> Page<T> of(List<T> matched, ItemQuery query) {
            int from = Math.min(query.offset(), matched.size());
            int to = (int) Math.min((long) from + query.limit(), matched.size());
            return new Page<>(List.copyOf(matched.subList(from, to)), matched.size());
        }
    }
}
