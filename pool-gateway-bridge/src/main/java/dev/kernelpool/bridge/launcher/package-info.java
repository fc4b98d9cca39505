/**
 * Enterprise Gateway's remote-kernel launcher protocol: the encrypted connection-info payload a
 * launcher sends to a response address (both sides of it), RSA keys in the form EG passes them,
 * and the launcher's comm port. The scheme (RSA PKCS#1 v1.5, AES-128-ECB) is EG's and weak by
 * today's standards; it is spoken for compatibility only, never relied on for our own security.
 */
package dev.kernelpool.bridge.launcher;
