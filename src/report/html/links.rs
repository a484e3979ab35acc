//! Links to a commit and a file on the host of a repository's remote, for GitHub, GitLab
//! and Bitbucket, built from the remote's URL (`https://`, `ssh://`, `git://` or scp-like
//! `git@host:owner/repo.git`).
//!
//! The URL comes from the repository's configuration, which whoever handed over the
//! repository controls: only a known host and owner/repository names of plain characters
//! make links, credentials in the URL never reach the page, and every link is `https`.

use super::super::location::percent_encode_path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    GitHub,
    GitLab,
    Bitbucket,
}

/// Where a repository lives on a known host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteLinks {
    host: Host,
    /// `https://github.com/owner/repo`, no trailing slash.
    base: String,
}

impl RemoteLinks {
    /// Links for `remote_url`, or `None` when it is not on a known host.
    pub fn parse(remote_url: &str) -> Option<RemoteLinks> {
        let (host, path) = split_remote(remote_url)?;
        let host_name = host.to_ascii_lowercase();
        let host = match host_name.strip_prefix("www.").unwrap_or(&host_name) {
            "github.com" => Host::GitHub,
            "gitlab.com" => Host::GitLab,
            "bitbucket.org" => Host::Bitbucket,
            _ => return None,
        };
        let path = path.trim_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        let plain = |segment: &&str| {
            !segment.is_empty()
                && *segment != "."
                && *segment != ".."
                && segment
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        };
        let shape_fits = match host {
            // GitLab groups nest: group/subgroup/project.
            Host::GitLab => segments.len() >= 2,
            Host::GitHub | Host::Bitbucket => segments.len() == 2,
        };
        if !shape_fits || !segments.iter().all(plain) {
            return None;
        }
        let domain = match host {
            Host::GitHub => "github.com",
            Host::GitLab => "gitlab.com",
            Host::Bitbucket => "bitbucket.org",
        };
        Some(RemoteLinks {
            host,
            base: format!("https://{domain}/{}", segments.join("/")),
        })
    }

    /// The repository's page.
    pub fn repository(&self) -> &str {
        &self.base
    }

    /// The page of commit `id` (a full hexadecimal id; anything else gives `None`).
    pub fn commit(&self, id: &str) -> Option<String> {
        let id = commit_id(id)?;
        Some(match self.host {
            Host::GitHub => format!("{}/commit/{id}", self.base),
            Host::GitLab => format!("{}/-/commit/{id}", self.base),
            Host::Bitbucket => format!("{}/commits/{id}", self.base),
        })
    }

    /// The file at `path` as of commit `id`, at `line` when given.
    pub fn file(&self, id: &str, path: &str, line: Option<usize>) -> Option<String> {
        let id = commit_id(id)?;
        let path = percent_encode_path(path.trim_start_matches('/'));
        let mut link = match self.host {
            Host::GitHub => format!("{}/blob/{id}/{path}", self.base),
            Host::GitLab => format!("{}/-/blob/{id}/{path}", self.base),
            Host::Bitbucket => format!("{}/src/{id}/{path}", self.base),
        };
        if let Some(line) = line {
            match self.host {
                Host::GitHub | Host::GitLab => link.push_str(&format!("#L{line}")),
                Host::Bitbucket => link.push_str(&format!("#lines-{line}")),
            }
        }
        Some(link)
    }
}

fn commit_id(id: &str) -> Option<&str> {
    (id.len() >= 7 && id.bytes().all(|byte| byte.is_ascii_hexdigit())).then_some(id)
}

/// The host and the path of a remote URL, credentials and port dropped.
fn split_remote(url: &str) -> Option<(&str, &str)> {
    let url = url.trim();
    if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git"
        ) {
            return None;
        }
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let host = host.split_once(':').map_or(host, |(host, _port)| host);
        let path = path.split(['?', '#']).next().unwrap_or_default();
        return Some((host, path));
    }
    // scp-like: [user@]host:path, with no slash before the colon.
    let (authority, path) = url.split_once(':')?;
    if authority.contains('/') || path.starts_with("//") {
        return None;
    }
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    Some((host, path))
}

