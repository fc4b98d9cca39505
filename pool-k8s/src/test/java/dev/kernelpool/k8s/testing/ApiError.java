package dev.kernelpool.k8s.testing;

/** A request the API server refuses, answered with a {@code Status} body as a real server does. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int code;
  final String reason;

  ApiError(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  static ApiError notFound(ResourceType type, String name) {
    return new ApiError(404, "NotFound", type.plural() + " \"" + name + "\" not found");
  }

  static ApiError conflict(ResourceType type, String name, String why) {
    return new ApiError(409, "Conflict",
        "Operation cannot be fulfilled on " + type.plural() + " \"" + name + "\": " + why);
  }

  static ApiError alreadyExists(ResourceType type, String name) {
    return new ApiError(409, "AlreadyExists", type.plural() + " \"" + name + "\" already exists");
  }

  static ApiError invalid(ResourceType type, String name, String why) {
    return new ApiError(422, "Invalid", type.kind() + " \"" + name + "\" is invalid: " + why);
  }

  static ApiError forbidden(ResourceType type, String name, String why) {
    return new ApiError(403, "Forbidden", type.plural() + " \"" + name + "\" is forbidden: " + why);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message);
  }
}
