//! Where Google Cloud Run, Cloud Functions and App Engine, and Azure App Service,
//! Functions and Container Apps declare environment values (and app settings).

use super::super::select::{Shape, Step};
use super::super::tree::Node;
use super::{MAP, NAME_VALUE, NONE, Platform, Source, file_name};

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
