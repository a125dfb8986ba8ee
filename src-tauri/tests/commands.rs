//! The commands without a window: Tauri's mock runtime with the app's real configuration and
//! capabilities, each command invoked the way the UI invokes it, answers checked as JSON.

use hmedesk::Actor;
use hmedesk_app::{register, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The app over a database file in `dir`, and its main window.
fn app(dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::open(&dir.join("desk.sqlite3"), Actor::new("tester"));
    let app = register(mock_builder()).manage(state).build(hmedesk_app::context()).expect("app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    (app, window)
}

/// Invokes `cmd` with `args` from `window`, as `invoke(cmd, args)` in the UI does.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

fn alice(npi: &str) -> Value {
    json!({ "npi": npi, "first_name": "Alice", "last_name": "Nguyen", "pecos_enrolled": "yes" })
}

#[test]
fn first_start_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let status = invoke(&window, "app_status", json!({})).unwrap();
    assert_eq!(status["first_run"], true);
    assert_eq!(status["database_error"], Value::Null);
    drop(window);
    let (_app, window) = app(dir.path());
    assert_eq!(invoke(&window, "app_status", json!({})).unwrap()["first_run"], false);
}

#[test]
fn bad_npi_comes_back_as_field_problems_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let error = invoke(&window, "practitioner_add", json!({ "input": alice("1234567890") })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    assert_eq!(error["problems"][0]["field"], "npi");
    assert!(error["problems"][0]["message"].as_str().unwrap().contains("check digit should be 3"));
    assert_eq!(invoke(&window, "practitioners_list", json!({ "search": "" })).unwrap(), json!([]));
}

#[test]
fn practitioners_round_trip_through_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let saved = invoke(&window, "practitioner_add", json!({ "input": alice("1234567893") })).unwrap();
    let id = saved["id"].as_i64().unwrap();
    let mut form = invoke(&window, "practitioner_form", json!({ "id": id })).unwrap();
    assert_eq!(form["npi"], "1234567893");
    form["credentials"] = json!("NP");
    invoke(&window, "practitioner_update", json!({ "id": id, "input": form })).unwrap();
    let found = invoke(&window, "practitioners_list", json!({ "search": "nguy" })).unwrap();
    assert_eq!(found[0]["credentials"], "NP");
}

#[test]
fn missing_record_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let error = invoke(&window, "practitioner_update", json!({ "id": 99, "input": alice("1234567893") })).unwrap_err();
    assert_eq!(error["kind"], "not_found");
    assert!(error["message"].as_str().unwrap().contains("99"));
}

#[test]
fn windows_outside_the_capability_may_not_invoke() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _main) = app(dir.path());
    let other = WebviewWindowBuilder::new(&app, "other", Default::default()).build().unwrap();
    let refused = invoke(&other, "practitioners_list", json!({ "search": "" })).unwrap_err();
    assert!(refused.as_str().is_some_and(|m| m.contains("not allowed")), "{refused}");
}

#[test]
fn unreadable_database_is_reported_to_every_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("desk.sqlite3"), "this is not a database, it is a note").unwrap();
    let (_app, window) = app(dir.path());
    let status = invoke(&window, "app_status", json!({})).unwrap();
    assert!(status["database_error"].as_str().unwrap().contains("desk.sqlite3"));
    let error = invoke(&window, "practitioners_list", json!({ "search": "" })).unwrap_err();
    assert_eq!(error["kind"], "other");
}

#[test]
fn demo_data_names_the_supplier_and_fills_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    assert_eq!(invoke(&window, "app_status", json!({})).unwrap()["supplier_name"], Value::Null);
    let summary = invoke(&window, "demo_load", json!({})).unwrap();
    assert!(!summary["loaded"].as_array().unwrap().is_empty());
    assert_eq!(invoke(&window, "app_status", json!({})).unwrap()["supplier_name"], "Lone Star Home Medical");
    let dashboard = invoke(&window, "dashboard", json!({})).unwrap();
    assert!(dashboard["patients"].as_i64().unwrap() > 0);
    for (cmd, args) in [
        ("patients_search", json!({ "query": "" })),
        ("practitioners_list", json!({ "search": "" })),
        ("payers_list", json!({ "search": "" })),
        ("catalog_list", json!({ "search": "" })),
        ("rentals_patients", json!({})),
        ("deliveries_list", json!({ "filter": {} })),
        ("deliveries_schedulable_orders", json!({})),
        ("carc_list", json!({ "search": "deductible" })),
    ] {
        let rows = invoke(&window, cmd, args).unwrap();
        assert!(!rows.as_array().unwrap().is_empty(), "{cmd} is empty after the demo");
    }
    let again = invoke(&window, "demo_load", json!({})).unwrap();
    assert_eq!(again["loaded"], json!([]));
}

