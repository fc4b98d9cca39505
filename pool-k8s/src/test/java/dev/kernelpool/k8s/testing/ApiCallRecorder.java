package dev.kernelpool.k8s.testing;

import dev.kernelpool.k8s.cluster.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Records every API call a component makes through its {@link KubeClients}: what the RBAC audit
 * compares with the shipped roles. Watches are recorded when their answer starts.
 */
public final class ApiCallRecorder implements Interceptor {
  private final List<ApiCall> calls = new CopyOnWriteArrayList<>();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    okhttp3.HttpUrl url = chain.request().url();
    String body = response.code() == 403 ? response.peekBody(8192).string() : "";
    calls.add(ApiCall.of(chain.request().method(), url.encodedPath(), url.encodedQuery(), response.code(), body));
    return response;
  }

  /** The same clients, with every call recorded here. */
  public KubeClients wrap(KubeClients clients) {
    return new KubeClients(wrap(clients.calls()), wrap(clients.watches()));
  }

  private ApiClient wrap(ApiClient client) {
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(this).build());
    return client;
  }

  public List<ApiCall> calls() {
    return List.copyOf(calls);
  }
}
