//! Rotation checklists: what to do, per family of secret, before (and whatever happens
//! with) the history rewrite. Data only; [`family_for`] picks the entry for a finding.
//!
//! A finding belongs to the first family whose rule-id prefixes or tags match it, so the
//! table lists specific families before broad ones; [`GENERIC`] is the fallback and adds
//! the rule's own remediation text.

/// One family of secrets and its checklist.
#[derive(Debug)]
pub struct Family {
    pub id: &'static str,
    pub title: &'static str,
    rule_prefixes: &'static [&'static str],
    tags: &'static [&'static str],
    pub steps: &'static [&'static str],
}

const SECRETS_MANAGER_STEP: &str = "If the value is kept in AWS Secrets Manager, rotate it there too: `aws secretsmanager rotate-secret --secret-id NAME --rotate-immediately`";

pub const FAMILIES: &[Family] = &[
    Family {
        id: "aws",
        title: "AWS credentials",
        rule_prefixes: &["aws-"],
        tags: &["aws"],
        steps: &[
            "Create a new access key for the same IAM user (`aws iam create-access-key --user-name USER`), or better, move the consumer to an IAM role or IAM Identity Center",
            "Update every consumer (CI variables, servers, local profiles) to the new key",
            "Deactivate the old key (`aws iam update-access-key --access-key-id OLD_KEY_ID --status Inactive`), watch for breakage, then delete it (`aws iam delete-access-key --access-key-id OLD_KEY_ID`)",
            "Check CloudTrail for use of the old key since it was committed (`aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=OLD_KEY_ID`) and `aws iam get-access-key-last-used`",
            SECRETS_MANAGER_STEP,
        ],
    },
    Family {
        id: "github",
        title: "GitHub token",
        rule_prefixes: &["github-"],
        tags: &["github"],
        steps: &[
            "Revoke the token: Settings > Developer settings > Personal access tokens (classic or fine-grained); OAuth and GitHub App secrets under the app's settings; an organisation owner can revoke members' tokens in the organisation's settings",
            "Create a replacement with the narrowest scopes and an expiry, and update its consumers (prefer GITHUB_TOKEN or a GitHub App in Actions)",
            "Review the security log (Settings > Security log) and the organisation audit log for use of the old token",
        ],
    },
    Family {
        id: "gitlab",
        title: "GitLab token",
        rule_prefixes: &["gitlab-"],
        tags: &["gitlab"],
        steps: &[
            "Revoke the token: User settings > Access tokens, or the project's or group's Settings > Access tokens; reset runner and trigger tokens under Settings > CI/CD; deploy tokens under Settings > Repository",
            "Create a replacement with the narrowest scopes and an expiry, and update its consumers",
            "Review the audit events for use of the old token",
        ],
    },
    Family {
        id: "slack",
        title: "Slack token or webhook",
        rule_prefixes: &["slack-"],
        tags: &["slack"],
        steps: &[
            "Revoke the token at api.slack.com/apps > your app > OAuth & Permissions (or call `auth.revoke` with it); delete a leaked webhook under Incoming Webhooks and create a new one",
            "Reinstall the app or update its consumers with the new token or webhook URL",
            "Review the workspace's access logs for use of the old token",
        ],
    },
    Family {
        id: "stripe",
        title: "Stripe key",
        rule_prefixes: &["stripe-"],
        tags: &["stripe"],
        steps: &[
            "Roll the key in the Stripe Dashboard > Developers > API keys (webhook signing secrets: roll in the webhook endpoint's settings)",
            "Update the consumers with the new key before the old one expires",
            "Review the request logs in the Dashboard for use of the old key",
        ],
    },
    Family {
        id: "gcp",
        title: "Google Cloud credentials",
        rule_prefixes: &["gcp-", "firebase-"],
        tags: &["gcp"],
        steps: &[
            "Service account key: create a new key or move to workload identity, then delete the old one (`gcloud iam service-accounts keys delete KEY_ID --iam-account SA_EMAIL`)",
            "API key or OAuth client secret: regenerate it in APIs & Services > Credentials and restrict the new one",
            "Update the consumers, then review Cloud Audit Logs for use of the old credential",
        ],
    },
    Family {
        id: "azure",
        title: "Azure credentials",
        rule_prefixes: &["azure-"],
        tags: &["azure"],
        steps: &[
            "Storage, Cosmos DB, Service Bus and similar keys: regenerate the key that leaked (e.g. `az storage account keys renew --account-name NAME --key key1`), after moving consumers to the other key",
            "Entra ID client secret: add a new secret under App registrations > Certificates & secrets, update the consumers, delete the old one",
            "Prefer managed identities and Key Vault references over keys in configuration; review the activity log for use of the old credential",
        ],
    },
    Family {
        id: "private-key",
        title: "Private key",
        rule_prefixes: &[
            "private-key",
            "pgp-private-key",
            "putty-private-key",
            "ssh2-encrypted-private-key",
            "jwk-private-key",
            "wireguard-private-key",
            "minisign-secret-key",
            "age-secret-key",
            "kubeconfig-client-key",
        ],
        tags: &["private-key"],
        steps: &[
            "Generate a new key pair and install the new public key wherever the old one was trusted (authorized_keys, deploy keys, peers, signing verifiers)",
            "Remove the old public key everywhere; for a TLS key, revoke its certificate with the CA and issue a new one; for a PGP key, publish its revocation certificate",
            "Keep the new private key out of the repository: a secrets manager, or a file listed in .gitignore",
        ],
    },
    Family {
        id: "key-store",
        title: "Key store or password database",
        rule_prefixes: &["pkcs12-file", "java-keystore-file", "keepass-database-file"],
        tags: &[],
        steps: &[
            "Treat every key and password inside the file as leaked: its password may be weak or stored elsewhere in the repository",
            "Reissue the certificates and keys it holds (revoking the old certificates), and change every password in a password database",
            "Keep key stores out of the repository: a secrets manager or the deployment platform's certificate store",
        ],
    },
    Family {
        id: "database",
        title: "Database password or connection string",
        rule_prefixes: &[
            "postgres-",
            "mysql-",
            "mongodb-",
            "redis-",
            "amqp-",
            "jdbc-",
            "ado-net-",
            "database-",
            "sql-user-",
            "ldap-",
            "pgpass-",
        ],
        tags: &["database", "connection-string"],
        steps: &[
            "Change the password of the database user (e.g. `ALTER USER name WITH PASSWORD '...'` in PostgreSQL, `ALTER USER ... IDENTIFIED BY '...'` in MySQL), or create a new user and drop the old one",
            "Store the new password in a secrets manager (AWS Secrets Manager, Vault, Key Vault, ...) and have the application reference it instead of copying it into configuration",
            SECRETS_MANAGER_STEP,
            "Review the database's connection logs for logins from unexpected hosts, and restrict network access to it",
        ],
    },
    Family {
        id: "deployment",
        title: "Committed .env file or deployment descriptor",
        rule_prefixes: &["dotenv-committed", "ecs-task-", "k8s-", "compose-", "gha-"],
        tags: &["dotenv", "deployment"],
        steps: &[
            "Rotate every credential the file held (each value in this plan that comes from it), at its provider",
            "Load real values from the platform's secret store instead: Kubernetes Secrets from an external store, ECS `secrets` from Secrets Manager or SSM, GitHub Actions secrets, Compose secrets",
            "Add the file to .gitignore and commit an example with placeholder values (.env.example)",
        ],
    },
    Family {
        id: "password",
        title: "Password",
        rule_prefixes: &[
            "generic-password",
            "basic-auth-url",
            "authorization-basic",
            "curl-basic-auth",
            "netrc-",
            "htpasswd-",
        ],
        tags: &["password"],
        steps: &[
            "Change the password on the system that accepts it, and anywhere else the same password is used",
            "Store the new password in a secrets manager and reference it instead of copying it into code or configuration",
            SECRETS_MANAGER_STEP,
        ],
    },
];

