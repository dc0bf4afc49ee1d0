package dev.overture.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server per test JVM standing in for the SMS, push, webhook and audience providers
 * (paths /sms, /push, /webhook, /audience). By default every POST gets 200; tests add stubs for
 * their own recipients and tell requests apart by body.
 */
public final class TestHttpProviders {

  public static final String WEBHOOK_SECRET = "webhook-secret-for-tests";

  private static WireMockServer server;
  private static final java.util.Map<String, String> redirected = new java.util.concurrent.ConcurrentHashMap<>();

  private TestHttpProviders() {}

  public static synchronized WireMockServer server() {
    if (server == null) {
      server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(20));
      server.start();
      server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(200).withBody("{\"status\":\"accepted\"}")));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(), "test-wiremock-stop"));
    }
    return server;
  }

  /** The provider URL for a path: WireMock's, unless a test pointed the path at a server of its own. */
  public static String url(String path) {
    String elsewhere = redirected.get(path);
    return elsewhere != null ? elsewhere : "http://127.0.0.1:" + server().port() + path;
  }

  /**
   * Points one provider path at another server for the contexts started from now on (a benchmark's
   * own sink: WireMock's request journal and matching would be what it measured); null undoes it.
   */
  public static void redirect(String path, String url) {
    if (url == null) {
      redirected.remove(path);
    } else {
      redirected.put(path, url);
    }
  }
}
