package dev.kernelpool.bridge.launcher;

import java.net.InetSocketAddress;

/** EG's {@code --RemoteProcessProxy.response-address}: {@code host:port}. */
public record ResponseAddress(String host, int port) {
  public ResponseAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("response address: host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("response address: port out of range: " + port);
    }
  }

  /** Parses {@code host:port} (an IPv6 host in brackets). */
  public static ResponseAddress parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("response address must be host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new ResponseAddress(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("response address port is not a number: '" + text + "'");
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
