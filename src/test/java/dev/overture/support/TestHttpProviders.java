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

  public static String url(String path) {
    return "http://127.0.0.1:" + server().port() + path;
  }
}