#[test]
fn patient_with_coverage_is_found_by_member_id() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let payer = invoke(
        &window,
        "payer_add",
        json!({ "input": { "name": "Aetna", "kind": "commercial", "payer_id": "60054" } }),
    )
    .unwrap();
    let patient = invoke(
        &window,
        "patient_add",
        json!({ "input": { "first_name": "Zelda", "last_name": "Quarles", "dob": "1951-04-12", "sex": "F", "diagnoses": "G47.33" } }),
    )
    .unwrap();
    assert_eq!(patient["diagnoses"], json!(["G47.33"]));
    let coverage = json!({
        "patient_id": patient["id"].to_string(),
        "payer_id": payer["id"].to_string(),
        "member_id": "ZQX900112233",
        "effective": "2025-01-01",
    });
    invoke(&window, "coverage_add", json!({ "input": coverage })).unwrap();
    let found = invoke(&window, "patients_search", json!({ "query": "ZQX9001" })).unwrap();
    assert_eq!(found[0]["last_name"], "Quarles");
    let listed = invoke(&window, "coverages_list", json!({ "patient_id": patient["id"] })).unwrap();
    assert_eq!(listed[0]["payer_name"], "Aetna");
}

#[test]
fn every_form_reports_field_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    for (cmd, field) in [
        ("patient_add", "last_name"),
        ("coverage_add", "member_id"),
        ("payer_add", "name"),
        ("fee_add", "hcpcs"),
        ("catalog_add", "hcpcs"),
        ("supplier_save", "legal_name"),
    ] {
        let error = invoke(&window, cmd, json!({ "input": {} })).unwrap_err();
        assert_eq!(error["kind"], "invalid", "{cmd}");
        let fields: Vec<&str> =
            error["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{cmd}: {fields:?}");
    }
}

#[test]
fn a_drafted_reorder_is_placed_and_received_and_a_scan_finds_a_unit_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    invoke(&window, "demo_load", json!({})).unwrap();
    let drafts = invoke(&window, "purchase_orders_list", json!({ "status": "draft" })).unwrap();
    let po = &drafts[0];
    let id = po["id"].as_i64().unwrap();
    assert_eq!(invoke(&window, "purchase_order_place", json!({ "id": id })).unwrap()["status"], "ordered");

    let line =
        |quantity: &str| json!({ "lines": [{ "line_id": po["lines"][0]["id"].to_string(), "quantity": quantity }] });
    let refused = invoke(&window, "purchase_order_receive", json!({ "id": id, "input": line("999") })).unwrap_err();
    assert_eq!(refused["kind"], "invalid");
    assert_eq!(refused["problems"][0]["field"], "lines[0].quantity");
    let outstanding = po["lines"][0]["quantity"].to_string();
    let received = invoke(&window, "purchase_order_receive", json!({ "id": id, "input": line(&outstanding) })).unwrap();
    assert_eq!(received["status"], "received");

    let found = invoke(&window, "scan_lookup", json!({ "code": " dv525-07731 " })).unwrap();
    let unit = &found["assets"][0];
    assert_eq!((unit["serial"].as_str(), unit["status"].as_str()), (Some("DV525-07731"), Some("on_rent")));
    let detail = invoke(&window, "asset_detail", json!({ "id": unit["id"] })).unwrap();
    assert_eq!(detail["next"], json!(["sold", "returned", "lost"]));
    assert!(detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["to_status"] == "on_rent" && !e["patient"].is_null()));
    let illegal = invoke(&window, "asset_transition", json!({ "id": unit["id"], "input": { "status": "available" } }))
        .unwrap_err();
    assert_eq!(illegal["kind"], "other");
    assert!(illegal["message"].as_str().unwrap().contains("cannot become available"));
    let returned = invoke(&window, "asset_transition", json!({ "id": unit["id"], "input": { "status": "returned" } }))
        .unwrap_err();
    assert_eq!(returned["problems"][0]["field"], "location_id");
}

