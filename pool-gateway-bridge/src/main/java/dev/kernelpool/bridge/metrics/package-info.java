/**
 * The sidecar's metrics: counters, gauges and a histogram with labels, written in the Prometheus
 * text exposition format for {@code /metrics}.
 */
package dev.kernelpool.bridge.metrics;
