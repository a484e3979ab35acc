//! Which variable names say they hold a credential (`DB_PASSWORD`, `apiKey`,
//! `AWS_SECRET_ACCESS_KEY`) and which only describe one (`TOKEN_EXPIRY_SECONDS`,
//! `SECRET_NAME`, `ParameterKey`): the name half of [`super::judge`].

/// Whether a variable name says it holds a credential: `DB_PASSWORD`, `apiKey`,
/// `AWS_SECRET_ACCESS_KEY`, `BASIC_AUTH`, `GITHUB_TOKEN`; not `PORT`, `PUBLIC_KEY`,
/// `TOKEN_EXPIRY_SECONDS`, `SECRET_NAME`, `AWS_ACCESS_KEY_ID`.
pub fn is_credential_name(name: &str) -> bool {
    let mut words = words(name);
    // Trailing encodings and numbers describe the form of the secret, not another thing.
    while words.len() > 1
        && words.last().is_some_and(|last| {
            FORM_WORDS.contains(&last.as_str()) || last.bytes().all(|b| b.is_ascii_digit())
        })
    {
        words.pop();
    }
    let Some(last) = words.last() else {
        return false;
    };
    if DESCRIPTOR_WORDS.contains(&last.as_str()) {
        return false;
    }
    let last_index = words.len() - 1;
    words.iter().enumerate().any(|(index, word)| {
        let word = word.as_str();
        if word.contains("password")
            || word.contains("passwd")
            || word.contains("passphrase")
            || word.contains("passcode")
            || word.contains("secret")
            || word.contains("token")
            || word.contains("credential")
            || matches!(word, "creds" | "apikey" | "privatekey")
            // `SMTP_PASS`, but not `PASS_THROUGH`.
            || matches!(word, "pass" | "pwd" | "pw") && index == last_index
        {
            return true;
        }
        if index != last_index {
            return false;
        }
        // `auth` and `key` only name a credential at the end: BASIC_AUTH, STRIPE_KEY, but
        // not AUTH_DOMAIN or KEY_VAULT_NAME.
        if word == "auth" {
            return true;
        }
        let previous = index
            .checked_sub(1)
            .map_or("", |previous| words[previous].as_str());
        // `tag1Key` names a key like `tagKey` does (and `S3Key` is `s3`'s).
        let public_key = PUBLIC_KEY_WORDS.contains(&previous)
            || PUBLIC_KEY_WORDS.contains(&previous.trim_end_matches(|c: char| c.is_ascii_digit()));
        (word == "key" && !words.is_empty() && index > 0 && !public_key)
            || KEY_COMPOUNDS
                .iter()
                .any(|compound| word.ends_with(compound))
    })
}

/// Last words that describe something about a credential rather than hold it.
const DESCRIPTOR_WORDS: &[&str] = &[
    "expiry",
    "expires",
    "expire",
    "expiration",
    "exp",
    "ttl",
    "timeout",
    "seconds",
    "secs",
    "sec",
    "minutes",
    "mins",
    "hours",
    "days",
    "ms",
    "interval",
    "lifetime",
    "duration",
    "age",
    "length",
    "len",
    "size",
    "min",
    "max",
    "count",
    "limit",
    "url",
    "uri",
    "urls",
    "endpoint",
    "host",
    "hostname",
    "port",
    "path",
    "paths",
    "file",
    "filename",
    "files",
    "dir",
    "directory",
    "location",
    "name",
    "names",
    "id",
    "ids",
    "type",
    "kind",
    "header",
    "field",
    "param",
    "parameter",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "policy",
    "rotation",
    "version",
    "algorithm",
    "alg",
    "format",
    "prefix",
    "suffix",
    "mode",
    "provider",
    "issuer",
    "audience",
    "scope",
    "scopes",
    "region",
    "arn",
    "ref",
    "mount",
    "store",
    "backend",
    "method",
    "strategy",
    "regex",
    "pattern",
    "label",
    "hint",
    "prompt",
    "user",
    "username",
    "login",
    "email",
    "account",
    "domain",
    "realm",
    "env",
    "var",
    "variable",
    "source",
    "secrets",
    "manager",
    "vault",
    "reset",
    "salt",
    "rounds",
    "cost",
    "iterations",
    "template",
    "owner",
    "group",
    "mask",
    "flag",
    "special",
    "chars",
    "characters",
    "charset",
    "expression",
    "schedule",
    "unit",
    "units",
];

