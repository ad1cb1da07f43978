/**
 * Indicators computed from aggregates (SDG 11.6.2 first): the data-validity standards and the
 * calendar periods they are computed over. No Flink, no GeoTools.
 */
package org.smartcity.core.indicators;
