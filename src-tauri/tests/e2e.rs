//! End-to-end tests in the real window: `tauri-driver` (over WebKitWebDriver) starts the built
//! `hmedesk-app` with a fresh per-user data folder, and the tests drive it as a front desk
//! would: keys, clicks, reading what the screen says. Each main screen is saved as a PNG in
//! `target/e2e-screenshots/`.
//!
//! Needs a display and `tauri-driver` on the PATH, so the tests are ignored by a plain
//! `cargo test`; `.ci/test` runs them with
//! `xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p hmedesk-app --test e2e -- --ignored`.

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);

/// A running `tauri-driver`, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts `tauri-driver` so that the app it launches keeps its data under `data_home`.
    fn start(data_home: &Path) -> Driver {
        assert!(std::env::var_os("DISPLAY").is_some(), "the end-to-end tests need a display: run them under xvfb-run");
        let (port, native_port) = (free_port(), free_port());
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("XDG_DATA_HOME", data_home)
            .env_remove("HMEDESK_DB")
            // Xvfb has no GPU: WebKit's compositing would present stale frames to screenshots.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so the WebKitWebDriver and app it starts end with it.
            .process_group(0)
            .spawn()
            .expect("tauri-driver is not installed: cargo install tauri-driver --locked");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < WAIT, "tauri-driver did not open port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }

    /// Launches the app in a new window and waits until its navigation answers.
    async fn open(&self) -> App {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert("tauri:options".into(), serde_json::json!({ "application": env!("CARGO_BIN_EXE_hmedesk-app") }));
        let started = Instant::now();
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let client = tokio::time::timeout(Duration::from_secs(30), builder.connect(&url))
            .await
            .expect("the app did not start within 30 s")
            .expect("WebDriver session");
        let app = App { client };
        app.wait(".nav-item").await;
        eprintln!("window interactive {} ms after launch", started.elapsed().as_millis());
        app
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).expect("a free port").port()
}

/// One app window, driven through WebDriver.
struct App {
    client: Client,
}

