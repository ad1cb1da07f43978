package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.ZoningSpec;

/** The real zoning, as the job ships it to the task managers. */
class ZoningAssignerTest {

    @Test
    void survivesSerializationAndAssignsCellDistrictAndCity() throws Exception {
        ZoneAssigner assigner = shipped(ZoneAssigner.of(ZoningSpec.kunming()));
        assigner.open();

        // The contract's example reading, in central Kunming.
        Reading r =
                new Reading(
                        "km-pm25-0042",
                        Metric.PM25,
                        "kunming",
                        1795496400250L,
                        25.0406,
                        102.7123,
                        38.5,
                        1234L);

        assertThat(assigner.zonesOf(r))
                .extracting(z -> z.kind())
                .containsExactly(ZoneKind.H3, ZoneKind.DISTRICT, ZoneKind.CITY);
        assertThat(assigner.zonesOf(r).get(0).id()).startsWith("88");
        assertThat(assigner.zonesOf(r).get(2).id()).isEqualTo("kunming");
    }

    private static ZoneAssigner shipped(ZoneAssigner assigner) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(assigner);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ZoneAssigner) in.readObject();
        }
    }
}
