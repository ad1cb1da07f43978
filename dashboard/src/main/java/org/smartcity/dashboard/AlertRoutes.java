package org.smartcity.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.http.HttpService;

/**
 * The CAP 1.2 endpoints of DESIGN.md: {@code /cap/alerts.atom}, the Atom feed of active alerts and
 * those cleared in the last 24 hours, and {@code /cap/alerts/{id}.xml}, one alert's CAP document
 * (the alert id URL-encoded, e.g. {@code pm25-high%7Cdistrict%7C530102%7C1796367600000.xml}).
 */
final class AlertRoutes {
    private static final String SUFFIX = ".xml";

    private final AlertBook book;
    private final AlertCollection collection;
    private final CapAlerts cap;
    private final Links links;
    private final Clock clock;

    AlertRoutes(
            AlertBook book, AlertCollection collection, CapAlerts cap, Links links, Clock clock) {
        this.book = book;
        this.collection = collection;
        this.cap = cap;
        this.links = links;
        this.clock = clock;
    }

    void addRoutes(JavalinConfig config) {
        HttpService.get(config, "/cap/alerts.atom", this::feed);
        HttpService.get(config, "/cap/alerts/{file}", this::document);
    }

    private void feed(Context ctx) throws IOException {
        ctx.header("Cache-Control", "no-cache");
        HttpService.send(
                ctx,
                200,
                CapAlerts.ATOM_TYPE,
                cap.feed(book.notifiable(), clock.millis(), links.base(ctx)));
    }

    private void document(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!file.endsWith(SUFFIX)) {
            throw HttpErrors.notFound("no CAP document at " + Params.echo(ctx.path()));
        }
        String id = file.substring(0, file.length() - SUFFIX.length());
        Alert a =
                book.get(id).orElseThrow(() -> HttpErrors.notFound("no alert " + Params.echo(id)));
        ctx.header("Cache-Control", "no-cache");
        HttpService.send(
                ctx,
                200,
                CapAlerts.CAP_TYPE,
                cap.document(a, book.previousSent(id), collection.geometry(a), links.base(ctx)));
    }
}