impl App {
    /// The first element matching `css`, waiting for it to appear.
    async fn wait(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits until the element matching `css` says `needle`.
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = e.text().await {
                    if text.contains(needle) {
                        return text;
                    }
                    assert!(started.elapsed() < WAIT, "{css} says {text:?}, never {needle:?}");
                }
            }
            assert!(started.elapsed() < WAIT, "no element {css} saying {needle:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many elements match `css` right now.
    async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0)
    }

    /// Waits until exactly `n` elements match `css` (a list the core has narrowed).
    async fn wait_count(&self, css: &str, n: usize) {
        let started = Instant::now();
        loop {
            let now = self.count(css).await;
            if now == n {
                return;
            }
            assert!(started.elapsed() < WAIT, "{now} element(s) match {css}, never {n}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css` (a form that closes once saved).
    async fn wait_gone(&self, css: &str) {
        let started = Instant::now();
        while self.count(css).await > 0 {
            assert!(started.elapsed() < WAIT, "{css} is still there");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) {
        self.wait(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types `keys` into whatever has the keyboard focus, as a person at the keyboard would.
    async fn keys(&self, keys: &str) {
        let focused = self.client.active_element().await.expect("a focused element");
        focused.send_keys(keys).await.expect("typing");
    }

    /// Chooses the option labelled `label` in the select `name` of the form `form`.
    async fn choose(&self, form: &str, name: &str, label: &str) {
        let select = self.wait(&format!("{form} select[name={name}]")).await;
        select.select_by_label(label).await.unwrap_or_else(|e| panic!("choose {label} in {name}: {e}"));
    }

    /// Replaces the text of field `name` in the form `form`.
    async fn fill(&self, form: &str, name: &str, value: &str) {
        let input = self.wait(&format!("{form} [name={name}]")).await;
        input.clear().await.expect("clear");
        input.send_keys(value).await.expect("typing");
    }

    /// Saves the whole display (the window as a person sees it) to `target/e2e-screenshots/`.
    async fn screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        let status = Command::new("import").args(["-window", "root"]).arg(&path).status().expect("imagemagick import");
        assert!(status.success(), "screenshot {name} failed");
    }

    /// The titles of the windows on the display, as the window manager would show them.
    fn native_titles() -> String {
        let out = Command::new("xwininfo").args(["-root", "-tree"]).output().expect("xwininfo (x11-utils)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    async fn close(self) {
        self.client.close().await.expect("closing the window");
    }
}

fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target folder").join("e2e-screenshots")
}

fn enter() -> String {
    char::from(Key::Enter).to_string()
}

fn alt(key: char) -> String {
    format!("{}{key}{}", char::from(Key::Alt), char::from(Key::Null))
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn practitioner_with_bad_npi_is_refused_then_saved_when_fixed() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.open().await;
    app.click("#first-run-empty").await;

    app.click("[data-nav=practitioners]").await;
    app.wait_text("#screen-title", "Practitioners").await;
    app.keys(&alt('n')).await;
    let form = "#practitioner-form";
    app.wait(form).await;
    app.fill(form, "npi", "1234567890").await;
    app.fill(form, "first_name", "Alice").await;
    app.fill(form, "last_name", "Nguyen").await;
    app.fill(form, "credentials", "MD").await;
    app.keys(&enter()).await;

    let error = app.wait_text("[data-field-error=npi]", "NPI").await;
    assert!(error.contains("check digit"), "{error}");
    app.screenshot("practitioner-npi-error").await;
    assert_eq!(app.count("[data-row]").await, 0, "nothing may be saved");

    app.fill(form, "npi", "1234567893").await;
    app.keys(&enter()).await;
    app.wait_text("table", "Nguyen, Alice MD").await;
    assert_eq!(app.count(form).await, 0, "the form closes once saved");
    app.wait_text("table", "1234567893").await;
    let focused = app.client.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(focused, "Nguyen, Alice MD", "the saved row takes the focus, ready for the keyboard");
    app.screenshot("practitioners").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let saved = hmedesk::practitioners::list(db.conn(), "").unwrap();
    assert_eq!(saved.iter().map(|p| p.npi.as_str()).collect::<Vec<_>>(), ["1234567893"]);
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn patient_with_coverage_is_found_by_search_and_kept_after_restart() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.open().await;

    app.wait("#first-run-demo").await;
    app.screenshot("first-run").await;
    app.click("#first-run-demo").await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;
    assert_eq!(app.client.title().await.unwrap(), "HME Desk — Lone Star Home Medical");
    app.wait(".counts").await;
    app.wait(".alerts").await;
    app.screenshot("dashboard").await;

    // An alert opens the record it is about; Escape closes the form.
    app.wait_text(".alert", "coverage").await;
    app.click(".alert button").await;
    app.wait_text("#screen-title", "Patients").await;
    app.wait("#patient-form").await;
    app.keys(&char::from(Key::Escape).to_string()).await;
    assert_eq!(app.count("#patient-form").await, 0, "Escape closes the form");
    app.wait("#patients [data-row]").await;
    app.screenshot("patients").await;

    app.keys(&alt('n')).await;
    let form = "#patient-form";
    app.fill(form, "last_name", "Quarles").await;
    app.fill(form, "first_name", "Zelda").await;
    app.fill(form, "dob", "1951-04-12").await;
    app.choose(form, "sex", "Female").await;
    app.fill(form, "diagnoses", "G47.33, E66.01").await;
    app.fill(form, "phone", "214-555-0199").await;
    app.keys(&enter()).await;

    app.click("[data-action=add-coverage]").await;
    let coverage = "#coverage-form";
    app.choose(coverage, "payer_id", "Aetna").await;
    app.fill(coverage, "member_id", "ZQX900112233").await;
    app.fill(coverage, "effective", "2025-01-01").await;
    app.keys(&enter()).await;
    app.wait_text("#coverages", "ZQX900112233").await;
    app.wait_text("#coverages", "Aetna").await;
    app.screenshot("patient-detail").await;

    app.keys(&char::from(Key::Escape).to_string()).await;
    app.keys("/").await;
    app.keys("ZQX9001").await;
    app.wait_text("#patients", "Quarles, Zelda").await;
    assert_eq!(app.count("#patients [data-row]").await, 1, "only the patient with that member id");

    // Orders, Deliveries and Documents sit between Patients and Practitioners.
    app.keys(&alt('6')).await;
    app.wait("[data-row]").await;
    app.screenshot("practitioners-demo").await;
    app.keys(&alt('7')).await;
    app.click("[data-row]").await;
    app.wait("#payer-form").await;
    app.wait_text(".subsection table", "$").await;
    app.screenshot("payers").await;
    app.keys(&alt('8')).await;
    app.wait_text("table", "E0601").await;
    app.screenshot("catalog").await;
    app.keys(&alt('9')).await;
    app.wait("#supplier-form").await;
    app.screenshot("settings").await;
    app.close().await;

    let app = driver.open().await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;
    assert!(
        App::native_titles().contains("\"HME Desk — Lone Star Home Medical\""),
        "the window title names the supplier"
    );
    assert_eq!(app.count(".first-run").await, 0, "the demo is offered only when the database is new");
    // Keyboard only: screen, search, down into the results, open.
    app.keys(&alt('2')).await;
    app.wait("#patients").await;
    app.keys("/").await;
    app.keys("quarles").await;
    app.wait_text("#patients", "Quarles, Zelda").await;
    app.keys(&char::from(Key::Down).to_string()).await;
    app.keys(&enter()).await;
    app.wait_text("#coverages", "ZQX900112233").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn a_purchase_order_is_received_with_scanned_serials_and_a_scan_finds_the_unit() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.open().await;
    app.click("#first-run-demo").await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;

    // Draft a purchase order for two CPAPs, place it, and receive them with scanned serials.
    app.click("[data-nav=purchasing]").await;
    app.wait_text("#screen-title", "Purchase orders").await;
    app.wait("#purchase-orders [data-row]").await;
    app.keys(&alt('n')).await;
    let form = "#po-form";
    app.choose(form, "vendor_id", "ResMed").await;
    app.choose(form, "ship_to_id", "Main warehouse").await;
    app.click(&format!("{form} button[type=submit]")).await;
    app.wait_text("#po-detail", "Draft").await;
    app.click("[data-action=add-line]").await;
    app.choose("#po-line-form", "item_id", "AirSense 11 CPAP (CPAP-AS11)").await;
    app.fill("#po-line-form", "quantity", "2").await;
    app.keys(&enter()).await;
    app.wait_text("#po-lines", "AirSense 11 CPAP").await;
    app.click("[data-action=place-order]").await;
    app.wait("#receipt-form").await;
    app.fill("#receipt-form", "quantity", "2").await;
    app.click("#receipt-form [name=serials]").await;
    // A keyboard-wedge scanner types each serial followed by Enter.
    app.keys(&format!("SN-E2E-0001{}SN-E2E-0001{}", enter(), enter())).await;
    app.click("[data-action=receive]").await;
    app.wait_text("#receipt-form [data-field-error=serials]", "entered twice").await;
    app.screenshot("po-receiving-duplicate-serial").await;
    app.fill("#receipt-form", "serials", &format!("SN-E2E-0001{}SN-E2E-0002{}", enter(), enter())).await;
    app.click("[data-action=receive]").await;
    app.wait_text("[data-po-status]", "Received").await;
    app.wait_text("#po-lines", "2").await;
    app.screenshot("po-received").await;

    // Scanning a serial on the Inventory screen finds the unit; opening it shows its history.
    app.click("[data-nav=inventory]").await;
    app.wait_text("#screen-title", "Inventory").await;
    app.wait("#stock").await;
    app.screenshot("inventory").await;
    app.click("[data-scan]").await;
    app.keys(&format!("sn-e2e-0002{}", enter())).await;
    app.wait_text("#scan-result", "SN-E2E-0002").await;
    app.wait_text("#scan-result", "Available at Main warehouse").await;
    app.click("#scan-result [data-asset]").await;
    app.wait_text("#screen-title", "Assets").await;
    app.wait_text("#asset-detail", "SN-E2E-0002").await;
    app.wait_text("#history", "Main warehouse").await;
    app.click("[data-action=change-status]").await;
    app.choose("#transition-form", "status", "Reserved").await;
    app.fill("#transition-form", "patient_id", "1").await;
    app.keys(&enter()).await;
    app.wait_text("#history", "Reserved").await;
    app.screenshot("asset-history").await;

    // A count correction that would take more than is on hand is refused beside the quantity.
    app.click("[data-nav=inventory]").await;
    app.wait("#stock").await;
    app.keys(&alt('n')).await;
    let form = "#movement-form";
    app.choose(form, "kind", "Adjust count").await;
    app.choose(form, "item_id", "Folding walker with wheels (WLK-2W)").await;
    app.choose(form, "location_id", "Main warehouse").await;
    app.fill(form, "reason", "cycle count").await;
    app.fill(form, "quantity", "-20").await;
    app.keys(&enter()).await;
    // 12 walkers received, one delivered by the inventory demo and one by the deliveries demo.
    app.wait_text("[data-field-error=quantity]", "only 10 each").await;
    app.screenshot("stock-adjust-refused").await;
    app.fill(form, "quantity", "-1").await;
    app.keys(&enter()).await;
    app.wait_gone(form).await;

    // A unit out on rent: where it is and with whom.
    app.click("[data-nav=inventory]").await;
    app.click("[data-scan]").await;
    app.keys(&format!("DV525-07731{}", enter())).await;
    app.wait_text("#scan-result", "On rent with").await;
    app.click("#scan-result [data-asset]").await;
    app.wait_text("#history", "On rent").await;
    app.screenshot("asset-on-rent-history").await;

    app.click("[data-nav=maintenance]").await;
    app.wait_text("#maintenance-due", "DV525-07731").await;
    app.screenshot("maintenance-due").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let units = hmedesk::assets::store::find_by_serial(db.conn(), "SN-E2E-0001").unwrap();
    assert_eq!((units.len(), units[0].status), (1, hmedesk::assets::AssetStatus::Available));
    let reserved = hmedesk::assets::store::find_by_serial(db.conn(), "SN-E2E-0002").unwrap();
    assert_eq!((reserved[0].status, reserved[0].patient_id), (hmedesk::assets::AssetStatus::Reserved, Some(1)));
    let walkers = hmedesk::inventory::items::find_by_code(db.conn(), "WLK-2W").unwrap().unwrap();
    let main = reserved[0].location_id.unwrap();
    assert_eq!(hmedesk::inventory::ledger::on_hand(db.conn(), walkers.id, main, None).unwrap(), 9);
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn an_order_is_delivered_signed_on_the_pad_and_its_ticket_printed() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.open().await;
    app.click("#first-run-demo").await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;

    app.click("[data-nav=orders]").await;
    app.wait_text("#screen-title", "Orders").await;
    app.click("[data-action=new]").await;
    let form = "#order-form";
    app.wait(form).await;
    let today = hmedesk::validation::today().to_string();
    app.fill(form, "patient_id", "20").await;
    app.fill(form, "practitioner_id", "2").await;
    app.fill(form, "signed_on", &today).await;
    app.fill(form, "hcpcs", "E0260").await;
    app.fill(form, "length_of_need_months", "13").await;
    app.click("#order-form button[type=submit]").await;
    app.wait("[data-order-view]").await;
    app.click("[data-action=ready]").await;
    app.wait_text("[data-order-view] h2", "ready to deliver").await;
    app.screenshot("order-ready").await;

    app.click("[data-nav=deliveries]").await;
    app.wait_text("#screen-title", "Deliveries").await;
    app.click("[data-action=new]").await;
    app.fill("#delivery-form", "driver", "Sam Ortiz").await;
    app.click("#delivery-form button[type=submit]").await;
    app.wait_text("[data-delivery-status]", "scheduled").await;
    app.click("[data-pick]").await;
    app.wait_text("[data-delivery-view] ul", "SN").await;

    // The patient's daughter signs on the pad with the pointer.
    let pad = app.wait("canvas.signature-pad").await;
    let mut stroke = MouseActions::new("pen".into())
        .then(PointerAction::MoveToElement { element: pad, duration: None, x: -160.0, y: 10.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
    for (dx, dy) in [(30.0, -25.0), (30.0, 35.0), (30.0, -30.0), (30.0, 25.0), (40.0, -20.0), (40.0, 15.0)] {
        stroke = stroke.then(PointerAction::MoveBy { duration: Some(Duration::from_millis(40)), x: dx, y: dy });
    }
    app.client.perform_actions(stroke.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })).await.expect("drawing");
    app.fill("[data-delivery-view]", "signer_name", "Rosa Perez").await;
    app.fill("[data-delivery-view]", "relationship", "Daughter").await;
    app.click("[data-action=confirm]").await;
    app.wait_text("[data-delivery-status]", "delivered").await;
    app.click("[data-action=ticket]").await;
    app.wait_text("[data-ticket]", "Ticket ready").await;
    app.screenshot("delivery-signed").await;
    let db_path = data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3");
    let (every, scheduled) = {
        let db = hmedesk::Db::open(&db_path).unwrap();
        let filter = hmedesk::deliveries::DeliveryFilter {
            status: Some(hmedesk::deliveries::DeliveryStatus::Scheduled),
            ..Default::default()
        };
        let every = hmedesk::deliveries::list(db.conn(), &Default::default()).unwrap().len();
        (every, hmedesk::deliveries::list(db.conn(), &filter).unwrap().len())
    };
    assert!(0 < scheduled && scheduled < every, "the demo has scheduled and other deliveries");
    app.wait_count("tr[data-delivery]", every).await;
    app.choose("#delivery-filter", "status", "Scheduled").await;
    app.wait_count("tr[data-delivery]", scheduled).await;
    app.screenshot("deliveries-scheduled").await;
    app.choose("#delivery-filter", "status", "Every status").await;
    app.fill("#delivery-filter", "patient", "no such patient").await;
    app.wait_text("main", "No delivery matches").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let signed = hmedesk::deliveries::list(
        db.conn(),
        &hmedesk::deliveries::DeliveryFilter { patient_id: Some(20), ..Default::default() },
    )
    .unwrap()
    .into_iter()
    .find(|d| d.signer_name.as_deref() == Some("Rosa Perez"))
    .expect("the signed delivery");
    assert_eq!(signed.signer_relationship.as_deref(), Some("Daughter"));
    let png: Vec<u8> =
        db.conn().query_row("SELECT signature_png FROM deliveries WHERE id = ?1", [signed.id], |r| r.get(0)).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "the pad's drawing is stored as a PNG");
    assert!(hmedesk::print::ticket::print(db.conn(), signed.id).unwrap().starts_with(b"%PDF"));
}

/// Chooses an option in a select that may sit below the panel's fold: WebKitWebDriver only
/// picks options of a select scrolled into view.
async fn choose_below(app: &App, form: &str, name: &str, label: &str) {
    scroll_to(app, &app.wait(&format!("{form} select[name={name}]")).await).await;
    app.choose(form, name, label).await;
}

/// Scrolls `element` to the middle of its scrolling panel.
async fn scroll_to(app: &App, element: &Element) {
    app.client
        .execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(element).unwrap()])
        .await
        .expect("scrolling");
}

/// Clicks a button that may sit below the panel's fold, scrolling it into view again while
/// the panel is still laying itself out (a form that takes the focus scrolls it back up).
async fn click_below(app: &App, css: &str) {
    let started = Instant::now();
    loop {
        let element = app.wait(css).await;
        scroll_to(app, &element).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        match element.click().await {
            Ok(()) => return,
            Err(e) => assert!(started.elapsed() < WAIT, "click {css}: {e}"),
        }
    }
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn a_cmn_is_added_with_a_scan_and_a_rented_bed_is_picked_up() {
    let data = tempfile::tempdir().unwrap();
    let scan_path = data.path().join("cmn-scan.png");
    std::fs::write(&scan_path, hmedesk::demo::SIGNATURE_PNG).unwrap();
    let driver = Driver::start(data.path());
    let app = driver.open().await;
    app.click("#first-run-demo").await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;
    let today = hmedesk::validation::today().to_string();

    // An order with two items: a bed and its mattress.
    app.click("[data-nav=orders]").await;
    app.wait_text("#screen-title", "Orders").await;
    app.click("[data-action=new]").await;
    let form = "#order-form";
    app.fill(form, "patient_id", "20").await;
    app.fill(form, "practitioner_id", "2").await;
    app.fill("#order-form [data-line='1']", "hcpcs", "E0260").await;
    app.fill("#order-form [data-line='1']", "length_of_need_months", "13").await;
    app.click("[data-action=add-line]").await;
    app.fill("#order-form [data-line='2']", "hcpcs", "E0277").await;
    app.fill("#order-form [data-line='2']", "length_of_need_months", "13").await;
    app.screenshot("order-two-items").await;
    app.click("#order-form button[type=submit]").await;
    app.wait_text("[data-order-view]", "E0277").await;

    // An oxygen CMN with its section B answers, then its scan.
    app.click("[data-nav=documents]").await;
    app.wait_text("#screen-title", "Documents").await;
    app.click("[data-action=new]").await;
    let form = "#document-form";
    app.fill(form, "patient_id", "20").await;
    app.choose(form, "type", "CMN (certificate of medical necessity)").await;
    app.choose(form, "form", "CMS-484 — oxygen").await;
    app.fill(form, "initial_date", &today).await;
    let next_year: i32 = today[..4].parse::<i32>().unwrap() + 1;
    app.fill(form, "recert_due", &format!("{next_year}-06-30")).await;
    app.fill(form, "answer_po2_mmhg", "54").await;
    app.fill(form, "answer_test_date", &today).await;
    choose_below(&app, form, "answer_test_setting", "Outpatient, chronic stable state").await;
    choose_below(&app, form, "answer_test_condition", "At rest").await;
    choose_below(&app, form, "answer_mobile_in_home", "Yes").await;
    app.fill(form, "answer_flow_rate_lpm", "2").await;
    app.screenshot("document-cmn-form").await;
    app.click("#document-form button[type=submit]").await;
    let attach = app.wait("#document-files [data-attach]").await;
    attach.send_keys(scan_path.to_str().unwrap()).await.expect("choosing the scan");
    app.wait_text("#document-files", "cmn-scan.png").await;
    app.click("[data-fetch-file]").await;
    app.wait("[data-open-file]").await;
    app.screenshot("document-with-scan").await;

    // The demo's rented bed (signed for by the daughter) comes back.
    app.click("[data-nav=deliveries]").await;
    app.wait_text("#screen-title", "Deliveries").await;
    app.click("tr[data-delivery='2'] button").await;
    app.wait_text("[data-delivery-view] h2", "delivered").await;
    app.fill("#return-form", "note", "Patient admitted to the hospital").await;
    app.click("[data-action=pickup]").await;
    app.wait_text("[data-delivery-view] ul", "picked up").await;
    app.screenshot("delivery-picked-up").await;

    // The demo's CPAP is swapped for the first available one; the rental goes on.
    app.click("tr[data-delivery='1'] button").await;
    let replacement = "#return-form select[name=new_serial]";
    let started = std::time::Instant::now();
    while app.count(&format!("{replacement} option")).await < 2 {
        assert!(started.elapsed() < WAIT, "no replacement CPAP offered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let chosen = app.wait(replacement).await;
    chosen.select_by_index(1).await.expect("choosing the replacement");
    let new_serial = chosen.prop("value").await.unwrap().expect("the chosen serial");
    app.fill("#return-form", "note", "Loud motor").await;
    app.click("[data-action=exchange]").await;
    app.wait_text("[data-delivery-view] ul", &new_serial).await;
    app.screenshot("delivery-exchanged").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let cmn = hmedesk::documents::search(db.conn(), "CMS-484")
        .unwrap()
        .into_iter()
        .find(|d| d.patient_id == 20)
        .expect("the CMN added in the window");
    let answers = cmn.oxygen_answers().expect("CMS-484 answers");
    assert_eq!((answers.po2_mmhg, answers.mobile_in_home), (Some(54), Some(true)));
    assert_eq!(cmn.files.len(), 1);
    let (file, content) = hmedesk::documents::file_content(db.conn(), cmn.files[0].id).unwrap();
    assert_eq!((file.file_name.as_str(), content.as_slice()), ("cmn-scan.png", hmedesk::demo::SIGNATURE_PNG));
    let bed = hmedesk::deliveries::get(db.conn(), 2).unwrap();
    let unit = bed.items[0].asset_id.expect("a serialized bed");
    assert!(bed.items[0].picked_up_on.is_some());
    assert_eq!(hmedesk::assets::store::get(db.conn(), unit).unwrap().status, hmedesk::assets::AssetStatus::Cleaning);
    let swaps: Vec<String> = db
        .conn()
        .prepare("SELECT reason FROM asset_exchanges ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(swaps.last().map(String::as_str), Some("Loud motor"), "{swaps:?}");
    let cpap = hmedesk::deliveries::get(db.conn(), 1).unwrap();
    let out = cpap.items.iter().find(|i| i.hcpcs == "E0601").and_then(|i| i.asset_id).unwrap();
    assert_eq!(hmedesk::assets::store::get(db.conn(), out).unwrap().status, hmedesk::assets::AssetStatus::OnRent);
    let order = hmedesk::orders::list(db.conn(), hmedesk::orders::OrderFilter { patient_id: Some(20), status: None })
        .unwrap()
        .into_iter()
        .find(|o| o.lines.len() == 2)
        .expect("the order with two items");
    assert_eq!(order.lines.iter().map(|l| l.hcpcs.as_str()).collect::<Vec<_>>(), ["E0260", "E0277"]);
}

/// A month from today: the demo bills its rentals through today, so a run to this date finds
/// the next month of each one due.
fn next_month() -> String {
    let today = hmedesk::validation::today();
    (0..31).fold(today, |d, _| d.succ_opt().expect("a date")).to_string()
}

/// Opens the app on a fresh demo database and goes to the screen whose sidebar entry is `nav`.
async fn demo_at(driver: &Driver, nav: &str, title: &str) -> App {
    let app = driver.open().await;
    app.click("#first-run-demo").await;
    app.wait_text("[data-supplier]", "Lone Star Home Medical").await;
    app.click(&format!("[data-nav={nav}]")).await;
    app.wait_text("#screen-title", title).await;
    app
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn rentals_are_billed_once_with_missed_cycles_and_a_schedule_is_laid_out() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = demo_at(&driver, "rentals", "Rentals").await;
    app.wait("#rentals [data-month]").await;
    app.click("#rentals [data-row]").await;
    app.wait("[data-rental-view]").await;
    app.screenshot("rentals-list").await;
    let (every, patient, theirs) = {
        let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
        let today = hmedesk::validation::today();
        let patient = hmedesk::rentals::patients(db.conn()).unwrap().pop().expect("a patient with a rental");
        let theirs = hmedesk::rentals::list(db.conn(), Some(patient.id), today).unwrap().len();
        (hmedesk::rentals::list(db.conn(), None, today).unwrap().len(), patient.name, theirs)
    };
    assert!(theirs < every, "one patient's rentals are fewer than all");
    app.choose("#rental-filter", "patient", &patient).await;
    app.wait_count("#rentals [data-row]", theirs).await;
    app.wait_text("#rentals", &patient).await;
    app.screenshot("rentals-one-patient").await;
    app.choose("#rental-filter", "patient", "Every patient").await;
    app.wait_count("#rentals [data-row]", every).await;

    app.click("[data-tab=billing]").await;
    app.fill(".run-form", "through", "not a date").await;
    app.click("[data-action=bill]").await;
    app.wait_text("[data-field-error=through]", "is not a date").await;
    app.fill(".run-form", "through", &next_month()).await;
    app.click("[data-action=bill]").await;
    let first = app.wait_text("[data-run-result]", "created through").await;
    app.wait("#billed-lines").await;
    app.wait("#missed, .empty").await;
    app.screenshot("rentals-billed").await;
    assert!(!first.starts_with("0 claim(s)"), "the demo's rentals are due: {first}");
    app.click("[data-action=bill]").await;
    app.wait_text("[data-run-result]", "0 claim(s) and 0 line(s)").await;
    app.click("[data-tab=resupply]").await;
    app.wait_text("#resupply", "A7030").await;

    app.click("[data-tab=calculator]").await;
    let form = "#calculator-form";
    app.fill(form, "hcpcs", "E0260").await;
    app.fill(form, "start", "2026-01-05").await;
    app.fill(form, "through", "2027-03-01").await;
    app.fill(form, "purchase_price", "1500.00").await;
    app.click("#calculator-form button[type=submit]").await;
    app.wait_text("#schedule", "RR KH").await;
    app.wait_text("[data-title-transfer]", "Title passes to the patient on 2027-02-05").await;
    // The form stays with what was asked: a long hospital stay without new documentation.
    app.fill(form, "interruptions", "2026-03-10:2026-06-20").await;
    app.click("#calculator-form button[type=submit]").await;
    app.wait_text("#schedule", "new order").await;
    app.screenshot("rental-calculator").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let billed: i64 = db.conn().query_row("SELECT count(*) FROM rental_billings", [], |r| r.get(0)).unwrap();
    let lines: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM claim_lines l JOIN claims c ON c.id = l.claim_id WHERE c.source = 'rental'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(billed > 0);
    assert_eq!(billed, lines, "each billed month is one claim line, created once");
}

/// Runs the billing run a month ahead on the Rentals screen, so every rental has a new month.
async fn bill_next_month(app: &App) {
    app.click("[data-tab=billing]").await;
    app.fill(".run-form", "through", &next_month()).await;
    app.click("[data-action=bill]").await;
    app.wait_text("[data-run-result]", "created through").await;
}

/// On the Claims screen's Batches tab, batches the first payer with ready claims.
async fn batch_first_payer(app: &App) {
    app.click("[data-tab=batches]").await;
    let payer = app.wait("select[name=batch-payer]").await;
    app.wait("select[name=batch-payer] option:nth-child(2)").await;
    payer.select_by_index(1).await.expect("a payer with ready claims");
    app.click("[data-action=create-batch]").await;
    app.wait_text("[data-batch-created]", "queued for the clearinghouse").await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn claims_are_scrubbed_with_their_problems_and_the_ready_ones_batched() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = demo_at(&driver, "rentals", "Rentals").await;
    bill_next_month(&app).await;

    app.click("[data-nav=claims]").await;
    app.wait_text("#screen-title", "Claims").await;
    app.click("[data-action=build]").await;
    app.wait_text("[data-built]", "purchase claim(s) built").await;
    app.click("[data-action=scrub]").await;
    app.wait_text("[data-scrubbed]", "ready").await;
    app.wait("[data-problems-for] [data-problem]").await;
    app.screenshot("claims-scrubbed").await;
    app.click("#claims [data-row]").await;
    app.wait("[data-claim-view]").await;
    app.click("[data-action=cms1500-form]").await;
    app.wait("[data-cms1500]").await;
    app.screenshot("claim-detail").await;

    batch_first_payer(&app).await;
    app.click("#batches .row-link").await;
    app.wait("[data-batch-file]").await;
    app.screenshot("claims-batch").await;
    app.close().await;

    let db = hmedesk::Db::open(&data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3")).unwrap();
    let batches = hmedesk::claims::list_batches(db.conn()).unwrap();
    assert!(!batches.is_empty());
    let file = hmedesk::claims::batch_content(db.conn(), batches[0].id).unwrap();
    assert!(file.starts_with(b"ISA*"), "the batch is an X12 interchange");
    let batched: i64 =
        db.conn().query_row("SELECT count(*) FROM claims WHERE batch_id = ?1", [batches[0].id], |r| r.get(0)).unwrap();
    assert_eq!(batched, batches[0].claim_count);
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn a_batch_goes_out_with_sync_and_its_remittance_posts_with_a_denial_to_work() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = demo_at(&driver, "rentals", "Rentals").await;
    bill_next_month(&app).await;
    app.click("[data-nav=claims]").await;
    app.click("[data-action=scrub]").await;
    app.wait_text("[data-scrubbed]", "ready").await;
    batch_first_payer(&app).await;

    app.wait_text("[data-header-sync]", "to send").await;
    app.click("[data-header-sync]").await;
    app.wait_text("#screen-title", "Clearinghouse sync").await;
    app.click("[data-action=sync-now]").await;
    app.wait_text("[data-pass]", "Online").await;
    app.wait_text("#outbox", "sent").await;
    app.screenshot("sync-sent").await;

    let db_path = data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3");
    let (ack, era) = {
        let db = hmedesk::Db::open(&db_path).unwrap();
        let batches = hmedesk::claims::list_batches(db.conn()).unwrap();
        let batch = batches.into_iter().filter(|b| b.status == "sent").max_by_key(|b| b.id).unwrap();
        let today = hmedesk::validation::today();
        let ack = hmedesk::demo::payer::batch_accepted(db.conn(), batch.id, today).unwrap();
        (ack, hmedesk::demo::payer::remittance(db.conn(), batch.id, today, "E2E-EFT-1").unwrap())
    };
    let ack_path = data.path().join("batch-accepted.999");
    std::fs::write(&ack_path, ack).unwrap();
    let era_path = data.path().join("noridian-eft.835");
    std::fs::write(&era_path, era).unwrap();

    app.click("[data-nav=remittance]").await;
    app.wait_text("#screen-title", "Remittance").await;
    app.wait("[data-import-ack]").await.send_keys(ack_path.to_str().unwrap()).await.expect("choosing the 999");
    app.wait_text("[data-ack-result]", "1 batch(es) accepted").await;
    app.wait("[data-import]").await.send_keys(era_path.to_str().unwrap()).await.expect("choosing the 835");
    app.wait_text("[data-posting-result]", "noridian-eft.835 posted").await;
    app.wait_text("#payments", "E2E-EFT-1").await;
    app.screenshot("remittance-posted").await;
    app.click("[data-tab=queue]").await;
    app.wait_text("#work-queue [data-reason]", "CO-50").await;
    app.click("#work-queue [data-action=work]").await;
    app.click("#work-queue [data-action=worked]").await;
    app.wait("[data-field-error=note]").await;
    app.fill("#work-queue", "note", "appeal sent with the CMN").await;
    app.click("#work-queue [data-action=worked]").await;
    app.screenshot("remittance-queue-worked").await;
    app.click("[data-tab=unmatched]").await;
    app.wait_text("#unmatched", "NOT-OURS-1").await;
    app.wait_text("main", "Every acknowledgment named a batch or claim of ours").await;
    app.click("[data-tab=codes]").await;
    app.wait("#reason-codes tbody tr").await;
    let deductible = {
        let db = hmedesk::Db::open(&db_path).unwrap();
        hmedesk::remit::carc::list(db.conn(), "deductible").unwrap().len()
    };
    app.fill(".filter-bar", "search", "deductible").await;
    app.wait_count("#reason-codes tbody tr", deductible).await;
    app.wait_text("#reason-codes", "Deductible").await;
    app.screenshot("remittance-codes-found").await;

    app.click("[data-nav=patients]").await;
    app.wait_text("#screen-title", "Patients").await;
    app.click("[data-row]").await;
    app.wait_text("#eligibility", "Never checked").await;
    click_below(&app, "[data-action=check-eligibility]").await;
    app.wait_text("#eligibility [data-eligibility-state]", "waiting").await;
    app.screenshot("patient-eligibility").await;
    app.close().await;

    let db = hmedesk::Db::open(&db_path).unwrap();
    let payments = hmedesk::remit::payments(db.conn()).unwrap();
    assert!(payments.iter().any(|p| p.trace_number == "E2E-EFT-1"));
    let count = |sql: &str| -> i64 { db.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let open = count("SELECT count(*) FROM work_queue WHERE resolved_at IS NULL AND reason LIKE '%CO-50%'");
    assert_eq!(open, 1, "of the demo's CO-50 denial and this batch's, one was worked in the window");
    let noted = count("SELECT count(*) FROM audit_log WHERE summary LIKE '%appeal sent with the CMN%'");
    assert_eq!(noted, 1, "the note typed in the window is in the audit log");
}

/// The demo's reversed primary payment left its secondary claim to correct: from the work
/// queue the biller drafts the replacement (typing the Medicaid claim number, none being on
/// file), sees the draft on Claims, scrubs and batches it, and the item is gone.
#[tokio::test]
#[ignore = "needs a display and tauri-driver; .ci/test runs it under xvfb-run"]
async fn a_secondary_claim_to_correct_is_replaced_from_the_work_queue_and_batched() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = demo_at(&driver, "remittance", "Remittance").await;
    let db_path = data.path().join(hmedesk::db::APP_IDENTIFIER).join("hmedesk.sqlite3");
    let (item, original) = {
        let db = hmedesk::Db::open(&db_path).unwrap();
        let queue = hmedesk::remit::work_queue(db.conn()).unwrap();
        let item = queue.into_iter().find(|w| w.kind == hmedesk::remit::WorkKind::Correction).expect("the demo's");
        let original = hmedesk::claims::get(db.conn(), item.claim_id).unwrap();
        (item, original)
    };

    // A paid claim offers the same, with the payer's claim number from its 835.
    app.click("[data-nav=claims]").await;
    app.wait_text("#screen-title", "Claims").await;
    app.wait("select[aria-label=Status]").await.select_by_value("paid").await.expect("the status filter");
    app.wait_gone("#claims [data-status]:not(.paid)").await;
    app.click("#claims [data-row]").await;
    let icn = app.wait("[data-correction] [name=payer_claim_number]").await.prop("value").await.unwrap();
    assert!(icn.is_some_and(|n| !n.is_empty()), "prefilled from CLP07");
    app.screenshot("claim-paid-correct").await;
    app.click("[data-nav=remittance]").await;
    app.click("[data-tab=queue]").await;
    app.wait_text("#work-queue", "correction").await;
    app.click("#work-queue [data-action=correct]").await;
    app.click("#work-queue [data-action=replace]").await;
    app.wait_text("[data-field-error=payer_claim_number]", "type it from the payer's remittance").await;
    app.fill("#work-queue", "payer_claim_number", "TMHP-2026-0001").await;
    assert_eq!(app.count("[data-field-error=payer_claim_number]").await, 0, "typing clears the old problem");
    app.screenshot("correction-item").await;
    app.click("#work-queue [data-action=replace]").await;

    app.wait_text("#screen-title", "Claims").await;
    app.wait_text("[data-claim-view] h2", "Draft").await;
    app.wait_text("[data-claim-view] [data-frequency]", "replacement").await;
    app.wait_text("[data-claim-view] [data-corrects]", &format!("claim #{}", original.id)).await;
    app.screenshot("correction-draft").await;
    app.click("[data-action=scrub]").await;
    app.wait_text("[data-claim-view] h2", "Ready").await;
    app.click("[data-tab=batches]").await;
    let payer = app.wait("select[name=batch-payer]").await;
    app.wait(&format!("select[name=batch-payer] option[value='{}']", original.payer_id)).await;
    payer.select_by_value(&original.payer_id.to_string()).await.expect("the secondary payer has a ready claim");
    app.click("[data-action=create-batch]").await;
    app.wait_text("[data-batch-created]", "1 claim(s)").await;

    app.click("[data-nav=remittance]").await;
    app.wait_text("#screen-title", "Remittance").await;
    app.click("[data-tab=queue]").await;
    app.wait_text("#work-queue", "CO-50").await;
    assert_eq!(app.count("#work-queue [data-action=correct]").await, 0, "the correction item was worked");
    app.screenshot("correction-worked").await;
    app.close().await;

    let db = hmedesk::Db::open(&db_path).unwrap();
    assert_eq!(hmedesk::claims::get(db.conn(), original.id).unwrap().status, hmedesk::claims::ClaimStatus::Closed);
    let resolved: Option<String> =
        db.conn().query_row("SELECT resolved_at FROM work_queue WHERE id = ?1", [item.id], |r| r.get(0)).unwrap();
    assert!(resolved.is_some());
    let batch = hmedesk::claims::list_batches(db.conn()).unwrap().remove(0);
    let file = String::from_utf8(hmedesk::claims::batch_content(db.conn(), batch.id).unwrap()).unwrap();
    assert!(file.contains("REF*F8*TMHP-2026-0001~"), "{file}");
}