/// Trailing words that say how a secret is encoded.
const FORM_WORDS: &[&str] = &[
    "b64",
    "base64",
    "hex",
    "pem",
    "value",
    "data",
    "raw",
    "str",
    "string",
    "plain",
    "plaintext",
    "encoded",
    "literal",
];

/// Words before `KEY` that make it public or not a credential at all.
const PUBLIC_KEY_WORDS: &[&str] = &[
    "public",
    "publishable",
    "site",
    "primary",
    "foreign",
    "sort",
    "partition",
    "hash",
    "range",
    "cache",
    "idempotency",
    "routing",
    "lookup",
    "object",
    "s3",
    "bucket",
    "map",
    "registry",
    "index",
    "dedup",
    "deduplication",
    "group",
    "message",
    "i18n",
    "translation",
    "row",
    "composite",
    "unique",
    "sequence",
    "keyboard",
    "hot",
    "shortcut",
    // Names of keys, not key material: TAG_KEY, ParameterKey, SSMKey, KMS_KEY (an id).
    "tag",
    "tags",
    "parameter",
    "param",
    "ssm",
    "kms",
    "attribute",
    "attr",
    "metadata",
    "property",
    "column",
    "field",
    "header",
    "label",
    "dimension",
    // API routes (RouteKey), request paths, S3 objects, public PGP keys.
    "route",
    "path",
    "string",
    "body",
    "image",
    "artifact",
    "archive",
    "zip",
    "template",
    "pgp",
    "gpg",
];

/// One-word spellings of secret keys (`APIKEY`, `SECRETKEY`, `apiKey` splits already).
const KEY_COMPOUNDS: &[&str] = &[
    "apikey",
    "secretkey",
    "privatekey",
    "accesskey",
    "signingkey",
    "masterkey",
    "encryptionkey",
    "authkey",
    "appkey",
    "sshkey",
    "hmackey",
    "licensekey",
];

/// Splits an identifier into lower-case words at separators and camelCase boundaries:
/// `dbPassword` -> [db, password], `APIKey` -> [api, key], `AWS_SECRET` -> [aws, secret].
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|previous| chars[previous]);
        let next = chars.get(index + 1);
        let boundary = c.is_uppercase()
            && previous.is_some_and(|previous| {
                previous.is_lowercase()
                    || previous.is_ascii_digit()
                    || previous.is_uppercase() && next.is_some_and(|next| next.is_lowercase())
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names_are_recognised_in_every_spelling() {
        for name in [
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "dbPassword",
            "AWS_SECRET_ACCESS_KEY",
            "STRIPE_SECRET_KEY",
            "API_KEY",
            "apiKey",
            "APIKEY",
            "GITHUB_TOKEN",
            "accessToken",
            "JWT_SECRET",
            "SECRET_KEY_BASE",
            "CLIENT_SECRET",
            "SMTP_PASS",
            "MYSQL_PWD",
            "BASIC_AUTH",
            "PRIVATE_KEY",
            "ENCRYPTION_KEY",
            "SENDGRID_API_KEY",
            "REDIS_PASSWORD_1",
            "SIGNING_KEY_B64",
            "GOOGLE_CREDENTIALS",
            "db.password",
            "MAPBOX_KEY",
            "AZURE_STORAGE_KEY",
            "STORAGE_ACCOUNT_KEY",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn descriptive_and_public_names_are_not_credentials() {
        for name in [
            "PORT",
            "LOG_LEVEL",
            "NODE_ENV",
            "PUBLIC_KEY_URL",
            "PUBLIC_KEY",
            "TOKEN_EXPIRY_SECONDS",
            "SECRET_NAME",
            "SECRET_ARN",
            "AWS_ACCESS_KEY_ID",
            "PASSWORD_MIN_LENGTH",
            "DB_PASSWORD_FILE",
            "AUTH_DOMAIN",
            "KEY_VAULT_NAME",
            "STRIPE_PUBLISHABLE_KEY",
            "BYPASS_CACHE",
            "COMPASS_URL",
            "DATABASE_URL",
            "KEY",
            "AUTH_ENABLED",
            "RECAPTCHA_SITE_KEY",
            "ParameterKey",
            "Ec2VolumeTagKey",
            "tag1Key",
            "LambdaCodeS3Key",
            "RouteKey",
            "route_key",
            "GenerateStringKey",
            "CustomResponseBodyKey",
            "TracingParamPassThrough",
            "pgp_key",
            "SSMKey",
            "random_password_override_special",
            "master_user_password_rotation_schedule_expression",
        ] {
            assert!(!is_credential_name(name), "{name}");
        }
    }
}