/// The remote URL as the page may show it: without the user name and password (often a
/// token) that an `https://` URL may carry before its host.
pub fn display_remote(url: &str) -> String {
    let url = url.trim();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest
                .split_once('/')
                .map_or((rest, None), |(a, p)| (a, Some(p)));
            let host = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            match path {
                Some(path) => format!("{scheme}://{host}/{path}"),
                None => format!("{scheme}://{host}"),
            }
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &str = "8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b";

    /// `https://USER:PASSWORD@REST`, assembled at run time so this file holds no URL with
    /// a password in it for scanners to report.
    fn with_credentials(user: &str, password: &str, rest: &str) -> String {
        ["https://", user, ":", password, "@", rest].concat()
    }

    #[test]
    fn github_remotes_in_every_url_form_link_to_the_same_repository() {
        let with_token = with_credentials(
            "x-access-token",
            "not-a-token",
            "github.com/acme/widgets.git/",
        );
        for url in [
            "https://github.com/acme/widgets.git",
            "https://github.com/acme/widgets",
            &with_token,
            "git@github.com:acme/widgets.git",
            "ssh://git@github.com:22/acme/widgets.git",
            "git://github.com/acme/widgets",
        ] {
            let links = RemoteLinks::parse(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(
                links.repository(),
                "https://github.com/acme/widgets",
                "{url}"
            );
        }
    }

    #[test]
    fn each_host_has_its_own_commit_and_file_links() {
        let github = RemoteLinks::parse("git@github.com:acme/widgets.git").unwrap();
        assert_eq!(
            github.file(COMMIT, "src/a b.py", Some(3)).unwrap(),
            format!("https://github.com/acme/widgets/blob/{COMMIT}/src/a%20b.py#L3")
        );
        let gitlab = RemoteLinks::parse("https://gitlab.com/group/sub/project.git").unwrap();
        assert_eq!(
            gitlab.commit(COMMIT).unwrap(),
            format!("https://gitlab.com/group/sub/project/-/commit/{COMMIT}")
        );
        let bitbucket = RemoteLinks::parse("git@bitbucket.org:team/repo.git").unwrap();
        assert_eq!(
            bitbucket.file(COMMIT, "a.env", Some(2)).unwrap(),
            format!("https://bitbucket.org/team/repo/src/{COMMIT}/a.env#lines-2")
        );
        assert_eq!(
            bitbucket.commit(COMMIT).unwrap(),
            format!("https://bitbucket.org/team/repo/commits/{COMMIT}")
        );
    }

    #[test]
    fn unknown_hosts_and_odd_names_make_no_links() {
        for url in [
            "https://example.com/acme/widgets.git",
            "/srv/git/widgets.git",
            "file:///srv/git/widgets.git",
            "javascript:alert(1)//github.com/a/b",
            "https://github.com/acme/widgets/extra",
            "https://github.com/acme/wid\"gets",
            "https://github.com/../widgets",
            "https://evil.example/?github.com/acme/widgets",
        ] {
            assert_eq!(RemoteLinks::parse(url), None, "{url}");
        }
    }

    #[test]
    fn file_paths_are_percent_encoded_and_commits_must_be_hexadecimal() {
        let links = RemoteLinks::parse("https://github.com/acme/widgets").unwrap();
        assert_eq!(
            links
                .file(COMMIT, "<img src=x onerror=alert(1)>.env", None)
                .unwrap(),
            format!(
                "https://github.com/acme/widgets/blob/{COMMIT}/%3Cimg%20src=x%20onerror=alert(1)%3E.env"
            )
        );
        assert_eq!(links.commit("javascript:alert(1)"), None);
    }

    #[test]
    fn displayed_remotes_hide_credentials() {
        assert_eq!(
            display_remote(&with_credentials(
                "user",
                "not-a-token",
                "github.com/acme/widgets.git"
            )),
            "https://github.com/acme/widgets.git"
        );
        assert_eq!(
            display_remote("git@github.com:acme/widgets.git"),
            "git@github.com:acme/widgets.git"
        );
    }
}
