use std::time::Duration;

const ADMIN_USER: &str = "admin";
const ADMIN_PASSWORD: &str = "Harbor2021?";

fn main() {
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let _ = client.get("https://nas01.local/api/status").basic_auth(ADMIN_USER, Some(ADMIN_PASSWORD)).send();
}
