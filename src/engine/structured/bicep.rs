//! Bicep files: each `resource <name> '<type>@<version>' = {...}` declaration (also
//! `= if (...) {...}`, `= [for ...: {...}]`, and declarations nested in another resource's
//! body) as a mapping in the shape of an ARM template resource: `type` (without the API
//! version) and `name` first, then the body's entries. Bodies are read by
//! [`super::flow`] in its Bicep mode; a body that does not parse is left out.

use super::flow::{Syntax, parse_value_end};
use super::tree::{Node, Scalar};

pub fn is_bicep_path(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".bicep")
}

/// The resources declared in a Bicep file, in order.
pub fn resources(data: &[u8]) -> Vec<Node> {
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(data, b"resource") {
        let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |n| n + 1);
        let starts_line = data[line_start..at]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'));
        if starts_line && let Some(resource) = declaration(data, at + b"resource".len()) {
            found.push(resource);
        }
    }
    found
}

/// The declaration whose `resource` keyword ends at `pos`.
fn declaration(data: &[u8], pos: usize) -> Option<Node> {
    let mut pos = skip_spaces(data, pos);
    if pos == skip_identifier(data, pos) || !data[..pos].ends_with(b" ") {
        return None;
    }
    let symbol = pos..skip_identifier(data, pos);
    pos = skip_spaces(data, symbol.end);
    let (Node::Scalar(kind), after_type) = parse_value_end(data, pos, data.len(), Syntax::Bicep)?
    else {
        return None;
    };
    pos = skip_spaces(data, after_type);
    if data[pos..].starts_with(b"existing") {
        return None;
    }
    if data.get(pos) != Some(&b'=') {
        return None;
    }
    pos = skip_spaces(data, pos + 1);
    if data[pos..].starts_with(b"if") {
        pos = skip_spaces(data, pos + 2);
        pos = skip_spaces(data, skip_balanced(data, pos)?);
    } else if data.get(pos) == Some(&b'[') {
        // `[for item in items: {...}]`: the body after the loop's colon.
        let colon = memchr::memchr(b':', &data[pos..])? + pos;
        pos = skip_spaces(data, colon + 1);
    }
    if data.get(pos) != Some(&b'{') {
        return None;
    }
    let (Node::Map(body), _) = parse_value_end(data, pos, data.len(), Syntax::Bicep)? else {
        return None;
    };
    let type_name = Scalar {
        text: kind.text.split('@').next().unwrap_or_default().to_string(),
        raw: kind.raw,
        exact: false,
    };
    let mut entries = vec![
        (key("type", symbol.clone()), Node::Scalar(type_name)),
        (
            key("symbol", symbol.clone()),
            Node::Scalar(Scalar {
                text: String::from_utf8_lossy(&data[symbol.clone()]).into_owned(),
                raw: symbol,
                exact: true,
            }),
        ),
    ];
    entries.extend(body);
    Some(Node::Map(entries))
}

/// A key that is not written in the file (it points at the symbol).
fn key(name: &str, raw: std::ops::Range<usize>) -> Node {
    Node::Scalar(Scalar {
        text: name.to_string(),
        raw,
        exact: false,
    })
}

fn skip_spaces(data: &[u8], mut pos: usize) -> usize {
    while matches!(data.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

fn skip_identifier(data: &[u8], mut pos: usize) -> usize {
    while data
        .get(pos)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        pos += 1;
    }
    pos
}

/// The position after the `)` that closes the `(` at `pos`.
fn skip_balanced(data: &[u8], pos: usize) -> Option<usize> {
    if data.get(pos) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    for (index, byte) in data[pos..].iter().enumerate() {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(pos + index + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_become_arm_shaped_resources() {
        let text = r#"param location string = resourceGroup().location
@secure()
param dbPassword string

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'api-${uniqueString(resourceGroup().id)}'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'DB_PASSWORD'
          value: 'lit\'eral'
        }
        {
          name: 'OTHER'
          value: dbPassword
        }
      ]
    }
  }
  resource config 'config' = {
    name: 'appsettings'
  }
}

resource existingVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}

resource maybe 'Microsoft.App/containerApps@2023-05-01' = if (deploy) {
  name: 'app'
}
"#;
        let found = resources(text.as_bytes());
        let types: Vec<_> = found
            .iter()
            .map(|resource| resource.get("type").unwrap().text().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "Microsoft.Web/sites",
                "config",
                "Microsoft.App/containerApps"
            ]
        );
        let settings = found[0]
            .get("properties")
            .unwrap()
            .get("siteConfig")
            .unwrap()
            .get("appSettings")
            .unwrap();
        let value = settings.items()[0].get("value").unwrap().scalar().unwrap();
        assert_eq!(value.text, "lit'eral");
        assert_eq!(&text[value.raw.clone()], "lit\\'eral");
        assert!(matches!(
            settings.items()[1].get("value"),
            Some(Node::Expr(_))
        ));
    }
}
