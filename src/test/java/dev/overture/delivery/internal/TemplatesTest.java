package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.delivery.Creative;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit test of the template context: sections, helpers in the profile's locale and zone, fallbacks, missing values. */
class TemplatesTest {

  private static final String NBSP = "\u00a0";

  @Test
  void sectionsListTheItemsAndMoneyIsInTheProfilesLocale() {
    MessageContext context = new MessageContext(Map.of("locale", "de-DE"), Map.of("currency", "EUR", "value", 49.9,
        "items", List.of(Map.of("name", "Tasse", "quantity", 2, "price", 12.45), Map.of("name", "Tee", "quantity", 1, "price", 25))),
        Map.of());

    String text = render("{{#event.items}}{{quantity}} × {{name}} {{#money}}{{price}}{{/money}}; {{/event.items}}"
        + "= {{#money}}{{event.value}}{{/money}}", context, Map.of());

    assertThat(text).isEqualTo("2 × Tasse 12,45" + NBSP + "€; 1 × Tee 25,00" + NBSP + "€; = 49,90" + NBSP + "€");
    assertThat(render("{{#money}}{{event.value}}{{/money}}", new MessageContext(Map.of("locale", "en-US"),
        Map.of("value", 49.9, "currency", "USD"), Map.of()), Map.of())).isEqualTo("$49.90");
    assertThat(render("{{#money}}1234.5 CHF{{/money}}", new MessageContext(Map.of("locale", "de-CH"), Map.of(), Map.of()), Map.of()))
        .isEqualTo("CHF" + NBSP + "1’234.50");
  }

  @Test
  void datesAreShownInTheProfilesTimeZoneAndLocale() {
    MessageContext berlin = new MessageContext(Map.of("locale", "de-DE", "timezone", "Europe/Berlin"),
        Map.of("deliveredAt", "2026-12-01T23:30:00Z", "day", "2026-12-24"), Map.of());

    // 23:30 UTC is already the next day in Berlin
    assertThat(render("{{#date}}{{event.deliveredAt}}{{/date}}", berlin, Map.of())).isEqualTo("02.12.2026");
    assertThat(render("{{#datetime}}{{event.deliveredAt}}{{/datetime}}", berlin, Map.of())).isEqualTo("02.12.2026, 00:30");
    assertThat(render("{{#date}}{{event.day}}{{/date}}", berlin, Map.of())).isEqualTo("24.12.2026");
  }

  @Test
  void aMissingValueRendersItsDeclaredFallbackNeverALiteralTagOrAnEmptySentence() {
    MessageContext bare = new MessageContext(Map.of("firstName", "  "), Map.of(), Map.of());

    assertThat(render("Hi {{firstName}}, welcome to {{event.storeName}}.", bare,
        Map.of("firstName", "there", "event.storeName", "our store"))).isEqualTo("Hi there, welcome to our store.");
    assertThatThrownBy(() -> render("Your order {{event.orderId}} has shipped.", bare, Map.of()))
        .isInstanceOf(MissingTemplateValue.class).hasMessageContaining("event.orderId").hasMessageContaining("no declared fallback");
    assertThatThrownBy(() -> render("{{#event.items}}{{name}} costs {{price}}{{/event.items}}",
        new MessageContext(Map.of(), Map.of("items", List.of(Map.of("name", "Mug"))), Map.of()), Map.of()))
        .isInstanceOf(MissingTemplateValue.class).hasMessageContaining("price");
    // a section leaves out what is not there, without a fallback
    assertThat(render("Shipped{{#event.orderId}}: {{event.orderId}}{{/event.orderId}}.", bare, Map.of())).isEqualTo("Shipped.");
  }

  @Test
  void theProfilesLocalePicksTheExactVariantThenItsLanguageThenTheDefault() {
    Creative.Content de = content("Hallo");
    Creative.Content frCa = content("Bonjour du Québec");
    Creative creative = new Creative("k", "email", 1, "approved", "Hello", null, "Hello", null, null, null, Map.of(), "a", null,
        null, null, "en", Map.of("de", de, "fr-CA", frCa));

    assertThat(creative.variantFor("de-DE").locale()).isEqualTo("de");
    assertThat(creative.variantFor("fr_CA").locale()).isEqualTo("fr-CA");
    assertThat(creative.variantFor("fr-FR").locale()).isEqualTo("en");
    assertThat(creative.variantFor(null).content().subject()).isEqualTo("Hello");
    assertThat(creative.variants()).containsOnlyKeys("en", "de", "fr-CA");
  }

  private static Creative.Content content(String subject) {
    return new Creative.Content(subject, null, subject, null, null, null, null);
  }

  private static String render(String template, MessageContext context, Map<String, String> fallbacks) {
    return Templates.text(template, Templates.root(context, fallbacks, Templates.formats(context, null, null, "EUR")));
  }
}
