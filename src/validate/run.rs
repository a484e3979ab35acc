//! Running the checks: a fixed pool of threads (the global limit), a gate per host (the
//! per-host limit), retries with back-off on 429 and 5xx, and cancellation between steps.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::finding::Validation;
use crate::rules::{CodeValidator, Request, Rule, TemplateValue, Validator};

use super::ValidationSettings;
use super::aws;
use super::client::{Client, Outgoing, backoff};
use super::endpoints;
use super::judge::{Judge, Verdict};
use super::plan::Check;

/// The outcome of each check, in order, and how many requests were sent.
pub struct Ran {
    pub outcomes: Vec<Validation>,
    pub requests: usize,
}

pub fn run(
    checks: &[Check],
    rules: &[Rule],
    client: &Client,
    settings: &ValidationSettings,
    cancel: &AtomicBool,
) -> Ran {
    let mut judges: HashMap<usize, Judge> = HashMap::new();
    for check in checks {
        judges
            .entry(check.rule)
            .or_insert_with(|| Judge::new(validator(rules, check.rule)));
    }
    let order = interleave_by_host(checks, rules, settings);
    let gate = HostGate::new(settings.per_host.max(1));
    let next = AtomicUsize::new(0);
    let requests = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Validation>>> = Mutex::new(vec![None; checks.len()]);
    let workers = settings.concurrency.clamp(1, checks.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&index) = order.get(at) else { break };
                    let check = &checks[index];
                    let outcome = if cancel.load(Ordering::Relaxed) {
                        interrupted()
                    } else {
                        let context = Context {
                            client,
                            settings,
                            cancel,
                            gate: &gate,
                            requests: &requests,
                        };
                        check_one(
                            check,
                            validator(rules, check.rule),
                            &judges[&check.rule],
                            &context,
                        )
                    };
                    outcomes.lock().expect("no worker panics holding it")[index] = Some(outcome);
                }
            });
        }
    });
    Ran {
        outcomes: outcomes
            .into_inner()
            .expect("workers are done")
            .into_iter()
            .map(|outcome| outcome.unwrap_or_else(interrupted))
            .collect(),
        requests: requests.into_inner(),
    }
}

fn validator(rules: &[Rule], index: usize) -> &Validator {
    rules[index]
        .validate
        .as_ref()
        .expect("checks are planned only for rules with a validator")
}

struct Context<'a> {
    client: &'a Client,
    settings: &'a ValidationSettings,
    cancel: &'a AtomicBool,
    gate: &'a HostGate,
    requests: &'a AtomicUsize,
}

fn check_one(
    check: &Check,
    validator: &Validator,
    judge: &Judge,
    context: &Context<'_>,
) -> Validation {
    let settings = context.settings;
    let secrets = check.secrets();
    for attempt in 0..=settings.retries {
        let outgoing = match build(check, validator, &settings.endpoints) {
            Ok(outgoing) => outgoing,
            Err(reason) => return Validation::NotChecked { reason },
        };
        let host = target_host(&outgoing.url);
        let answer = {
            let Some(_pass) = context.gate.enter(&host, context.cancel) else {
                return interrupted();
            };
            context.requests.fetch_add(1, Ordering::Relaxed);
            context.client.send(&outgoing)
        };
        let answer = match answer {
            Ok(answer) => answer,
            Err(reason) => return Validation::Unavailable { reason },
        };
        match judge.judge(&answer, &secrets) {
            Verdict::Done(outcome) => return outcome,
            Verdict::Retry {
                reason,
                retry_after,
            } => {
                if attempt == settings.retries {
                    return Validation::Unavailable { reason };
                }
                let wait = backoff(attempt, retry_after, settings.max_retry_wait);
                if !sleep_unless_cancelled(wait, context.cancel) {
                    return interrupted();
                }
            }
        }
    }
    unreachable!("the last attempt returns")
}

