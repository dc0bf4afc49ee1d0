package dev.overture.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium through the system chromedriver (.ci/run installs both). Explicit waits
 * only; screenshots go to target/browser/.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path userData;
  private final WebDriverWait wait;

  public Browser() {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install -y chromium chromium-driver (.ci/run does this)");
    }
    try {
      userData = Files.createTempDirectory("overture-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1400,1100", "--user-data-dir=" + userData);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    // Selenium looks every 500 ms by default: a page that is ready at once still cost a quarter second per step
    wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement visible(By by) {
    return until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  public WebElement clickable(By by) {
    return until(ExpectedConditions.elementToBeClickable(by));
  }

  /** Waits for the condition; on timeout, keeps a screenshot of what the page showed. */
  public <T> T until(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      screenshot("timeout-" + System.currentTimeMillis());
      throw e;
    }
  }

  /** Clicks once the element is clickable; scrolled into view first, since Tasklist's task pane scrolls on its own. */
  public void click(By by) {
    until(d -> {
      try {
        WebElement element = d.findElement(by);
        if (!element.isDisplayed() || !element.isEnabled()) {
          return false;
        }
        ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
        return true;
      } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.ElementClickInterceptedException
          | org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
  }

  public void type(By by, String text) {
    WebElement element = visible(by);
    element.clear();
    element.sendKeys(text);
  }

  /**
   * Fills a sign-in field in one step and waits until the field holds the text. Camunda's webapps move the focus
   * to the user-name field 300 ms after they start ({@code setTimeout(… [autofocus] … focus(), 300)} in their
   * bootstrap), so keystrokes sent to the password field while a loaded machine is still starting the page went on
   * into the user-name field. The value is set and announced with an {@code input} event, which AngularJS's
   * {@code ng-model} reads as it reads typing; no focus is involved.
   */
  public void fill(By by, String text) {
    WebElement element = visible(by);
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];"
        + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, text);
    until(d -> text.equals(element.getDomProperty("value")));
  }

  public void waitForText(By by, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  public void waitUntilGone(By by) {
    until(ExpectedConditions.invisibilityOfElementLocated(by));
  }

  public String text(By by) {
    return visible(by).getText();
  }

  public Path screenshot(String name) {
    try {
      Path dir = Path.of("target", "browser");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void signOut() {
    driver.manage().deleteAllCookies();
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(userData)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