/// The fallback: revoke at the provider, following the rule's remediation.
pub const GENERIC: Family = Family {
    id: "generic",
    title: "Secret",
    rule_prefixes: &[],
    tags: &[],
    steps: &[
        "Revoke or rotate the secret at the service that issued it, then update its consumers",
        "Review the service's access logs for use of the old secret",
        "Keep the replacement in a secrets manager or the deployment platform's secret store",
    ],
};

/// The family of a finding with this rule id and these tags: a rule-id prefix decides
/// before any tag does (a PKCS#12 file is tagged `private-key`, but it is a key store).
pub fn family_for(rule_id: &str, tags: &[String]) -> &'static Family {
    FAMILIES
        .iter()
        .find(|family| {
            family
                .rule_prefixes
                .iter()
                .any(|prefix| rule_id.starts_with(prefix))
        })
        .or_else(|| {
            FAMILIES
                .iter()
                .find(|family| tags.iter().any(|tag| family.tags.contains(&tag.as_str())))
        })
        .unwrap_or(&GENERIC)
}

/// Where a family sits in the table; lower is more specific (the fallback is last).
pub fn specificity(family: &Family) -> usize {
    FAMILIES
        .iter()
        .position(|known| known.id == family.id)
        .unwrap_or(FAMILIES.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn providers_get_their_own_checklists() {
        assert_eq!(family_for("aws-access-key-id", &[]).id, "aws");
        assert_eq!(family_for("github-pat-classic", &[]).id, "github");
        assert_eq!(family_for("gitlab-pat", &[]).id, "gitlab");
        assert_eq!(family_for("slack-bot-token", &[]).id, "slack");
        assert_eq!(family_for("stripe-secret-key", &[]).id, "stripe");
        assert_eq!(family_for("private-key", &[]).id, "private-key");
        assert_eq!(
            family_for("pkcs12-file", &tags(&["private-key", "pkcs12"])).id,
            "key-store"
        );
        assert_eq!(family_for("postgres-connection-string", &[]).id, "database");
        assert_eq!(family_for("dotenv-committed", &[]).id, "deployment");
        assert_eq!(family_for("generic-password", &[]).id, "password");
    }

    #[test]
    fn tags_match_when_the_rule_id_does_not() {
        assert_eq!(family_for("my-rds", &tags(&["database"])).id, "database");
    }

    #[test]
    fn unknown_rules_fall_back_to_the_generic_checklist() {
        assert_eq!(family_for("acme-token", &tags(&["saas"])).id, "generic");
        assert!(specificity(&GENERIC) > specificity(family_for("aws-access-key-id", &[])));
    }
}
