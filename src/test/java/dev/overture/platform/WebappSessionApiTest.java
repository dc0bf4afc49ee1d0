package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.support.AppTestBase;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Cockpit plugin reads the journeys API with the webapp session of whoever signed in to Cockpit: reads
 * only, on the same group rules as HTTP Basic, with the groups as they are now rather than at sign-in.
 */
class WebappSessionApiTest extends AppTestBase {

  @Autowired
  IdentityService identity;

  @Test
  void aMarketerSignedInToCockpitReadsJourneysWithTheSession() throws Exception {
    String marketer = CampaignFixtures.user(identity, "cockpit-marketer", AccessRules.MARKETERS);
    Session session = signIn(marketer);

    assertThat(session.get("/api/journeys/welcome").statusCode()).isEqualTo(200);
    assertThat(session.get("/api/journeys").statusCode()).isEqualTo(200);
    assertThat(new Session().get("/api/journeys/welcome").statusCode()).as("no session").isEqualTo(401);
  }

  @Test
  void theSessionCarriesNoRightTheUsersGroupsDoNotGive() throws Exception {
    // a reviewer has no Cockpit, but their Tasklist session is the same webapp session
    String reviewer = CampaignFixtures.user(identity, "cockpit-reviewer", "creative-reviewers");
    Session session = signIn(reviewer, "tasklist");

    HttpResponse<String> refused = session.get("/api/journeys/welcome");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("needs group marketers");
  }

  @Test
  void aGroupRemovedAfterSignInCountsFromTheNextRequest() throws Exception {
    String marketer = CampaignFixtures.user(identity, "cockpit-leaver", AccessRules.MARKETERS);
    Session session = signIn(marketer);
    assertThat(session.get("/api/journeys/welcome").statusCode()).isEqualTo(200);

    identity.deleteMembership(marketer, AccessRules.MARKETERS);

    assertThat(session.get("/api/journeys/welcome").statusCode()).isEqualTo(403);
  }

  @Test
  void theSessionReachesNeitherWritesNorOtherApis() throws Exception {
    Session session = signIn(CampaignFixtures.user(identity, "cockpit-writer", AccessRules.MARKETERS, "privacy-officers"));

    // a browser sends the session cookie along with any request, forged ones included: a write needs credentials
    HttpResponse<String> pause = session.send(HttpRequest.newBuilder(session.uri("/api/journeys/welcome/pause"))
        .header("X-XSRF-TOKEN", session.csrfToken()).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(pause.statusCode()).isEqualTo(401);
    assertThat(session.get("/api/profiles?email=nobody@example.com").statusCode()).isEqualTo(401);
  }

  /** Signs in the way the webapps' login page does: the CSRF cookie from a page, then the webapps' login resource. */
  private Session signIn(String user) throws IOException, InterruptedException {
    return signIn(user, "cockpit");
  }

  private Session signIn(String user, String app) throws IOException, InterruptedException {
    Session session = new Session();
    assertThat(session.get("/camunda/app/" + app + "/default/").statusCode()).isEqualTo(200);
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(user + "-pw", StandardCharsets.UTF_8);
    HttpResponse<String> login = session.send(HttpRequest.newBuilder(session.uri("/camunda/api/admin/auth/user/default/login/" + app))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", session.csrfToken())
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return session;
  }

  /** A browser's cookie jar against this app. */
  private final class Session {
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();

    URI uri(String path) {
      return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String csrfToken() {
      return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
          .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
    }
  }
}
