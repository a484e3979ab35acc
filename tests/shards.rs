//! Shards of a repository list and `leakhound merge`: N shard runs merged equal one run
//! over the whole list, finding for finding; every repository is in exactly one shard;
//! adding a repository moves no other; and the shipped Kubernetes Indexed Job, run locally
//! for each JOB_COMPLETION_INDEX and merged, equals the unsharded run.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{TestRepo, fake, leakhound, project_root};
use serde_json::Value;

/// `count` repositories, most with secrets (several in some, one shared by two), the
/// rest clean; listed by path, and every third by `file://` URL.
struct Fleet {
    repos: Vec<TestRepo>,
    dir: TestRepo,
}

impl Fleet {
    fn new(count: u64) -> Fleet {
        let repos = (0..count)
            .map(|index| {
                let repo = TestRepo::new();
                repo.commit("README.md", format!("repository {index}\n"));
                if index % 4 != 3 {
                    repo.commit(
                        "ci.yml",
                        format!("token: {}\n", fake::github_pat_seeded(index % 7)),
                    );
                }
                if index.is_multiple_of(3) {
                    repo.commit(
                        "config/aws.env",
                        format!(
                            "AWS_ACCESS_KEY_ID={}\n",
                            fake::aws_access_key_id_seeded(index)
                        ),
                    );
                    repo.git(["rm", "-q", "config/aws.env"]);
                    repo.git(["commit", "-q", "-m", "remove the key"]);
                }
                repo
            })
            .collect();
        Fleet {
            repos,
            dir: TestRepo::plain_dir(),
        }
    }

    fn entry(&self, index: usize) -> String {
        let path = self.repos[index].path().display().to_string();
        if index.is_multiple_of(3) {
            format!("file://{path}")
        } else {
            path
        }
    }

    /// Writes the list of the first `count` repositories and returns its path.
    fn list(&self, name: &str, count: usize) -> PathBuf {
        let mut text = String::from("# the fleet\n\n");
        for index in 0..count {
            text.push_str(&self.entry(index));
            text.push('\n');
        }
        self.dir.write(name, text);
        self.dir.path().join(name)
    }
}

