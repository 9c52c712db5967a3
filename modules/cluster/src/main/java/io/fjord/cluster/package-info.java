/**
 * A Fjord cluster: the controller (elected through the coordination SPI, one event thread) and the
 * broker's side of the cluster (registration, the metadata cache the controller feeds, the
 * metadata store that writes admin changes to the coordination store).
 */
package io.fjord.cluster;
