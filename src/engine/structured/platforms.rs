//! Plaintext environment values on platforms whose env maps have the same shapes: one
//! table of where each platform declares them, read by one walker ([`super::select`]).
//!
//! Each [`Platform`] lists its [`Source`]s per file format: Terraform (`.tf`, `.tf.json`),
//! YAML/JSON documents (CloudFormation, ARM templates, the platform's own files), Bicep
//! resources and TOML. A source applies to a file when its file test (if any) passes and
//! the buffer holds one of its needles (if any); the file is parsed only when a source
//! applies. The judgement of each entry is [`super::judge`]'s, as for every detector.

use super::select::{Shape, Step, judge_shape, select};
use super::tree::Node;
use super::{ValueHit, bicep, contains, hcl, parse_documents, toml_doc};

/// Where one platform declares environment values.
pub struct Platform {
    pub terraform: &'static [Source],
    pub documents: &'static [Source],
    pub bicep: &'static [Source],
    pub toml: &'static [Source],
    /// Value prefixes that are references on this platform (Vercel's `@secret-name`).
    pub references: &'static [&'static str],
}

/// One place of a platform's env values.
pub struct Source {
    /// Only files whose lower-cased path passes this test (`None`: any file).
    pub file: Option<fn(&str) -> bool>,
    /// The buffer must hold one of these (none: no condition).
    pub needles: &'static [&'static str],
    pub steps: &'static [Step],
    pub shape: Shape,
}

const NONE: &[Source] = &[];

/// Appends the plaintext values of `platform`'s env maps in `data` to `out`.
pub fn detect(platform: &Platform, data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let lower = path.map(str::to_ascii_lowercase);
    let lower = lower.as_deref();
    let applies = |source: &&Source| {
        source.file.is_none_or(|test| lower.is_some_and(test))
            && (source.needles.is_empty()
                || source
                    .needles
                    .iter()
                    .any(|needle| contains(data, needle.as_bytes())))
    };
    let start = out.len();
    let terraform = lower.is_some_and(|path| hcl::is_native_path(path) || hcl::is_json_path(path));
    if terraform {
        let sources: Vec<&Source> = platform.terraform.iter().filter(applies).collect();
        if !sources.is_empty()
            && let Some(file) = hcl::parse_terraform(data, lower)
        {
            read(&file, &sources, platform.references, out);
        }
    } else if lower.is_some_and(bicep::is_bicep_path) {
        let sources: Vec<&Source> = platform.bicep.iter().filter(applies).collect();
        if !sources.is_empty() {
            for resource in bicep::resources(data) {
                read(&resource, &sources, platform.references, out);
            }
        }
    } else if lower.is_some_and(|path| path.ends_with(".toml")) {
        let sources: Vec<&Source> = platform.toml.iter().filter(applies).collect();
        if !sources.is_empty()
            && let Some(document) = toml_doc::parse(data)
        {
            read(&document, &sources, platform.references, out);
        }
    } else if super::is_document_path(path) {
        let sources: Vec<&Source> = platform.documents.iter().filter(applies).collect();
        if !sources.is_empty() {
            for document in parse_documents(data) {
                read(&document, &sources, platform.references, out);
            }
        }
    }
    // Two sources may reach the same entry (a nested resource inside its parent).
    out[start..].sort_by_key(|hit| (hit.span.start, hit.span.end));
    let mut kept = start;
    for index in start..out.len() {
        if kept == start || out[kept - 1] != out[index] {
            out.swap(kept, index);
            kept += 1;
        }
    }
    out.truncate(kept);
}

