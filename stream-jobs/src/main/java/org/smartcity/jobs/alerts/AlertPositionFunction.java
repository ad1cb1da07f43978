package org.smartcity.jobs.alerts;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.LocatedAlert;

/**
 * Gives each sensor alert the position of its sensor, for the stores (DESIGN.md: a sensor's alert
 * is located at its point), keyed by sensor id: the alerts of {@link SensorRulesFunction} (keyed by
 * subject id, which is the sensor id) on the first input, the sensors' positions of {@link
 * AlertInputs#POSITIONS} on the second. The alert's JSON stays as it is: the position travels next
 * to it ({@link LocatedAlert}), only on the way to the stores.
 *
 * <p>A position is told once per sensor and source subtask, and takes a shorter way here than the
 * alerts of the same reading, so it is normally known when an alert comes. When it is not (the
 * sensor's first readings raced their alert, or the job was restored from a savepoint made before
 * this operator existed and the sensor has been silent since), the sensor's alerts wait, in order,
 * until its position comes, or until the watermark passes the alert's time (every position told for
 * readings up to then has arrived), or {@link #HOLD_MILLIS} on the TaskManager's clock (event time
 * may stall in an outage, when silent-sensor alerts matter most), whichever is first; after that
 * they go on without a position, and the stores keep them without a geometry.
 *
 * <p>State per sensor: its newest position (16 bytes), and only while waiting the alerts as their
 * JSON (DESIGN.md), so that the state does not depend on the {@link Alert} class's shape. A timer
 * that fires after the alerts have gone finds nothing to do.
 */
public final class AlertPositionFunction
        extends KeyedCoProcessFunction<String, Alert, SensorPosition, LocatedAlert> {
    private static final long serialVersionUID = 1L;

    /** How long, on the TaskManager's clock, an alert waits at most for its sensor's position. */
    public static final long HOLD_MILLIS = 2_000;

    private transient ValueState<double[]> position;
    private transient ListState<byte[]> waiting;

    @Override
    public void open(OpenContext context) {
        position =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sensor-position",
                                        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        waiting =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "alerts-awaiting-position",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement1(Alert a, Context ctx, Collector<LocatedAlert> out)
            throws Exception {
        double[] at = position.value();
        if (at != null) {
            out.collect(LocatedAlert.at(a, at[0], at[1]));
            return;
        }
        waiting.add(AlertJson.encode(a));
        ctx.timerService().registerEventTimeTimer(a.updatedAtMillis());
        ctx.timerService()
                .registerProcessingTimeTimer(
                        ctx.timerService().currentProcessingTime() + HOLD_MILLIS);
    }

    @Override
    public void processElement2(SensorPosition p, Context ctx, Collector<LocatedAlert> out)
            throws Exception {
        position.update(new double[] {p.lat(), p.lon()});
        for (Alert a : release()) {
            out.collect(LocatedAlert.at(a, p.lat(), p.lon()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LocatedAlert> out)
            throws Exception {
        for (Alert a : release()) {
            out.collect(LocatedAlert.of(a));
        }
    }

    /** The waiting alerts, in the order they came; none wait after this. */
    private List<Alert> release() throws Exception {
        List<Alert> out = new ArrayList<>();
        Iterable<byte[]> held = waiting.get();
        if (held != null) {
            for (byte[] json : held) {
                out.add(AlertJson.decode(json));
            }
        }
        if (!out.isEmpty()) {
            waiting.clear();
        }
        return out;
    }
}
