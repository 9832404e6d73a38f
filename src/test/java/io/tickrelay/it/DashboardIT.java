package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code /} in a real headless Chromium against the real WAR on Open Liberty: a
 * user enters a credential, picks symbols, and sees the fake Alpaca's trades arrive and move.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@DisabledIfSystemProperty(named = "tickrelay.browser.skip", matches = "true",
    disabledReason = "browser test skipped by -Dtickrelay.browser.skip=true")
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final Path CHROMIUM =
      Path.of(System.getProperty("tickrelay.browser.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("tickrelay.browser.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  private static final String SECRET = "it-client-secret";

  private static FakeAlpaca upstream;

  private WebDriver browser;
  private Path profile;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void startBrowser() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("DashboardIT needs Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
          + ": install them with `apt-get install -y chromium chromium-driver` (as .ci/run does),"
          + " or skip the browser test with -Dtickrelay.browser.skip=true");
    }
    profile = Files.createTempDirectory(Path.of("target"), "chromium-profile");
    // the driver is named explicitly, so Selenium Manager never tries to download one
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogOutput(OutputStream.nullOutputStream()) // its log would echo the typed secret
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // a closed network: without the background-networking flags Chromium keeps dialling Google
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void pickedSymbolsShowLivePricesThatChange() throws IOException {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    // the upstream cards are redrawn on every status poll, so a found element may go stale
    wait.ignoring(StaleElementReferenceException.class);
    browser.get("http://localhost:" + PORT + "/");

    // the status poll has run: a real gateway (not the simulator) prefills no credential
    wait.until(b -> "alpaca".equals(byId("mode").getAttribute("data-mode")));
    assertEquals("", byId("credential-key").getDomProperty("value"), "no credential prefilled");
    wait.until(b -> {
      WebElement state = upstreamState("CONNECTED");
      WebElement card = state == null ? null : state.findElement(By.xpath("ancestor::article"));
      return card != null
          && card.findElement(By.cssSelector("[data-field=feed]")).getText().equalsIgnoreCase("sip")
          && card.findElement(By.cssSelector("[data-field=healthy]")).getText().equals("yes");
    });

    // pick symbols: drop MSFT, add AMD, keep the defaults AAPL and NVDA
    byId("symbol-input").sendKeys("amd");
    byId("symbol-add").click();
    row("MSFT").findElement(By.cssSelector("[data-action=remove]")).click();
    assertTrue(browser.findElements(By.cssSelector("tr[data-symbol=MSFT]")).isEmpty(), "MSFT removed");

    byId("credential-key").sendKeys("it-client");
    byId("credential-secret").sendKeys(SECRET);
    new Select(byId("feed")).selectByValue("iex");
    byId("connect").click();
    wait.until(b -> "live".equals(byId("stream-state").getAttribute("data-state")));

    for (String symbol : List.of("AAPL", "NVDA", "AMD")) {
      String first = wait.until(b -> priceOf(symbol));
      assertTrue(first.matches("\\d+(\\.\\d+)?"), symbol + " price " + first);
      wait.until(b -> {
        String now = priceOf(symbol);
        return now != null && !now.equals(first) ? now : null;
      });
      assertShows(symbol, "price", "[\\d,]+\\.\\d{2,4}");
      assertShows(symbol, "change", "[+-]?\\d+\\.\\d{2}");
      assertShows(symbol, "changePct", "[+-]?\\d+\\.\\d{2} %");
      assertShows(symbol, "time", "\\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
    }
    // what the user picked is exactly what the gateway subscribed upstream for this one client
    Await.until("AMD, AAPL and NVDA trades upstream, MSFT not", WAIT, () -> {
      var trades = upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).symbols(Channel.TRADES);
      return trades.equals(new TreeSet<>(Set.of("AAPL", "AMD", "NVDA")));
    });

    // the client side of the status poll counts this page's socket, and messages flow through it
    wait.until(b -> !text("clients-authenticated").matches("–|0"));
    wait.until(b -> text("rate-sent").matches("[\\d,]+\\.\\d") && !text("rate-sent").equals("0.0"));

    Object stored =
        ((JavascriptExecutor) browser).executeScript("return JSON.stringify(localStorage)");
    assertFalse(String.valueOf(stored).contains(SECRET), "the secret stays out of localStorage");
    assertFalse(browser.getPageSource().contains(SECRET), "the secret stays out of the page");

    screenshot();
  }

  /** The whole page from the top (reduced motion: no half-faded flash of the last change). */
  private void screenshot() throws IOException {
    JavascriptExecutor page = (JavascriptExecutor) browser;
    ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
    page.executeScript("document.activeElement.blur(); window.scrollTo(0, 0)");
    List<?> sizes = (List<?>) page.executeScript("return [document.documentElement.scrollHeight,"
        + " window.outerHeight - window.innerHeight]");
    int height = ((Number) sizes.get(0)).intValue() + ((Number) sizes.get(1)).intValue();
    browser.manage().window().setSize(new Dimension(1280, Math.min(2400, height)));
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
  }

  private WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  private WebElement row(String symbol) {
    return browser.findElement(By.cssSelector("tr[data-symbol='" + symbol + "']"));
  }

  private String text(String id) {
    return byId(id).getText();
  }

  private void assertShows(String symbol, String field, String pattern) {
    String shown = row(symbol).findElement(By.cssSelector("[data-field='" + field + "']")).getText();
    assertTrue(shown.matches(pattern), symbol + " " + field + " shows '" + shown + "'");
  }

  /** The raw last price the page holds for the symbol, or null before its first trade. */
  private String priceOf(String symbol) {
    String price = row(symbol).getAttribute("data-price");
    return price == null || price.isEmpty() ? null : price;
  }

  private WebElement upstreamState(String state) {
    return browser.findElements(By.cssSelector("#upstreams [data-field=state]")).stream()
        .filter(e -> state.equals(e.getAttribute("data-state")))
        .findFirst()
        .orElse(null);
  }
}
