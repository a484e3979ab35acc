//! Where AWS Lambda (Terraform, CloudFormation, SAM), the Serverless Framework, Elastic
//! Beanstalk, App Runner, Batch and Step Functions declare environment values.

use super::super::select::{Shape, Step};
use super::{MAP, NAME_VALUE, NONE, Platform, Source, YAML, named};

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
