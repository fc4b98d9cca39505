/**
 * The sidecar's HTTP endpoints on the JDK's HTTP server: the claim API ({@code POST /v1/claims},
 * shared-token protected), {@code /healthz}, {@code /readyz}, {@code /metrics} (Prometheus) and
 * {@code /pools} (JSON status).
 */
package dev.kernelpool.bridge.http;
