package io.wharf.server.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers in the JSON error shape of docs/api.md: requests Jetty refuses
 * before any route runs — a broken request line or header, a URI or headers over Jetty's limits,
 * bad percent-encoding — would otherwise get Jetty's HTML page. The status stays Jetty's (400,
 * 414, 431, ...); the code and message come from {@link ErrorResponses#fromStatus}, with
 * Jetty's reason as the message for a 400 ("Unknown Version", "Bad URI").
 *
 * <p>Thread safety: stateless apart from the shared {@link ErrorResponses}; safe for Jetty's
 * threads.
 */
final class JettyErrors extends ErrorHandler {
  private final ErrorResponses errors;

  JettyErrors(ErrorResponses errors) {
    this.errors = errors;
  }

  private ApiError error(int status, String reason) {
    String message = reason == null || reason.isBlank() ? null : reason;
    return ErrorResponses.fromStatus(status, status == 400 ? message : null);
  }

  /** Errors of a request Jetty has parsed far enough to dispatch (e.g. bad percent-encoding). */
  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(errors.body(error(code, message))), callback);
  }

  /** Errors the HTTP/1 parser answers itself (request line, headers, sizes). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(errors.body(error(status, reason)));
  }
}
