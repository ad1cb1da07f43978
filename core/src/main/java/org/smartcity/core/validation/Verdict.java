package org.smartcity.core.validation;

import org.smartcity.core.Reading;
import org.smartcity.core.Rejection;

/** The outcome for one element of a payload: a reading to forward, or a rejection to record. */
public sealed interface Verdict {

    /** A valid reading. */
    record Accepted(Reading reading) implements Verdict {}

    /**
     * An invalid payload or element.
     *
     * @param rejection the reason and its detail
     * @param elementIndex the position in a gateway array, or -1 for the whole payload
     * @param original the original bytes of the element (of the whole payload when -1)
     */
    record Rejected(Rejection rejection, int elementIndex, byte[] original) implements Verdict {}
}
