/**
 * A city-sensor simulator (Kunming by default) publishing readings over MQTT 5 with faults on
 * demand, and predicting what the bridge will accept and reject.
 *
 * <ul>
 *   <li>{@link org.smartcity.simulator.SimulatorConfig}: the settings and their flags.
 *   <li>{@link org.smartcity.simulator.MessageGenerator}: the messages, deterministic for a seed
 *       and a clock, without any network.
 *   <li>{@link org.smartcity.simulator.Simulator}: publishes them to the broker at the configured
 *       rate and keeps a {@link org.smartcity.simulator.SimulationSummary}.
 *   <li>{@link org.smartcity.simulator.Fault}: each fault and the rejection reason it leads to.
 *   <li>{@link org.smartcity.simulator.SimulatorMain}: the command line.
 * </ul>
 */
package org.smartcity.simulator;
