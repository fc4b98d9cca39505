package dev.kernelpool.bridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Makes messages of one client session: a session id, a user name, unique message ids. */
public final class MessageFactory {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  private final String session;
  private final String username;
  private final Clock clock;

  public MessageFactory(String username, Clock clock) {
    this.session = UUID.randomUUID().toString();
    this.username = username;
    this.clock = clock;
  }

  public String session() {
    return session;
  }

  /** A new request of {@code msgType} with {@code content}. */
  public JupyterMessage request(String msgType, JsonNode content) {
    MessageHeader header =
        new MessageHeader(
            UUID.randomUUID().toString(),
            session,
            username,
            ISO.format(clock.instant().truncatedTo(ChronoUnit.MICROS)),
            msgType,
            MessageHeader.PROTOCOL_VERSION);
    return new JupyterMessage(header, null, null, content, null);
  }
}
