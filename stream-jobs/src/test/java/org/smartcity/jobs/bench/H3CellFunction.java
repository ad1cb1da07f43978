package org.smartcity.jobs.bench;

import java.util.Objects;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * {@code H3_CELL(lat, lon)}: the H3 cell address of a location, from core's {@link Zoning} (the
 * same call the job's zone assignment makes), for the Flink SQL baseline. Public, as Flink's code
 * generation requires of a function class.
 */
public final class H3CellFunction extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    private final ZoningSpec spec;
    private transient Zoning zoning;

    public H3CellFunction(ZoningSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public void open(FunctionContext context) {
        zoning = Zoning.create(spec);
    }

    /** Boxed: the columns of a table made from a DataStream are nullable. */
    public String eval(Double lat, Double lon) {
        return lat == null || lon == null ? null : zoning.cell(lat, lon).id();
    }
}
