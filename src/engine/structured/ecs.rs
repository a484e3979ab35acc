//! ECS task definitions: `containerDefinitions[].environment[]` entries `{name, value}`
//! whose name is credential-like and whose value is a literal.
//!
//! Found wherever the list appears in a JSON or YAML document: a task definition file,
//! `aws ecs describe-task-definition` output (`taskDefinition.containerDefinitions`),
//! CloudFormation `AWS::ECS::TaskDefinition` (`ContainerDefinitions[].Environment`, keys
//! matched ignoring case; `!Ref`/`{"Ref": ...}` values are not literals), and in Terraform
//! `container_definitions` arguments ([`super::terraform`]).

use super::tree::{Node, judge_name_value_list};
use super::{ValueHit, contains, parse_documents, terraform};

pub fn detect(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let terraform_file = path.is_some_and(|path| {
        let lower = path.to_ascii_lowercase();
        lower.ends_with(".tf") || lower.ends_with(".hcl") || lower.ends_with(".tftpl")
    });
    let mut found_definitions = false;
    if !terraform_file {
        for document in parse_documents(data) {
            document.for_each_entry(&mut |key, value| {
                let is_definitions = key
                    .text()
                    .is_some_and(|key| key.eq_ignore_ascii_case("containerDefinitions"));
                if is_definitions && matches!(value, Node::Seq(_)) {
                    found_definitions = true;
                    judge_containers(value, out);
                }
            });
        }
    }
    if !found_definitions && contains(data, b"container_definitions") {
        for definitions in terraform::container_definitions(data) {
            judge_containers(&definitions, out);
        }
    }
}

fn judge_containers(containers: &Node, out: &mut Vec<ValueHit>) {
    for container in containers.items() {
        if let Some(environment) = container.get_ignore_case("environment") {
            judge_name_value_list(environment, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(text: &str, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        detect(text.as_bytes(), Some(path), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn task_definition_json_reports_credential_entries_only() {
        let text = r#"{"family": "api", "containerDefinitions": [{"name": "api",
            "environment": [
              {"name": "PORT", "value": "8080"},
              {"name": "DB_PASSWORD", "value": "s3cr3t-fixture-pass"},
              {"name": "API_KEY", "value": "${API_KEY}"}
            ],
            "secrets": [{"name": "TOKEN", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/t"}]}]}"#;
        assert_eq!(secrets(text, "task.json"), ["s3cr3t-fixture-pass"]);
    }

    #[test]
    fn cloudformation_yaml_uses_capitalised_keys_and_intrinsics_are_quiet() {
        let text = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: api\n          Environment:\n            - Name: DB_PASSWORD\n              Value: s3cr3t-fixture-pass\n            - Name: API_TOKEN\n              Value: !Ref ApiToken\n";
        assert_eq!(secrets(text, "stack.yaml"), ["s3cr3t-fixture-pass"]);
    }
}
