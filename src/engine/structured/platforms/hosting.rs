//! Where Heroku (`app.json`), Fly.io (`fly.toml`), Render (`render.yaml`), Netlify
//! (`netlify.toml`) and Vercel (`vercel.json`) declare environment values.

use super::super::select::{Shape, Step};
use super::{MAP, NONE, Platform, Source, file_name};

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
