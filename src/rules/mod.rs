//! The rule model and where rules come from: the embedded defaults under `rules/`, a user's
//! `.leakhound.toml`, or a gitleaks config. Turns TOML ([`spec`]) into checked rules
//! ([`model`]) with errors that name the file, the rule and the fix ([`error`]).
//!
//! Knows nothing about scanning: the engine compiles what this module returns.

mod check;
mod context;
mod error;
mod go_regex;
mod load;
mod model;
mod spec;
mod template;
mod validator;

pub use check::parse_regex;
pub use context::{KeySpec, is_placeholder_key};
pub use error::ConfigError;
pub use load::{Examples, ROOT_CONFIG_NAMES, builtin, load_file, resolve};
pub use model::{
    Allowlist, Condition, Confidence, Config, Detector, Example, RegexTarget, Rule, Severity,
    ValidationConfig,
};
pub use validator::{
    CodeValidator, Condition as ResponseCondition, Endpoint, ExampleResponse, Method, MissingValue,
    Request, Template, Validator, Value as TemplateValue, check_validator_regexes,
};
