/**
 * The Jupyter messaging wire format (protocol 5.3), apart from any transport: connection files,
 * message records, HMAC-SHA256 signing and verification, and the frames of a multipart message.
 * Pure functions of bytes, tested byte for byte.
 */
package dev.kernelpool.bridge.wire;
