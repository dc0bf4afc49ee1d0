package dev.overture.delivery;

/**
 * A creative names a value that the message's context lacks and no declared fallback covers: the
 * message cannot be rendered without a hole, so it is not sent (and a preview says why).
 */
public class MissingTemplateValue extends RuntimeException {

  private final String name;

  public MissingTemplateValue(String name, String template) {
    super("the template uses '" + name + "', which has no value here and no declared fallback (in \"" + abbreviate(template) + "\")");
    this.name = name;
  }

  /** The name as the template spells it (its first part, for a dotted name whose start is missing). */
  public String name() {
    return name;
  }

  private static String abbreviate(String template) {
    String one = template.replaceAll("\\s+", " ").trim();
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }
}