/// Runs `history --repos LIST` (with `--shard` when given) and returns the JSON report.
fn scan(list: &Path, shard: Option<&str>, out: &Path) -> Value {
    let mut command = leakhound();
    command
        .args(["history", "--repos"])
        .arg(list)
        .args(["--format", "json", "--exit-code", "0", "-o"])
        .arg(out);
    if let Some(shard) = shard {
        command.args(["--shard", shard]);
    }
    command.assert().code(0);
    read_json(out)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn merge(reports: &[PathBuf], format: &str) -> Vec<u8> {
    let output = leakhound()
        .arg("merge")
        .args(reports)
        .args(["--format", format, "--quiet"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    output.stdout
}

/// The report without what differs between runs of the same scan: the time it took.
fn comparable(mut report: Value) -> Value {
    report["summary"]
        .as_object_mut()
        .unwrap()
        .remove("duration_ms");
    report
}

fn names(report: &Value) -> BTreeSet<String> {
    report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|summary| summary["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn shard_runs_merged_equal_one_run_and_every_repository_is_in_one_shard() {
    let fleet = Fleet::new(12);
    let list = fleet.list("repos.txt", 12);
    let whole = scan(&list, None, &fleet.dir.path().join("whole.json"));
    assert_eq!(names(&whole).len(), 12);
    assert!(
        whole["findings"].as_array().unwrap().len() >= 12,
        "{whole:#}"
    );

    let shards: Vec<PathBuf> = (1..=3)
        .map(|k| fleet.dir.path().join(format!("shard-{k}.json")))
        .collect();
    let mut seen = BTreeSet::new();
    for (k, path) in shards.iter().enumerate() {
        let shard = scan(&list, Some(&format!("{}/3", k + 1)), path);
        for name in names(&shard) {
            assert!(seen.insert(name.clone()), "{name} is in two shards");
        }
    }
    assert_eq!(seen, names(&whole), "some repository is in no shard");

    let merged: Value = serde_json::from_slice(&merge(&shards, "json")).unwrap();
    assert_eq!(comparable(merged), comparable(whole.clone()));

    // The other formats are written from the merged findings: the same findings.
    let sarif: Value = serde_json::from_slice(&merge(&shards, "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), whole["findings"].as_array().unwrap().len());
    assert!(
        results
            .iter()
            .all(|result| result["properties"]["repository"].is_string())
    );
    assert_eq!(
        sarif["runs"][0]["properties"]["repositories"],
        whole["repositories"]
    );
    let text = String::from_utf8(merge(&shards, "text")).unwrap();
    assert!(
        text.contains(&format!("{}: ci.yml", fleet.entry(1))),
        "{text}"
    );
}

#[test]
fn adding_a_repository_changes_only_its_own_shard() {
    let fleet = Fleet::new(9);
    let before_list = fleet.list("before.txt", 8);
    let after_list = fleet.list("after.txt", 9);
    let added = fleet.entry(8);
    let mut holders = 0;
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let before = names(&scan(
            &before_list,
            Some(&shard),
            &fleet.dir.path().join("b.json"),
        ));
        let mut after = names(&scan(
            &after_list,
            Some(&shard),
            &fleet.dir.path().join("a.json"),
        ));
        if after.remove(&added) {
            holders += 1;
        }
        assert_eq!(after, before, "shard {shard} changed");
    }
    assert_eq!(holders, 1);
}

#[test]
fn auto_shard_without_a_job_index_is_a_clear_error() {
    let fleet = Fleet::new(1);
    let list = fleet.list("repos.txt", 1);
    let output = leakhound()
        .env_remove("JOB_COMPLETION_INDEX")
        .args(["history", "--repos"])
        .arg(&list)
        .args(["--shard", "auto/4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: `--shard auto/4` reads the shard from JOB_COMPLETION_INDEX"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_or_truncated_report_is_named_in_one_line() {
    let dir = TestRepo::plain_dir();
    dir.write(
        "cut.json",
        "{\"schema\": \"leakhound/report/v1\", \"findings\": [",
    );
    dir.write("other.json", "{\"runs\": []}");
    for (name, expected) in [
        ("cut.json", "EOF while parsing"),
        ("other.json", "not a leakhound JSON report"),
    ] {
        let output = leakhound()
            .current_dir(dir.path())
            .args(["merge", name])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with(&format!("error: {name}")), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

/// A YAML stream as JSON values, one per document (scalars stay strings): enough to read
/// a manifest's fields in a test.
fn yaml_documents(text: &str) -> Vec<Value> {
    use saphyr_parser::{Event, Parser};
    enum Frame {
        Seq(Vec<Value>),
        Map(serde_json::Map<String, Value>, Option<String>),
    }
    fn add(stack: &mut [Frame], documents: &mut Vec<Value>, value: Value) {
        match stack.last_mut() {
            Some(Frame::Seq(items)) => items.push(value),
            Some(Frame::Map(map, key)) => match key.take() {
                Some(key) => {
                    map.insert(key, value);
                }
                None => *key = Some(value.as_str().expect("a scalar key").to_string()),
            },
            None => documents.push(value),
        }
    }
    let mut documents = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, _) = event.expect("valid YAML");
        match event {
            Event::Scalar(value, ..) => add(
                &mut stack,
                &mut documents,
                Value::String(value.into_owned()),
            ),
            Event::SequenceStart(..) => stack.push(Frame::Seq(Vec::new())),
            Event::MappingStart(..) => stack.push(Frame::Map(serde_json::Map::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match stack.pop().unwrap() {
                    Frame::Seq(items) => Value::Array(items),
                    Frame::Map(map, _) => Value::Object(map),
                };
                add(&mut stack, &mut documents, value);
            }
            _ => {}
        }
    }
    documents
}

#[test]
fn the_kubernetes_indexed_job_run_locally_and_merged_equals_one_run() {
    let manifest =
        std::fs::read_to_string(project_root().join("fixtures/deploy/leakhound-indexed-job.yaml"))
            .unwrap();
    let documents = yaml_documents(&manifest);
    let job = documents
        .iter()
        .find(|doc| doc["kind"] == "Job" && doc["spec"]["completionMode"] == "Indexed")
        .expect("an Indexed Job");
    let completions: usize = job["spec"]["completions"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    let mut command: Vec<String> = container["command"]
        .as_array()
        .unwrap()
        .iter()
        .chain(container["args"].as_array().into_iter().flatten())
        .map(|arg| arg.as_str().unwrap().to_string())
        .collect();
    assert_eq!(command[0], "leakhound");
    assert!(
        command.contains(&format!("auto/{completions}")),
        "--shard auto/N must match completions: {command:?}"
    );

    // The pod's volumes become directories here: every argument under a mount path is
    // mapped to the same path under a directory of the test.
    let fleet = Fleet::new(10);
    let volumes = TestRepo::plain_dir();
    let mounts: Vec<(String, PathBuf)> = container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|mount| {
            let local = volumes.path().join(mount["name"].as_str().unwrap());
            std::fs::create_dir_all(&local).unwrap();
            (mount["mountPath"].as_str().unwrap().to_string(), local)
        })
        .collect();
    let local = |arg: &str| -> String {
        for (mount_path, local) in &mounts {
            if let Some(rest) = arg.strip_prefix(&format!("{mount_path}/")) {
                return local.join(rest).display().to_string();
            }
        }
        arg.to_string()
    };
    command = command.iter().map(|arg| local(arg)).collect();
    let list_at = command.iter().position(|arg| arg == "--repos").unwrap() + 1;
    std::fs::copy(fleet.list("repos.txt", 10), &command[list_at]).unwrap();

    let mut reports = Vec::new();
    for index in 0..completions {
        let args: Vec<String> = command[1..]
            .iter()
            .map(|arg| arg.replace("$(JOB_COMPLETION_INDEX)", &index.to_string()))
            .collect();
        let report_at = args.iter().position(|arg| arg == "--report-path").unwrap() + 1;
        leakhound()
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .args(&args)
            .assert()
            .code(0);
        reports.push(PathBuf::from(&args[report_at]));
    }
    let merged: Value = serde_json::from_slice(&merge(&reports, "json")).unwrap();
    let whole = scan(
        Path::new(&command[list_at]),
        None,
        &fleet.dir.path().join("whole.json"),
    );
    assert_eq!(comparable(merged), comparable(whole));
}
