//! The template language of validators: `{{secret}}`, `{{capture.NAME}}`, `{{pair.NAME}}`,
//! literals in single quotes, and the helpers `base64(..)`, `basic(user, password)`,
//! `urlencode(..)` and `after(.., 'text')`. Parsed once when rules load, filled in per check.
//!
//! Knows nothing about HTTP or findings: `render` asks a lookup for each value.

use std::fmt;

use base64::Engine as _;

/// A string with `{{ ... }}` expressions, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Value(Value),
    Call(Function, Vec<Value>),
}

/// What an expression reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Secret,
    Capture(String),
    Pair(String),
    Literal(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    Base64,
    Basic,
    UrlEncode,
    After,
}

impl Function {
    const ALL: &[(&str, Function, usize)] = &[
        ("base64", Function::Base64, 1),
        ("basic", Function::Basic, 2),
        ("urlencode", Function::UrlEncode, 1),
        ("after", Function::After, 2),
    ];
}

/// A template that could not be filled in: a value the finding does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingValue(pub String);

impl fmt::Display for MissingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no value for `{}`", self.0)
    }
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after_open = &rest[open + 2..];
            let close = after_open.find("}}").ok_or_else(|| {
                format!(
                    "`{{{{` at offset {} is never closed",
                    text.len() - rest.len() + open
                )
            })?;
            parts.push(parse_expression(after_open[..close].trim())?);
            rest = &after_open[close + 2..];
        }
        if rest.contains("}}") {
            return Err("`}}` without an opening `{{`".to_string());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// Every value the template reads.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.parts.iter().flat_map(|part| match part {
            Part::Text(_) => &[][..],
            Part::Value(value) => std::slice::from_ref(value),
            Part::Call(_, args) => args.as_slice(),
        })
    }

    /// The text before the first expression (for a URL: the scheme, the fixed host and
    /// the start of the path).
    pub fn fixed_prefix(&self) -> &str {
        match self.parts.first() {
            Some(Part::Text(text)) => text,
            _ => "",
        }
    }

    /// Fills the template in; `lookup` answers `secret`, captures and pairs.
    pub fn render(
        &self,
        lookup: &dyn Fn(&Value) -> Option<String>,
    ) -> Result<String, MissingValue> {
        let get = |value: &Value| -> Result<String, MissingValue> {
            match value {
                Value::Literal(text) => Ok(text.clone()),
                other => lookup(other).ok_or_else(|| MissingValue(value_name(other))),
            }
        };
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Value(value) => out.push_str(&get(value)?),
                Part::Call(function, args) => {
                    let args: Vec<String> = args.iter().map(get).collect::<Result<_, _>>()?;
                    out.push_str(
                        &call(*function, &args)
                            .ok_or_else(|| MissingValue(format!("after(.., '{}')", args[1])))?,
                    );
                }
            }
        }
        Ok(out)
    }
}

fn value_name(value: &Value) -> String {
    match value {
        Value::Secret => "secret".into(),
        Value::Capture(name) => format!("capture.{name}"),
        Value::Pair(name) => format!("pair.{name}"),
        Value::Literal(text) => format!("'{text}'"),
    }
}

fn call(function: Function, args: &[String]) -> Option<String> {
    let base64 = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    Some(match function {
        Function::Base64 => base64(&args[0]),
        Function::Basic => base64(&format!("{}:{}", args[0], args[1])),
        Function::UrlEncode => url_encode(&args[0]),
        Function::After => {
            let (_, after) = args[0].split_once(args[1].as_str())?;
            after.to_string()
        }
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn parse_expression(expression: &str) -> Result<Part, String> {
    if let Some((name, args)) = expression.split_once('(') {
        let name = name.trim();
        let args = args
            .trim_end()
            .strip_suffix(')')
            .ok_or_else(|| format!("`{{{{{expression}}}}}`: a call ends with `)`"))?;
        let Some((_, function, arity)) = Function::ALL.iter().find(|(known, ..)| *known == name)
        else {
            let known: Vec<&str> = Function::ALL.iter().map(|(name, ..)| *name).collect();
            return Err(format!(
                "unknown function `{name}` (known: {})",
                known.join(", ")
            ));
        };
        let args: Vec<Value> = split_args(args)
            .into_iter()
            .map(parse_value)
            .collect::<Result<_, _>>()?;
        if args.len() != *arity {
            return Err(format!(
                "`{name}` takes {arity} argument(s), not {}",
                args.len()
            ));
        }
        return Ok(Part::Call(*function, args));
    }
    parse_value(expression).map(Part::Value)
}

/// Splits on commas outside quotes.
fn split_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (index, character) in args.char_indices() {
        match character {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                out.push(args[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    let last = args[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out
}

fn parse_value(text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text == "secret" {
        return Ok(Value::Secret);
    }
    if let Some(literal) = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return Ok(Value::Literal(literal.to_string()));
    }
    let name_ok = |name: &str| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(name) = text.strip_prefix("capture.").filter(|name| name_ok(name)) {
        return Ok(Value::Capture(name.to_string()));
    }
    if let Some(name) = text.strip_prefix("pair.").filter(|name| name_ok(name)) {
        return Ok(Value::Pair(name.to_string()));
    }
    Err(format!(
        "unknown value `{text}` (use secret, capture.NAME, pair.NAME or 'text')"
    ))
}