#[test]
fn a_document_is_added_with_a_scan_read_back_and_a_rented_unit_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    invoke(&window, "demo_load", json!({})).unwrap();
    let today = hmedesk::validation::today().to_string();
    let answers = json!({ "po2_mmhg": "54", "test_date": today, "test_setting": "outpatient_chronic_stable",
        "test_condition": "at_rest", "flow_rate_lpm": "2", "mobile_in_home": "" })
    .to_string();
    let input =
        json!({ "patient_id": "20", "type": "cmn", "form": "CMS-484", "initial_date": today, "answers": answers });
    let cmn = invoke(&window, "document_add", json!({ "input": input })).unwrap();
    assert_eq!(cmn["answers"]["po2_mmhg"], 54, "answers typed as text are stored typed");
    let id = cmn["id"].as_i64().unwrap();
    let scan = b"%PDF-1.4 scanned CMN".to_vec();
    let file =
        invoke(&window, "document_attach", json!({ "id": id, "file_name": "cmn.pdf", "content": scan })).unwrap();
    assert_eq!(file["sha256"].as_str().map(str::len), Some(64));
    let back = invoke(&window, "document_file", json!({ "file_id": file["id"] })).unwrap();
    assert_eq!(back, json!(scan));
    let refused =
        invoke(&window, "document_attach", json!({ "id": id, "file_name": "notes.docx", "content": [1] })).unwrap_err();
    assert_eq!(refused["problems"][0]["field"], "file");
    let found = invoke(&window, "documents_list", json!({ "search": "CMS-484" })).unwrap();
    assert!(found.as_array().unwrap().iter().any(|d| d["id"] == id && d["files"].as_array().unwrap().len() == 1));

    let deliveries = invoke(&window, "deliveries_list", json!({ "filter": { "status": "delivered" } })).unwrap();
    let deliveries = deliveries.as_array().unwrap();
    assert!(deliveries.iter().all(|d| d["status"] == "delivered"), "the core filtered the list");
    let serial = deliveries
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap().iter())
        .find(|i| i["serial"].is_string() && i["picked_up_on"].is_null() && i["acquisition"] == "rental")
        .map(|i| i["serial"].clone())
        .expect("a rented unit with a patient");
    let input = json!({ "serial": serial, "location_id": "1", "note": "end of need" });
    let after = invoke(&window, "delivery_pickup", json!({ "input": input })).unwrap();
    let item = after["items"].as_array().unwrap().iter().find(|i| i["serial"] == serial).unwrap();
    assert_eq!(item["picked_up_on"], json!(today));
    let unit = invoke(&window, "scan_lookup", json!({ "code": serial })).unwrap();
    assert_eq!(unit["assets"][0]["status"], "cleaning");
}

#[test]
fn the_demos_secondary_claim_to_correct_is_replaced_with_the_number_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    invoke(&window, "demo_load", json!({})).unwrap();
    let queue = invoke(&window, "remit_work_queue", json!({})).unwrap();
    let item = queue.as_array().unwrap().iter().find(|w| w["kind"] == "correction").expect("the demo's correction");
    let id = item["claim_id"].as_i64().unwrap();
    let detail = invoke(&window, "claim_detail", json!({ "id": id })).unwrap();
    assert_eq!((&detail["correctable"], &detail["payer_claim_number_on_file"]), (&json!(true), &Value::Null));

    let unnamed = json!({ "id": id, "kind": "replacement", "payer_claim_number": null });
    let refused = invoke(&window, "claim_correct", unnamed).unwrap_err();
    assert_eq!((&refused["kind"], &refused["problems"][0]["field"]), (&json!("invalid"), &json!("payer_claim_number")));
    let named = json!({ "id": id, "kind": "replacement", "payer_claim_number": "TMHP-1" });
    let draft = invoke(&window, "claim_correct", named).unwrap();
    assert_eq!((&draft["status"], &draft["frequency"]), (&json!("draft"), &json!("replacement")));
    assert_eq!((&draft["corrects_claim_id"], &draft["payer_claim_number"]), (&json!(id), &json!("TMHP-1")));
    let void = json!({ "id": id, "kind": "void", "payer_claim_number": "TMHP-1" });
    let again = invoke(&window, "claim_correct", void).unwrap_err();
    assert_eq!(again["kind"], "other");
    assert!(again["message"].as_str().unwrap().contains("already has a correction under way"), "{again}");
}
