//! GitHub Actions workflows: `env:` maps at workflow, job, step, container and service
//! level whose credential-like names hold literals instead of `${{ secrets.X }}`.

use super::tree::judge_pair;
use super::{ValueHit, parse_documents};

pub fn detect(data: &[u8], out: &mut Vec<ValueHit>) {
    for document in parse_documents(data) {
        document.for_each_entry(&mut |key, value| {
            if key.text() != Some("env") {
                return;
            }
            for (name, value) in value.entries() {
                if let (Some(name), Some(value)) = (name.text(), value.scalar()) {
                    judge_pair(name, value, out);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_env_values_are_found_at_every_level() {
        let text = "on: push\nenv:\n  NPM_TOKEN: npm-fixture-token\njobs:\n  build:\n    env:\n      DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n    steps:\n      - run: make\n        env:\n          DB_PASSWORD: {}\n          CI: true\n";
        let text = &text.replace("{}", &["'s3cr3t", "-fixture-pass'"].concat());
        let mut out = Vec::new();
        detect(text.as_bytes(), &mut out);
        let found: Vec<&str> = out.iter().map(|hit| &text[hit.secret.clone()]).collect();
        assert_eq!(found, ["npm-fixture-token", "s3cr3t-fixture-pass"]);
    }
}