/// The request for one check, with the endpoint overrides applied.
pub fn build(
    check: &Check,
    validator: &Validator,
    overrides: &[endpoints::EndpointOverride],
) -> Result<Outgoing, String> {
    let lookup = |value: &TemplateValue| -> Option<String> {
        match value {
            TemplateValue::Secret => Some(check.secret.clone()),
            TemplateValue::Capture(name) => find(&check.captures, name),
            TemplateValue::Pair(name) => find(&check.pairs, name),
            TemplateValue::Literal(text) => Some(text.clone()),
        }
    };
    let missing = |error: crate::rules::MissingValue| error.to_string();
    match &validator.request {
        Request::Http {
            method,
            url,
            headers,
            body,
            ..
        } => {
            let (url, _) = endpoints::apply(&url.render(&lookup).map_err(missing)?, overrides);
            let headers = headers
                .iter()
                .map(|(name, value)| Ok((name.clone(), value.render(&lookup).map_err(missing)?)))
                .collect::<Result<_, String>>()?;
            let body = body
                .as_ref()
                .map(|body| body.render(&lookup).map(String::into_bytes))
                .transpose()
                .map_err(missing)?;
            Ok(Outgoing {
                method: method.as_str(),
                url,
                headers,
                body,
            })
        }
        Request::Code(CodeValidator::AwsSts) => {
            let secret_key = find(&check.pairs, "secret").ok_or("no value for `pair.secret`")?;
            let (url, _) = endpoints::apply(&aws::url(), overrides);
            Ok(aws::get_caller_identity(
                &check.secret,
                &secret_key,
                &url,
                &aws::now(),
            ))
        }
    }
}

fn find(values: &[(String, String)], name: &str) -> Option<String> {
    values
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The host (and port) a URL connects to.
fn target_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Check order that takes hosts in turn, so a busy host does not hold every worker.
fn interleave_by_host(
    checks: &[Check],
    rules: &[Rule],
    settings: &ValidationSettings,
) -> Vec<usize> {
    let mut by_host: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, check) in checks.iter().enumerate() {
        let validator = validator(rules, check.rule);
        let (url, _) = endpoints::apply(
            &format!("https://{}/", validator.host()),
            &settings.endpoints,
        );
        let host = target_host(&url);
        match by_host.iter_mut().find(|(known, _)| *known == host) {
            Some((_, list)) => list.push(index),
            None => by_host.push((host, vec![index])),
        }
    }
    let longest = by_host
        .iter()
        .map(|(_, list)| list.len())
        .max()
        .unwrap_or(0);
    (0..longest)
        .flat_map(|round| {
            by_host
                .iter()
                .filter_map(move |(_, list)| list.get(round).copied())
        })
        .collect()
}

fn interrupted() -> Validation {
    Validation::NotChecked {
        reason: "interrupted".into(),
    }
}

/// Sleeps `wait` in short steps; false when cancelled meanwhile.
fn sleep_unless_cancelled(wait: Duration, cancel: &AtomicBool) -> bool {
    let until = Instant::now() + wait;
    while Instant::now() < until {
        if cancel.load(Ordering::Relaxed) {
            return false;
        }
        std::thread::sleep((until - Instant::now()).min(Duration::from_millis(50)));
    }
    !cancel.load(Ordering::Relaxed)
}

/// At most `limit` requests in flight to one host.
struct HostGate {
    limit: usize,
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

struct Pass<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    fn new(limit: usize) -> HostGate {
        HostGate {
            limit,
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot on `host`; `None` when cancelled while waiting.
    fn enter(&self, host: &str, cancel: &AtomicBool) -> Option<Pass<'_>> {
        let key = host.to_string();
        let mut busy = self.busy.lock().expect("no thread panics holding it");
        loop {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let count = busy.entry(key.clone()).or_insert(0);
            if *count < self.limit {
                *count += 1;
                return Some(Pass {
                    gate: self,
                    host: key,
                });
            }
            busy = self
                .freed
                .wait_timeout(busy, Duration::from_millis(100))
                .expect("no thread panics holding it")
                .0;
        }
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut busy = self.gate.busy.lock().expect("no thread panics holding it");
        if let Some(count) = busy.get_mut(&self.host) {
            *count -= 1;
        }
        drop(busy);
        self.gate.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_admits_at_most_the_limit_per_host() {
        let gate = HostGate::new(2);
        let cancel = AtomicBool::new(false);
        let first = gate.enter("a.example", &cancel).unwrap();
        let _second = gate.enter("a.example", &cancel).unwrap();
        let _other = gate.enter("b.example", &cancel).unwrap();
        assert_eq!(gate.busy.lock().unwrap()["a.example"], 2);
        drop(first);
        assert_eq!(gate.busy.lock().unwrap()["a.example"], 1);
        cancel.store(true, Ordering::Relaxed);
        assert!(gate.enter("a.example", &cancel).is_none());
    }

    #[test]
    fn hosts_take_turns() {
        assert_eq!(
            target_host("https://API.example.com:8443/x?y"),
            "api.example.com:8443"
        );
    }
}
