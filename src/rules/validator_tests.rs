//! Tests of validators as data: templates, the safety checks and their messages.

use super::*;
use crate::rules::load::parse_user_text;

fn lookup(value: &Value) -> Option<String> {
    match value {
        Value::Secret => Some("s3cr3t".into()),
        Value::Pair(name) if name == "user" => Some("me".into()),
        Value::Capture(name) if name == "dc" => Some("us6".into()),
        _ => None,
    }
}

fn render(text: &str) -> Result<String, MissingValue> {
    Template::parse(text).unwrap().render(&lookup)
}

#[test]
fn templates_fill_in_secrets_pairs_captures_and_helpers() {
    assert_eq!(render("Bearer {{secret}}").unwrap(), "Bearer s3cr3t");
    assert_eq!(render("{{ capture.dc }}-{{pair.user}}").unwrap(), "us6-me");
    assert_eq!(
        render("Basic {{basic(pair.user, secret)}}").unwrap(),
        "Basic bWU6czNjcjN0"
    );
    assert_eq!(render("{{base64(secret)}}").unwrap(), "czNjcjN0");
    assert_eq!(
        render("{{basic('api', secret)}}").unwrap(),
        "YXBpOnMzY3IzdA=="
    );
    assert_eq!(render("{{after(secret, 's3')}}").unwrap(), "cr3t");
    assert_eq!(
        Template::parse("{{urlencode('a b/c')}}")
            .unwrap()
            .render(&lookup)
            .unwrap(),
        "a%20b%2Fc"
    );
}

#[test]
fn a_missing_value_names_the_value_not_the_secret() {
    let error = render("{{pair.other}}").unwrap_err();
    assert_eq!(error.to_string(), "no value for `pair.other`");
    assert!(render("{{after(secret, 'zz')}}").is_err());
}

#[test]
fn template_syntax_errors_are_reported() {
    assert!(Template::parse("{{secret").is_err());
    assert!(Template::parse("secret}}").is_err());
    assert!(Template::parse("{{sekret}}").is_err());
    assert!(Template::parse("{{base64(secret, secret)}}").is_err());
    assert!(Template::parse("{{sha1(secret)}}").is_err());
}

fn error_for(validate: &str) -> String {
    let text = format!(
        "[[rules]]\nid = \"acme-token\"\nregex = '''acme_(?P<body>[a-z0-9]{{32}})'''\nkeywords = [\"acme_\"]\n[rules.validate]\n{validate}\n"
    );
    match parse_user_text(&text) {
        Ok(_) => "loaded".to_string(),
        Err(error) => error.to_string(),
    }
}

const VALID: &str = "valid = { status = [200] }";

#[test]
fn a_good_validator_loads() {
    let text = format!(
        "url = \"https://api.acme.example/v1/me?key={{{{urlencode(capture.body)}}}}\"\nheaders = {{ Authorization = \"Bearer {{{{secret}}}}\" }}\n{VALID}\ninvalid = {{ status = [401] }}\nidentity = \"/login\""
    );
    assert_eq!(error_for(&text), "loaded");
}

#[test]
fn validator_errors_name_file_rule_and_hint() {
    let cases = [
        (
            "template_error",
            format!("url = \"https://api.acme.example/{{{{secret}}\"\n{VALID}"),
        ),
        (
            "unknown_field",
            format!("url = \"https://api.acme.example/\"\nheader = {{ A = \"b\" }}\n{VALID}"),
        ),
        (
            "not_https",
            format!("url = \"http://api.acme.example/{{{{secret}}}}\"\n{VALID}"),
        ),
        (
            "templated_host",
            format!("url = \"https://{{{{capture.body}}}}.acme.example/\"\n{VALID}"),
        ),
        (
            "unknown_capture",
            format!("url = \"https://api.acme.example/{{{{capture.nope}}}}\"\n{VALID}"),
        ),
        (
            "undeclared_pair",
            format!("url = \"https://api.acme.example/{{{{pair.id}}}}\"\n{VALID}"),
        ),
        (
            "no_valid_condition",
            "url = \"https://api.acme.example/\"".to_string(),
        ),
        (
            "state_changing_method",
            format!("url = \"https://api.acme.example/\"\nmethod = \"DELETE\"\n{VALID}"),
        ),
    ];
    for (name, validate) in cases {
        insta::assert_snapshot!(format!("validator_error_{name}"), error_for(&validate));
    }
}

#[test]
fn hosts_are_fixed_and_lower_cased() {
    assert_eq!(
        fixed_host("https://API.example.com/x").unwrap(),
        "api.example.com"
    );
    assert_eq!(
        fixed_host("https://api.example.com:8443/").unwrap(),
        "api.example.com:8443"
    );
    assert!(fixed_host("https://api.example.com").is_err());
    assert!(fixed_host("https://user@api.example.com/").is_err());
    assert!(fixed_host("http://api.example.com/").is_err());
}