fn read(root: &Node, sources: &[&Source], references: &[&str], out: &mut Vec<ValueHit>) {
    for source in sources {
        for found in select(root, source.steps) {
            judge_shape(found, source.shape, references, out);
        }
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `<stem>.<ext>` or `<stem>.<anything>.<ext>`, for a lower-cased path.
fn named(path: &str, stem: &str, extensions: &[&str]) -> bool {
    let name = file_name(path);
    name.strip_prefix(stem).is_some_and(|rest| {
        extensions.iter().any(|extension| {
            rest.strip_suffix(extension).is_some_and(|middle| {
                middle == "." || middle.starts_with('.') && !middle.contains('/')
            })
        })
    })
}

const YAML: &[&str] = &["yml", "yaml"];

/// A CloudFormation (or SAM) resource of one of `types`: the path to its properties.
macro_rules! cfn {
    ($types:expr $(, $step:expr)* $(,)?) => {
        &[
            Step::Key("Resources"),
            Step::AnyKey,
            Step::IfType($types),
            Step::Key("Properties"),
            $($step),*
        ]
    };
}

/// A Terraform resource of one of `types`: the path to its body.
macro_rules! tf {
    ($types:expr $(, $step:expr)* $(,)?) => {
        &[Step::Key("resource"), Step::OneOf($types), Step::AnyKey, $($step),*]
    };
}

const MAP: Shape = Shape::Map;
const NAME_VALUE: Shape = Shape::NameValue {
    name: "name",
    value: "value",
};

pub static LAMBDA: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["aws_lambda_function"],
        steps: tf!(
            &["aws_lambda_function"],
            Step::Key("environment"),
            Step::Key("variables")
        ),
        shape: MAP,
    }],
    documents: &[
        Source {
            file: None,
            needles: &["AWS::Lambda::Function", "AWS::Serverless::Function"],
            steps: cfn!(
                &["AWS::Lambda::Function", "AWS::Serverless::Function"],
                Step::Key("Environment"),
                Step::Key("Variables")
            ),
            shape: MAP,
        },
        Source {
            file: None,
            needles: &["AWS::Serverless"],
            steps: &[
                Step::Key("Globals"),
                Step::Key("Function"),
                Step::Key("Environment"),
                Step::Key("Variables"),
            ],
            shape: MAP,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

pub static SERVERLESS: Platform = Platform {
    terraform: NONE,
    documents: &[
        Source {
            file: Some(is_serverless),
            needles: &[],
            steps: &[Step::Key("provider"), Step::Key("environment")],
            shape: MAP,
        },
        Source {
            file: Some(is_serverless),
            needles: &[],
            steps: &[
                Step::Key("functions"),
                Step::AnyKey,
                Step::Key("environment"),
            ],
            shape: MAP,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

fn is_serverless(path: &str) -> bool {
    named(path, "serverless", &["yml", "yaml", "json"])
}

const BEANSTALK_TYPES: &[&str] = &[
    "aws_elastic_beanstalk_environment",
    "aws_elastic_beanstalk_configuration_template",
];
const BEANSTALK_ENVIRONMENT: &str = "aws:elasticbeanstalk:application:environment";

pub static BEANSTALK: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["aws_elastic_beanstalk_"],
        steps: tf!(BEANSTALK_TYPES, Step::Key("setting")),
        shape: Shape::OptionSettings,
    }],
    documents: &[
        Source {
            file: Some(is_ebextension),
            needles: &[],
            steps: &[Step::Key("option_settings")],
            shape: Shape::OptionSettings,
        },
        Source {
            file: Some(is_ebextension),
            needles: &[],
            steps: &[
                Step::Key("option_settings"),
                Step::Key(BEANSTALK_ENVIRONMENT),
            ],
            shape: MAP,
        },
        Source {
            file: None,
            needles: &["AWS::ElasticBeanstalk::"],
            steps: cfn!(
                &[
                    "AWS::ElasticBeanstalk::Environment",
                    "AWS::ElasticBeanstalk::ConfigurationTemplate"
                ],
                Step::Key("OptionSettings")
            ),
            shape: Shape::OptionSettings,
        },
        Source {
            // Saved configurations (`.elasticbeanstalk/saved_configs/*.cfg.yml`).
            file: None,
            needles: &["OptionSettings"],
            steps: &[
                Step::Key("OptionSettings"),
                Step::Key(BEANSTALK_ENVIRONMENT),
            ],
            shape: MAP,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

fn is_ebextension(path: &str) -> bool {
    path.contains(".ebextensions/") && path.ends_with(".config")
}

pub static APPRUNNER: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["aws_apprunner_service"],
        steps: tf!(
            &["aws_apprunner_service"],
            Step::Deep(&["runtime_environment_variables"])
        ),
        shape: MAP,
    }],
    documents: &[
        Source {
            file: Some(|path| named(path, "apprunner", YAML)),
            needles: &[],
            steps: &[Step::Key("run"), Step::Key("env")],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["AWS::AppRunner::Service"],
            steps: cfn!(
                &["AWS::AppRunner::Service"],
                Step::Deep(&["RuntimeEnvironmentVariables"])
            ),
            shape: NAME_VALUE,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

const BATCH_PROPERTIES: &[&str] = &["containerProperties", "nodeProperties", "ecsProperties"];

pub static BATCH: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["aws_batch_job_definition"],
        steps: tf!(
            &["aws_batch_job_definition"],
            Step::OneOf(&["container_properties", "node_properties", "ecs_properties"]),
            Step::Deep(&["environment"])
        ),
        shape: NAME_VALUE,
    }],
    documents: &[
        Source {
            // `aws batch register-job-definition` input, `describe-job-definitions` output.
            file: None,
            needles: &["containerProperties", "nodeProperties", "ecsProperties"],
            steps: &[Step::Deep(BATCH_PROPERTIES), Step::Deep(&["environment"])],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["AWS::Batch::JobDefinition"],
            steps: cfn!(&["AWS::Batch::JobDefinition"], Step::Deep(&["Environment"])),
            shape: NAME_VALUE,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

/// Overrides a state passes to an ECS task or a Batch job: `ContainerOverrides` (a list
/// for ECS, a mapping for Batch), then `Environment`.
const CONTAINER_OVERRIDES: &[Step] = &[
    Step::Deep(&["ContainerOverrides"]),
    Step::Key("Environment"),
];

pub static STEP_FUNCTIONS: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["ContainerOverrides"],
        steps: &[
            Step::Key("resource"),
            Step::Key("aws_sfn_state_machine"),
            Step::AnyKey,
            Step::Key("definition"),
            Step::Deep(&["ContainerOverrides"]),
            Step::Key("Environment"),
        ],
        shape: NAME_VALUE,
    }],
    documents: &[Source {
        file: None,
        needles: &["ContainerOverrides"],
        steps: CONTAINER_OVERRIDES,
        shape: NAME_VALUE,
    }],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

pub static CLOUD_RUN: Platform = Platform {
    terraform: &[
        Source {
            file: None,
            needles: &["google_cloud_run_"],
            steps: tf!(
                &[
                    "google_cloud_run_service",
                    "google_cloud_run_v2_service",
                    "google_cloud_run_v2_job",
                    "google_cloud_run_v2_worker_pool"
                ],
                Step::Deep(&["env"])
            ),
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["google_cloudfunctions"],
            steps: tf!(
                &[
                    "google_cloudfunctions_function",
                    "google_cloudfunctions2_function"
                ],
                Step::Deep(&["environment_variables", "build_environment_variables"])
            ),
            shape: MAP,
        },
    ],
    documents: &[Source {
        file: None,
        needles: &["serving.knative.dev", "run.googleapis.com"],
        steps: &[
            Step::Where(is_cloud_run_object),
            Step::Deep(&["containers"]),
            Step::Key("env"),
        ],
        shape: NAME_VALUE,
    }],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

/// A Knative or Cloud Run object (`gcloud run services replace` YAML).
pub fn is_cloud_run_object(document: &Node) -> bool {
    document
        .get("apiVersion")
        .and_then(Node::text)
        .is_some_and(|api| {
            api.starts_with("serving.knative.dev/") || api.starts_with("run.googleapis.com/")
        })
}

pub static APP_ENGINE: Platform = Platform {
    terraform: &[Source {
        file: None,
        needles: &["google_app_engine_"],
        steps: tf!(
            &[
                "google_app_engine_standard_app_version",
                "google_app_engine_flexible_app_version"
            ],
            Step::Key("env_variables")
        ),
        shape: MAP,
    }],
    documents: &[Source {
        file: None,
        needles: &["env_variables"],
        steps: &[
            Step::Where(is_app_engine_config),
            Step::Key("env_variables"),
        ],
        shape: MAP,
    }],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

/// An App Engine `app.yaml` (or a service's `<name>.yaml`): a top-level `runtime`.
fn is_app_engine_config(document: &Node) -> bool {
    document.get("runtime").is_some()
}

const WEB_APP_TYPES: &[&str] = &[
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app_slot",
    "azurerm_app_service",
    "azurerm_app_service_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
    "azurerm_logic_app_standard",
];
const SITE_TYPES: &[&str] = &["Microsoft.Web/sites", "Microsoft.Web/sites/slots"];
const SITE_CONFIG_TYPES: &[&str] = &[
    "Microsoft.Web/sites/config",
    "Microsoft.Web/sites/slots/config",
];
const CONNECTION_STRINGS: Shape = Shape::NameValue {
    name: "name",
    value: "connectionString",
};

pub static AZURE_APP_SETTINGS: Platform = Platform {
    terraform: &[
        Source {
            file: None,
            needles: &["app_settings"],
            steps: tf!(WEB_APP_TYPES, Step::Key("app_settings")),
            shape: MAP,
        },
        Source {
            file: None,
            needles: &["connection_string"],
            steps: tf!(WEB_APP_TYPES, Step::Key("connection_string")),
            shape: NAME_VALUE,
        },
    ],
    documents: &[
        Source {
            file: None,
            needles: &["appSettings"],
            steps: &[
                Step::Deep(&["resources"]),
                Step::IfType(SITE_TYPES),
                Step::Deep(&["appSettings"]),
            ],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["connectionStrings"],
            steps: &[
                Step::Deep(&["resources"]),
                Step::IfType(SITE_TYPES),
                Step::Deep(&["connectionStrings"]),
            ],
            shape: CONNECTION_STRINGS,
        },
        Source {
            file: None,
            needles: &["appsettings"],
            steps: &[
                Step::Deep(&["resources"]),
                Step::IfType(SITE_CONFIG_TYPES),
                Step::Where(names_app_settings),
                Step::Key("properties"),
            ],
            shape: MAP,
        },
    ],
    bicep: &[
        Source {
            file: None,
            needles: &[],
            steps: &[Step::IfType(SITE_TYPES), Step::Deep(&["appSettings"])],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[Step::IfType(SITE_TYPES), Step::Deep(&["connectionStrings"])],
            shape: CONNECTION_STRINGS,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[
                Step::IfType(SITE_CONFIG_TYPES),
                Step::Where(names_app_settings),
                Step::Key("properties"),
            ],
            shape: MAP,
        },
    ],
    toml: NONE,
    references: ARM_EXPRESSION,
};

/// An ARM template expression (`[listKeys(...)]`, `[parameters('x')]`) is evaluated at
/// deployment; it is not a literal.
const ARM_EXPRESSION: &[&str] = &["["];

/// A `sites/config` resource named `appsettings` (`<site>/appsettings` in ARM).
fn names_app_settings(resource: &Node) -> bool {
    resource
        .get_ignore_case("name")
        .and_then(Node::text)
        .is_some_and(|name| {
            name.trim_end_matches(['\'', ')', ']'])
                .to_ascii_lowercase()
                .ends_with("appsettings")
        })
}

const CONTAINER_APP_TYPES: &[&str] = &["Microsoft.App/containerApps", "Microsoft.App/jobs"];

pub static AZURE_CONTAINER_APPS: Platform = Platform {
    terraform: &[
        Source {
            file: None,
            needles: &["azurerm_container_app"],
            steps: tf!(
                &["azurerm_container_app", "azurerm_container_app_job"],
                Step::Deep(&["env"])
            ),
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["azurerm_container_app"],
            steps: tf!(
                &["azurerm_container_app", "azurerm_container_app_job"],
                Step::Key("secret")
            ),
            shape: Shape::Secrets,
        },
    ],
    documents: &[
        Source {
            file: None,
            needles: &["Microsoft.App/"],
            steps: &[
                Step::Deep(&["resources"]),
                Step::IfType(CONTAINER_APP_TYPES),
                Step::Deep(&["env"]),
            ],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["Microsoft.App/"],
            steps: &[
                Step::Deep(&["resources"]),
                Step::IfType(CONTAINER_APP_TYPES),
                Step::Deep(&["secrets"]),
            ],
            shape: Shape::Secrets,
        },
        Source {
            // `az containerapp create --yaml`: the app itself is the document.
            file: None,
            needles: &["Microsoft.App/"],
            steps: &[Step::IfType(CONTAINER_APP_TYPES), Step::Deep(&["env"])],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &["Microsoft.App/"],
            steps: &[Step::IfType(CONTAINER_APP_TYPES), Step::Deep(&["secrets"])],
            shape: Shape::Secrets,
        },
    ],
    bicep: &[
        Source {
            file: None,
            needles: &[],
            steps: &[Step::IfType(CONTAINER_APP_TYPES), Step::Deep(&["env"])],
            shape: NAME_VALUE,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[Step::IfType(CONTAINER_APP_TYPES), Step::Deep(&["secrets"])],
            shape: Shape::Secrets,
        },
    ],
    toml: NONE,
    references: ARM_EXPRESSION,
};

pub static AZURE_LOCAL_SETTINGS: Platform = Platform {
    terraform: NONE,
    documents: &[
        Source {
            file: Some(|path| file_name(path) == "local.settings.json"),
            needles: &[],
            steps: &[Step::Key("Values")],
            shape: MAP,
        },
        Source {
            file: Some(|path| file_name(path) == "local.settings.json"),
            needles: &[],
            steps: &[Step::Key("ConnectionStrings")],
            shape: MAP,
        },
    ],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

pub static HEROKU: Platform = Platform {
    terraform: NONE,
    documents: &[Source {
        file: Some(|path| file_name(path) == "app.json"),
        needles: &[],
        steps: &[Step::Key("env")],
        shape: MAP,
    }],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

pub static FLY: Platform = Platform {
    terraform: NONE,
    documents: NONE,
    bicep: NONE,
    toml: &[
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("env")],
            shape: MAP,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("build"), Step::Key("args")],
            shape: MAP,
        },
    ],
    references: &[],
};

pub static RENDER: Platform = Platform {
    terraform: NONE,
    documents: &[Source {
        file: None,
        needles: &[],
        steps: &[
            Step::OneOf(&["services", "envVarGroups"]),
            Step::Key("envVars"),
        ],
        shape: Shape::NameValue {
            name: "key",
            value: "value",
        },
    }],
    bicep: NONE,
    toml: NONE,
    references: &[],
};

pub static NETLIFY: Platform = Platform {
    terraform: NONE,
    documents: NONE,
    bicep: NONE,
    toml: &[
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("build"), Step::Key("environment")],
            shape: MAP,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("context"), Step::AnyKey, Step::Key("environment")],
            shape: MAP,
        },
    ],
    references: &[],
};

pub static VERCEL: Platform = Platform {
    terraform: NONE,
    documents: &[
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("env")],
            shape: MAP,
        },
        Source {
            file: None,
            needles: &[],
            steps: &[Step::Key("build"), Step::Key("env")],
            shape: MAP,
        },
    ],
    bicep: NONE,
    toml: NONE,
    // `"@db-password"` names a secret kept by Vercel (the legacy `vercel secrets`).
    references: &["@"],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(platform: &Platform, path: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        detect(platform, text.as_bytes(), Some(path), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn lambda_variables_are_read_in_terraform_cloudformation_and_sam_globals() {
        let tf = "resource \"aws_lambda_function\" \"f\" {\n  environment {\n    variables = {\n      API_TOKEN = \"t0k3n-fixture\" # leakhound:allow\n      DB_PASSWORD = var.db_password\n    }\n  }\n}\n";
        assert_eq!(secrets(&LAMBDA, "infra/lambda.tf", tf), ["t0k3n-fixture"]);
        let sam = "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Environment:\n      Variables:\n        SIGNING_SECRET: s1gn-fixture\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables:\n          DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'\n          API_KEY: k3y-fixture\n";
        assert_eq!(
            secrets(&LAMBDA, "template.yaml", sam),
            ["s1gn-fixture", "k3y-fixture"]
        );
    }

    #[test]
    fn file_tests_keep_sources_to_their_files() {
        let text = "provider:\n  environment:\n    API_TOKEN: t0k3n-fixture\n";
        assert_eq!(
            secrets(&SERVERLESS, "svc/serverless.yml", text),
            ["t0k3n-fixture"]
        );
        assert_eq!(
            secrets(&SERVERLESS, "svc/serverless.prod.yaml", text),
            ["t0k3n-fixture"]
        );
        assert!(secrets(&SERVERLESS, "svc/other.yml", text).is_empty());
        assert!(named("a/fly.staging.toml", "fly", &["toml"]));
        assert!(!named("a/flyer.toml", "fly", &["toml"]));
    }

    #[test]
    fn vercel_secret_references_are_not_values() {
        let text =
            "{\"env\": {\"DB_PASSWORD\": \"@db-password\", \"API_TOKEN\": \"t0k3n-fixture\"}}";
        assert_eq!(secrets(&VERCEL, "vercel.json", text), ["t0k3n-fixture"]);
    }

    #[test]
    fn nested_arm_resources_are_reported_once() {
        let text = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "a", "properties": {},
          "resources": [{"type": "Microsoft.Web/sites", "name": "b",
            "properties": {"siteConfig": {"appSettings": [{"name": "API_KEY", "value": "k3y-fixture"}]}}}]}]}"#;
        assert_eq!(
            secrets(&AZURE_APP_SETTINGS, "azuredeploy.json", text),
            ["k3y-fixture"]
        );
    }
}
