package dev.kernelpool.bridge.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kernelpool.bridge.wire.JupyterMessage;
import java.util.List;

/**
 * The outcome of an {@code execute_request}.
 *
 * @param reply the {@code execute_reply}
 * @param iopub the iopub messages of this request, in order, up to the kernel's return to idle
 */
public record ExecuteResult(JupyterMessage reply, List<JupyterMessage> iopub) {
  public ExecuteResult {
    iopub = List.copyOf(iopub);
  }

  /** {@code ok}, {@code error} or {@code aborted}. */
  public String status() {
    return reply.content().path("status").asText("");
  }

  public boolean isOk() {
    return status().equals("ok");
  }

  /** The {@code user_expressions} of the reply. */
  public JsonNode userExpressions() {
    return reply.content().path("user_expressions");
  }

  /** The {@code text/plain} of the first {@code execute_result}, or empty. */
  public String resultText() {
    for (JupyterMessage m : iopub) {
      if (m.msgType().equals("execute_result")) {
        return m.content().path("data").path("text/plain").asText("");
      }
    }
    return "";
  }
}
